#!/usr/bin/env python3
"""Reference numbers for wgan's sliced Wasserstein distance (SlicedWassersteinGoldenTest).

An independent implementation of ProGAN's metric (Karras et al. 2018,
metrics/sliced_wasserstein.py of tkarras/progressive_growing_of_gans), written from the paper's
recipe on numpy and scipy.ndimage.convolve(mode="mirror") as the reference uses: Laplacian
pyramid with the [1,4,6,4,1]^2/256 kernel down to 16 px, 7x7 patches, per-set per-channel
normalisation, projections on unit directions, mean |difference| of sorted projections, x1000.
Grayscale images are replicated to 3 channels, as wgan does.

The random parts (patch centres, directions) are drawn here and written to the fixture, and the
Java test uses them as given: the test checks the math, not a shared random generator.
Everything is float64 here; wgan projects in float32, so the test allows 1e-4 relative.

Makes small deterministic PNG fixtures (two sets per case) and the expected numbers.
Usage (Debian: apt-get install -y python3-numpy python3-scipy):
    /usr/bin/python3 scripts/golden/swd_reference.py
writes src/test/resources/golden/swd/ (PNGs and swd.json).
"""
import json
import os
import struct
import zlib

import numpy as np
import scipy.ndimage

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                       "src", "test", "resources", "golden", "swd")
PATCH, HALF = 7, 3
PATCHES_PER_IMAGE, REPEATS, DIRECTIONS = 16, 2, 8
IMAGES_PER_SET = 6
KERNEL = np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]).astype(np.float64) / 256.0


def write_png(path, pixels):
    """pixels: (H, W) uint8 grayscale or (H, W, 3) uint8 RGB; 8-bit PNG, no filtering."""
    height, width = pixels.shape[:2]
    colour = 2 if pixels.ndim == 3 else 0
    rows = b"".join(b"\x00" + pixels[y].tobytes() for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
                + chunk(b"IEND", b""))


def make_images(rng, count, size, channels, noise):
    """Smooth blobs (a low-resolution pattern blown up) plus pixel noise: every level has content."""
    images = []
    for _ in range(count):
        coarse = rng.uniform(0, 255, size=(channels, 4, 4))
        smooth = scipy.ndimage.zoom(coarse, (1, size / 4, size / 4), order=1)
        image = smooth + rng.normal(0, noise, size=smooth.shape)
        images.append(np.clip(np.round(image), 0, 255).astype(np.uint8))
    return np.stack(images)  # (N, C, S, S)


def pyr_down(x):
    return scipy.ndimage.convolve(x, KERNEL[np.newaxis, np.newaxis], mode="mirror")[:, :, ::2, ::2]


def pyr_up(x):
    n, c, h, w = x.shape
    zeros = np.zeros((n, c, 2 * h, 2 * w), x.dtype)
    zeros[:, :, ::2, ::2] = x
    return scipy.ndimage.convolve(zeros, KERNEL[np.newaxis, np.newaxis] * 4.0, mode="mirror")


def laplacian_pyramid(images, levels):
    pyramid = [images.astype(np.float64)]
    for _ in range(1, levels):
        pyramid.append(pyr_down(pyramid[-1]))
        pyramid[-2] = pyramid[-2] - pyr_up(pyramid[-1])
    return pyramid


def descriptors(level, centres):
    """centres: (patches, 2) as (x, y); descriptor layout (channel, x offset, y offset) as the reference's ogrid."""
    n, c, h, w = level.shape
    patches = len(centres)
    out = np.empty((patches, c, PATCH, PATCH))
    for i, (x, y) in enumerate(centres):
        patch = level[i // PATCHES_PER_IMAGE, :, y - HALF:y + HALF + 1, x - HALF:x + HALF + 1]  # (c, y, x)
        out[i] = patch.transpose(0, 2, 1)
    out -= out.mean(axis=(0, 2, 3), keepdims=True)
    out /= out.std(axis=(0, 2, 3), keepdims=True)
    return out.reshape(patches, -1)


def sliced_wasserstein(a, b, directions):
    """directions: (repeats, dirs, dim) unit vectors."""
    results = []
    for repeat in directions:
        proj_a = np.sort(a @ repeat.T, axis=0)
        proj_b = np.sort(b @ repeat.T, axis=0)
        results.append(np.mean(np.abs(proj_a - proj_b)))
    return float(np.mean(results))


def make_case(name, rng, size, channels):
    sets = {"a": make_images(rng, IMAGES_PER_SET, size, channels, noise=6),
            "b": make_images(rng, IMAGES_PER_SET, size, channels, noise=20)}
    files = {}
    os.makedirs(os.path.join(OUT_DIR, name), exist_ok=True)
    for key, images in sets.items():
        files[key] = []
        for i, image in enumerate(images):
            relative = "%s/%s-%d.png" % (name, key, i)
            write_png(os.path.join(OUT_DIR, relative), image[0] if channels == 1 else image.transpose(1, 2, 0))
            files[key].append(relative)
    resolutions = []
    res = size
    while res >= 16:
        resolutions.append(res)
        res //= 2
    rgb = {k: np.repeat(v, 3, axis=1) if channels == 1 else v for k, v in sets.items()}
    pyramids = {k: laplacian_pyramid(v, len(resolutions)) for k, v in rgb.items()}
    centres, directions, expected = {"a": [], "b": []}, [], []
    for level, res in enumerate(resolutions):
        desc = {}
        for key in ("a", "b"):
            xy = rng.randint(HALF, res - HALF, size=(IMAGES_PER_SET * PATCHES_PER_IMAGE, 2))
            centres[key].append(xy.reshape(-1).tolist())
            desc[key] = descriptors(pyramids[key][level], xy)
        dirs = rng.normal(size=(REPEATS, DIRECTIONS, 3 * PATCH * PATCH))
        dirs /= np.sqrt(np.sum(dirs ** 2, axis=2, keepdims=True))
        directions.append([[round(float(v), 9) for v in repeat.reshape(-1)] for repeat in dirs])
        rounded = np.array(directions[-1]).reshape(dirs.shape)  # the numbers Java reads
        expected.append(sliced_wasserstein(desc["a"], desc["b"], rounded) * 1e3)
    return {"name": name, "size": size, "channels": channels, "files": files,
            "patches_per_image": PATCHES_PER_IMAGE, "resolutions": resolutions, "centres": centres,
            "directions": directions, "expected": expected, "expected_mean": float(np.mean(expected))}


def main():
    rng = np.random.RandomState(2018)
    cases = [make_case("rgb32", rng, 32, 3), make_case("gray32", rng, 32, 1)]
    with open(os.path.join(OUT_DIR, "swd.json"), "w") as f:
        json.dump({"made_by": "scripts/golden/swd_reference.py", "cases": cases}, f)
        f.write("\n")
    for case in cases:
        print(case["name"], ["%.4f" % e for e in case["expected"]], "mean %.4f" % case["expected_mean"])


if __name__ == "__main__":
    main()
