#!/usr/bin/env python3
"""Learns BioHash weights (Ryali et al., ICML 2020: the unsupervised Krotov–Hopfield rule, then sparse
top-k winner-take-all codes) over hashed bag-of-character-n-gram vectors of Chinese texts, for a
similarity-search demo: texts whose codes overlap most are the similar ones.

Corpus: the distinct KB subject names of web/models/kbqa-kgclue/kb.txt (with their sense labels, in order
of first appearance), then the distinct questions of ../shared/data/kgclue/train.json.

Writes to --out (default web/models/biohash-kgclue): texts.txt (the searched corpus, one text a line),
model.safetensors (one F16 tensor "weights" [buckets, units], feature-major), config.json and eval.json
(recall@10 against exact cosine, with untrained and random-projection baselines); and --fixture (default
tests/fixtures/biohash.json): texts with their features, codes and active units for the C++/JS parity tests.

Features (exact; the C++ side must match): code points with ASCII A–Z lowercased and U+0009/000A/000D/
0020/3000 dropped; every unigram and bigram hashed with FNV-1a 32 over [len byte, code points as 4 bytes
little-endian], bucket = hash % buckets; counts per bucket, ascending buckets. Code: acc (float32) += count *
W32[bucket], feature by feature in bucket order, then the `active` largest units (ties: lower index).

Numpy only, single-threaded, deterministic; the defaults reproduce the shipped files:
  /usr/bin/python3 scripts/train_biohash.py [--units 256] [--active 16] [--epochs 20] ...
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # the machine's cores are shared; stay on one

import argparse  # noqa: E402
import json  # noqa: E402
import pathlib  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from attnkit_py.safetensors_io import save  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
KB = ROOT / "web" / "models" / "kbqa-kgclue" / "kb.txt"
TRAIN = DATA / "kgclue" / "train.json"

WHITESPACE = {0x09, 0x0A, 0x0D, 0x20, 0x3000}
FNV_OFFSET, FNV_PRIME = 2166136261, 16777619
# Independent random streams, so that e.g. changing --epochs does not change the evaluation queries.
STREAM_TRAIN, STREAM_QUERIES, STREAM_RP, STREAM_FIXTURE = 0, 1, 2, 3


def arguments():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=str(ROOT / "web" / "models" / "biohash-kgclue"))
    p.add_argument("--fixture", default=str(ROOT / "tests" / "fixtures" / "biohash.json"))
    p.add_argument("--buckets", type=int, default=4096)
    p.add_argument("--units", type=int, default=256, help="K, a multiple of 64")
    p.add_argument("--active", type=int, default=16, help="k, the winners kept in a code")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--eps", type=float, default=0.02, help="initial learning rate, decays linearly to 0")
    p.add_argument("--delta", type=float, default=0.4, help="anti-Hebbian strength for the rank-r unit")
    p.add_argument("--rank", type=int, default=2, help="r: the unit of this rank is pushed away")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--queries", type=int, default=500)
    p.add_argument("--also-active", default="", help="extra k values to report recall for, e.g. 8,32")
    return p.parse_args()


def rng_for(seed, stream):
    return np.random.default_rng([seed, stream]) if stream else np.random.default_rng(seed)


# ---------------------------------------------------------------- corpus


def read_corpus():
    """KB subject names first (sense labels kept), then train questions; deduplicated, order of first
    appearance, no empty lines, no "\\r" (texts.txt is one text a line)."""
    texts, seen = [], set()

    def add(text):
        text = text.replace("\r", "").replace("\n", " ")
        if text and text not in seen:
            seen.add(text)
            texts.append(text)

    with open(KB, encoding="utf-8") as f:
        for line in f:
            add(line.rstrip("\n").split(" ||| ")[0].strip())
    subjects = len(texts)
    with open(TRAIN, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                add(json.loads(line)["question"])
    return texts, subjects


# ---------------------------------------------------------------- features (the exact spec)


def normalise(text):
    """Code points, ASCII A–Z lowercased, the five whitespace code points dropped."""
    out = []
    for ch in text:
        c = ord(ch)
        if c in WHITESPACE:
            continue
        out.append(c + 32 if 0x41 <= c <= 0x5A else c)
    return out


def fnv1a(gram):
    """FNV-1a 32 over one length byte, then each code point as 4 bytes little-endian."""
    h = FNV_OFFSET
    for byte in bytes([len(gram)]) + b"".join(c.to_bytes(4, "little") for c in gram):
        h = ((h ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return h


class Featuriser:
    def __init__(self, buckets):
        self.buckets = buckets
        self.cache = {}  # n-gram → bucket; the corpus repeats n-grams a lot, and fnv1a is pure Python

    def bucket(self, gram):
        b = self.cache.get(gram)
        if b is None:
            b = self.cache[gram] = fnv1a(gram) % self.buckets
        return b

    def features(self, text):
        """[(bucket, count)] ascending by bucket: unigrams and bigrams of the normalised text."""
        c = normalise(text)
        grams = [(x,) for x in c] + [(c[i], c[i + 1]) for i in range(len(c) - 1)]
        return sorted(Counter(self.bucket(g) for g in grams).items())


def to_csr(feature_lists):
    """Rows of (bucket, count) as CSR arrays (indptr, buckets, counts); buckets stay ascending per row."""
    indptr = np.zeros(len(feature_lists) + 1, np.int64)
    indptr[1:] = np.cumsum([len(f) for f in feature_lists])
    buckets = np.array([b for f in feature_lists for b, _ in f], np.int64)
    counts = np.array([n for f in feature_lists for _, n in f], np.int64)
    return indptr, buckets, counts


def unit_values(csr):
    """The counts L2-normalised per row (float64), for training and exact cosine."""
    indptr, _, counts = csr
    sq = np.add.reduceat(counts.astype(np.float64) ** 2, indptr[:-1]) if len(counts) else np.zeros(0)
    sq[np.diff(indptr) == 0] = 0.0  # reduceat gives the next row's value for an empty row
    norms = np.sqrt(np.repeat(sq, np.diff(indptr)))
    return counts / np.where(norms > 0, norms, 1.0)


def segment_sums(x, lengths):
    """Sums of consecutive segments of x (rows of given lengths; empty segments sum to 0)."""
    out = np.zeros((len(lengths),) + x.shape[1:], x.dtype)
    nonempty = lengths > 0
    if nonempty.any():
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])[nonempty]
        out[nonempty] = np.add.reduceat(x, starts, axis=0)
    return out


def sparse_times(csr, values, m, chunk=2000):
    """X·m for the sparse rows X (values at csr's buckets) and a dense [buckets, cols] m, in row chunks."""
    indptr, buckets, _ = csr
    n = len(indptr) - 1
    out = np.zeros((n, m.shape[1]))
    for start in range(0, n, chunk):
        end = min(n, start + chunk)
        a, b = indptr[start], indptr[end]
        out[start:end] = segment_sums(m[buckets[a:b]] * values[a:b, None], np.diff(indptr[start:end + 1]))
    return out


def dense_rows(csr, values, rows, buckets_n):
    indptr, buckets, _ = csr
    out = np.zeros((len(rows), buckets_n))
    for i, r in enumerate(rows):
        out[i, buckets[indptr[r]:indptr[r + 1]]] = values[indptr[r]:indptr[r + 1]]
    return out


# ---------------------------------------------------------------- training (Krotov & Hopfield, p = 2)


def initial_weights(buckets, units, rng):
    """Seeded normal, each unit's weight vector unit-norm; stored feature-major [buckets, units]."""
    w = rng.standard_normal((units, buckets))
    w /= np.linalg.norm(w, axis=1, keepdims=True)
    return np.ascontiguousarray(w.T)


def padded(csr, values):
    """[texts, longest] bucket and value arrays, padded with bucket 0 and value 0 (which adds nothing):
    a batch's currents are then one gather and one contraction."""
    indptr, buckets, _ = csr
    lengths = np.diff(indptr)
    index = np.zeros((len(lengths), lengths.max(initial=1)), np.int64)
    vals = np.zeros(index.shape, np.float32)
    mask = np.arange(index.shape[1]) < lengths[:, None]
    index[mask], vals[mask] = buckets, values
    return index, vals


def train(csr, values, args, rng):
    """Minibatch Krotov–Hopfield: per sample the unit with the largest current I_μ = W_μ·v learns
    (g = +1), the unit of rank r is pushed away (g = -Δ); ΔW_μ = Σ g_μ (v - I_μ W_μ), scaled to max |ΔW| = 1,
    times ε decaying linearly to 0. W is kept [buckets, units] (float32) and inputs stay sparse, so a batch
    costs a gather of the rows it touches plus a few dense passes over W."""
    index, vals = padded(csr, values)
    n, lengths = len(index), np.diff(csr[0])
    w = initial_weights(args.buckets, args.units, rng).astype(np.float32)
    steps = args.epochs * -(-n // args.batch)
    step = 0
    for epoch in range(args.epochs):
        order = rng.permutation(n)
        winners = np.zeros(args.units, np.int64)
        for start in range(0, n, args.batch):
            rows = order[start:start + args.batch]
            longest = lengths[rows].max()
            b, v = index[rows, :longest], vals[rows, :longest]
            currents = np.einsum("blk,bl->bk", w[b], v)  # I = V W with V sparse
            ranked = np.argpartition(-currents, [0, args.rank - 1], axis=1)  # only ranks 1 and r matter
            winner, pushed = ranked[:, 0], ranked[:, args.rank - 1]
            winners += np.bincount(winner, minlength=args.units)
            picked = np.arange(len(rows))
            decay = np.bincount(winner, currents[picked, winner], minlength=args.units) - args.delta * \
                np.bincount(pushed, currents[picked, pushed], minlength=args.units)
            # ΔW = Σ g_μ v - (Σ g_μ I_μ) W_μ. Only two units per sample have g ≠ 0, so the Hebbian term
            # touches few cells: sum them per distinct cell and add them to the dense decay term.
            cells = np.concatenate([(b * args.units + winner[:, None]).ravel(),
                                    (b * args.units + pushed[:, None]).ravel()])
            cells, inverse = np.unique(cells, return_inverse=True)
            hebb = np.bincount(inverse, np.concatenate([v.ravel(), -args.delta * v.ravel()]))
            dw = w * -decay.astype(np.float32)
            dw.flat[cells] += hebb.astype(np.float32)
            eps = args.eps * (1.0 - step / steps)
            dw *= np.float32(eps / max(float(dw.max()), -float(dw.min()), 1e-30))
            w += dw
            step += 1
        print(f"  epoch {epoch + 1}/{args.epochs}: eps {eps:.4f}, units that won this epoch "
              f"{np.count_nonzero(winners)}/{args.units}", flush=True)
    return w


# ---------------------------------------------------------------- codes (the exact spec)


def code_of(features, w32, active):
    """One text, literally as the C++ side does it: float32 multiply then add, feature by feature in
    ascending bucket order; the `active` largest activations, ties to the lower index."""
    acc = np.zeros(w32.shape[1], np.float32)
    for bucket, count in features:
        acc = (acc + (np.float32(count) * w32[bucket])).astype(np.float32)
    return np.sort(np.argsort(-acc, kind="stable")[:active])


def activations(csr, w32):
    """All texts at once with the same float32 operations in the same order as code_of: step j adds every
    text's j-th feature, so each text's sum is still accumulated in ascending bucket order."""
    indptr, buckets, counts = csr
    n = len(indptr) - 1
    lengths = np.diff(indptr)
    acc = np.zeros((n, w32.shape[1]), np.float32)
    for j in range(lengths.max(initial=0)):
        rows = np.nonzero(lengths > j)[0]
        pos = indptr[rows] + j
        acc[rows] = acc[rows] + counts[pos].astype(np.float32)[:, None] * w32[buckets[pos]]
    return acc


def top_k_codes(acc, active):
    """[texts, units] 0/1 matrix of the `active` largest per row, ties to the lower index."""
    top = np.argsort(-acc, axis=1, kind="stable")[:, :active]
    codes = np.zeros(acc.shape, np.float32)
    codes[np.arange(len(acc))[:, None], top] = 1.0
    return codes


def code_words(active_units, units):
    words = [0] * (units // 64)
    for u in active_units:
        words[u // 64] |= 1 << (u % 64)
    return ["0x%016x" % x for x in words]


# ---------------------------------------------------------------- evaluation


def top10(scores, queries):
    """Per query row the 10 best corpus indices (highest score, ties to the lower index), itself excluded."""
    scores = scores.astype(np.float64, copy=True)
    scores[np.arange(len(queries)), queries] = -np.inf
    return np.argsort(-scores, axis=1, kind="stable")[:, :10]


def exact_top10(csr, values, queries, buckets_n):
    """Exact cosine: the corpus's unit vectors times the queries' (sparse × dense, no BLAS needed)."""
    q = dense_rows(csr, values, queries, buckets_n)
    return top10(sparse_times(csr, values, q.T, chunk=500).T, queries)


def recall(found, truth):
    return float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth)]))


