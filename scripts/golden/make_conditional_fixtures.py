#!/usr/bin/env python3
"""Reference numbers for wgan's class-conditional training (GoldenConditionalTest), by PyTorch.

The pair is make_golden_fixtures.py's (16x16x3, nz 8, ngf = ndf = 4, one extra layer, float64)
made conditional on K = 3 classes as wgan builds it (Dcgan.java):
  * generator: its input is the noise followed by the one-hot class, nz + K channels;
  * critic: a projection discriminator (Miyato and Koyama 2018),
    D(x, y) = psi(phi(x)) + <E_y, phi(x)>, with phi the critic's layers before its last
    convolution and psi that convolution (named d_score_W as in wgan), E [K, C, 4, 4] a learned
    embedding per class (d_score_E), initialised N(0, 0.02) like the convolutions.
Then the reference's steps, with each real image's label and the fakes' labels fixed:
critic, critic (short real batch), generator, critic, generator. Clipping (RMSprop, every critic
parameter, E included, clamped to [-c, c]) and the gradient penalty (Adam 0 / 0.9, no BatchNorm
in the critic; each interpolate scored with its real image's class, as StudioGAN's
cal_grad_penalty does).

Usage (Debian: apt-get install python3-torch):
    /usr/bin/python3 scripts/golden/make_conditional_fixtures.py
writes src/test/resources/golden/wgan-steps-cond-rmsprop.json and wgan-steps-cond-gp.json.
"""
import copy
import json
import os

import torch
import torch.nn as nn

import make_golden_fixtures as ref

K = 3


class ProjectionCritic(nn.Module):
    def __init__(self, batch_norm):
        super().__init__()
        seq, self.names = ref.critic(batch_norm=batch_norm)
        self.seq = seq
        self.embed = nn.Parameter(torch.empty(K, *seq[-1].weight.shape[1:]))

    def forward(self, x, y):
        phi = self.seq[:-1](x)
        return self.seq[-1](phi).reshape(-1) + (self.embed[y] * phi).sum(dim=(1, 2, 3))

    def named(self):
        out = ref.named_params(self.seq, self.names)
        out["d_score_E"] = self.embed
        return out


def one_hot(y):
    return nn.functional.one_hot(y, K).to(torch.float64).reshape(-1, K, 1, 1)


def critic_step(netG, netD, optD, real, real_y, noise, fake_y, grads=None, alpha=None):
    if alpha is None:
        for p in netD.parameters():
            p.data.clamp_(-ref.CLIP, ref.CLIP)
    netD.zero_grad()
    err_real = netD(real, real_y).mean()
    err_real.backward(torch.ones_like(err_real))
    with torch.no_grad():
        fake = netG(torch.cat([noise, one_hot(fake_y)], 1))
    err_fake = netD(fake, fake_y).mean()
    err_fake.backward(-torch.ones_like(err_fake))
    result = {"kind": "critic", "loss_d": float(err_real - err_fake),
              "loss_d_real": float(err_real), "loss_d_fake": float(err_fake)}
    if alpha is not None:
        x_hat = (alpha * real + (1 - alpha) * fake[:real.shape[0]]).requires_grad_(True)
        g, = torch.autograd.grad(netD(x_hat, real_y).sum(), x_hat, create_graph=True)
        penalty = ref.GP_WEIGHT * ((g.reshape(g.shape[0], -1).norm(2, dim=1) - 1) ** 2).mean()
        penalty.backward()
        result["penalty"] = float(penalty)
    if grads is not None:
        grads.update(ref.gradients(netD.named()))
    optD.step()
    return result


def generator_step(netG, gnames, netD, optG, noise, y, grads=None):
    for p in netD.parameters():
        p.requires_grad = False
    netG.zero_grad()
    err_g = netD(netG(torch.cat([noise, one_hot(y)], 1)), y).mean()
    err_g.backward(torch.ones_like(err_g))
    if grads is not None:
        grads.update(ref.gradients(ref.named_params(netG, gnames)))
    optG.step()
    for p in netD.parameters():
        p.requires_grad = True
    return {"kind": "generator", "loss_g": float(err_g)}


