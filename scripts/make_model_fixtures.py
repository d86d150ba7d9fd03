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
