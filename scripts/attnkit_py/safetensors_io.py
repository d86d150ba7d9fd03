"""Writes the safetensors format (8-byte little-endian header length, JSON header, raw tensors) without the
safetensors package: {name: {dtype, shape, data_offsets: [begin, end]}} with offsets into the data block."""
import json
import struct

import numpy as np

DTYPES = {np.dtype("float32"): "F32", np.dtype("float16"): "F16", np.dtype("uint8"): "U8"}


def save(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    for name in sorted(tensors):
        array = np.asarray(tensors[name])
        array = array if array.flags.c_contiguous else array.copy()  # ascontiguousarray would make 0-d arrays 1-d
        blob = array.astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[array.dtype], "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)  # the data block starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length])
    base = 8 + length
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = {"F32": np.float32, "F16": np.float16, "U8": np.uint8}[info["dtype"]]
        begin, end = info["data_offsets"]
        out[name] = np.frombuffer(raw[base + begin:base + end], dtype=dtype).reshape(info["shape"])
    return out
