"""Knowledge distillation and weight averaging for the span models.

Distillation (Hinton et al. 2015; for span heads: every (type, i, j) cell is a binary decision): the student
matches the teacher's per-cell probabilities σ(t / T) with a binary cross-entropy, summed over the valid cells
of each (sentence, type) and averaged, the same reduction as the multilabel loss it is added to. A teacher
trained on the same data ("born-again" networks, Furlanello et al. ICML 2018) or an ensemble of teachers
(their logits averaged) both work this way.

EMA: an exponential moving average of the weights, evaluated and saved instead of the last weights (Polyak
averaging); it costs one extra copy of the parameters.
"""
import copy

import torch

from .model import NEG


def distillation_loss(student_logits, teacher_logits, temperature=1.0):
    """Per-cell BCE between σ(student / T) and σ(teacher / T), cells the head masks (NEG) left out, × T²."""
    valid = teacher_logits > NEG / 2
    target = torch.sigmoid(teacher_logits / temperature)
    cell = torch.nn.functional.binary_cross_entropy_with_logits(student_logits / temperature, target, reduction="none")
    b, t = cell.shape[:2]
    per_row = (cell * valid).reshape(b * t, -1).sum(-1)
    return per_row.mean() * temperature ** 2


class Ensemble(torch.nn.Module):
    """Teachers whose logits are averaged; all must take the same inputs."""

    def __init__(self, models):
        super().__init__()
        self.models = torch.nn.ModuleList(models)

    def forward(self, *inputs):
        return torch.stack([m(*inputs) for m in self.models]).mean(0)


class WeightAverage:
    """θ_ema ← d·θ_ema + (1 − d)·θ after every step; `averaged()` is a model holding θ_ema."""

    def __init__(self, model, decay):
        self.decay = decay
        self.model = copy.deepcopy(model).eval()

    @torch.no_grad()
    def update(self, model):
        for mine, theirs in zip(self.model.parameters(), model.parameters()):
            mine.mul_(self.decay).add_(theirs.detach(), alpha=1 - self.decay)
