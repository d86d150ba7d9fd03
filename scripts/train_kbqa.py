#!/usr/bin/env python3
"""Trains the default KBQA model (UniLM seq2seq, attnkit_py/seq2seq.py) from scratch on KgCLUE
(../shared/data/kgclue/train.json), validating on dev.json, and writes a model directory: config.json,
model.safetensors (fp16), vocab.txt, reference.json (inputs → logits, fp32 from the fp16 weights) and
kb.txt, the default knowledge base: the triples of train.json and dev.json.

Training sequence as the seed (KgCLUE-bert4keras): [CLS] Q [SEP] S [SEP] P [SEP] M [SEP], M being the
subject's sense label （…） split off (龙晶（游戏） → S 龙晶, M 游戏); loss on the target part only.
Augmentation: with probability --substitute, a question's subject name is replaced by another training
subject's name (target changed to match), so the model learns to copy names rather than remember them.
The vocabulary covers the training questions and the whole KB (train + dev triples), so no KB character
is [UNK]. Run with Debian's Python and torch, in the background:
  /usr/bin/python3 scripts/train_kbqa.py [--out web/models/kbqa-kgclue] [--epochs 10]
"""
import json
import math
import pathlib
import sys
import time

import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from attnkit_py import safetensors_io  # noqa: E402
from attnkit_py.model import state_tensors  # noqa: E402
from attnkit_py.seq2seq import UniLM, seq2seq_weights  # noqa: E402
from attnkit_py.tokenizer import build_vocab  # noqa: E402
from attnkit_py.training import encoder_config, optimiser, prepare_run, training_arguments, update  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
MAX_SOURCE, MAX_PART = 64, 24