def overlaps(codes, queries):
    """popcount(a & b) of each query's code with every text's: the sum of the text columns of the
    query's active units (k-hot codes, so this is k row additions instead of a matrix product)."""
    by_unit = np.ascontiguousarray(codes.T.astype(np.int16))
    return np.stack([by_unit[np.nonzero(codes[q])[0]].sum(axis=0) for q in queries])


def biohash_recall(csr, w32, actives, queries, truth):
    """{k: recall@10} of the k-hot codes of W, for each k in actives."""
    acc = activations(csr, w32)
    return {str(k): recall(top10(overlaps(top_k_codes(acc, k), queries), queries), truth) for k in actives}


def rp_recall(csr, values, bits, queries, truth, rng, buckets_n):
    """Random-projection sign codes: bit = R·x > 0, ranked by Hamming distance ascending, ties by index."""
    proj = sparse_times(csr, values, rng.standard_normal((buckets_n, bits)))
    bits_set = proj > 0
    # Hamming distance = popcount(a ^ b): bytes packed, xor-ed, counted through a 256-entry table.
    packed = np.packbits(bits_set, axis=1)
    table = np.array([bin(i).count("1") for i in range(256)], np.int16)
    hamming = np.stack([table[packed ^ packed[q]].sum(axis=1) for q in queries])
    return recall(top10(-hamming, queries), truth)


