#!/usr/bin/env bash
# The runs behind docs/QUALITY.md's table, start to finish: real-photo crops, wgan with clipping,
# the gradient penalty and the penalty with DiffAugment (each scored with its EMA and its raw
# generator), the PyTorch WGAN-GP reference, then the scores at 300 / 1,000 / 2,000 generator
# iterations on held-out crops. Everything goes under WORK (default /tmp/wgan-quality); the
# scores are appended to WORK/scores.jsonl, so a rerun skips what is done.
#
# Use: scripts/quality/run_table.sh [WORK]     (about 3 hours on 2 cores, one run at a time)
# Needs: apt-get install -y python3-skimage python3-torch
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
WORK=${1:-/tmp/wgan-quality}
mkdir -p "$WORK"
[ -d "$WORK/photos" ] || /usr/bin/python3 scripts/make_photo_crops.py --out "$WORK/photos" --per-photo 200 --size 32
COMMON=(--data "$WORK/photos/train" --image-size 32 --channels 3 --ngf 32 --ndf 32 --nz 100 --batch-size 64
        --holdout 0 --eval-every 0 --seed 1)
# 2,000 crops are 32 critic batches an epoch: clipping's first 25 generator iterations take an epoch
# each (100-step bursts cut at the epoch's end, as in the reference), then about 6.4 an epoch;
# the penalty's 5 critic steps give about 7 an epoch. These epoch counts pass 2,000 iterations.
[ -d "$WORK/clip" ] || scripts/wgan train "${COMMON[@]}" --epochs 340 --out "$WORK/clip"
[ -d "$WORK/gp" ] || scripts/wgan train "${COMMON[@]}" --loss wgan-gp --epochs 290 --out "$WORK/gp"
[ -d "$WORK/gp-augment" ] || scripts/wgan train "${COMMON[@]}" --loss wgan-gp --augment color,translation,cutout \
    --epochs 290 --out "$WORK/gp-augment"
[ -d "$WORK/torch-gp" ] || OMP_NUM_THREADS=1 /usr/bin/python3 scripts/quality/torch_wgan_train.py \
    --data "$WORK/photos/train" --out "$WORK/torch-gp" --loss wgan-gp --size 32 --channels 3 --ngf 32 --ndf 32 \
    --save-at 100,300,1000,2000 --n-samples 1000 --threads 1 --seed 1
/usr/bin/python3 scripts/quality/score_runs.py --heldout "$WORK/photos/heldout" --out "$WORK/scores.jsonl" \
    --at 300,1000,2000 --n 1000 "$WORK/clip" "$WORK/gp" "$WORK/gp-augment" "$WORK/torch-gp"
