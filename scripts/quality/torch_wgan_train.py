#!/usr/bin/python3
"""The PyTorch reference for docs/QUALITY.md: the WGAN paper's DCGAN trained on a folder of images,
with weight clipping (Arjovsky et al., martinarjovsky/WassersteinGAN main.py) or the gradient
penalty (Gulrajani et al., igul222/improved_wgan_training), at the sizes `wgan train` uses.

It mirrors what wgan does and what the references do:
- networks: the reference's DCGAN_G / DCGAN_D builder loops (any power-of-two size, no bias,
  BatchNorm in the generator; in the critic too with clipping, not with the penalty), DCGAN's
  initialisation (conv weights N(0, 0.02), BatchNorm gamma N(1, 0.02), beta 0);
- data: every image under --data (png, jpg, jpeg, bmp), shorter side resized to --size (area
  averaging down, bicubic up, as wgan's loader) and centre-cropped, scaled to [-1, 1]; a shuffled
  pass per epoch in batches of --batch, the last one partial;
- clipping: RMSprop 5e-5, clip 0.01, 100 critic steps for the first 25 generator iterations and
  every 500th, else --n-critic, a critic burst ending early at an epoch's end (main.py's loop);
- penalty: Adam 1e-4, betas (0, 0.9), --n-critic 5 throughout, lambda 10, one uniform a per image,
  the penalty's gradient through torch.autograd.grad(create_graph=True).
At each generator iteration in --save-at it writes --n-samples PNGs of the generator (BatchNorm in
training mode, chunks of 64, as wgan samples) to OUT/iter-NNNNNN/ and prints one JSON line with the
wall time so far (also in OUT/log.jsonl). Score them as wgan's checkpoints are scored:
    wgan eval --images OUT/iter-002000 --image-size 32 --channels 3 --data HELD_OUT --n 1000 --json

Usage:
    apt-get install -y python3-torch
    /usr/bin/python3 scripts/quality/torch_wgan_train.py --data DIR --out OUT --loss wgan-gp \
        [--size 32] [--channels 3] [--ngf 32] [--ndf 32] [--save-at 300,1000,2000] [--seed 1]
"""
import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

try:
    import torch
    import torch.nn as nn
except ImportError:
    sys.exit("torch_wgan_train.py: PyTorch is missing; install it with: apt-get install -y python3-torch")

# The networks are the peer benchmark's (the reference's DCGAN_G / DCGAN_D loops), defined once there.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
from torch_wgan import critic, generator  # noqa: E402

EXTENSIONS = {".png", ".jpg", ".jpeg", ".bmp"}


def dcgan_init(module):
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        module.weight.data.normal_(0.0, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        module.weight.data.normal_(1.0, 0.02)
        module.bias.data.fill_(0)


def load_images(root, size, channels):
    files = sorted(p for p in Path(root).rglob("*") if p.suffix.lower() in EXTENSIONS and p.is_file())
    if not files:
        sys.exit(f"torch_wgan_train.py: no images under {root}")
    out = np.empty((len(files), channels, size, size), dtype=np.float32)
    for i, path in enumerate(files):
        image = Image.open(path).convert("RGB" if channels == 3 else "L")
        width, height = image.size
        scale = size / min(width, height)
        if scale != 1:
            new = (max(size, round(width * scale)), max(size, round(height * scale)))
            image = image.resize(new, Image.BOX if scale < 1 else Image.BICUBIC)
        left, top = (image.size[0] - size) // 2, (image.size[1] - size) // 2
        pixels = np.asarray(image.crop((left, top, left + size, top + size)), dtype=np.float32)
        pixels = pixels.reshape(size, size, channels).transpose(2, 0, 1)
        out[i] = pixels / 127.5 - 1
    return torch.from_numpy(out)


def gradient_penalty(netD, real, fake, weight):
    a = torch.rand(real.size(0), 1, 1, 1)
    x_hat = (a * real + (1 - a) * fake).requires_grad_(True)
    grad, = torch.autograd.grad(netD(x_hat).sum(), x_hat, create_graph=True)
    return weight * ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


def save_samples(netG, nz, count, folder, seed):
    folder.mkdir(parents=True)
    generator_rng = torch.Generator().manual_seed(seed)
    index = 0
    with torch.no_grad():
        for start in range(0, count, 64):
            noise = torch.randn(min(64, count - start), nz, 1, 1, generator=generator_rng)
            images = ((netG(noise) + 1) * 127.5).round().clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1).numpy()
            for image in images:
                Image.fromarray(image.squeeze(-1) if image.shape[-1] == 1 else image).save(folder / f"{index:05d}.png")
                index += 1


