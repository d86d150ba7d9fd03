"""Word-lexicon features for NER (SoftLexicon-style, Ma et al. ACL 2020, without word embeddings): every
lexicon word found in a text marks its characters with (role, class) bits, role B (first character),
M (inside) or E (last) and the word's class (from its part-of-speech tag). A token's features are the OR of
its characters' bits; the encoder adds one learned vector per set bit to the token's embedding.

The lexicon ships inside model.safetensors as the U8 tensor "lexicon.words": gzip of UTF-8 lines
"word<TAB>class-index", sorted. This module matches words with a dict of substrings, independently of the
C++ runtime, which matches them with attnkit's prefix trie (the parity test compares the two).
"""
import gzip

import numpy as np

# jieba's part-of-speech tags grouped into the classes the model sees.
CLASSES = ["person", "place", "organization", "proper-noun", "noun", "verb", "idiom", "other"]
ROLES = ["B", "M", "E"]
TAG_CLASS = {"nr": 0, "nrfg": 0, "nrt": 0, "ns": 1, "nt": 2, "nz": 3, "n": 4, "ng": 4, "v": 5, "vn": 5, "vg": 5,
             "vd": 5, "i": 6, "l": 6}
JIEBA_DICT = "/usr/lib/python3/dist-packages/jieba/dict.txt"


def read_jieba(path=JIEBA_DICT, min_length=2):
    """{word: class index} from a jieba dictionary ("word frequency tag" lines); words shorter than
    min_length code points are left out (a single character's tag says little about an entity)."""
    words = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and len(parts[0]) >= min_length:
                words[parts[0]] = TAG_CLASS.get(parts[2], len(CLASSES) - 1)
    return words


def serialize(words):
    """The "lexicon.words" tensor's bytes."""
    text = "".join(f"{w}\t{c}\n" for w, c in sorted(words.items()))
    return np.frombuffer(gzip.compress(text.encode("utf-8"), 9, mtime=0), dtype=np.uint8)


def deserialize(blob):
    words = {}
    for line in gzip.decompress(bytes(blob)).decode("utf-8").splitlines():
        word, cls = line.split("\t")
        words[word] = int(cls)
    return words


class Lexicon:
    def __init__(self, words):
        self.words = words
        self.max_length = max(map(len, words), default=0)

    @property
    def features(self):
        return len(ROLES) * len(CLASSES)

    def matches(self, text):
        """Every (start, end exclusive, class) of a lexicon word in text, code points, by start then end."""
        out = []
        for start in range(len(text)):
            for end in range(start + 2, min(len(text), start + self.max_length) + 1):
                cls = self.words.get(text[start:end])
                if cls is not None:
                    out.append((start, end, cls))
        return out

    def char_bits(self, text):
        """Per code point: the bitmask of (role · classes + class) features set by the matches."""
        bits = [0] * len(text)
        n_classes = len(CLASSES)
        for start, end, cls in self.matches(text):
            bits[start] |= 1 << (0 * n_classes + cls)
            for i in range(start + 1, end - 1):
                bits[i] |= 1 << (1 * n_classes + cls)
            bits[end - 1] |= 1 << (2 * n_classes + cls)
        return bits

    def token_features(self, text, offsets):
        """[tokens × features] 0/1 for tokens with (start, end) code-point offsets ((0, 0) = special)."""
        bits = self.char_bits(text)
        out = np.zeros((len(offsets), self.features), dtype=np.float32)
        for t, (start, end) in enumerate(offsets):
            mask = 0
            for i in range(start, end):
                mask |= bits[i]
            for f in range(self.features):
                if mask >> f & 1:
                    out[t, f] = 1
        return out


def feature_bits(features):
    """[tokens × features] 0/1 → each token's feature bitmask (as the runtime's lexiconFeatures gives them)."""
    return [int(sum(1 << f for f in range(features.shape[1]) if row[f])) for row in features]
