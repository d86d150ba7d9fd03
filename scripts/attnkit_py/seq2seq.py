"""The UniLM-style seq2seq model the C++ runtime (src/attnkit/model/seq2seq.*) reproduces.

One Encoder (model.py) with segment embeddings (source 0, target 1) and the prefix-LM mask: source tokens
see every source token, a target token sees the source and the target tokens up to itself
(../shared/docs/algorithms.md §1, §6). The entropy-invariant scale uses each query's own count of visible
keys. LM head as BERT's: dense → GELU → LayerNorm → tied word embeddings + bias.

Copy head (pointer-generator, See et al. 2017): most of a KBQA target is copied from the question (the
subject, often the predicate), which a small model trained from scratch learns slowly through attention
alone. From the final hidden state h_t: a = softmax(q(h_t)·k(H_src)ᵀ/√d) over the source tokens (without
[CLS] and the final [SEP]), g = sigmoid(w·h_t + b), and
p(w) = g·softmax(logits)(w) + (1 − g)·max(Σ_{i: src_i = w} a_i, 1e-30). The model outputs log p.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

from .model import Encoder, encoder_weights


def prefix_lm_visible(lengths, source_lengths, n):
    """[b, n, n] bool: query i sees key j iff j < length and (j < source_length or j ≤ i)."""
    j = torch.arange(n)[None, None, :]
    i = torch.arange(n)[None, :, None]
    inside = j < lengths[:, None, None]
    return inside & ((j < source_lengths[:, None, None]) | (j <= i))


class UniLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        h = cfg["hidden_size"]
        self.encoder = Encoder(cfg)
        self.transform = nn.Linear(h, h)
        self.transform_norm = nn.LayerNorm(h, eps=cfg["layer_norm_eps"])
        self.output_bias = nn.Parameter(torch.zeros(cfg["vocab_size"]))
        # BERT's initialisation: the embeddings are tied to the output, where N(0, 1) rows would give logits
        # of standard deviation ~√hidden (the input side is layer-normalised, so it does not mind).
        nn.init.normal_(self.encoder.embeddings.weight, std=0.02)
        self.copy_query = nn.Linear(h, h)
        self.copy_key = nn.Linear(h, h)
        self.copy_gate = nn.Linear(h, 1)

    def forward(self, ids, segments, lengths, source_lengths, rows=None):
        """log p [b, n, vocab] (row t predicts token t + 1), or only at the [b, n] bool `rows`: [count, vocab]."""
        b, n = ids.shape
        mask = (torch.arange(n)[None, :] < lengths[:, None]).long()
        hidden = self.encoder(ids, mask, segments, prefix_lm_visible(lengths, source_lengths, n))
        full = rows is None
        if full:
            rows = torch.ones(b, n, dtype=torch.bool)
        item = torch.arange(b)[:, None].expand(b, n)[rows]  # the batch item of each selected row
        h = hidden[rows]  # [count, hidden]
        t = self.transform_norm(F.gelu(self.transform(h)))
        generate = torch.log_softmax(t @ self.encoder.embeddings.weight.T + self.output_bias, dim=-1)
        # Copy distribution over the source tokens 1 … source_length − 2, scattered onto their ids.
        positions = torch.arange(n)[None, :]
        copyable = (positions >= 1) & (positions < source_lengths[item][:, None] - 1)  # [count, n]
        keys = self.copy_key(hidden)[item]  # [count, n, hidden]
        scores = (keys @ self.copy_query(h)[:, :, None])[:, :, 0] / math.sqrt(h.shape[-1])
        attention = torch.softmax(scores.masked_fill(~copyable, float("-inf")), dim=-1)
        copy = torch.zeros_like(generate).scatter_add_(1, ids[item], attention)
        z = self.copy_gate(h)  # log g = logsigmoid(z), log(1 − g) = logsigmoid(−z)
        # Ids absent from the source get copy probability 1e-30 rather than 0: finite logs and gradients.
        out = torch.logaddexp(F.logsigmoid(z) + generate, F.logsigmoid(-z) + torch.log(copy.clamp_min(1e-30)))
        return out.view(b, n, -1) if full else out


def seq2seq_weights(model):
    """(name, parameter) pairs of a UniLM under the names the C++ loader reads."""
    yield from encoder_weights(model.encoder)
    yield "lm_head.transform.weight", model.transform.weight
    yield "lm_head.transform.bias", model.transform.bias
    yield "lm_head.norm.weight", model.transform_norm.weight
    yield "lm_head.norm.bias", model.transform_norm.bias
    yield "lm_head.bias", model.output_bias
    for name in ("copy_query", "copy_key", "copy_gate"):
        module = getattr(model, name)
        yield f"copy_head.{name[5:]}.weight", module.weight
        yield f"copy_head.{name[5:]}.bias", module.bias
