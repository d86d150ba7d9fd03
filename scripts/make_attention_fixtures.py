#!/usr/bin/env python3
"""Reference outputs for the attention family, RoPE and entropy tools, computed independently in NumPy
(float64, full score matrices, the formulas of ../shared/docs/algorithms.md), written to
tests/fixtures/attention.json. Inputs are not stored: they come from xorshift32(seed), implemented
identically in tests/cpp/fixtures.hpp and tests/js/fixtures.mjs.

Run with Debian's Python: /usr/bin/python3 scripts/make_attention_fixtures.py   (needs python3-numpy)
"""
import json
import math
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "attention.json"
MAX_ROWS = 6  # output rows stored per case (first, last and a spread in between)


def xorshift_floats(count, seed, lo=-2.0, hi=2.0):
    s = seed & 0xFFFFFFFF or 1
    out = np.empty(count, dtype=np.float32)
    for i in range(count):
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        out[i] = np.float32(lo + (hi - lo) * (s / 4294967296.0))
    return out.astype(np.float64)


def inputs(d, seed):
    B, H, Lq, Lk, hd, dv = d["batch"], d["heads"], d["queryLen"], d["keyLen"], d["headDim"], d["valueDim"]
    q = xorshift_floats(B * H * Lq * hd, seed).reshape(B, H, Lq, hd)
    k = xorshift_floats(B * H * Lk * hd, seed + 1).reshape(B, H, Lk, hd)
    v = xorshift_floats(B * H * Lk * dv, seed + 2).reshape(B, H, Lk, dv)
    return q, k, v


def visible_end(d, mask, b, i):
    limit = mask.get("keyLengths", [d["keyLen"]] * d["batch"])[b]
    if not mask.get("causal"):
        return limit
    position = i + d["keyLen"] - d["queryLen"]
    return min(limit, max(0, max(mask.get("prefixLen", 0), position + 1)))


def scale_for(scale, hd, n):
    kind = scale.get("kind", "inv-sqrt-d")
    if kind == "explicit":
        return scale["value"]
    if kind == "entropy-invariant":
        return math.log(max(n, scale.get("minKeys", 1))) / math.log(scale.get("trainLen", 512)) / math.sqrt(hd)
    return 1 / math.sqrt(hd)


def masked_attention(d, mask, q, k, v, weights):
    """out_i = weights(scores over the keys query i sees, n) · V; a query that sees nothing gives 0."""
    B, H, Lq = d["batch"], d["heads"], d["queryLen"]
    out = np.zeros((B, H, Lq, d["valueDim"]))
    for b in range(B):
        for h in range(H):
            for i in range(Lq):
                n = visible_end(d, mask, b, i)
                if n > 0:
                    out[b, h, i] = weights(k[b, h, :n] @ q[b, h, i], n) @ v[b, h, :n]
    return out


def softmax_attention(d, mask, scale, q, k, v):
    def weights(scores, n):
        s = scale_for(scale, d["headDim"], n) * scores
        w = np.exp(s - s.max())
        return w / w.sum()
    return masked_attention(d, mask, q, k, v, weights)


def relu2_attention(d, mask, q, k, v):
    return masked_attention(d, mask, q, k, v,
                            lambda scores, n: np.maximum(scores / math.sqrt(d["headDim"]), 0) ** 2 / n)


FEATURE_MAPS = {
    "elu+1": lambda x: np.where(x > 0, x + 1, np.exp(x)),
    "relu": lambda x: np.maximum(x, 0),
    "exp": np.exp,
}


def linear_attention(d, mask, feature_map, q, k, v, eps=1e-6):
    B, H, Lq = d["batch"], d["heads"], d["queryLen"]
    phi = FEATURE_MAPS[feature_map]
    add = eps if feature_map == "relu" else 0.0
    out = np.zeros((B, H, Lq, d["valueDim"]))
    for b in range(B):
        keys = mask.get("keyLengths", [d["keyLen"]] * B)[b]
        for h in range(H):
            fq, fk = phi(q[b, h]), phi(k[b, h, :keys])
            for i in range(Lq):
                n = min(keys, i + 1) if mask.get("causal") else keys
                num = fq[i] @ (fk[:n].T @ v[b, h, :n])
                den = fq[i] @ fk[:n].sum(axis=0) + add
                out[b, h, i] = num / den if den > 0 else 0.0
    return out