def run(kind):
    torch.manual_seed(20261202)
    torch.set_default_dtype(torch.float64)
    gp = kind == "gp"
    netG, gnames = ref.generator(nz=ref.NZ + K)
    netD = ProjectionCritic(batch_norm=not gp)
    netG.apply(ref.weights_init)
    netD.seq.apply(ref.weights_init)
    netD.embed.data.normal_(0.0, 0.02)

    def named():
        return {**ref.named_params(netG, gnames), **netD.named()}

    initial = ref.flat(named())
    fresh_g, fresh_d = copy.deepcopy(netG), copy.deepcopy(netD)
    optD, optG = ref.make_optimizer(kind, netD.parameters()), ref.make_optimizer(kind, netG.parameters())

    def images(n):
        return torch.rand(n, ref.CHANNELS, ref.IMAGE_SIZE, ref.IMAGE_SIZE) * 2 - 1

    def noise():
        return torch.randn(ref.BATCH, ref.NZ, 1, 1)

    def labels(n):
        return torch.randint(0, K, (n,))

    B, S = ref.BATCH, ref.SHORT_BATCH
    inputs = {"real1": images(B), "noise1": noise(), "real2": images(S), "noise2": noise(),
              "noise3": noise(), "real4": images(B), "noise4": noise(), "noise5": noise()}
    y = {"labels1": labels(B), "fake_labels1": labels(B), "labels2": labels(S), "fake_labels2": labels(B),
         "fake_labels3": labels(B), "labels4": labels(B), "fake_labels4": labels(B), "fake_labels5": labels(B)}
    y["labels1"][:K] = torch.arange(K)  # every class present in the first step, so every E_k gets a gradient
    alphas = {}
    if gp:
        alphas = {"alpha1": torch.rand(B, 1, 1, 1), "alpha2": torch.rand(S, 1, 1, 1), "alpha4": torch.rand(B, 1, 1, 1)}
        inputs.update(alphas)
    critic_grads, generator_grads = {}, {}
    generator_step(fresh_g, gnames, fresh_d, ref.make_optimizer(kind, fresh_g.parameters()), inputs["noise3"],
                   y["fake_labels3"], generator_grads)
    steps = [critic_step(netG, netD, optD, inputs["real1"], y["labels1"], inputs["noise1"], y["fake_labels1"],
                         critic_grads, alphas.get("alpha1"))]
    after_first = ref.flat(named())
    steps.append(critic_step(netG, netD, optD, inputs["real2"], y["labels2"], inputs["noise2"], y["fake_labels2"],
                             alpha=alphas.get("alpha2")))
    steps.append(generator_step(netG, gnames, netD, optG, inputs["noise3"], y["fake_labels3"]))
    steps.append(critic_step(netG, netD, optD, inputs["real4"], y["labels4"], inputs["noise4"], y["fake_labels4"],
                             alpha=alphas.get("alpha4")))
    steps.append(generator_step(netG, gnames, netD, optG, inputs["noise5"], y["fake_labels5"]))
    fixture = {
        "about": "made by scripts/golden/make_conditional_fixtures.py with torch " + torch.__version__,
        "model": {"image_size": ref.IMAGE_SIZE, "channels": ref.CHANNELS, "nz": ref.NZ, "ngf": ref.NGF,
                  "ndf": ref.NDF, "extra_layers": ref.EXTRA_LAYERS, "classes": K},
        "optimizer": "adam" if gp else kind, "loss": "wgan-gp" if gp else "wgan-clip", "clip": ref.CLIP,
        "lr": ref.LR, "gp_weight": ref.GP_WEIGHT, "betas": [0.0, 0.9] if gp else [0.5, 0.999],
        "inputs": {k: {"shape": list(v.shape), "values": [float(x) for x in v.reshape(-1)]}
                   for k, v in inputs.items()},
        "labels": {k: [int(x) for x in v] for k, v in y.items()},
        "initial": initial, "steps": steps, "after_first_critic_step": after_first, "final": ref.flat(named()),
        "gradient_first_critic_step": ref.flat(critic_grads),
        "gradient_generator_from_initial": ref.flat(generator_grads),
    }
    path = os.path.join(ref.OUT_DIR, "wgan-steps-cond-%s.json" % kind)
    with open(path, "w") as f:
        json.dump(fixture, f, indent=0)
    print("wrote", os.path.normpath(path), [round(s.get("loss_d", s.get("loss_g")), 8) for s in steps])


if __name__ == "__main__":
    for optimizer_kind in ("rmsprop", "gp"):
        run(optimizer_kind)