# ---------------------------------------------------------------- fixture


def fixture_texts(texts, seed):
    rng = rng_for(seed, STREAM_FIXTURE)
    sample = [texts[i] for i in sorted(rng.choice(len(texts), 30, replace=False))]
    long_text = ""
    for text in reversed(texts):  # several questions joined, past 200 characters
        long_text += text
        if len(long_text) > 200:
            break
    edge = ["", "   ", "ABC abc", "a", "周杰伦的出生地是哪里？", "😀测试", long_text,
            "北京\u3000大学\t的\t校长 是谁\u3000", "Hello\tWORLD\r\n第二行"]
    return sample + edge


def write_fixture(path, model_dir, texts, featuriser, w32, active, corpus_codes):
    cases = []
    for text in texts:
        features = featuriser.features(text)
        units = code_of(features, w32, active)
        if corpus_codes is not None and text in corpus_codes:  # the vectorised path must agree exactly
            assert np.array_equal(units, corpus_codes[text]), text
        cases.append({"text": text, "features": [[b, n] for b, n in features],
                      "code": code_words(units.tolist(), w32.shape[1]), "active": units.tolist()})
    doc = {"generator": "scripts/train_biohash.py", "model": model_dir, "cases": cases}
    pathlib.Path(path).write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n",
                                  encoding="utf-8")


