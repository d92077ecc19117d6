#!/usr/bin/python3
"""One comparison image for docs/QUALITY.md: a labelled row of the first --per-row images of each
folder (`wgan sample --out FOLDER`, a PyTorch run's iter-NNNNNN/, or held-out reals).

Usage: /usr/bin/python3 scripts/quality/grids.py --out grid.png [--per-row 16] LABEL=FOLDER...
"""
import argparse
from pathlib import Path

from PIL import Image, ImageDraw

LABEL_WIDTH = 150
GAP = 2


def first_images(folder, count):
    files = sorted(p for p in Path(folder).rglob("*.png"))[:count]
    return [Image.open(f).convert("RGB") for f in files]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--per-row", type=int, default=16)
    p.add_argument("rows", nargs="+", help="LABEL=FOLDER")
    a = p.parse_args()
    rows = [(spec.split("=", 1)[0], first_images(spec.split("=", 1)[1], a.per_row)) for spec in a.rows]
    size = rows[0][1][0].size[0]
    width = LABEL_WIDTH + a.per_row * (size + GAP)
    out = Image.new("RGB", (width, len(rows) * (size + GAP)), "white")
    draw = ImageDraw.Draw(out)
    for r, (label, images) in enumerate(rows):
        y = r * (size + GAP)
        draw.text((4, y + size // 2 - 6), label, fill="black")
        for i, image in enumerate(images):
            out.paste(image, (LABEL_WIDTH + i * (size + GAP), y))
    out.save(a.out, optimize=True)
    print(f"wrote {a.out} ({out.size[0]}x{out.size[1]})")


if __name__ == "__main__":
    main()
