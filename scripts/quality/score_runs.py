#!/usr/bin/python3
"""Score wgan runs and PyTorch reference runs on held-out images for docs/QUALITY.md.

For every wgan run folder and every --at generator iteration, picks the per-epoch generator
checkpoint whose generator iteration is nearest, scores its EMA generator and (--raw) its trained
one with `wgan eval --json` against --heldout, and reads the wall time from the files: seconds
from the run's options.json to that checkpoint (training, grids, checkpoints and report included).
For a PyTorch run folder (scripts/quality/torch_wgan_train.py) it scores iter-NNNNNN/ with
`wgan eval --images`. Appends one JSON line per score to --out (kept across calls, so a crashed
session loses nothing) and skips scores already there.

Usage:
    /usr/bin/python3 scripts/quality/score_runs.py --heldout DIR --out scores.jsonl \
        [--at 300,1000,2000] [--n 1000] [--generators ema,raw] RUN_OR_TORCH_DIR...
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

WGAN = str(Path(__file__).resolve().parents[1] / "wgan")


def epoch_ends(run):
    """epoch -> generator iteration at its end, from metrics.jsonl."""
    ends = {}
    for line in (run / "metrics.jsonl").read_text().splitlines():
        record = json.loads(line)
        if "gen_iter" in record and "epoch" in record and "swd" not in record:
            ends[record["epoch"]] = max(ends.get(record["epoch"], 0), record["gen_iter"])
    return ends


def eval_json(args):
    done = subprocess.run([WGAN, "eval", *args, "--json"], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"score_runs.py: wgan eval {' '.join(args)} failed: {done.stderr.strip()[-400:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--heldout", required=True)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--at", default="300,1000,2000")
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--generators", default="ema,raw")
    p.add_argument("runs", nargs="+", type=Path)
    a = p.parse_args()
    targets = [int(t) for t in a.at.split(",")]
    done = set()
    if a.out.exists():
        for line in a.out.read_text().splitlines():
            r = json.loads(line)
            done.add((r["run"], r["target"], r["generator"]))
    for run in a.runs:
        for target in targets:
            if (run / "options.json").exists():
                options = json.loads((run / "options.json").read_text())
                ends = epoch_ends(run)
                epoch = min(ends, key=lambda e: abs(ends[e] - target))
                checkpoint = run / "checkpoints" / f"epoch-{epoch:04d}-generator.zip"
                wall = checkpoint.stat().st_mtime - (run / "options.json").stat().st_mtime
                for generator in a.generators.split(","):
                    if (str(run), target, generator) in done:
                        continue
                    extra = ["--raw"] if generator == "raw" else []
                    r = eval_json(["--checkpoint", str(checkpoint), "--data", a.heldout, "--n", str(a.n), *extra])
                    write(a.out, {"run": str(run), "target": target, "gen_iter": ends[epoch], "epoch": epoch,
                                  "generator": generator, "wall_s": round(wall, 1), "swd": r["swd"]["mean"],
                                  "floor": r["swd"]["floor_mean"], "loss": options.get("loss")})
            else:
                folder = run / f"iter-{target:06d}"
                if (str(run), target, "torch-raw") in done or not folder.exists():
                    continue
                log = [json.loads(l) for l in (run / "log.jsonl").read_text().splitlines()] \
                    if (run / "log.jsonl").exists() else []
                wall = next((l["seconds"] for l in log if l.get("gen_iter") == target), None)
                size, channels = images_shape(folder)
                r = eval_json(["--images", str(folder), "--image-size", str(size), "--channels", str(channels),
                               "--data", a.heldout, "--n", str(a.n)])
                write(a.out, {"run": str(run), "target": target, "gen_iter": target, "generator": "torch-raw",
                              "wall_s": wall, "swd": r["swd"]["mean"], "floor": r["swd"]["floor_mean"]})


def images_shape(folder):
    from PIL import Image
    first = Image.open(next(iter(sorted(folder.iterdir()))))
    return first.size[0], 1 if first.mode == "L" else 3


def write(out, record):
    with out.open("a") as f:
        f.write(json.dumps(record) + "\n")
    print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
