#!/usr/bin/env python3
"""A labelled photo data set of clearly different kinds, for conditional training's tests and notes:
one folder per scikit-image sample photo, holding random square crops of that photo only (each
crop 1/3 to 1/2 of the photo's shorter side, scaled to --size), so that each class is one photo's
textures and colours: coffee (cup and saucer), hubble_deep_field (black sky, galaxies), retina
(orange fundus) and rocket (blue sky, launch pad).

Usage (Debian: apt-get install python3-skimage):
    /usr/bin/python3 scripts/make_photo_classes.py --out DIR [--count 96] [--size 32] [--seed 1]
writes DIR/<photo>/crop_NNNN.png; the same arguments give the same files.
"""
import argparse
import os

import numpy as np
from skimage import data, io, transform

PHOTOS = ["coffee", "hubble_deep_field", "retina", "rocket"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, default=96, help="crops per photo")
    p.add_argument("--size", type=int, default=32, help="side of the saved crops")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    for name in PHOTOS:
        photo = getattr(data, name)()
        h, w = photo.shape[:2]
        folder = os.path.join(a.out, name)
        os.makedirs(folder, exist_ok=True)
        for i in range(a.count):
            side = int(rng.integers(min(h, w) // 3, min(h, w) // 2 + 1))
            y, x = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
            crop = transform.resize(photo[y:y + side, x:x + side], (a.size, a.size), anti_aliasing=True)
            io.imsave(os.path.join(folder, "crop_%04d.png" % i), (crop * 255).round().astype(np.uint8),
                      check_contrast=False)
    print("wrote %d crops of %d photos to %s" % (a.count * len(PHOTOS), len(PHOTOS), a.out))


if __name__ == "__main__":
    main()
