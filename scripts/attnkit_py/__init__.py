"""Python reference pieces shared by the training/export scripts: tokenizer, safetensors I/O, models."""
