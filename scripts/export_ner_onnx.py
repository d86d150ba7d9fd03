#!/usr/bin/env python3
"""Exports an attnkit NER model directory to ONNX (inputs ids, mask: int64 [batch, n], and for a model with a
word lexicon, lexicon: float32 [batch, n, features] 0/1; output logits [batch, types, n, n]), for running the
same model in onnxruntime-web side by side (npm run bench; a batch holds a long document's windows).
  /usr/bin/python3 scripts/export_ner_onnx.py MODEL_DIR OUT.onnx"""
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from attnkit_py.load import load_span_ner  # noqa: E402


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    model, cfg = load_span_ner(sys.argv[1])
    # Traced with a batch of 2, so no size is frozen at 1.
    ids = torch.tensor([[2] + [5] * int(sys.argv[3] if len(sys.argv) > 3 else 10) + [3]] * 2)
    inputs, names = (ids, torch.ones_like(ids)), ["ids", "mask"]
    axes = {"ids": {0: "batch", 1: "n"}, "mask": {0: "batch", 1: "n"}, "logits": {0: "batch", 2: "n", 3: "n"}}
    if "lexicon" in cfg:
        inputs += (torch.zeros(2, ids.shape[1], cfg["lexicon"]["features"]),)
        names.append("lexicon")
        axes["lexicon"] = {0: "batch", 1: "n"}
    torch.onnx.export(model, inputs, sys.argv[2], input_names=names, output_names=["logits"], dynamic_axes=axes,
                      opset_version=14)
    print(f"wrote {sys.argv[2]}")


if __name__ == "__main__":
    main()
