#!/usr/bin/env python3
"""Reference numbers for wgan's golden tests, computed by PyTorch exactly as the WGAN paper's
reference implementation (martinarjovsky/WassersteinGAN, main.py and models/dcgan.py) does.

Builds a small DCGAN pair (16x16x3, nz 8, ngf = ndf = 4, one extra layer) in float64 from fixed
seeded weights, then runs the reference's training steps on fixed inputs:
critic, critic (short real batch), generator, critic, generator.
It records the starting parameters, the inputs, every step's losses and the parameters after the
first critic step and at the end, named the way wgan's DL4J graphs name them (Dcgan.java).

With the gradient penalty (Gulrajani et al. 2017, igul222/improved_wgan_training): the same
steps with no clipping, a critic without BatchNorm, Adam(lr, beta1 0, beta2 0.9) and
lambda * mean((||grad_x D(x_hat)||_2 - 1)^2) added to the critic's loss, on x_hat = a * real +
(1 - a) * fake with one fixed uniform a per example (torch.autograd.grad with create_graph=True).
A short real batch of n images is interpolated with the first n fakes, as wgan does.

Usage (Debian: apt-get install python3-torch):
    /usr/bin/python3 scripts/golden/make_golden_fixtures.py
writes src/test/resources/golden/wgan-steps-rmsprop.json, wgan-steps-adam.json and wgan-steps-gp.json.
"""
import copy
import json
import os

import torch
import torch.nn as nn

IMAGE_SIZE, CHANNELS, NZ, NGF, NDF, EXTRA_LAYERS = 16, 3, 8, 4, 4, 1
BATCH, SHORT_BATCH, CLIP, LR = 4, 3, 0.01, 1e-3
GP_WEIGHT = 10.0
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                       "src", "test", "resources", "golden")


def generator(image_size=IMAGE_SIZE, channels=CHANNELS, nz=NZ, ngf=NGF, extra_layers=EXTRA_LAYERS):
    """DCGAN_G of the reference; returns (module, DL4J names of its conv and BatchNorm layers)."""
    layers, names = [], []
    cngf, tisize = ngf // 2, 4
    while tisize != image_size:
        cngf, tisize = cngf * 2, tisize * 2
    layers += [nn.ConvTranspose2d(nz, cngf, 4, 1, 0, bias=False), nn.BatchNorm2d(cngf), nn.ReLU(True)]
    names += ["g0", "g0_bn"]
    csize, index = 4, 1
    while csize < image_size // 2:
        layers += [nn.ConvTranspose2d(cngf, cngf // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(cngf // 2), nn.ReLU(True)]
        names += ["g%d" % index, "g%d_bn" % index]
        cngf, csize, index = cngf // 2, csize * 2, index + 1
    for _ in range(extra_layers):
        layers += [nn.Conv2d(cngf, cngf, 3, 1, 1, bias=False), nn.BatchNorm2d(cngf), nn.ReLU(True)]
        names += ["g%d" % index, "g%d_bn" % index]
        index += 1
    layers += [nn.ConvTranspose2d(cngf, channels, 4, 2, 1, bias=False), nn.Tanh()]
    names += ["g_out"]
    return nn.Sequential(*layers), names


def critic(batch_norm=True):
    """DCGAN_D of the reference (its forward's mean over the batch is taken by the caller); for the
    gradient penalty without BatchNorm, its layers otherwise the same."""
    layers, names = [nn.Conv2d(CHANNELS, NDF, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True)], ["d0"]
    csize, cndf, index = IMAGE_SIZE // 2, NDF, 1

    def norm(channels, name):
        return ([nn.BatchNorm2d(channels)], [name + "_bn"]) if batch_norm else ([], [])

    for _ in range(EXTRA_LAYERS):
        bn, bn_names = norm(cndf, "d%d" % index)
        layers += [nn.Conv2d(cndf, cndf, 3, 1, 1, bias=False)] + bn + [nn.LeakyReLU(0.2, inplace=True)]
        names += ["d%d" % index] + bn_names
        index += 1
    while csize > 4:
        bn, bn_names = norm(cndf * 2, "d%d" % index)
        layers += [nn.Conv2d(cndf, cndf * 2, 4, 2, 1, bias=False)] + bn + [nn.LeakyReLU(0.2, inplace=True)]
        names += ["d%d" % index] + bn_names
        cndf, csize, index = cndf * 2, csize // 2, index + 1
    layers += [nn.Conv2d(cndf, 1, 4, 1, 0, bias=False)]
    names += ["d_score"]
    return nn.Sequential(*layers), names


def weights_init(m):
    """The reference's init: conv N(0, 0.02); BatchNorm gamma N(1, 0.02), beta 0."""
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        m.weight.data.normal_(0.0, 0.02)
    elif isinstance(m, nn.BatchNorm2d):
        m.weight.data.normal_(1.0, 0.02)
        m.bias.data.fill_(0)


def named_params(net, names):
    """Parameters and running statistics under DL4J's names: <layer>_W, _gamma, _beta, _mean, _var."""
    out = {}
    params = [m for m in net if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.BatchNorm2d))]
    for name, m in zip(names, params):
        if isinstance(m, nn.BatchNorm2d):
            out[name + "_gamma"] = m.weight
            out[name + "_beta"] = m.bias
            out[name + "_mean"] = m.running_mean
        else:
            out[name + "_W"] = m.weight  # Conv2d [out,in,kh,kw], ConvTranspose2d [in,out,kh,kw]: as DL4J
    return out