def read_kgclue(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                s, p, o = (x.strip() for x in row["answer"].split("|||"))
                rows.append((row["question"], s, p, o))
    return rows


def split_sense(subject):
    """龙晶（游戏） → (龙晶, 游戏); a subject without a trailing （…） has an empty sense."""
    if subject.endswith("）") and "（" in subject:
        at = subject.rindex("（")
        if at > 0:
            return subject[:at], subject[at + 1:-1]
    return subject, ""


class Encoding:
    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def ids(self, text, limit):
        return [i for i, _, _ in self.tokenizer.tokenize(text)][:limit]

    def example(self, question, name, predicate, sense):
        t = self.tokenizer
        source = [t.cls] + self.ids(question, MAX_SOURCE - 2) + [t.sep]
        target = (self.ids(name, MAX_PART) + [t.sep] + self.ids(predicate, MAX_PART) + [t.sep]
                  + self.ids(sense, MAX_PART) + [t.sep])
        return source, target


def substitute(row, names, rng, probability):
    question, subject, predicate, _ = row
    name, sense = split_sense(subject)
    if rng.random() < probability and name and name in question:
        other = names[rng.randrange(len(names))]
        other_name, other_sense = split_sense(other)
        return question.replace(name, other_name, 1), other_name, predicate, other_sense
    return question, name, predicate, sense


def collate(examples):
    n = max(len(s) + len(t) for s, t in examples)
    ids = torch.zeros(len(examples), n, dtype=torch.long)
    segments = torch.zeros(len(examples), n, dtype=torch.long)
    labels = torch.full((len(examples), n), -100, dtype=torch.long)
    lengths = torch.zeros(len(examples), dtype=torch.long)
    source_lengths = torch.zeros(len(examples), dtype=torch.long)
    for b, (source, target) in enumerate(examples):
        seq = source + target
        ids[b, :len(seq)] = torch.tensor(seq)
        segments[b, len(source):len(seq)] = 1
        labels[b, len(source) - 1:len(seq) - 1] = torch.tensor(target)  # row t predicts token t + 1
        lengths[b], source_lengths[b] = len(seq), len(source)
    return ids, segments, lengths, source_lengths, labels


def evaluate(model, examples, batch_size=128):
    """Teacher-forced loss per target token and the share of examples whose whole target is the argmax."""
    model.eval()
    loss_sum, tokens, exact = 0.0, 0, 0
    with torch.no_grad():
        for at in range(0, len(examples), batch_size):
            ids, segments, lengths, source_lengths, labels = collate(examples[at:at + batch_size])
            rows = labels != -100
            logits = model(ids, segments, lengths, source_lengths, rows)
            loss_sum += torch.nn.functional.nll_loss(logits, labels[rows], reduction="sum").item()
            tokens += rows.sum().item()
            wrong = torch.zeros_like(labels, dtype=torch.bool)
            wrong[rows] = logits.argmax(-1) != labels[rows]
            exact += (~wrong.any(dim=1)).sum().item()
    return loss_sum / tokens, exact / len(examples)


def main():
    parser = training_arguments(ROOT / "web" / "models" / "kbqa-kgclue", 10,
                                "use only this many training questions (smoke tests)")
    parser.add_argument("--substitute", type=float, default=0.3)
    args = parser.parse_args()
    rng, out = prepare_run(args)

    train_rows = read_kgclue(DATA / "kgclue" / "train.json")
    dev_rows = read_kgclue(DATA / "kgclue" / "dev.json")
    if args.limit:
        train_rows, dev_rows = train_rows[:args.limit], dev_rows[:args.limit // 10 + 1]
    kb_texts = [f"{s} {p} {o}" for _, s, p, o in train_rows + dev_rows]
    tokenizer = build_vocab(DATA / "vocab" / "bert-base-chinese-vocab.txt",
                            [q for q, _, _, _ in train_rows] + kb_texts, out / "vocab.txt")
    encoding = Encoding(tokenizer)
    names = [s for _, s, _, _ in train_rows]
    dev = [encoding.example(*substitute(r, names, rng, 0.0)) for r in dev_rows]

    cfg = encoder_config("attnkit-seq2seq", len(tokenizer.tokens), args, 128, segments=2, seq2seq={
        "format": "[CLS] Q [SEP] S [SEP] P [SEP] M [SEP]", "max_source": MAX_SOURCE, "max_part": MAX_PART},
        training={"data": "KgCLUE train.json; validated on dev.json", "epochs": args.epochs, "substitute": args.substitute})
    model = UniLM(cfg)
    params = sum(p.numel() for p in model.parameters())
    print(f"train {len(train_rows)} dev {len(dev)} vocab {cfg['vocab_size']} params {params / 1e6:.2f}M", flush=True)
    optimizer, schedule = optimiser(model, args.lr, args.epochs, len(train_rows), args.batch)
    best, best_state = math.inf, None
    for epoch in range(args.epochs):
        model.train()
        start, total = time.time(), 0.0
        order = list(range(len(train_rows)))
        rng.shuffle(order)
        for at in range(0, len(order), args.batch):
            batch = [encoding.example(*substitute(train_rows[i], names, rng, args.substitute))
                     for i in order[at:at + args.batch]]
            ids, segments, lengths, source_lengths, labels = collate(batch)
            rows = labels != -100
            logits = model(ids, segments, lengths, source_lengths, rows)
            loss = torch.nn.functional.nll_loss(logits, labels[rows])
            total += update(model, optimizer, schedule, loss) * len(batch)
        dev_loss, dev_exact = evaluate(model, dev)
        print(f"epoch {epoch + 1} loss {total / len(train_rows):.4f} dev loss {dev_loss:.4f} "
              f"dev exact {100 * dev_exact:.2f} ({time.time() - start:.0f}s)", flush=True)
        if dev_loss < best:
            best, best_state = dev_loss, {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)

    with torch.no_grad():  # the shipped weights are fp16; the reference uses exactly those weights
        for p in model.parameters():
            p.copy_(p.half().float())
    dev_loss, dev_exact = evaluate(model, dev)
    cfg["training"].update({"dev_loss": round(dev_loss, 4), "dev_exact_teacher_forced": round(100 * dev_exact, 2)})
    tensors = {k: v.astype(np.float16) for k, v in state_tensors(model, seq2seq_weights).items()}
    safetensors_io.save(out / "model.safetensors", tensors, {"format": "attnkit", "dtype": "F16"})
    (out / "config.json").write_text(json.dumps(cfg, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_reference(model, encoding, dev_rows[:2], out / "reference.json")
    write_kb(train_rows + dev_rows, out / "kb.txt")
    print(f"best dev loss {best:.4f}; fp16 weights dev loss {dev_loss:.4f}; wrote {out}", flush=True)


def write_kb(rows, path):
    """The bundled knowledge base: every distinct triple of the given rows, one "S ||| P ||| O" a line."""
    seen = dict.fromkeys(f"{s} ||| {p} ||| {o}" for _, s, p, o in rows)
    path.write_text("".join(line + "\n" for line in seen), encoding="utf-8")


def write_reference(model, encoding, rows, path):
    """Full-recomputation logits of the target rows, at every 7th vocabulary id (enough to catch any
    error, small enough to commit)."""
    model.eval()
    cases = []
    vocab = model.output_bias.shape[0]
    logit_ids = list(range(0, vocab, 7))
    with torch.no_grad():
        for question, subject, predicate, _ in rows:
            name, sense = split_sense(subject)
            source, target = encoding.example(question, name, predicate, sense)
            seq = source + target
            logits = model(torch.tensor([seq]), torch.tensor([[0] * len(source) + [1] * len(target)]),
                           torch.tensor([len(seq)]), torch.tensor([len(source)]))[0]
            rows_ = logits[len(source) - 1:len(seq) - 1][:, logit_ids]
            cases.append({"question": question, "source": source, "target": target, "logit_ids": logit_ids,
                          "logits": np.round(rows_.numpy(), 5).tolist()})
    path.write_text(json.dumps({"model": "fp16 weights evaluated in fp32", "cases": cases}, ensure_ascii=False) + "\n",
                    encoding="utf-8")


if __name__ == "__main__":
    main()
