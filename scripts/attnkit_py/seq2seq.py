"""The UniLM-style seq2seq model the C++ runtime (src/attnkit/model/seq2seq.*) reproduces.

One Encoder (model.py) with segment embeddings (source 0, target 1) and the prefix-LM mask: source tokens
see every source token, a target token sees the source and the target tokens up to itself
(../shared/docs/algorithms.md §1, §6). The entropy-invariant scale uses each query's own count of visible
keys. LM head as BERT's: dense → GELU → LayerNorm → tied word embeddings + bias.
"""
import torch
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

    def forward(self, ids, segments, lengths, source_lengths, rows=None):
        """Logits [b, n, vocab] (row t predicts token t + 1), or only at the [b, n] bool `rows`: [count, vocab]."""
        n = ids.shape[1]
        mask = (torch.arange(n)[None, :] < lengths[:, None]).long()
        hidden = self.encoder(ids, mask, segments, prefix_lm_visible(lengths, source_lengths, n))
        return self.logits(hidden if rows is None else hidden[rows])

    def logits(self, hidden):
        t = self.transform_norm(torch.nn.functional.gelu(self.transform(hidden)))
        return t @ self.encoder.embeddings.weight.T + self.output_bias


def seq2seq_weights(model):
    """(name, parameter) pairs of a UniLM under the names the C++ loader reads."""
    yield from encoder_weights(model.encoder)
    yield "lm_head.transform.weight", model.transform.weight
    yield "lm_head.transform.bias", model.transform.bias
    yield "lm_head.norm.weight", model.transform_norm.weight
    yield "lm_head.norm.bias", model.transform_norm.bias
    yield "lm_head.bias", model.output_bias