def flat(tensors):
    return {k: [float(x) for x in v.detach().reshape(-1)] for k, v in tensors.items()}


def gradients(named):
    """The gradient about to be applied, by DL4J name, for learned parameters that have one."""
    return {k: v.grad.clone() for k, v in named.items() if isinstance(v, nn.Parameter) and v.grad is not None}


def critic_step(netG, netD, optD, real, noise, named=None, grads=None, alpha=None):
    """The reference's critic step; with alpha (one value per real image) the gradient penalty's
    instead: no clipping, lambda * GP added to the loss D(real) - D(fake)."""
    if alpha is None:
        for p in netD.parameters():
            p.data.clamp_(-CLIP, CLIP)
    netD.zero_grad()
    err_real = netD(real).mean()
    err_real.backward(torch.ones_like(err_real))
    with torch.no_grad():
        fake = netG(noise)
    err_fake = netD(fake).mean()
    err_fake.backward(-torch.ones_like(err_fake))
    result = {"kind": "critic", "loss_d": float(err_real - err_fake),
              "loss_d_real": float(err_real), "loss_d_fake": float(err_fake)}
    if alpha is not None:
        x_hat = (alpha * real + (1 - alpha) * fake[:real.shape[0]]).requires_grad_(True)
        g, = torch.autograd.grad(netD(x_hat).sum(), x_hat, create_graph=True)
        penalty = GP_WEIGHT * ((g.reshape(g.shape[0], -1).norm(2, dim=1) - 1) ** 2).mean()
        penalty.backward()
        result["penalty"] = float(penalty)  # the critic minimises loss_d + penalty
    if grads is not None:
        grads.update(gradients(named))
    optD.step()
    return result


def generator_step(netG, netD, optG, noise, named=None, grads=None):
    for p in netD.parameters():
        p.requires_grad = False
    netG.zero_grad()
    err_g = netD(netG(noise)).mean()
    err_g.backward(torch.ones_like(err_g))
    if grads is not None:
        grads.update(gradients(named))
    optG.step()
    for p in netD.parameters():
        p.requires_grad = True
    return {"kind": "generator", "loss_g": float(err_g)}


def make_optimizer(kind, params):
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=LR)
    if kind == "gp":
        return torch.optim.Adam(params, lr=LR, betas=(0.0, 0.9))
    return torch.optim.Adam(params, lr=LR, betas=(0.5, 0.999))