def log(record, out):
    """One JSON line on stdout and in OUT/log.jsonl (score_runs.py reads the wall times there)."""
    line = json.dumps(record)
    print(line, flush=True)
    with (out / "log.jsonl").open("a") as f:
        f.write(line + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--loss", choices=["wgan-clip", "wgan-gp"], default="wgan-clip")
    p.add_argument("--size", type=int, default=32)
    p.add_argument("--channels", type=int, choices=[1, 3], default=3)
    p.add_argument("--nz", type=int, default=100)
    p.add_argument("--ngf", type=int, default=32)
    p.add_argument("--ndf", type=int, default=32)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--n-critic", type=int, default=5)
    p.add_argument("--gp-weight", type=float, default=10.0)
    p.add_argument("--save-at", default="300,1000,2000", help="generator iterations, comma-separated")
    p.add_argument("--n-samples", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=0, help="0: PyTorch's default")
    a = p.parse_args()
    if a.out.exists():
        sys.exit(f"torch_wgan_train.py: {a.out} exists; give a new folder")
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    save_at = sorted(int(s) for s in a.save_at.split(","))
    gp = a.loss == "wgan-gp"

    data = load_images(a.data, a.size, a.channels)
    netG = generator(a.size, a.nz, a.ngf, a.channels)
    netD = critic(a.size, a.ndf, a.channels, batch_norm=not gp)
    netG.apply(dcgan_init)
    netD.apply(dcgan_init)
    if gp:
        optD = torch.optim.Adam(netD.parameters(), lr=1e-4, betas=(0.0, 0.9))
        optG = torch.optim.Adam(netG.parameters(), lr=1e-4, betas=(0.0, 0.9))
    else:
        optD = torch.optim.RMSprop(netD.parameters(), lr=5e-5)
        optG = torch.optim.RMSprop(netG.parameters(), lr=5e-5)
    a.out.mkdir(parents=True)
    log({"torch": torch.__version__, "threads": torch.get_num_threads(), "images": len(data),
         **{k: str(v) for k, v in vars(a).items()}}, a.out)

    start = time.perf_counter()
    saving = 0.0  # seconds spent writing samples, left out of the wall time reported
    gen_iter = 0
    while gen_iter < save_at[-1]:
        order = torch.randperm(len(data))
        batches = [order[i:i + a.batch] for i in range(0, len(data), a.batch)]
        i = 0
        while i < len(batches) and gen_iter < save_at[-1]:
            # (1) the critic: main.py's burst schedule with clipping, a constant one with the penalty
            for param in netD.parameters():
                param.requires_grad_(True)
            d_iters = 100 if not gp and (gen_iter < 25 or gen_iter % 500 == 0) else a.n_critic
            j = 0
            while j < d_iters and i < len(batches):
                j += 1
                if not gp:
                    for param in netD.parameters():
                        param.data.clamp_(-0.01, 0.01)
                real = data[batches[i]]
                i += 1
                netD.zero_grad(set_to_none=True)
                with torch.no_grad():
                    fake = netG(torch.randn(real.size(0), a.nz, 1, 1))
                loss_d = netD(fake).mean() - netD(real).mean()
                if gp:
                    loss_d = loss_d + gradient_penalty(netD, real, fake, a.gp_weight)
                loss_d.backward()
                optD.step()
            # (2) the generator
            for param in netD.parameters():
                param.requires_grad_(False)
            netG.zero_grad(set_to_none=True)
            loss_g = -netD(netG(torch.randn(a.batch, a.nz, 1, 1))).mean()
            loss_g.backward()
            optG.step()
            gen_iter += 1
            if not math.isfinite(float(loss_g)):
                sys.exit(f"torch_wgan_train.py: diverged at generator iteration {gen_iter}")
            if gen_iter in save_at:
                seconds = time.perf_counter() - start - saving
                save_samples(netG, a.nz, a.n_samples, a.out / f"iter-{gen_iter:06d}", a.seed)
                saving = time.perf_counter() - start - seconds
                log({"gen_iter": gen_iter, "seconds": round(seconds, 1), "loss_d": float(loss_d),
                     "loss_g": float(loss_g)}, a.out)


if __name__ == "__main__":
    main()
