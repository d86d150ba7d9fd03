"""What the training scripts share: their common arguments and the optimiser with its schedule."""
import argparse
import math
import pathlib
import random

import torch


def training_arguments(out_default, epochs, limit_help, **sizes):
    """An ArgumentParser with --out, --epochs, model sizes (hidden, layers, heads; defaults = the shipped
    models'), --batch, --lr, --limit and --seed; scripts add their own arguments to it."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(out_default))
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--hidden", type=int, default=sizes.get("hidden", 192))
    parser.add_argument("--layers", type=int, default=sizes.get("layers", 3))
    parser.add_argument("--heads", type=int, default=sizes.get("heads", 3))
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=sizes.get("lr", 7e-4))
    parser.add_argument("--limit", type=int, default=0, help=limit_help)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=2, help="torch threads (the machines have 2 cores)")
    return parser


def optimiser(model, lr, epochs, examples, batch):
    """AdamW (weight decay 0.01) with linear warm-up over min(500, 10%) of the steps, then linear decay to 0."""
    steps = epochs * math.ceil(examples / batch)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warmup = min(500, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, 1 - s / steps) if warmup else 1.0)
    return optimizer, schedule


def prepare_run(args):
    """args.threads torch threads, seeded torch and Python RNGs, the output directory made."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    return random.Random(args.seed), out


def encoder_config(model_type, vocab_size, args, max_length, **extra):
    """config.json of an attnkit model: the shared encoder choices (post-LN, GELU, RoPE, the entropy-invariant
    scale with L = 64 and a floor of 16 keys) at the sizes in `args`, plus the model's own fields."""
    return {
        "model_type": model_type, "vocab_size": vocab_size, "hidden_size": args.hidden,
        "num_layers": args.layers, "num_heads": args.heads, "intermediate_size": 4 * args.hidden, "hidden_act": "gelu",
        "layer_norm": "post", "layer_norm_eps": 1e-12, "positions": "rope", "rope_base": 10000.0,
        "attention_scale": {"kind": "entropy-invariant", "train_len": 64, "min_keys": 16},
        "max_length": max_length, "dropout": 0.1, **extra,
    }


def update(model, optimizer, schedule, loss):
    """One optimiser step on `loss`, gradients clipped to norm 1; returns the loss as a number."""
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    schedule.step()
    return loss.item()
