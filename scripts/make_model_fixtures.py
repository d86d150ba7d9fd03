#!/usr/bin/env python3
"""tests/fixtures/tiny.safetensors, written by scripts/attnkit_py/safetensors_io.py: tensors with known
values in F32 and F16, so the C++ reader is checked against an independent writer.
Run: /usr/bin/python3 scripts/make_model_fixtures.py"""
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from attnkit_py import safetensors_io  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tiny.safetensors"

tensors = {
    "weight": np.arange(6, dtype=np.float32).reshape(2, 3) / 4,                            # 0, .25, … 1.25
    "half": np.array([1.0, -2.0, 0.5, 65504.0, 2.0 ** -24, 0.0], dtype=np.float16),        # exact in fp16
    "scalar": np.array(3.5, dtype=np.float32),
}
safetensors_io.save(OUT, tensors, {"format": "attnkit-test"})
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


def tiny_ner_model():
    """tests/fixtures/tiny-ner/: a randomly initialised model of the default architecture (small sizes), in
    fp32 and fp16, with reference encoder states and head logits from PyTorch for the C++/WASM parity tests."""
    import json

    import torch

    from attnkit_py.model import SpanNer, state_tensors
    from attnkit_py.tokenizer import SPECIALS, Tokenizer

    out = OUT.parent / "tiny-ner"
    out.mkdir(exist_ok=True)
    chars = list("浙商银行企业信贷部叶老桂博士生不息化狂潮让你填弹扫中国北京大学的是了") + ["cs", "##ol", "a", "##b"]
    (out / "vocab.txt").write_text("".join(t + "\n" for t in SPECIALS + chars), encoding="utf-8")
    cfg = {"model_type": "attnkit-encoder", "vocab_size": len(SPECIALS) + len(chars), "hidden_size": 32, "num_layers": 2,
           "num_heads": 2, "intermediate_size": 64, "hidden_act": "gelu", "layer_norm": "post", "layer_norm_eps": 1e-12,
           "positions": "rope", "rope_base": 10000.0,
           "attention_scale": {"kind": "entropy-invariant", "train_len": 64, "min_keys": 16}, "max_length": 64,
           "head": {"type": "efficient_global_pointer", "head_size": 16, "labels": ["name", "company", "game"]}}
    (out / "config.json").write_text(json.dumps(cfg, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    torch.manual_seed(7)
    model = SpanNer(cfg).eval()
    with torch.no_grad():  # larger than default init, so that logits are far from zero and errors show
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.2)
    tokenizer = Tokenizer(out / "vocab.txt")
    texts = ["浙商银行企业信贷部叶老桂博士", "生生不息CSOL生化狂潮让你填弹狂扫", "中国北京大学的ab是了"]

    def reference(name):
        cases = []
        with torch.no_grad():
            for text in texts:
                ids = [tokenizer.cls] + [t[0] for t in tokenizer.tokenize(text)] + [tokenizer.sep]
                x, mask = torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long)
                hidden = model.encoder(x, mask)[0]
                logits = model.head(hidden[None], mask)[0]
                cases.append({"text": text, "ids": ids, "hidden": hidden.numpy().round(7).tolist(),
                              "logits": logits.numpy().round(6).tolist()})
        (out / name).write_text(json.dumps({"cases": cases}, ensure_ascii=False) + "\n", encoding="utf-8")

    safetensors_io.save(out / "model.safetensors", state_tensors(model))
    reference("reference.json")
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())
    safetensors_io.save(out / "model-f16.safetensors", {k: v.astype(np.float16) for k, v in state_tensors(model).items()})
    reference("reference-f16.json")
    print(f"wrote {out}")


tiny_ner_model()
