#!/usr/bin/env python3
"""Reference numbers for wgan's EMA generator (EmaGoldenTest), computed by PyTorch with
StyleGAN2-ADA's update (NVlabs/stylegan2-ada-pytorch, training/training_loop.py, "Update G_ema";
update_ema below, line for line)
on the reference's DCGAN generator (the same one make_golden_fixtures.py builds, here 16x16x1,
nz 2, ngf 2, so the fixture stays small), in float64. "Training" between updates is a fixed
random walk of every parameter and running statistic, so the test does not depend on the WGAN
steps. The walk's values are rounded to float32, so wgan's float32 EMA starts from exactly the
same numbers as the float64 one.

Three scenarios, each a few generator steps:
  from_start  cur_nimg 0, 64, ...: the first update copies (beta 0), then the ramp-up is active;
  crossing    ema_kimg 10, batch 64 around generator step 3,125, where cur_nimg * 0.05 reaches
              10,000 images: the ramp-up is active, then equal, then inactive;
  no_rampup   ema_rampup None, ema_kimg 0.5, batch 8: a constant beta of 0.5^(8/500).

Usage (Debian: apt-get install python3-torch):
    /usr/bin/python3 scripts/golden/ema_reference.py
writes src/test/resources/golden/ema.json.
"""
import copy
import json
import os

import torch
import torch.nn as nn

import make_golden_fixtures  # the reference's DCGAN_G, built once for every golden script

IMAGE_SIZE, CHANNELS, NZ, NGF = 16, 1, 2, 2
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "src", "test", "resources", "golden", "ema.json")
SCENARIOS = [
    # name, ema_kimg, ema_rampup, batch_size, first generator step (cur_nimg = step * batch), steps
    ("from_start", 10.0, 0.05, 64, 0, 4),
    ("crossing", 10.0, 0.05, 64, 3123, 5),
    ("no_rampup", 0.5, None, 8, 40, 3),
]


def named(net, names):
    """Parameters and buffers under DL4J's names: <layer>_W, _gamma, _beta, _mean, _var."""
    out = {}
    modules = [m for m in net if isinstance(m, (nn.ConvTranspose2d, nn.BatchNorm2d))]
    for name, m in zip(names, modules):
        if isinstance(m, nn.BatchNorm2d):
            out[name + "_gamma"], out[name + "_beta"] = m.weight, m.bias
            out[name + "_mean"], out[name + "_var"] = m.running_mean, m.running_var
        else:
            out[name + "_W"] = m.weight  # ConvTranspose2d [in, out, kh, kw], as DL4J's Deconvolution2D
    return out


def values(tensors):
    return {k: [float(x) for x in v.detach().reshape(-1)] for k, v in tensors.items()}


def update_ema(G_ema, G, ema_kimg, ema_rampup, batch_size, cur_nimg):
    """StyleGAN2-ADA's update, as in training_loop.py; returns ema_beta."""
    with torch.no_grad():
        ema_nimg = ema_kimg * 1000
        if ema_rampup is not None:
            ema_nimg = min(ema_nimg, cur_nimg * ema_rampup)
        ema_beta = 0.5 ** (batch_size / max(ema_nimg, 1e-8))
        for p_ema, p in zip(G_ema.parameters(), G.parameters()):
            p_ema.copy_(p.lerp(p_ema, ema_beta))
        for b_ema, b in zip(G_ema.buffers(), G.buffers()):
            b_ema.copy_(b)
    return ema_beta


def random_walk(G, scale):
    """A stand-in for training: every parameter and running statistic moves, then is rounded to float32."""
    with torch.no_grad():
        for t in list(G.parameters()) + [b for b in G.buffers() if b.is_floating_point()]:
            t.add_(torch.randn_like(t) * scale)
            t.copy_(t.float().double())
        for m in G.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_var.abs_()


def scenario(name, ema_kimg, ema_rampup, batch_size, first_step, steps, seed):
    torch.manual_seed(seed)
    G, names = make_golden_fixtures.generator(IMAGE_SIZE, CHANNELS, NZ, NGF, extra_layers=0)
    random_walk(G, 0.5)  # a starting point away from PyTorch's initialisation
    G_ema = copy.deepcopy(G)
    if first_step > 0:
        random_walk(G_ema, 0.05)  # an average that has already drifted from the raw weights
    out = {"name": name, "ema_kimg": ema_kimg, "ema_rampup": ema_rampup, "batch_size": batch_size,
           "first_step": first_step, "ema_initial": values(named(G_ema, names)), "steps": []}
    cur_nimg = first_step * batch_size
    for _ in range(steps):
        random_walk(G, 0.02)
        beta = update_ema(G_ema, G, ema_kimg, ema_rampup, batch_size, cur_nimg)
        out["steps"].append({"cur_nimg": cur_nimg, "beta": beta, "raw": values(named(G, names))})
        cur_nimg += batch_size
    out["ema_final"] = values(named(G_ema, names))
    return out


def main():
    torch.set_default_dtype(torch.float64)
    fixture = {
        "about": "made by scripts/golden/ema_reference.py with torch " + torch.__version__,
        "model": {"image_size": IMAGE_SIZE, "channels": CHANNELS, "nz": NZ, "ngf": NGF, "ndf": NGF,
                  "extra_layers": 0},
        "scenarios": [scenario(*s, seed=20261201 + i) for i, s in enumerate(SCENARIOS)],
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
    for s in fixture["scenarios"]:
        print(s["name"], ["%.6g" % step["beta"] for step in s["steps"]])
    print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
