"""The encoder and span head the C++ runtime (src/attnkit/model) reproduces.

Encoder: token embeddings → LayerNorm → N post-LN layers; self-attention with RoPE on q and k (interleaved
pairs, positions 0…n−1) and the entropy-invariant scale λ = ln(max(n, min_keys)) / ln(train_len) / √d,
n = the sequence's unpadded length; GELU (erf) feed-forward. Linear weights are [out, in] as in PyTorch.
Head: Efficient GlobalPointer (kexue.fm/archives/8877), see ../shared/docs/algorithms.md §5.
"""
import math

import torch
from torch import nn

NEG = -1e12  # what masked logits become (as bert4keras); finite so the loss stays finite


def rope(x, base=10000.0):
    """x: [..., n, d] rotated by position (interleaved pairs, θ_m = base^(−2m/d))."""
    n, d = x.shape[-2], x.shape[-1]
    pos = torch.arange(n, dtype=torch.float32, device=x.device)[:, None]
    theta = base ** (-2.0 * torch.arange(d // 2, dtype=torch.float32, device=x.device) / d)
    angle = pos * theta[None, :]
    # stack+reshape rather than repeat_interleave: the latter exports to ONNX wrongly in torch 1.13.
    cos = torch.stack([torch.cos(angle)] * 2, dim=-1).reshape(n, d)
    sin = torch.stack([torch.sin(angle)] * 2, dim=-1).reshape(n, d)
    rotated = torch.stack([-x[..., 1::2], x[..., 0::2]], dim=-1).reshape(x.shape)
    return x * cos + rotated * sin


class Layer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        h, self.heads = cfg["hidden_size"], cfg["num_heads"]
        self.query, self.key, self.value, self.output = (nn.Linear(h, h) for _ in range(4))
        self.attention_norm = nn.LayerNorm(h, eps=cfg["layer_norm_eps"])
        self.intermediate = nn.Linear(h, cfg["intermediate_size"])
        self.ffn_output = nn.Linear(cfg["intermediate_size"], h)
        self.output_norm = nn.LayerNorm(h, eps=cfg["layer_norm_eps"])
        self.dropout = nn.Dropout(cfg.get("dropout", 0.1))
        self.scale = cfg["attention_scale"]
        self.rope_base = cfg["rope_base"]

    def split(self, x):
        b, n, h = x.shape
        return x.view(b, n, self.heads, h // self.heads).transpose(1, 2)

    def forward(self, x, mask, visible=None):
        """mask: [b, n] padding; visible: optional [b, n, n] bool (query i may see key j), e.g. prefix-LM."""
        b, n, h = x.shape
        d = h // self.heads
        q = rope(self.split(self.query(x)), self.rope_base)
        k = rope(self.split(self.key(x)), self.rope_base)
        v = self.split(self.value(x))
        if visible is None:
            lengths = mask.sum(dim=1).float()[:, None]  # keys each query sees (non-causal: the unpadded length)
            hidden = ~mask[:, None, None, :].bool()
        else:
            lengths = visible.sum(dim=2).float()  # [b, n]: per query
            hidden = ~visible[:, None]
        if self.scale["kind"] == "entropy-invariant":
            lam = torch.log(torch.clamp(lengths, min=self.scale["min_keys"])) / math.log(self.scale["train_len"]) / math.sqrt(d)
        else:
            lam = torch.full_like(lengths, 1 / math.sqrt(d))
        scores = torch.matmul(q, k.transpose(-1, -2)) * lam[:, None, :, None]
        scores = scores.masked_fill(hidden, float("-inf"))
        attn = torch.softmax(scores, dim=-1)
        o = torch.matmul(attn, v).transpose(1, 2).reshape(b, n, h)
        x = self.attention_norm(x + self.dropout(self.output(o)))
        f = self.ffn_output(torch.nn.functional.gelu(self.intermediate(x)))
        return self.output_norm(x + self.dropout(f))


class Encoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embeddings = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.embedding_norm = nn.LayerNorm(cfg["hidden_size"], eps=cfg["layer_norm_eps"])
        self.dropout = nn.Dropout(cfg.get("dropout", 0.1))
        self.layers = nn.ModuleList(Layer(cfg) for _ in range(cfg["num_layers"]))
        # Segment (token type) embeddings, optional: the seq2seq model marks source 0 / target 1.
        self.segments = nn.Embedding(cfg["segments"], cfg["hidden_size"]) if cfg.get("segments") else None
        # Lexicon features, optional (see lexicon.py): one vector per (role, class) bit, added per set bit.
        features = cfg["lexicon"]["features"] if cfg.get("lexicon") else 0
        self.lexicon = nn.Parameter(0.5 * torch.randn(features, cfg["hidden_size"])) if features else None

    def forward(self, ids, mask, segments=None, visible=None, lexicon=None):
        """lexicon: [b, n, features] 0/1, required when the config has a lexicon."""
        x = self.embeddings(ids)
        if self.segments is not None:
            x = x + self.segments(segments)
        if self.lexicon is not None:
            x = x + torch.matmul(lexicon, self.lexicon)
        x = self.dropout(self.embedding_norm(x))
        for layer in self.layers:
            x = layer(x, mask, visible)
        return x


class EfficientGlobalPointer(nn.Module):
    """p = Dense(2d)(h); q = p[..., 0::2], k = p[..., 1::2] with RoPE; bias = Dense(2·types)(p) / 2;
    s_α(i, j) = q_i·k_j/√d + bias[2α](j) + bias[2α+1](i); i > j and padding masked."""

    def __init__(self, hidden, types, head_size=64, rope_base=10000.0, span_classes=0):
        super().__init__()
        self.head_size, self.types, self.rope_base = head_size, types, rope_base
        self.p_dense = nn.Linear(hidden, 2 * head_size)
        self.q_dense = nn.Linear(2 * head_size, 2 * types)
        # Lexicon span features: a learned bias per (word class c, entity type) on span (i, j) when token i
        # begins a class-c word and token j ends one (usually the same word; computed from the token features).
        self.span_bias = nn.Parameter(torch.zeros(span_classes, types)) if span_classes else None

    def forward(self, h, mask, lexicon=None):
        p = self.p_dense(h)
        q, k = rope(p[..., 0::2], self.rope_base), rope(p[..., 1::2], self.rope_base)
        logits = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_size)
        bias = self.q_dense(p).transpose(1, 2) / 2  # [b, 2·types, n]
        logits = logits[:, None] + bias[:, 0::2, None, :] + bias[:, 1::2, :, None]
        if self.span_bias is not None:
            classes = self.span_bias.shape[0]  # lexicon features: role-major, B = [0, C), E = [2C, 3C)
            begins, ends = lexicon[..., :classes], lexicon[..., 2 * classes:3 * classes]
            logits = logits + torch.einsum("bic,ct,bjc->btij", begins, self.span_bias, ends)
        n = h.shape[1]
        valid = mask[:, None, :, None].bool() & mask[:, None, None, :].bool()
        upper = torch.ones(n, n, dtype=torch.bool, device=h.device).triu()
        return logits.masked_fill(~(valid & upper), NEG)


class SpanNer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.encoder = Encoder(cfg)
        head = cfg["head"]
        span_classes = len(cfg["lexicon"]["classes"]) if cfg.get("lexicon", {}).get("spans") else 0
        self.head = EfficientGlobalPointer(cfg["hidden_size"], len(head["labels"]), head["head_size"], cfg["rope_base"],
                                           span_classes)

    def forward(self, ids, mask, lexicon=None):
        return self.head(self.encoder(ids, mask, lexicon=lexicon), mask, lexicon)


def multilabel_categorical_crossentropy(logits, labels):
    """kexue.fm/archives/7359: log(1 + Σ_neg e^s) + log(1 + Σ_pos e^−s), per (batch, type) over all (i, j)."""
    b, t = logits.shape[:2]
    s = logits.reshape(b * t, -1)
    y = labels.reshape(b * t, -1)
    s = (1 - 2 * y) * s
    neg = s - y * 1e12
    pos = s - (1 - y) * 1e12
    zeros = torch.zeros_like(s[:, :1])
    return (torch.logsumexp(torch.cat([neg, zeros], -1), -1) + torch.logsumexp(torch.cat([pos, zeros], -1), -1)).mean()


def encoder_weights(encoder):
    """(name, parameter) pairs of an Encoder under the names the C++ loader reads."""
    yield "embeddings.word_embeddings.weight", encoder.embeddings.weight
    if encoder.segments is not None:
        yield "embeddings.segment_embeddings.weight", encoder.segments.weight
    if encoder.lexicon is not None:
        yield "embeddings.lexicon_embeddings.weight", encoder.lexicon
    yield "embeddings.norm.weight", encoder.embedding_norm.weight
    yield "embeddings.norm.bias", encoder.embedding_norm.bias
    for i, layer in enumerate(encoder.layers):
        for name in ("query", "key", "value", "output", "intermediate", "ffn_output", "attention_norm", "output_norm"):
            module = getattr(layer, name)
            yield f"encoder.layer.{i}.{name}.weight", module.weight
            yield f"encoder.layer.{i}.{name}.bias", module.bias


def named_weights(model):
    """(name, parameter) pairs of a SpanNer under the names the C++ loader reads."""
    yield from encoder_weights(model.encoder)
    for name in ("p_dense", "q_dense"):
        module = getattr(model.head, name)
        yield f"head.{name}.weight", module.weight
        yield f"head.{name}.bias", module.bias
    if model.head.span_bias is not None:
        yield "head.lexicon_span_bias", model.head.span_bias


def state_tensors(model, names=named_weights):
    """The model's weights as NumPy arrays under the names the C++ loader reads."""
    return {name: p.detach().cpu().numpy() for name, p in names(model)}