def rope(x, offset, base):
    L, hd = x.shape[-2], x.shape[-1]
    pos = offset + np.arange(L)[:, None]
    theta = base ** (-2.0 * np.arange(hd // 2) / hd)
    angle = pos * theta[None, :]
    cos, sin = np.repeat(np.cos(angle), 2, axis=-1), np.repeat(np.sin(angle), 2, axis=-1)
    rotated = np.stack([-x[..., 1::2], x[..., 0::2]], axis=-1).reshape(x.shape)
    return x * cos + rotated * sin


def entropy(p):
    nz = p[p > 0]
    return float(-(nz * np.log(nz)).sum())


def power_normalise_by_bisection(p, target):
    """Independent solver: bisection on log γ (no Newton), to 1e-12."""
    def power(g):
        w = np.where(p > 0, np.exp(g * (np.log(np.where(p > 0, p, 1)) - np.log(p.max()))), 0)
        return w / w.sum()
    lo, hi = -30.0, 30.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if entropy(power(math.exp(mid))) > target:
            lo = mid
        else:
            hi = mid
    return power(math.exp(0.5 * (lo + hi))), math.exp(0.5 * (lo + hi))


def pick_rows(total):
    if total <= MAX_ROWS:
        return list(range(total))
    return sorted({round(i * (total - 1) / (MAX_ROWS - 1)) for i in range(MAX_ROWS)})


def dims(batch, heads, lq, lk, hd, dv=None):
    return {"batch": batch, "heads": heads, "queryLen": lq, "keyLen": lk, "headDim": hd, "valueDim": dv or hd}


def stored(out):
    flat = out.reshape(-1, out.shape[-1])
    rows = pick_rows(flat.shape[0])
    return {"rows": rows, "expected": [[float(f"{x:.8g}") for x in flat[r]] for r in rows]}


def main():
    cases = []
    seed = 1000

    def add(kind, d, mask=None, scale=None, featureMap=None):
        nonlocal seed
        mask, scale = mask or {}, scale or {}
        q, k, v = inputs(d, seed)
        if kind == "softmax":
            out = softmax_attention(d, mask, scale, q, k, v)
        elif kind == "relu2":
            out = relu2_attention(d, mask, q, k, v)
        else:
            out = linear_attention(d, mask, featureMap, q, k, v)
        case = {"kind": kind, "dims": d, "mask": mask, "scale": scale, "seed": seed, **stored(out)}
        if featureMap:
            case["featureMap"] = featureMap
        cases.append(case)
        seed += 10

    ei = {"kind": "entropy-invariant", "trainLen": 512}
    add("softmax", dims(1, 1, 1, 1, 32))
    add("softmax", dims(1, 3, 7, 7, 64), {"causal": True})
    add("softmax", dims(2, 2, 64, 64, 32), {"keyLengths": [64, 37]}, ei)
    add("softmax", dims(1, 4, 513, 513, 128), {"causal": True}, {"kind": "entropy-invariant", "trainLen": 64, "minKeys": 16})
    add("softmax", dims(1, 2, 7, 64, 64), {"causal": True}, {"kind": "explicit", "value": 0.2})
    add("softmax", dims(1, 2, 64, 64, 32), {"causal": True, "prefixLen": 20})
    add("softmax", dims(2, 1, 7, 7, 32), {"keyLengths": [0, 3]})
    add("softmax", dims(1, 1, 513, 513, 64), {}, ei)
    add("softmax", dims(1, 2, 64, 64, 32, 48), {"causal": True, "prefixLen": 64, "keyLengths": [50]})
    add("relu2", dims(1, 2, 7, 7, 32))
    add("relu2", dims(1, 3, 64, 64, 64), {"causal": True})
    add("relu2", dims(2, 1, 513, 513, 32), {"keyLengths": [513, 200]})
    add("linear", dims(1, 2, 64, 64, 32), featureMap="elu+1")
    add("linear", dims(1, 2, 64, 64, 32), {"causal": True}, featureMap="relu")
    add("linear", dims(2, 1, 513, 513, 64), {"keyLengths": [513, 100]}, featureMap="exp")
    add("linear", dims(1, 3, 7, 7, 32), {"causal": True}, featureMap="exp")
    add("linear", dims(1, 1, 513, 513, 128), {"causal": True}, featureMap="elu+1")
    add("linear", dims(1, 1, 1, 1, 32), featureMap="relu")

    ropes = []
    for L, hd, offset, base in [(7, 64, 0, 10000.0), (64, 32, 5, 10000.0), (3, 8, 0, 100.0)]:
        x = xorshift_floats(2 * L * hd, seed).reshape(2, L, hd)
        ropes.append({"seqLen": L, "headDim": hd, "positionOffset": offset, "base": base, "seed": seed,
                      "count": 2 * L * hd, **stored(rope(x, offset, base))})
        seed += 10

    entropies = []
    for n, spread, targets in [(16, 3.0, [0.5, 1.5, 2.5]), (4096, 4.0, [2.0, 5.0, 8.0]), (7, 1.0, [0.1, 1.9])]:
        logits = xorshift_floats(n, seed, -spread, spread)
        p = np.exp(logits - logits.max())
        p = (p / p.sum()).astype(np.float32).astype(np.float64)
        for t in targets:
            q, gamma = power_normalise_by_bisection(p, t)
            entropies.append({"cols": n, "seed": seed, "spread": spread, "target": t, "entropy": entropy(p),
                              "gamma": gamma, "rows": [0], "expected": [[float(f"{x:.8g}") for x in q[:64]]]})
        seed += 10

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"generator": "scripts/make_attention_fixtures.py", "inputRange": [-2, 2],
                               "attention": cases, "rope": ropes, "entropyNormalize": entropies}) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(cases)} attention cases)")


if __name__ == "__main__":
    main()
