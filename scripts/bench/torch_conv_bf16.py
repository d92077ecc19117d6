#!/usr/bin/env python3
"""Research probe for issue 16 (docs/PERFORMANCE-bf16.md): oneDNN's bf16 convolution kernels as
PyTorch's CPU build carries them, at the statefarm-64 layer shapes (batch 64, k4 s2 p1), against
float32: forward, data gradient, weight gradient of conv2d (critic) and conv_transpose2d
(generator). Prints the process CPU ms per call (mean of --reps after a warm-up; the machine may
be shared) and bf16's relative error. Run with DNNL_VERBOSE=1 to see oneDNN's kernels.
"""
import argparse, time
import torch
import torch.nn.functional as F

CRITIC = [(3, 64, 64), (64, 128, 32), (128, 256, 16), (256, 512, 8)]
GENERATOR = [(512, 256, 4), (256, 128, 8), (128, 64, 16), (64, 3, 32)]


def cpu_ms(fn, reps):
    fn()
    t = time.process_time()
    for _ in range(reps):
        fn()
    return (time.process_time() - t) / reps * 1e3


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=64)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(16)
    print("torch", torch.__version__, "threads", torch.get_num_threads(), [l for l in torch.__config__.show().splitlines() if "DNN" in l])
    for transposed, shapes in ((False, CRITIC), (True, GENERATOR)):
        for cin, cout, side in shapes:
            conv = F.conv_transpose2d if transposed else F.conv2d
            x = torch.randn(a.batch, cin, side, side)
            w = torch.randn(*((cin, cout) if transposed else (cout, cin)), 4, 4) / (cin * 16) ** 0.5
            res = {}
            for dt in (torch.float32, torch.bfloat16):
                xd, wd = x.to(dt).requires_grad_(True), w.to(dt).requires_grad_(True)
                try:
                    y = conv(xd, wd, stride=2, padding=1)
                except RuntimeError as e:  # PyTorch 1.13's CPU conv_transpose2d refuses bf16 (autocast keeps it float32)
                    print(f"{conv.__name__} {cin}->{cout} {side}x{side} in {dt}: refused: {str(e)[:100]}")
                    break
                if dt == torch.float32:
                    g32 = torch.randn_like(y)  # the same output gradient for both types
                g = g32.to(dt)
                fwd = cpu_ms(lambda: conv(xd, wd, stride=2, padding=1), a.reps)
                # one backward gives both gradients; each alone from autograd.grad on one input
                data = cpu_ms(lambda: torch.autograd.grad(conv(xd, wd.detach(), stride=2, padding=1), xd, g), a.reps) - fwd
                weight = cpu_ms(lambda: torch.autograd.grad(conv(xd.detach(), wd, stride=2, padding=1), wd, g), a.reps) - fwd
                gx, gw = torch.autograd.grad(conv(xd, wd, stride=2, padding=1), (xd, wd), g)
                res[dt] = (fwd, data, weight, y.detach().float(), gx.float(), gw.float())
            if torch.bfloat16 not in res:
                continue
            f, b = res[torch.float32], res[torch.bfloat16]
            err = [((bb - ff).norm() / ff.norm()).item() for ff, bb in zip(f[3:], b[3:])]
            print(f"{'deconv' if transposed else 'conv'} {cin:3d}->{cout:3d} {side:2d}x{side:<2d} fp32/bf16 CPU ms:"
                  f" forward {f[0]:6.1f}/{b[0]:6.1f} ({f[0] / b[0]:.2f}x)"
                  f" data {f[1]:6.1f}/{b[1]:6.1f} ({f[1] / max(b[1], 1e-9):.2f}x)"
                  f" weight {f[2]:6.1f}/{b[2]:6.1f} ({f[2] / max(b[2], 1e-9):.2f}x)"
                  f" rel.err y {err[0]:.1e} dx {err[1]:.1e} dw {err[2]:.1e}")


if __name__ == "__main__":
    main()