def run(kind):
    torch.manual_seed(20261127)
    torch.set_default_dtype(torch.float64)
    gp = kind == "gp"
    netG, gnames = generator()
    netD, dnames = critic(batch_norm=not gp)
    netG.apply(weights_init)
    netD.apply(weights_init)
    named = {**named_params(netG, gnames), **named_params(netD, dnames)}
    initial = flat(named)
    fresh_g, fresh_d = copy.deepcopy(netG), copy.deepcopy(netD)
    optD, optG = make_optimizer(kind, netD.parameters()), make_optimizer(kind, netG.parameters())

    def images(n):
        return torch.rand(n, CHANNELS, IMAGE_SIZE, IMAGE_SIZE) * 2 - 1

    def noise():
        return torch.randn(BATCH, NZ, 1, 1)

    inputs = {"real1": images(BATCH), "noise1": noise(), "real2": images(SHORT_BATCH), "noise2": noise(),
              "noise3": noise(), "real4": images(BATCH), "noise4": noise(), "noise5": noise()}
    alphas = {}
    if gp:
        alphas = {"alpha1": torch.rand(BATCH, 1, 1, 1), "alpha2": torch.rand(SHORT_BATCH, 1, 1, 1),
                  "alpha4": torch.rand(BATCH, 1, 1, 1)}
        inputs.update(alphas)
    critic_grads, generator_grads = {}, {}
    # The generator's gradient straight from the initial weights (no critic step before it), so a
    # float32 test can compare gradients without inheriting float drift from earlier updates.
    fresh_named = {**named_params(fresh_g, gnames), **named_params(fresh_d, dnames)}
    generator_step(fresh_g, fresh_d, make_optimizer(kind, fresh_g.parameters()), inputs["noise3"],
                   fresh_named, generator_grads)
    steps = [critic_step(netG, netD, optD, inputs["real1"], inputs["noise1"], named, critic_grads, alphas.get("alpha1"))]
    after_first = flat(named)
    steps.append(critic_step(netG, netD, optD, inputs["real2"], inputs["noise2"], alpha=alphas.get("alpha2")))
    steps.append(generator_step(netG, netD, optG, inputs["noise3"]))
    steps.append(critic_step(netG, netD, optD, inputs["real4"], inputs["noise4"], alpha=alphas.get("alpha4")))
    steps.append(generator_step(netG, netD, optG, inputs["noise5"]))
    fixture = {
        "about": "made by scripts/golden/make_golden_fixtures.py with torch " + torch.__version__,
        "model": {"image_size": IMAGE_SIZE, "channels": CHANNELS, "nz": NZ, "ngf": NGF, "ndf": NDF,
                  "extra_layers": EXTRA_LAYERS},
        "optimizer": "adam" if gp else kind, "loss": "wgan-gp" if gp else "wgan-clip", "clip": CLIP, "lr": LR,
        "gp_weight": GP_WEIGHT, "betas": [0.0, 0.9] if gp else [0.5, 0.999],
        "inputs": {k: {"shape": list(v.shape), "values": [float(x) for x in v.reshape(-1)]}
                   for k, v in inputs.items()},
        "initial": initial, "steps": steps, "after_first_critic_step": after_first, "final": flat(named),
        "gradient_first_critic_step": flat(critic_grads), "gradient_generator_from_initial": flat(generator_grads),
    }
    path = os.path.join(OUT_DIR, "wgan-steps-%s.json" % kind)
    with open(path, "w") as f:
        json.dump(fixture, f, indent=0)
    print("wrote", os.path.normpath(path), [round(s.get("loss_d", s.get("loss_g")), 8) for s in steps])


if __name__ == "__main__":
    os.makedirs(OUT_DIR, exist_ok=True)
    for optimizer_kind in ("rmsprop", "adam", "gp"):
        run(optimizer_kind)
