"""Loads an attnkit model directory (config.json + model.safetensors) back into the PyTorch model."""
import json
import pathlib

import torch

from . import safetensors_io
from .model import SpanNer, named_weights


def load_span_ner(model_dir):
    model_dir = pathlib.Path(model_dir)
    cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    model = SpanNer(cfg).eval()
    tensors = safetensors_io.load(model_dir / "model.safetensors")
    with torch.no_grad():
        for name, parameter in named_weights(model):
            if name not in tensors:
                raise ValueError(f"{model_dir}: model.safetensors has no tensor {name}")
            parameter.copy_(torch.from_numpy(tensors[name].astype("float32")))
    return model, cfg
