#!/usr/bin/python3
"""Real photographs for quality measurements: random crops of scikit-image's sample photos.

Writes OUT/train/<photo>/NNNNN.png and OUT/heldout/<photo>/NNNNN.png, one folder per photo (so the
folders double as classes of clearly different kinds), --per-photo crops per photo and split, as
--size x --size RGB PNGs. Each crop is a random square of 20-50% of the photo's shorter side at a
random position, mirrored half of the time, reduced with PIL's area-averaging (BOX) filter so that
every program that reads the files sees the same pixels (nothing is resized again at --size).

The photos are the colour ones that ship inside Debian's python3-skimage (no download), plus two
grayscale ones as RGB. Deterministic for a given --seed; train and heldout use different streams.

Usage:
    apt-get install -y python3-skimage
    /usr/bin/python3 scripts/make_photo_crops.py --out DIR [--per-photo 200] [--size 32] [--seed 0]
"""
import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image

try:
    import skimage.data
except ImportError:
    sys.exit("make_photo_crops.py: scikit-image is missing; install it with: apt-get install -y python3-skimage")

PHOTOS = ["astronaut", "chelsea", "coffee", "rocket", "hubble_deep_field", "immunohistochemistry",
          "retina", "stereo_motorcycle", "camera", "coins"]


def load_photo(name):
    image = getattr(skimage.data, name)()
    if isinstance(image, tuple):  # stereo_motorcycle returns (left, right, disparity)
        image = image[0]
    image = np.asarray(image)
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    return Image.fromarray(image[..., :3].astype(np.uint8))


def crops(photo, count, size, rng):
    width, height = photo.size
    short = min(width, height)
    for _ in range(count):
        side = int(short * rng.uniform(0.2, 0.5))
        x = int(rng.integers(0, width - side + 1))
        y = int(rng.integers(0, height - side + 1))
        crop = photo.crop((x, y, x + side, y + side)).resize((size, size), Image.BOX)
        if rng.random() < 0.5:
            crop = crop.transpose(Image.FLIP_LEFT_RIGHT)
        yield crop


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--per-photo", type=int, default=200, help="crops per photo in each split")
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--photos", default=",".join(PHOTOS), help="comma-separated skimage.data names")
    args = parser.parse_args()
    if args.out.exists() and any(args.out.iterdir()):
        sys.exit(f"make_photo_crops.py: {args.out} is not empty; give a new folder")
    names = args.photos.split(",")
    for split_index, split in enumerate(["train", "heldout"]):
        for photo_index, name in enumerate(names):
            folder = args.out / split / name
            folder.mkdir(parents=True)
            rng = np.random.default_rng([args.seed, split_index, photo_index])
            for i, crop in enumerate(crops(load_photo(name), args.per_photo, args.size, rng)):
                crop.save(folder / f"{i:05d}.png")
    total = 2 * len(names) * args.per_photo
    print(f"{total} crops of {len(names)} photos ({args.size}x{args.size}) in {args.out}/train and {args.out}/heldout")


if __name__ == "__main__":
    main()
