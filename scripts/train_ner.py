#!/usr/bin/env python3
"""Trains the default NER model from scratch on CLUENER (../shared/data/cluener/train.json) and writes a
model directory: config.json, model.safetensors (fp16: the default model), vocab.txt, plus
reference.json (token ids → head logits, computed in fp32 from the fp16-rounded weights) for parity tests.

Validation split: every 10th line of train.json (the official dev set is not provided).
Run with Debian's Python and torch (python3-torch, libopenblas0-pthread), in the background:
  /usr/bin/python3 scripts/train_ner.py [--out web/models/ner-cluener] [--epochs 18] [--substitute 0.3]
"""
import json
import pathlib
import sys
import time

import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from attnkit_py import lexicon as lexicon_io, safetensors_io  # noqa: E402
from attnkit_py.distillation import Ensemble, WeightAverage, distillation_loss  # noqa: E402
from attnkit_py.load import load_span_ner  # noqa: E402
from attnkit_py.model import SpanNer, multilabel_categorical_crossentropy, state_tensors  # noqa: E402
from attnkit_py.tokenizer import build_vocab  # noqa: E402
from attnkit_py.training import encoder_config, optimiser, prepare_run, training_arguments, update  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
LABELS = ["address", "book", "company", "game", "government", "movie", "name", "organization", "position", "scene"]


