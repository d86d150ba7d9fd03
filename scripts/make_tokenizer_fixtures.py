#!/usr/bin/env python3
"""tests/fixtures/tokenizer.json: the Python reference tokenizer's ids and code-point offsets for hand-picked
hard cases and real CLUENER / KgCLUE sentences, with ../shared/data/vocab/bert-base-chinese-vocab.txt.
Run: /usr/bin/python3 scripts/make_tokenizer_fixtures.py"""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from attnkit_py.tokenizer import Tokenizer  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"

HAND = [
    "浙商银行企业信贷部叶老桂博士则从另一个角度对五道门槛进行了解读。",
    "Hello, World! 你好世界 123456 abc123def",
    "emoji 😀 test 🇨🇳 and 𠀀 (CJK ext B) 👨‍👩‍👧",
    "ＦＵＬＬ－ＷＩＤＴＨ　１２３ ｆｕｌｌ，全角：“引号”",
    "   multiple   spaces\t\ttabs\n\nnewlines  ",
    "Café naïve résumé ÉCOLE Ångström",
    "control\u0000char\u200bzero width\u00adsoft hyphen\u0007bell",
    "iPhone12ProMax发布会在2021年9月15日举行，售价5999元起",
    "한국어 텍스트 테스트",
    "Ελληνικά ΚΕΦΑΛΑΙΑ кириллица ПРИВЕТ",
    "İstanbul straße ǅemal",
    "unaffable tokenization WordPiece ##hash",
    "a" * 150 + " ok",
    "",
    "   ",
    "\ufffd replacement \ufeff bom",
    "数学公式：x² + y² = z²，∑∫√∞ ≈ 3.14159",
    "网址 https://www.example.com/path?q=1&x=2 邮箱 someone@example.org",
]


def main():
    tokenizer = Tokenizer(DATA / "vocab" / "bert-base-chinese-vocab.txt")
    texts = list(HAND)
    with open(DATA / "cluener" / "train.json", encoding="utf-8") as f:
        texts += [json.loads(line)["text"] for _, line in zip(range(150), f)]
    with open(DATA / "kgclue" / "dev.json", encoding="utf-8") as f:
        texts += [json.loads(line)["question"] for _, line in zip(range(50), f)]
    cases = []
    for text in texts:
        tokens = tokenizer.tokenize(text)
        cases.append({"text": text, "ids": [t[0] for t in tokens], "starts": [t[1] for t in tokens],
                      "ends": [t[2] for t in tokens]})
    out = ROOT / "tests" / "fixtures" / "tokenizer.json"
    out.write_text(json.dumps({"vocab": "bert-base-chinese-vocab.txt", "cases": cases}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    print(f"wrote {out} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
