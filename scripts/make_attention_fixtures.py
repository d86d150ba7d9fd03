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


def span_memory_attention(d, mask, scale, span, memory, q, k, v):
    """Softmax attention with an adaptive span (weights m(t−r)·e^s, m = clamp((R + z − x)/R, 0, 1), renormalised;
    n counts the keys with m > 0) and persistent keys/values (seen by every query, m = 1), by concatenation."""
    B, H, Lq, Lk, hd = d["batch"], d["heads"], d["queryLen"], d["keyLen"], d["headDim"]
    pk, pv = memory if memory else (np.zeros((H, 0, hd)), np.zeros((H, 0, d["valueDim"])))
    out = np.zeros((B, H, Lq, d["valueDim"]))
    for b in range(B):
        for h in range(H):
            for i in range(Lq):
                end = visible_end(d, mask, b, i)
                m = np.ones(end)
                if span:
                    z, R = span["size"][h], span["ramp"]
                    x = (i + Lk - Lq) - np.arange(end)
                    m = np.clip((R + z - x) / R, 0, 1)
                keys = np.concatenate([pk[h], k[b, h, :end][m > 0]])
                values = np.concatenate([pv[h], v[b, h, :end][m > 0]])
                weights_m = np.concatenate([np.ones(pk.shape[1]), m[m > 0]])
                if len(keys) == 0:
                    continue
                s = scale_for(scale, hd, len(keys)) * (keys @ q[b, h, i])
                w = weights_m * np.exp(s - s.max())
                out[b, h, i] = (w / w.sum()) @ values
    return out


def product_key_memory(c, x):
    """Product-key memory by exhaustive search over all n² slots (float64): the query projection, every slot's
    score q1·c1_i + q2·c2_j, the k best per head (ties: lower slot), softmax, and the heads' summed outputs."""
    H, n, dq, dv, k = c["heads"], c["subKeyCount"], c["queryDim"], c["valueDim"], c["topK"]
    sub_keys = xorshift_floats(H * 2 * n * (dq // 2), c["seed"] + 1).reshape(H, 2, n, dq // 2)
    values = xorshift_floats(n * n * dv, c["seed"] + 2).reshape(n * n, dv)
    weight = xorshift_floats(H * dq * c["inputDim"], c["seed"] + 3).reshape(H * dq, c["inputDim"])
    bias = xorshift_floats(H * dq, c["seed"] + 4)
    queries = (x @ weight.T + bias).reshape(len(x), H, dq)
    indices, weights, outputs = [], [], []
    for q in queries:
        out = np.zeros(dv)
        for h in range(H):
            scores = (sub_keys[h, 0] @ q[h, :dq // 2])[:, None] + (sub_keys[h, 1] @ q[h, dq // 2:])[None, :]
            flat = scores.reshape(-1)
            best = sorted(range(n * n), key=lambda i: (-flat[i], i))[:k]
            w = np.exp(flat[best] - flat[best[0]])
            w /= w.sum()
            out += w @ values[best]
            indices.append(best)
            weights.append([float(f"{v:.10g}") for v in w])
        outputs.append([float(f"{v:.10g}") for v in out])
    return {"indices": indices, "weights": weights, "output": outputs}


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

    def add(kind, d, mask=None, scale=None, featureMap=None, span=None, persistent=None):
        nonlocal seed
        mask, scale = mask or {}, scale or {}
        q, k, v = inputs(d, seed)
        memory = None
        if persistent:
            H, hd, dv = d["heads"], d["headDim"], d["valueDim"]
            memory = (xorshift_floats(H * persistent * hd, seed + 3).reshape(H, persistent, hd),
                      xorshift_floats(H * persistent * dv, seed + 4).reshape(H, persistent, dv))
        if span or persistent:
            out = span_memory_attention(d, mask, scale, span, memory, q, k, v)
        elif kind == "softmax":
            out = softmax_attention(d, mask, scale, q, k, v)
        elif kind == "relu2":
            out = relu2_attention(d, mask, q, k, v)
        else:
            out = linear_attention(d, mask, featureMap, q, k, v)
        case = {"kind": kind, "dims": d, "mask": mask, "scale": scale, "seed": seed, **stored(out)}
        if featureMap:
            case["featureMap"] = featureMap
        if span:
            case["span"] = span
        if persistent:
            case["persistent"] = persistent  # keys from seed + 3, values from seed + 4
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
    # Adaptive span (causal) and persistent memory, alone, together, with padding, a KV cache and both scales.
    add("softmax", dims(1, 3, 200, 200, 32), {"causal": True}, span={"size": [5.5, 40.0, 300.0], "ramp": 8.0})
    add("softmax", dims(2, 2, 90, 90, 16, 24), {"causal": True, "keyLengths": [90, 33]}, ei,
        span={"size": [1.0, 17.25], "ramp": 0.5})
    add("softmax", dims(1, 2, 7, 300, 32), {"causal": True}, span={"size": [12.0, 64.0], "ramp": 32.0})
    add("softmax", dims(1, 2, 70, 70, 32), {}, persistent=4)
    add("softmax", dims(2, 1, 65, 65, 16, 8), {"keyLengths": [0, 20]}, persistent=1)
    add("softmax", dims(1, 2, 130, 130, 32), {"causal": True}, ei, span={"size": [3.0, 50.0], "ramp": 16.0},
        persistent=8)
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

    # Product-key memory: x from seed, sub-keys, values, query weight and bias from seed + 1 … + 4.
    memories = []
    for heads, n, dq, dv, k, input_dim, rows in [(1, 8, 4, 3, 3, 5, 4), (2, 16, 8, 6, 4, 10, 5), (4, 32, 16, 8, 32, 12, 3)]:
        c = {"heads": heads, "subKeyCount": n, "queryDim": dq, "valueDim": dv, "topK": k, "inputDim": input_dim,
             "rows": rows, "seed": seed}
        x = xorshift_floats(rows * input_dim, seed).reshape(rows, input_dim)
        memories.append({**c, **product_key_memory(c, x)})
        seed += 10

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"generator": "scripts/make_attention_fixtures.py", "inputRange": [-2, 2],
                               "attention": cases, "rope": ropes, "entropyNormalize": entropies,
                               "productKeyMemory": memories}) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(cases)} attention cases)")


if __name__ == "__main__":
    main()
