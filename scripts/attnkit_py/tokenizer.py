"""BERT tokenization (BasicTokenizer + WordPiece, uncased, as bert-base-chinese) with character offsets.

This is the reference the C++ tokenizer (src/attnkit/text) must reproduce: token ids and, for every token,
the [start, end) range of code points in the original text that it covers.
"""
import unicodedata

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def load_vocab(path):
    with open(path, encoding="utf-8") as f:
        tokens = [line.rstrip("\n") for line in f]
    return tokens, {t: i for i, t in enumerate(tokens)}


def is_whitespace(c):
    return c in " \t\n\r" or unicodedata.category(c) == "Zs"


def is_control(c):
    if c in "\t\n\r":
        return False
    return unicodedata.category(c) in ("Cc", "Cf")


def is_punctuation(c):
    cp = ord(c)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(c).startswith("P")


def is_cjk(c):
    cp = ord(c)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def normalize_char(c):
    """Lower-case and strip accents (NFD, drop combining marks), as BERT's uncased basic tokenizer."""
    return "".join(x for x in unicodedata.normalize("NFD", c.lower()) if unicodedata.category(x) != "Mn")


def basic_words(text):
    """Splits text into words [(normalised word, [original index of each normalised char])]."""
    words, current, origin = [], [], []

    def flush():
        if current:
            words.append(("".join(current), list(origin)))
            current.clear()
            origin.clear()

    for i, c in enumerate(text):
        if ord(c) == 0 or ord(c) == 0xFFFD or is_control(c):
            continue
        if is_whitespace(c):
            flush()
            continue
        if is_cjk(c) or is_punctuation(c):
            flush()
            norm = normalize_char(c)
            if norm:
                words.append((norm, [i] * len(norm)))
            continue
        norm = normalize_char(c)
        current.extend(norm)
        origin.extend([i] * len(norm))
    flush()
    return words


class Tokenizer:
    def __init__(self, vocab_path, max_chars_per_word=100):
        self.tokens, self.ids = load_vocab(vocab_path)
        self.max_chars_per_word = max_chars_per_word
        self.unk = self.ids["[UNK]"]
        self.cls = self.ids["[CLS]"]
        self.sep = self.ids["[SEP]"]
        self.pad = self.ids["[PAD]"]

    def wordpiece(self, word, origin):
        """Greedy longest-match-first pieces of one word: [(id, start, end)] in original code points."""
        if len(word) > self.max_chars_per_word:
            return [(self.unk, origin[0], origin[-1] + 1)]
        pieces, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    found = self.ids[piece]
                    break
                end -= 1
            if found is None:
                return [(self.unk, origin[0], origin[-1] + 1)]
            pieces.append((found, origin[start], origin[end - 1] + 1))
            start = end
        return pieces

    def tokenize(self, text):
        """[(id, start, end)] for text, without [CLS]/[SEP]."""
        out = []
        for word, origin in basic_words(text):
            out.extend(self.wordpiece(word, origin))
        return out


def build_vocab(full_vocab_path, texts, out_path):
    """The model's vocab: special tokens plus every token the full BERT vocab produces on the training texts,
    in the original order (WordPiece with this subset segments the training texts identically)."""
    full = Tokenizer(full_vocab_path)
    used = {full.ids[s] for s in SPECIALS}
    for text in texts:
        used.update(i for i, _, _ in full.tokenize(text))
    kept = [t for i, t in enumerate(full.tokens) if i in used]
    out_path.write_text("".join(t + "\n" for t in kept), encoding="utf-8")
    return Tokenizer(out_path)