# ---------------------------------------------------------------- main


def main():
    args = arguments()
    assert args.units % 64 == 0 and 0 < args.active <= args.units and args.rank >= 2
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    texts, subjects = read_corpus()
    featuriser = Featuriser(args.buckets)
    csr = to_csr([featuriser.features(t) for t in texts])
    values = unit_values(csr)
    print(f"corpus: {len(texts)} texts ({subjects} KB subjects, {len(texts) - subjects} questions), "
          f"{len(csr[1])} nonzeros, features in {time.time() - t0:.1f}s", flush=True)

    t1 = time.time()
    w = train(csr, values, args, rng_for(args.seed, STREAM_TRAIN))
    train_s = time.time() - t1
    print(f"training: {train_s:.1f}s", flush=True)
    w16 = w.astype(np.float16)
    w32 = w16.astype(np.float32)  # codes are defined on the shipped fp16 values
    init32 = initial_weights(args.buckets, args.units, rng_for(args.seed, STREAM_TRAIN)).astype(
        np.float16).astype(np.float32)

    t2 = time.time()
    queries = np.sort(rng_for(args.seed, STREAM_QUERIES).choice(len(texts), args.queries, replace=False))
    truth = exact_top10(csr, values, queries, args.buckets)
    actives = [args.active] + [int(x) for x in args.also_active.split(",") if x and int(x) != args.active]
    rp_rng = rng_for(args.seed, STREAM_RP)
    results = {
        "biohash_trained": biohash_recall(csr, w32, actives, queries, truth),
        "biohash_untrained": biohash_recall(csr, init32, actives, queries, truth),
        f"rp_sign_{args.units}_bits": rp_recall(csr, values, args.units, queries, truth, rp_rng, args.buckets),
        f"rp_sign_{args.active}_bits": rp_recall(csr, values, args.active, queries, truth, rp_rng, args.buckets),
    }
    print(f"evaluation ({time.time() - t2:.1f}s), recall@10 vs exact cosine, {args.queries} queries:")
    for name, value in results.items():
        print(f"  {name}: {value}")

    hyper = {"epochs": args.epochs, "batch": args.batch, "eps": args.eps, "eps_schedule": "linear to 0",
             "delta": args.delta, "rank": args.rank, "p": 2, "seed": args.seed,
             "init": "normal, unit-norm per unit", "inputs": "L2-normalised counts"}
    trained_on = (f"{len(texts)} texts: the {subjects} distinct KB subject names of kbqa-kgclue/kb.txt and "
                  f"{len(texts) - subjects} distinct KgCLUE train.json questions (texts.txt)")
    config = {"type": "biohash", "buckets": args.buckets, "units": args.units, "active": args.active,
              "ngrams": [1, 2], "hash": "fnv1a32", "trained_on": trained_on, "training": hyper}
    (out / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # The demo searches this corpus; it lives in web/public so the page (and its offline copy) can fetch it.
    (ROOT / "web" / "public" / "similar-texts.txt").write_text("".join(t + "\n" for t in texts), encoding="utf-8")
    save(out / "model.safetensors", {"weights": w16},
         metadata={"format": "attnkit-biohash", "units": args.units, "active": args.active})
    evaluation = {"metric": "recall@10 of code-overlap top-10 against exact cosine top-10 (query excluded)",
                  "queries": args.queries, "corpus": len(texts), "units": args.units, "active": args.active,
                  "recall@10": results, "training_seconds": round(train_s, 1), "hyperparameters": hyper}
    (out / "eval.json").write_text(json.dumps(evaluation, indent=2) + "\n", encoding="utf-8")

    try:
        model_dir = str(out.resolve().relative_to(ROOT))
    except ValueError:
        model_dir = str(out)
    sample = fixture_texts(texts, args.seed)
    index = {t: i for i, t in enumerate(texts)}
    in_corpus = [index[t] for t in sample if t in index]
    acc = activations(csr, w32)
    corpus_codes = {texts[i]: np.sort(np.argsort(-acc[i], kind="stable")[:args.active]) for i in in_corpus}
    write_fixture(args.fixture, model_dir, sample, featuriser, w32, args.active, corpus_codes)
    print(f"wrote {out} and {args.fixture}; total {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
