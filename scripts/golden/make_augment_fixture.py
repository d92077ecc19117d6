#!/usr/bin/env python3
"""Reference numbers for wgan's DiffAugment golden test: the WGAN reference's critic and generator
steps (weight clipping, BatchNorm critic, RMSprop; the networks of make_golden_fixtures.py) with
DiffAugment (Zhao et al. 2020, mit-han-lab/data-efficient-gans DiffAugment_pytorch.py) applied to
the real and the fake images of every critic step and to the fakes of the generator step, where
PyTorch's autograd backpropagates through it. The random draws are made here once and written
to the fixture, so wgan replays exactly these: the functions below are DiffAugment_pytorch.py's
with torch.rand / torch.randint replaced by the recorded draws.

Usage (Debian: apt-get install python3-torch):
    /usr/bin/python3 scripts/golden/make_augment_fixture.py
writes src/test/resources/golden/wgan-steps-augment.json.
"""
import json
import os

import torch
import torch.nn.functional as F

import make_golden_fixtures as base

POLICY = ["color", "translation", "cutout"]


def draws(n, h, w):
    """One application's draws, in DiffAugment's order and ranges."""
    return {"brightness": (torch.rand(n) - 0.5).tolist(), "saturation": (torch.rand(n) * 2).tolist(),
            "contrast": (torch.rand(n) + 0.5).tolist(),
            "shift_x": torch.randint(-(h // 8), h // 8 + 1, (n,)).tolist(),
            "shift_y": torch.randint(-(w // 8), w // 8 + 1, (n,)).tolist(),
            "cut_x": torch.randint(0, h + (1 - (h // 2) % 2), (n,)).tolist(),
            "cut_y": torch.randint(0, w + (1 - (w // 2) % 2), (n,)).tolist()}


def diff_augment(x, d):
    column = lambda k: torch.tensor(d[k], dtype=x.dtype).reshape(-1, 1, 1, 1)
    x = x + column("brightness")
    x_mean = x.mean(dim=1, keepdim=True)
    x = (x - x_mean) * column("saturation") + x_mean
    x_mean = x.mean(dim=[1, 2, 3], keepdim=True)
    x = (x - x_mean) * column("contrast") + x_mean
    # rand_translation with the recorded shifts
    tx = torch.tensor(d["shift_x"]).reshape(-1, 1, 1)
    ty = torch.tensor(d["shift_y"]).reshape(-1, 1, 1)
    gb, gx, gy = torch.meshgrid(torch.arange(x.size(0)), torch.arange(x.size(2)), torch.arange(x.size(3)), indexing="ij")
    gx = torch.clamp(gx + tx + 1, 0, x.size(2) + 1)
    gy = torch.clamp(gy + ty + 1, 0, x.size(3) + 1)
    x_pad = F.pad(x, [1, 1, 1, 1, 0, 0, 0, 0])
    x = x_pad.permute(0, 2, 3, 1).contiguous()[gb, gx, gy].permute(0, 3, 1, 2)
    # rand_cutout with the recorded offsets
    size = x.size(2) // 2, x.size(3) // 2
    ox = torch.tensor(d["cut_x"]).reshape(-1, 1, 1)
    oy = torch.tensor(d["cut_y"]).reshape(-1, 1, 1)
    gb, gx, gy = torch.meshgrid(torch.arange(x.size(0)), torch.arange(size[0]), torch.arange(size[1]), indexing="ij")
    gx = torch.clamp(gx + ox - size[0] // 2, min=0, max=x.size(2) - 1)
    gy = torch.clamp(gy + oy - size[1] // 2, min=0, max=x.size(3) - 1)
    mask = torch.ones(x.size(0), x.size(2), x.size(3), dtype=x.dtype)
    mask[gb, gx, gy] = 0
    return x * mask.unsqueeze(1)


def main():
    torch.manual_seed(20261201)
    torch.set_default_dtype(torch.float64)
    netG, gnames = base.generator()
    netD, dnames = base.critic()
    netG.apply(base.weights_init)
    netD.apply(base.weights_init)
    named = {**base.named_params(netG, gnames), **base.named_params(netD, dnames)}
    initial = base.flat(named)
    optD, optG = base.make_optimizer("rmsprop", netD.parameters()), base.make_optimizer("rmsprop", netG.parameters())
    s = base.IMAGE_SIZE
    inputs = {"real1": torch.rand(base.BATCH, base.CHANNELS, s, s) * 2 - 1, "noise1": torch.randn(base.BATCH, base.NZ, 1, 1),
              "noise2": torch.randn(base.BATCH, base.NZ, 1, 1)}
    applied = [draws(base.BATCH, s, s) for _ in range(3)]  # real and fake of the critic step, fakes of the generator step

    for p in netD.parameters():
        p.data.clamp_(-base.CLIP, base.CLIP)
    netD.zero_grad()
    err_real = netD(diff_augment(inputs["real1"], applied[0])).mean()
    err_real.backward(torch.ones_like(err_real))
    with torch.no_grad():
        fake = netG(inputs["noise1"])
    err_fake = netD(diff_augment(fake, applied[1])).mean()
    err_fake.backward(-torch.ones_like(err_fake))
    optD.step()
    steps = [{"kind": "critic", "loss_d": float(err_real - err_fake), "loss_d_real": float(err_real),
              "loss_d_fake": float(err_fake)}]
    after_critic = base.flat(named)

    for p in netD.parameters():
        p.requires_grad = False
    netG.zero_grad()
    err_g = netD(diff_augment(netG(inputs["noise2"]), applied[2])).mean()
    err_g.backward(torch.ones_like(err_g))
    optG.step()
    steps.append({"kind": "generator", "loss_g": float(err_g)})

    fixture = {
        "about": "made by scripts/golden/make_augment_fixture.py with torch " + torch.__version__,
        "model": {"image_size": s, "channels": base.CHANNELS, "nz": base.NZ, "ngf": base.NGF, "ndf": base.NDF,
                  "extra_layers": base.EXTRA_LAYERS},
        "optimizer": "rmsprop", "loss": "wgan-clip", "clip": base.CLIP, "lr": base.LR, "gp_weight": 0,
        "betas": [0.5, 0.999], "augment": ",".join(POLICY), "draws": applied,
        "inputs": {k: {"shape": list(v.shape), "values": [float(x) for x in v.reshape(-1)]} for k, v in inputs.items()},
        "initial": initial, "steps": steps, "after_first_critic_step": after_critic, "final": base.flat(named),
    }
    path = os.path.join(base.OUT_DIR, "wgan-steps-augment.json")
    with open(path, "w") as f:
        json.dump(fixture, f, indent=0)
    print("wrote", os.path.normpath(path), [round(s.get("loss_d", s.get("loss_g")), 8) for s in steps])


if __name__ == "__main__":
    main()
