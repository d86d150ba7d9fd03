#!/usr/bin/env python3
"""Exports an attnkit NER model directory to ONNX (inputs ids, mask: int64 [1, n], and for a model with a word
lexicon, lexicon: float32 [1, n, features] 0/1; output logits [1, types, n, n]), for running the same model in
onnxruntime-web side by side (npm run bench).
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
    ids = torch.tensor([[2] + [5] * int(sys.argv[3] if len(sys.argv) > 3 else 10) + [3]])
    inputs, names, axes = (ids, torch.ones_like(ids)), ["ids", "mask"], {"ids": {1: "n"}, "mask": {1: "n"}, "logits": {2: "n", 3: "n"}}
    if "lexicon" in cfg:
        inputs += (torch.zeros(1, ids.shape[1], cfg["lexicon"]["features"]),)
        names.append("lexicon")
        axes["lexicon"] = {1: "n"}
    torch.onnx.export(model, inputs, sys.argv[2], input_names=names, output_names=["logits"], dynamic_axes=axes,
                      opset_version=14)
    print(f"wrote {sys.argv[2]}")


if __name__ == "__main__":
    main()