def read_cluener(path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    out = []
    for row in rows:
        spans = set()
        for label, entities in row.get("label", {}).items():
            for _, ranges in entities.items():
                for start, end in ranges:
                    spans.add((label, start, end))  # end inclusive, code points
        out.append((row["text"], spans))
    return out


def substitute_entities(text, spans, pool, rng, probability):
    """Entity-substitution augmentation: in a sentence whose entities do not overlap, each entity is replaced
    with `probability` by a random training mention of the same type (spans moved to match), so the model
    learns contexts and shapes of names rather than memorising the names themselves."""
    ordered = sorted(spans, key=lambda s: (s[1], s[2]))
    if not ordered or any(a[2] >= b[1] for a, b in zip(ordered, ordered[1:])):
        return text, spans
    pieces, moved, at, length = [], set(), 0, 0
    for label, start, end in ordered:
        mention = rng.choice(pool[label]) if rng.random() < probability else text[start:end + 1]
        pieces += [text[at:start], mention]
        length += start - at
        moved.add((label, length, length + len(mention) - 1))
        length += len(mention)
        at = end + 1
    pieces.append(text[at:])
    return "".join(pieces), moved


def encode(tokenizer, text, max_length):
    pieces = tokenizer.tokenize(text)[: max_length - 2]
    ids = [tokenizer.cls] + [i for i, _, _ in pieces] + [tokenizer.sep]
    offsets = [(0, 0)] + [(s, e) for _, s, e in pieces] + [(0, 0)]
    return ids, offsets


def span_labels(offsets, spans, n):
    """Gold char spans → token (type, i, j) cells (tokens whose ranges contain the span's ends)."""
    y = np.zeros((len(LABELS), n, n), dtype=np.float32)
    for label, start, end in spans:
        i = next((t for t in range(1, len(offsets) - 1) if offsets[t][0] <= start < offsets[t][1]), None)
        j = next((t for t in range(1, len(offsets) - 1) if offsets[t][0] <= end < offsets[t][1]), None)
        if i is not None and j is not None and i <= j:
            y[LABELS.index(label), i, j] = 1
    return y


def decode(logits, offsets):
    """Cells with logit > 0 (excluding [CLS]/[SEP]) → (type, start, end inclusive) char spans."""
    n = len(offsets)
    found = set()
    for t, i, j in zip(*np.where(logits[:, 1:n - 1, 1:n - 1] > 0)):
        found.add((LABELS[t], offsets[i + 1][0], offsets[j + 1][1] - 1))
    return found


def batches(items, size, shuffle, rng):
    order = list(range(len(items)))
    if shuffle:
        rng.shuffle(order)
    for at in range(0, len(order), size):
        yield [items[i] for i in order[at:at + size]]


def collate(batch, n_labels):
    """Items (ids, offsets, span labels, gold spans, lexicon features or None) → padded tensors."""
    n = max(len(item[0]) for item in batch)
    ids = torch.zeros(len(batch), n, dtype=torch.long)
    mask = torch.zeros(len(batch), n, dtype=torch.long)
    y = torch.zeros(len(batch), n_labels, n, n)
    features = batch[0][4]
    lex = torch.zeros(len(batch), n, features.shape[1]) if features is not None else None
    for b, (token_ids, _, labels, _, token_features) in enumerate(batch):
        ids[b, :len(token_ids)] = torch.tensor(token_ids)
        mask[b, :len(token_ids)] = 1
        y[b, :, :len(token_ids), :len(token_ids)] = torch.from_numpy(labels)
        if lex is not None:
            lex[b, :len(token_ids)] = torch.from_numpy(token_features)
    return ids, mask, y, lex


def evaluate(model, items, batch_size=64):
    model.eval()
    tp = fp = fn = 0
    per_type = {label: [0, 0, 0] for label in LABELS}
    with torch.no_grad():
        for batch in batches(items, batch_size, False, None):
            ids, mask, _, lex = collate(batch, len(LABELS))
            logits = model(ids, mask, lex).numpy()
            for b, (token_ids, offsets, _, gold, _) in enumerate(batch):
                pred = decode(logits[b], offsets)
                for label in LABELS:
                    p = {s for s in pred if s[0] == label}
                    g = {s for s in gold if s[0] == label}
                    per_type[label][0] += len(p & g)
                    per_type[label][1] += len(p - g)
                    per_type[label][2] += len(g - p)
                tp += len(pred & gold)
                fp += len(pred - gold)
                fn += len(gold - pred)
    f1 = lambda t, p, n: 2 * t / max(1, 2 * t + p + n)
    return f1(tp, fp, fn), {label: f1(*v) for label, v in per_type.items()}


def load_teachers(directories, tokenizer, cfg):
    """The teacher models (an Ensemble when several), checked to read the same tokens and lexicon features."""
    if not directories:
        return None
    teachers = []
    for directory in directories:
        teacher, teacher_cfg = load_span_ner(directory)
        vocab = (pathlib.Path(directory) / "vocab.txt").read_text(encoding="utf-8").split("\n")
        if vocab[:len(tokenizer.tokens)] != list(tokenizer.tokens) or teacher_cfg.get("lexicon", {}).get("features") != \
                cfg.get("lexicon", {}).get("features") or teacher_cfg["head"]["labels"] != LABELS:
            raise ValueError(f"teacher {directory}: vocabulary, lexicon features or labels differ from the student's")
        teachers.append(teacher)
    print(f"distilling from {len(teachers)} teacher(s)", flush=True)
    return Ensemble(teachers).eval() if len(teachers) > 1 else teachers[0]


def main():
    parser = training_arguments(ROOT / "web" / "models" / "ner-cluener", 18,
                                "use only this many training sentences (smoke tests)")
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--substitute", type=float, default=0.3,
                        help="entity-substitution augmentation: probability of replacing each entity per epoch")
    parser.add_argument("--lexicon", default=lexicon_io.JIEBA_DICT,
                        help="jieba-format dictionary for word-lexicon features ('' for none)")
    parser.add_argument("--lexicon-spans", action="store_true",
                        help="the span head also learns a bias per (word class, type) for spans a lexicon word covers")
    parser.add_argument("--teacher", action="append", default=[],
                        help="model directory to distil from (repeat for an ensemble: logits averaged)")
    # The distillation loss sums a BCE over every cell of a row (~1,300 for a 50-character sentence), so it is
    # ~100× the multilabel loss while the student is far from the teacher: a small weight keeps gold in charge.
    parser.add_argument("--distil", type=float, default=0.1, help="weight of the distillation loss")
    parser.add_argument("--temperature", type=float, default=1.0, help="distillation temperature")
    parser.add_argument("--ema", type=float, default=0.0,
                        help="if > 0: also evaluate an exponential moving average of the weights with this decay, "
                             "and ship it")
    args = parser.parse_args()
    rng, out = prepare_run(args)

    rows = read_cluener(DATA / "cluener" / "train.json")
    if args.limit:
        rows = rows[: args.limit]
    train_rows = [r for i, r in enumerate(rows) if i % 10 != 0]
    val_rows = [r for i, r in enumerate(rows) if i % 10 == 0]
    tokenizer = build_vocab(DATA / "vocab" / "bert-base-chinese-vocab.txt", [t for t, _ in train_rows], out / "vocab.txt")

    lexicon = lexicon_io.Lexicon(lexicon_io.read_jieba(args.lexicon)) if args.lexicon else None

    def prepare(rows_):
        items = []
        for text, spans in rows_:
            ids, offsets = encode(tokenizer, text, args.max_length)
            features = lexicon.token_features(text, offsets) if lexicon else None
            items.append((ids, offsets, span_labels(offsets, spans, len(ids)), spans, features))
        return items

    train, val = prepare(train_rows), prepare(val_rows)
    pool = {}
    for text, spans in train_rows:
        for label, start, end in spans:
            pool.setdefault(label, []).append(text[start:end + 1])
    cfg = encoder_config("attnkit-encoder", len(tokenizer.tokens), args, args.max_length,
                         head={"type": "efficient_global_pointer", "head_size": 64, "labels": LABELS},
                         **({"lexicon": {"classes": lexicon_io.CLASSES, "roles": lexicon_io.ROLES,
                                         "features": lexicon.features, "words": len(lexicon.words),
                                         **({"spans": True} if args.lexicon_spans else {})}} if lexicon else {}),
                         training={"data": "CLUENER train.json, every 10th line held out", "epochs": args.epochs,
                                   "substitute": args.substitute,
                                   **({"ema": args.ema} if args.ema > 0 else {}),
                                   **({"teachers": len(args.teacher), "distil": args.distil,
                                       "temperature": args.temperature} if args.teacher else {})})
    model = SpanNer(cfg)
    params = sum(p.numel() for p in model.parameters())
    print(f"train {len(train)} val {len(val)} vocab {cfg['vocab_size']} params {params / 1e6:.2f}M", flush=True)
    teacher = load_teachers(args.teacher, tokenizer, cfg)
    optimizer, schedule = optimiser(model, args.lr, args.epochs, len(train), args.batch)
    average = WeightAverage(model, args.ema) if args.ema > 0 else None
    best, best_state = -1.0, None
    for epoch in range(args.epochs):
        model.train()
        start, total = time.time(), 0.0
        if args.substitute > 0:
            train = prepare([substitute_entities(t, sp, pool, rng, args.substitute) for t, sp in train_rows])
        for batch in batches(train, args.batch, True, rng):
            ids, mask, y, lex = collate(batch, len(LABELS))
            logits = model(ids, mask, lex)
            loss = multilabel_categorical_crossentropy(logits, y)
            if teacher is not None:
                with torch.no_grad():
                    taught = teacher(ids, mask, lex)
                loss = loss + args.distil * distillation_loss(logits, taught, args.temperature)
            total += update(model, optimizer, schedule, loss) * len(batch)
            if average:
                average.update(model)
        f1, _ = evaluate(model, val)
        scores = f"{100 * f1:.2f}"
        if average:  # the average is what ships; the raw weights' F1 is printed for the ablation
            raw, f1 = f1, evaluate(average.model, val)[0]
            scores = f"raw {100 * raw:.2f} averaged {100 * f1:.2f}"
        print(f"epoch {epoch + 1} loss {total / len(train):.4f} val F1 {scores} ({time.time() - start:.0f}s)", flush=True)
        if f1 > best:
            shipped = average.model if average else model
            best, best_state = f1, {k: v.clone() for k, v in shipped.state_dict().items()}
    model.load_state_dict(best_state)

    # The shipped weights are fp16; the reference and the reported F1 use exactly those weights.
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())
    f1, per_type = evaluate(model, val)
    cfg["training"].update({"val_f1": round(100 * f1, 2), "val_f1_per_type": {k: round(100 * v, 2) for k, v in per_type.items()}})
    tensors = {k: v.astype(np.float16) for k, v in state_tensors(model).items()}
    if lexicon:
        tensors["lexicon.words"] = lexicon_io.serialize(lexicon.words)
    safetensors_io.save(out / "model.safetensors", tensors, {"format": "attnkit", "dtype": "F16"})
    (out / "config.json").write_text(json.dumps(cfg, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    model.eval()
    references = []
    with torch.no_grad():
        for text in ["浙商银行企业信贷部叶老桂博士则从另一个角度对五道门槛进行了解读。", "生生不息CSOL生化狂潮让你填弹狂扫", val_rows[0][0]]:
            ids, offsets = encode(tokenizer, text, args.max_length)
            features = torch.from_numpy(lexicon.token_features(text, offsets))[None] if lexicon else None
            logits = model(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long), features)[0].numpy()
            references.append({"text": text, "ids": ids, "offsets": offsets, "logits": np.round(logits, 6).tolist(),
                               "entities": sorted(decode(logits, offsets)),
                               **({"lexicon": lexicon_io.feature_bits(features[0].numpy())} if lexicon else {})})
    (out / "reference.json").write_text(json.dumps({"model": "fp16 weights evaluated in fp32", "cases": references},
                                                   ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"best val F1 {100 * best:.2f}; fp16 weights F1 {100 * f1:.2f}; wrote {out}", flush=True)


if __name__ == "__main__":
    main()
