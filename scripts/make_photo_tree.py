#!/usr/bin/python3
"""Generate a tree of synthetic JPEG "photos" for tests and benchmarks.

Layout follows the State Farm data set: OUT/c0..c9/img_N.jpg, with image N
going to class folder c(N mod 10).

--source fashion (default): image N shows Fashion-MNIST training image
N mod 60000 (from Debian's dataset-fashion-mnist), upscaled bicubically to
60-80% of the photo's shorter side, tinted with a random colour and pasted at
a random position on a smooth random colour gradient, plus mild sensor noise.
--source noise: smooth random colour blobs plus the same noise.

Output is deterministic for a given --seed (each image has its own RNG seeded
by (seed, N)), and images are generated in parallel on all CPU cores.

Usage:
    /usr/bin/python3 scripts/make_photo_tree.py --out DIR [--count 2000]
        [--width 640] [--height 480] [--quality 90] [--seed 0]
        [--source fashion|noise]
"""
import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
from make_sample_data import DEBIAN_DIR, load_fashion_mnist  # noqa: E402

NUM_CLASSES = 10
NOISE_SIGMA = 6.0

# Per-worker state, set by init_worker.
_args = None
_items = None
_noise = None


def smooth_field(rng, width, height, cells):
    """A width x height RGB float image interpolated from a cells x cells random grid."""
    grid = rng.integers(0, 256, size=(cells, cells, 3), dtype=np.uint8)
    return np.asarray(Image.fromarray(grid).resize((width, height), Image.BICUBIC), dtype=np.float32)


def paste_item(photo, item, rng):
    """Tint a 28x28 grayscale item, upscale it and blend it into photo in place."""
    height, width, _ = photo.shape
    size = int(min(width, height) * rng.uniform(0.6, 0.8))
    alpha = np.asarray(Image.fromarray(item).resize((size, size), Image.BICUBIC), dtype=np.float32) / 255
    alpha = alpha[..., None]
    tint = rng.uniform(40, 255, size=3).astype(np.float32)
    y = rng.integers(0, height - size + 1)
    x = rng.integers(0, width - size + 1)
    region = photo[y:y + size, x:x + size]
    # Shade the tint by the item's brightness; faint parts are still mostly opaque.
    coverage = np.minimum(1, 3 * alpha)
    region[:] = region * (1 - coverage) + tint * (0.3 + 0.7 * alpha) * coverage


def add_noise(photo, rng):
    """Add a randomly offset window of the shared noise tile (cheaper than fresh noise)."""
    height, width, _ = photo.shape
    y = rng.integers(0, height)
    x = rng.integers(0, width)
    photo += _noise[y:y + height, x:x + width]


def make_photo(index):
    """Build photo number index and save it as OUT/c<k>/img_<index>.jpg; return its size."""
    rng = np.random.default_rng([_args.seed, index])
    width, height = _args.width, _args.height
    if _items is None:
        photo = smooth_field(rng, width, height, cells=5)
    else:
        photo = smooth_field(rng, width, height, cells=2)
        paste_item(photo, _items[index % len(_items)], rng)
    add_noise(photo, rng)
    image = Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8))
    path = Path(_args.out) / f"c{index % NUM_CLASSES}" / f"img_{index}.jpg"
    image.save(path, quality=_args.quality)
    return path.stat().st_size


def init_worker(args, items):
    """Store the options and source items; build the noise tile from the seed."""
    global _args, _items, _noise
    _args, _items = args, items
    rng = np.random.default_rng(args.seed)
    _noise = rng.normal(0, NOISE_SIGMA, size=(2 * args.height, 2 * args.width, 3)).astype(np.float32)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--count", type=int, default=2000, help="total number of images")
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=480)
    parser.add_argument("--quality", type=int, default=90, help="JPEG quality")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", choices=["fashion", "noise"], default="fashion")
    return parser.parse_args()


def main():
    args = parse_args()
    start = time.monotonic()
    items = None
    if args.source == "fashion":
        images, _ = load_fashion_mnist(DEBIAN_DIR)
        items = images[:min(args.count, len(images))]
    for c in range(NUM_CLASSES):
        (Path(args.out) / f"c{c}").mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(os.cpu_count(), initializer=init_worker, initargs=(args, items)) as pool:
        total_bytes = sum(pool.map(make_photo, range(args.count), chunksize=32))
    seconds = time.monotonic() - start
    print(f"wrote {args.count} {args.width}x{args.height} {args.source} JPEGs to {args.out}: "
          f"{total_bytes / 1e6:.1f} MB in {seconds:.1f} s")


if __name__ == "__main__":
    main()
