#!/usr/bin/python3
"""Build the small sample data set data/sample/ from Debian's Fashion-MNIST.

Takes the first N training images of each of the 10 classes (default 200,
so 2,000 images) and writes them as 28x28 8-bit grayscale PNGs named
c<label>/fm-<index>.png, where <index> is the image's position in the
source file. Also writes LICENSE.txt and README.md. Output is deterministic:
re-running produces byte-identical files.

Usage:
    sudo apt-get install dataset-fashion-mnist
    /usr/bin/python3 scripts/make_sample_data.py [--source DIR] [--out DIR] [--per-class N]
"""
import argparse
import gzip
import sys
from itertools import takewhile
from pathlib import Path

import numpy as np
from PIL import Image

DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
DEBIAN_COPYRIGHT = Path("/usr/share/doc/dataset-fashion-mnist/copyright")
REPO_ROOT = Path(__file__).resolve().parent.parent
IMAGES_FILE = "train-images-idx3-ubyte.gz"
LABELS_FILE = "train-labels-idx1-ubyte.gz"
NUM_CLASSES = 10


def read_idx(path):
    """Read a gzipped idx file (unsigned-byte data) into a numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[:3] != b"\0\0\x08":
        raise ValueError(f"{path}: not an unsigned-byte idx file")
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load_fashion_mnist(source):
    """Return (images, labels) of the training set, or exit 2 if missing."""
    paths = [Path(source) / IMAGES_FILE, Path(source) / LABELS_FILE]
    if not all(p.is_file() for p in paths):
        print(f"Fashion-MNIST not found in {source}: apt-get install dataset-fashion-mnist")
        sys.exit(2)
    return read_idx(paths[0]), read_idx(paths[1])


def select_per_class(labels, per_class):
    """Indices of the first per_class images of each class, by class."""
    return {c: np.flatnonzero(labels == c)[:per_class] for c in range(NUM_CLASSES)}


def write_class_folder(folder, images, indices):
    """Write the chosen images as PNGs and remove stale fm-*.png files."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {f"fm-{i:06d}.png" for i in indices}
    for stale in folder.glob("fm-*.png"):
        if stale.name not in wanted:
            stale.unlink()
    for i in indices:
        Image.fromarray(images[i], mode="L").save(folder / f"fm-{i:06d}.png")


def mit_licence_text():
    """The Expat (MIT) licence text from Debian's copyright file, if present."""
    lines = DEBIAN_COPYRIGHT.read_text().splitlines() if DEBIAN_COPYRIGHT.is_file() else []
    # The standalone licence paragraph is the last "License: Expat" stanza.
    start = max((i for i, line in enumerate(lines) if line == "License: Expat"), default=None)
    if start is None:
        return "See https://github.com/zalandoresearch/fashion-mnist/blob/master/LICENSE\n"
    body = takewhile(lambda line: line.startswith(" "), lines[start + 1:])
    return "\n".join("" if line == " ." else line[1:].rstrip() for line in body) + "\n"


def write_docs(out, per_class, total):
    (out / "LICENSE.txt").write_text(
        "The images in this folder come from Fashion-MNIST by Zalando Research\n"
        "(https://github.com/zalandoresearch/fashion-mnist), as shipped by Debian's\n"
        "package dataset-fashion-mnist. They are licensed under the MIT licence:\n\n"
        "Copyright (c) 2017 Zalando SE\n\n" + mit_licence_text())
    (out / "README.md").write_text(
        "# Sample data: Fashion-MNIST subset\n\n"
        f"{total} grayscale 28x28 PNGs, the first {per_class} training images of each of the\n"
        "10 Fashion-MNIST classes, in folders `c0`..`c9`; `fm-NNNNNN` is the index in the source file.\n"
        "Made with `/usr/bin/python3 scripts/make_sample_data.py` (see LICENSE.txt).\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=str(DEBIAN_DIR), help="folder with the idx .gz files")
    parser.add_argument("--out", default=str(REPO_ROOT / "data" / "sample"), help="output folder")
    parser.add_argument("--per-class", type=int, default=200, help="images per class")
    args = parser.parse_args()

    images, labels = load_fashion_mnist(args.source)
    out = Path(args.out)
    chosen = select_per_class(labels, args.per_class)
    for c, indices in chosen.items():
        write_class_folder(out / f"c{c}", images, indices)
    total = sum(len(indices) for indices in chosen.values())
    write_docs(out, args.per_class, total)
    print(f"wrote {total} images ({NUM_CLASSES} classes x {args.per_class}) to {out} from {args.source}")


if __name__ == "__main__":
    main()
