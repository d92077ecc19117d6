#!/usr/bin/env python3
"""The machine's GEMM rate, for the bound of docs/PERFORMANCE.md (issue 16): one statefarm-64
generator iteration is ~533 GFLOP, so rate / 533 is the iterations per second a program could reach
if every FLOP ran at GEMM speed.

Prints GFLOP/s (median of --reps timed products after one warm-up) of an n x n x n product:
  numpy float32 (OpenBLAS SGEMM, what libnd4j's GEMMs use), torch float32 (its own MKL/oneDNN
  SGEMM) and torch bfloat16 (oneDNN's bf16 GEMM with float32 accumulation: AVX512-BF16's vdpbf16ps).
Run it with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for users' figures:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 scripts/bench/gemm_rate.py
The last line is JSON.
"""
import argparse
import json
import os
import statistics
import time

import numpy as np
import torch


def rate(product, n, reps):
    product()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        product()
        times.append(time.perf_counter() - t)
    return 2.0 * n ** 3 / statistics.median(times) / 1e9


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=4096)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--threads", type=int, default=os.cpu_count(),
                   help="torch threads (default: every CPU, as OpenBLAS takes them; torch itself starts with 1 here)")
    p.add_argument("--only", choices=["numpy_float32", "torch_float32", "torch_bfloat16"],
                   help="time this product alone")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((a.n, a.n), dtype=np.float32)
    y = rng.standard_normal((a.n, a.n), dtype=np.float32)
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    bx, by = tx.to(torch.bfloat16), ty.to(torch.bfloat16)
    products = {
        "numpy_float32": lambda: x @ y,
        "torch_float32": lambda: tx @ ty,
        "torch_bfloat16": lambda: bx @ by,
    }
    rates = {k: rate(f, a.n, a.reps) for k, f in products.items() if a.only in (None, k)}
    for k, v in rates.items():
        print(f"{k}: {v:.1f} GFLOP/s ({v / 533:.3f} statefarm-64 generator iterations/s at 533 GFLOP each)")
    print(json.dumps({"n": a.n, "threads": a.threads, "gflops": {k: round(v, 1) for k, v in rates.items()}}))


if __name__ == "__main__":
    main()
