#!/usr/bin/python3
"""docs/QUALITY.md's table from score_runs.py's scores.jsonl: SWD (x1000, lower is better) and wall
time per configuration at each generator iteration, and the time each configuration first reached
the SWD that clipping's raw generator reached at the last iteration (among the iterations scored).

Usage: /usr/bin/python3 scripts/quality/table.py scores.jsonl [--target-run clip]
The configuration of a score is its run folder's name plus the generator (ema, raw, torch-raw).
"""
import argparse
import json
from collections import defaultdict
from pathlib import Path


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("scores", type=Path)
    p.add_argument("--target-run", default="clip", help="run folder name whose last raw score sets the bar")
    a = p.parse_args()
    rows = defaultdict(dict)  # config -> target -> record
    for line in a.scores.read_text().splitlines():
        r = json.loads(line)
        rows[(Path(r["run"]).name, r["generator"])][r["target"]] = r
    targets = sorted({t for by_target in rows.values() for t in by_target})
    bar_row = rows.get((a.target_run, "raw"), {})
    bar = bar_row[max(bar_row)]["swd"] if bar_row else None
    floor = next(iter(next(iter(rows.values())).values()))["floor"]
    print(f"| configuration | " + " | ".join(f"SWD at {t}" for t in targets)
          + " | wall time at " + " / ".join(str(t) for t in targets)
          + (f" | first scored iteration at or below {bar:.1f} (time)" if bar else "") + " |")
    print("| --- " * (len(targets) + 2 + (1 if bar else 0)) + "|")
    for (run, generator), by_target in sorted(rows.items()):
        swd = [f"{by_target[t]['swd']:.1f}" if t in by_target else "-" for t in targets]
        walls = [minutes(wall(by_target[t])) if t in by_target else "-" for t in targets]
        reached = "-"
        if bar:
            hits = [t for t in sorted(by_target) if by_target[t]["swd"] <= bar]
            if hits:
                reached = f"{by_target[hits[0]]['gen_iter']} ({minutes(wall(by_target[hits[0]]))})"
            else:
                reached = "not reached"
        print(f"| {run} {generator} | " + " | ".join(swd) + " | " + " / ".join(walls)
              + (f" | {reached}" if bar else "") + " |")
    print(f"\nreal-vs-real floor: {floor:.1f}")


def wall(record):
    """Wall seconds, less the time the run was paused (SIGSTOP) if a "paused_s" was recorded."""
    seconds = record.get("wall_s")
    return None if seconds is None else seconds - record.get("paused_s", 0)


def minutes(seconds):
    return "-" if seconds is None else f"{seconds / 60:.1f} min"


if __name__ == "__main__":
    main()
