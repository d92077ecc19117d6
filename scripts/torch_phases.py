#!/usr/bin/env python3
"""Times the PyTorch peer's phases, to compare with `wgan bench --profile`.

Uses the networks of ../shared/bench/torch_wgan.py (beside this repository):
    /usr/bin/python3 scripts/torch_phases.py [--threads 2]
prints the median ms of a critic forward+backward on one batch, a generator forward (no grad),
and a generator step's generator+critic forward+backward (critic parameters frozen).
"""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"))
import torch_wgan  # noqa: E402


def median_ms(work, repeats=5):
    work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return sorted(times)[repeats // 2] * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    G, D = torch_wgan.generator(100, 64, 3), torch_wgan.critic(64, 3)
    real = torch.rand(64, 3, 64, 64) * 2 - 1
    noise = torch.randn(64, 100, 1, 1)

    def critic_pass():
        D.zero_grad()
        D(real).mean().backward()

    def generator_forward():
        with torch.no_grad():
            G(noise)

    def generator_step_pass():
        G.zero_grad()
        for p in D.parameters():
            p.requires_grad_(False)
        D(G(noise)).mean().backward()
        for p in D.parameters():
            p.requires_grad_(True)

    print("critic forward+backward %.0f ms, generator forward %.0f ms, generator step pass %.0f ms"
          % (median_ms(critic_pass), median_ms(generator_forward), median_ms(generator_step_pass)))


if __name__ == "__main__":
    main()
