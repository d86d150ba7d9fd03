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
    "bytes": np.array([0, 7, 255], dtype=np.uint8),                                        # raw U8 (a lexicon)
}
safetensors_io.save(OUT, tensors, {"format": "attnkit-test"})
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


# The tiny lexicon model's words: nested and overlapping (北京/北京大学/大学/大学生), one across a token
# boundary of the wordpiece "cs ##ol" (csol), classes from attnkit_py.lexicon.CLASSES.
TINY_LEXICON = {"浙商银行": 2, "银行": 4, "企业": 4, "信贷部": 2, "信贷": 4, "叶老桂": 0, "博士": 4, "北京": 1,
                "北京大学": 2, "大学": 4, "大学生": 4, "中国": 1, "生生不息": 6, "狂潮": 4, "CSOL": 3, "SOL": 7}


def tiny_ner_model(name="tiny-ner", words=None, seed=7):
    """tests/fixtures/<name>/: a randomly initialised model of the default architecture (small sizes), in
    fp32 and fp16, with reference encoder states and head logits from PyTorch for the C++/WASM parity tests;
    with `words`, a lexicon model, its references also holding each token's lexicon feature bits."""
    import json

    import torch

    from attnkit_py import lexicon as lexicon_io
    from attnkit_py.model import SpanNer, state_tensors
    from attnkit_py.tokenizer import SPECIALS, Tokenizer

    out = OUT.parent / name
    out.mkdir(exist_ok=True)
    chars = list("浙商银行企业信贷部叶老桂博士生不息化狂潮让你填弹扫中国北京大学的是了") + ["cs", "##ol", "a", "##b"]
    (out / "vocab.txt").write_text("".join(t + "\n" for t in SPECIALS + chars), encoding="utf-8")
    cfg = {"model_type": "attnkit-encoder", "vocab_size": len(SPECIALS) + len(chars), "hidden_size": 32, "num_layers": 2,
           "num_heads": 2, "intermediate_size": 64, "hidden_act": "gelu", "layer_norm": "post", "layer_norm_eps": 1e-12,
           "positions": "rope", "rope_base": 10000.0,
           "attention_scale": {"kind": "entropy-invariant", "train_len": 64, "min_keys": 16}, "max_length": 64,
           "head": {"type": "efficient_global_pointer", "head_size": 16, "labels": ["name", "company", "game"]}}
    lexicon = lexicon_io.Lexicon(words) if words else None
    if lexicon:
        cfg["lexicon"] = {"classes": lexicon_io.CLASSES, "roles": lexicon_io.ROLES, "features": lexicon.features,
                          "words": len(words), "spans": True}
    (out / "config.json").write_text(json.dumps(cfg, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    torch.manual_seed(seed)
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
                pieces = tokenizer.tokenize(text)
                ids = [tokenizer.cls] + [t[0] for t in pieces] + [tokenizer.sep]
                x, mask = torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long)
                case = {"text": text, "ids": ids}
                features = None
                if lexicon:
                    offsets = [(0, 0)] + [(a, b) for _, a, b in pieces] + [(0, 0)]
                    features = lexicon.token_features(text, offsets)
                    case["lexicon"] = lexicon_io.feature_bits(features)
                    features = torch.from_numpy(features)[None]
                hidden = model.encoder(x, mask, lexicon=features)[0]
                logits = model.head(hidden[None], mask, features)[0]
                cases.append({**case, "hidden": hidden.numpy().round(7).tolist(), "logits": logits.numpy().round(6).tolist()})
        (out / name).write_text(json.dumps({"cases": cases}, ensure_ascii=False) + "\n", encoding="utf-8")

    extra = {"lexicon.words": lexicon_io.serialize(words)} if lexicon else {}
    safetensors_io.save(out / "model.safetensors", {**state_tensors(model), **extra})
    reference("reference.json")
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())
    safetensors_io.save(out / "model-f16.safetensors",
                        {**{k: v.astype(np.float16) for k, v in state_tensors(model).items()}, **extra})
    reference("reference-f16.json")
    print(f"wrote {out}")


def tiny_kbqa_model():
    """tests/fixtures/tiny-kbqa/: a randomly initialised seq2seq model (small sizes), a small KB, and from
    PyTorch: full-recomputation logits, and for one question the probability of every KB entry under
    trie-constrained decoding (softmax renormalised over the allowed ids at each step), which beam search
    with beams ≥ entries must reproduce exactly."""
    import json

    import torch

    from attnkit_py.model import state_tensors
    from attnkit_py.seq2seq import UniLM, seq2seq_weights
    from attnkit_py.tokenizer import SPECIALS, Tokenizer

    out = OUT.parent / "tiny-kbqa"
    out.mkdir(exist_ok=True)
    chars = list("龙晶游戏繁体字怎么写守望星光出品公司哪家的是你知道吗？小说作者谁北京大学校长") + ["2", "##0"]
    (out / "vocab.txt").write_text("".join(t + "\n" for t in SPECIALS + chars), encoding="utf-8")
    kb = [("龙晶（游戏）", "繁体", "龍晶"), ("龙晶（小说）", "作者", "某人"), ("守望星光", "出品公司", "星光公司"),
          ("北京大学", "校长", "某校长"), ("北京", "繁体", "北京"), ("大学", "是", "学校"), ("龙晶2020", "出品公司", "游戏公司")]
    (out / "kb.txt").write_text("".join(f"{s} ||| {p} ||| {o}\n" for s, p, o in kb), encoding="utf-8")
    cfg = {"model_type": "attnkit-seq2seq", "vocab_size": len(SPECIALS) + len(chars), "hidden_size": 32,
           "num_layers": 2, "num_heads": 2, "intermediate_size": 64, "hidden_act": "gelu", "layer_norm": "post",
           "layer_norm_eps": 1e-12, "positions": "rope", "rope_base": 10000.0,
           "attention_scale": {"kind": "entropy-invariant", "train_len": 64, "min_keys": 16}, "max_length": 48,
           "segments": 2}
    (out / "config.json").write_text(json.dumps(cfg, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    torch.manual_seed(11)
    model = UniLM(cfg).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.2)
    tokenizer = Tokenizer(out / "vocab.txt")
    ids = lambda text: [t[0] for t in tokenizer.tokenize(text)]  # noqa: E731
    sep = tokenizer.sep

    def logits(source, target):
        seq = source + target
        with torch.no_grad():
            full = model(torch.tensor([seq]), torch.tensor([[0] * len(source) + [1] * len(target)]),
                         torch.tensor([len(seq)]), torch.tensor([len(source)]))[0]
        return full[len(source) - 1:len(seq) - 1]

    def split(subject):
        return (subject[:subject.rindex("（")], subject[subject.rindex("（") + 1:-1]) if subject.endswith("）") else (subject, "")

    entries = [(ids(split(s)[0]) + [sep] + ids(p) + [sep] + ids(split(s)[1]), i) for i, (s, p, _) in enumerate(kb)]

    def entry_probabilities(source):
        """log P(entry + [SEP]) with the softmax renormalised over the ids the trie allows at each prefix."""
        sequences = [e for e, _ in entries]
        result = []
        for entry, index in entries:
            rows = logits(source, entry + [sep])
            total = 0.0
            for t in range(len(entry) + 1):
                prefix = entry[:t]
                allowed = {e[t] for e in sequences if e[:t] == prefix and len(e) > t}
                if any(e == prefix for e in sequences):
                    allowed.add(sep)
                allowed = sorted(allowed)
                total += (rows[t, allowed].log_softmax(-1)[allowed.index((entry + [sep])[t])]).item()
            result.append({"triple": index, "log_prob": round(total, 6)})
        return sorted(result, key=lambda r: -r["log_prob"])

    cases = []
    for question, (s, p, _) in [("你知道龙晶用繁体字怎么写吗？", kb[0]), ("守望星光是哪家公司出品的？", kb[2])]:
        source = [tokenizer.cls] + ids(question) + [sep]
        name, sense = split(s)
        target = ids(name) + [sep] + ids(p) + [sep] + ids(sense) + [sep]
        cases.append({"question": question, "source": source, "target": target,
                      "logits": logits(source, target).numpy().round(6).tolist(),  # log p (with copying)
                      "entries": entry_probabilities(source)})
    safetensors_io.save(out / "model.safetensors", state_tensors(model, seq2seq_weights))
    (out / "reference.json").write_text(json.dumps({"cases": cases}, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")


def lexicon_matches():
    """tests/fixtures/lexicon-matches.json: the jieba words found in 40 CLUENER validation sentences (plus
    3,000 others, so that most trie branches lead nowhere), the sentences, and every match and per-character
    feature mask found by attnkit_py.lexicon's dict matching, for the C++ trie matcher's parity test."""
    import json
    import random

    from attnkit_py import lexicon as lexicon_io

    words = lexicon_io.read_jieba()
    with open(OUT.parent.parent.parent.parent / "shared" / "data" / "cluener" / "train.json", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for i, line in enumerate(f) if i % 10 == 0][:40]
    texts += ["", "北", "北京大学生", "A股和AA制、B超", "😀北京😀"]
    everything = lexicon_io.Lexicon(words)
    found = {text[a:b] for text in texts for a, b, _ in everything.matches(text)}
    subset = {w: words[w] for w in found | set(random.Random(3).sample(sorted(words), 3000))}
    lexicon = lexicon_io.Lexicon(subset)
    cases = [{"text": t, "matches": [list(m) for m in lexicon.matches(t)], "char_bits": lexicon.char_bits(t)} for t in texts]
    path = OUT.parent / "lexicon-matches"
    path.mkdir(exist_ok=True)
    (path / "words.txt.gz").write_bytes(lexicon_io.serialize(subset).tobytes())
    (path / "cases.json").write_text(json.dumps({"classes": len(lexicon_io.CLASSES), "cases": cases}, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    print(f"wrote {path}: {len(subset)} words, {sum(len(c['matches']) for c in cases)} matches")


tiny_ner_model()
tiny_ner_model("tiny-ner-lexicon", TINY_LEXICON, seed=8)
tiny_kbqa_model()
lexicon_matches()
