#!/usr/bin/env bash
# Races `scripts/wgan bench` against the PyTorch peer (scripts/bench/torch_wgan.py) in interleaved
# pairs and prints each pair's ratio (wgan / peer generator iterations per second) and their median.
# Both processes run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, as on a user's machine
# (issue 16: these machines set them; numpy's SGEMM doubles without them). Each pair alternates
# which side runs first, so a drift of the machine's speed within a pair falls on both sides.
#
#   scripts/bench/race.sh [--pairs N] [--mode contiguous|channels-last|bf16|bf16-channels-last|all]
#                         [--loss wgan-clip|wgan-gp] [--size 64] [--batch 64] [--iters 3] [--warmup 1]
#                         [--threads N] [-- more wgan bench options]
#
# --mode is the peer's PyTorch CPU mode: float32 contiguous, float32 channels_last, bfloat16
# autocast (contiguous or channels_last); `all` races each in turn. Options after `--` go to wgan
# bench alone (e.g. --engine graph). --threads goes to the peer (default: the CPUs nproc counts;
# ND4J takes them all by itself). Exit: 0, 2 on bad options, 1 when a run fails.
# For tests: RACE_WGAN and RACE_PEER replace the two commands (each must print a JSON line with
# gen_iters_per_s as its last line).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pairs=3 mode=contiguous loss=wgan-clip size=64 batch=64 iters=3 warmup=1 threads="$(nproc)"
extra=()
usage() { echo "race.sh: $1 (see the comment at the top of scripts/bench/race.sh)" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --pairs | --mode | --loss | --size | --batch | --iters | --warmup | --threads)
      [ $# -ge 2 ] || usage "$1 needs a value"
      declare "${1#--}=$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) usage "unknown option $1" ;;
  esac
done
for n in "$pairs" "$size" "$batch" "$iters" "$threads"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || usage "--pairs, --size, --batch, --iters, --threads take a number of 1 or more, got $n"
done
[[ "$warmup" =~ ^[0-9]+$ ]] || usage "--warmup takes a number, got $warmup"
[ "$pairs" -ge 3 ] || echo "race.sh: note: fewer than 3 pairs; the issue's figures use at least 3" >&2
case "$loss" in wgan-clip | wgan-gp) ;; *) usage "--loss takes wgan-clip or wgan-gp, got $loss" ;; esac
case "$mode" in
  all) modes=(contiguous channels-last bf16) ;;
  contiguous | channels-last | bf16 | bf16-channels-last) modes=("$mode") ;;
  *) usage "--mode takes contiguous, channels-last, bf16, bf16-channels-last or all, got $mode" ;;
esac

peer_flags() {
  case "$1" in
    contiguous) ;;
    channels-last) echo --channels-last ;;
    bf16) echo --bf16 ;;
    bf16-channels-last) echo --bf16 --channels-last ;;
  esac
}

# The generator iterations per second from the last line of a run's output (a JSON line); awk, so
# that the race itself needs no Python (the peer does).
rate() {
  awk 'NF { last = $0 } END {
    if (match(last, /"gen_iters_per_s": *[0-9.eE+-]+/)) { v = substr(last, RSTART, RLENGTH); sub(/.*: */, "", v); print v }
    else exit 1 }'
}

run_wgan() {
  if [ -n "${RACE_WGAN:-}" ]; then env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bash -c "$RACE_WGAN"; return; fi
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$home/scripts/wgan" bench --json --loss "$loss" --image-size "$size" \
    --batch-size "$batch" --iters "$iters" --warmup "$warmup" "${extra[@]}"
}

run_peer() {
  if [ -n "${RACE_PEER:-}" ]; then env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bash -c "$RACE_PEER"; return; fi
  # shellcheck disable=SC2046
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$home/scripts/bench/torch_wgan.py" --loss "$loss" \
    --size "$size" --batch "$batch" --iters "$iters" --warmup "$warmup" --threads "$threads" $(peer_flags "$2")
}

# One timed side: its rate on stdout; its output kept in a temporary file for a failure's message.
side() {
  local out; out="$(mktemp)"
  if ! "run_$1" "$1" "$2" > "$out" 2>&1 || ! r="$(rate < "$out" 2>/dev/null)"; then
    echo "race.sh: the $1 run failed; its last lines:" >&2; tail -5 "$out" >&2; rm -f "$out"; exit 1
  fi
  rm -f "$out"; echo "$r"
}

echo "race: wgan bench vs PyTorch peer, loss $loss, ${size}x${size}, batch $batch, $iters iterations after $warmup," \
  "$pairs pairs per mode, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset${extra[*]:+, wgan options: ${extra[*]}}"
for m in "${modes[@]}"; do
  ratios=()
  for ((i = 1; i <= pairs; i++)); do
    if ((i % 2)); then w="$(side wgan "$m")"; p="$(side peer "$m")"; else p="$(side peer "$m")"; w="$(side wgan "$m")"; fi
    ratio="$(awk -v w="$w" -v p="$p" 'BEGIN { if (p <= 0) exit 1; printf "%.3f", w / p }')" \
      || { echo "race.sh: the peer reported $p generator iterations/s" >&2; exit 1; }
    ratios+=("$ratio")
    echo "  $m pair $i: wgan $w, peer $p generator iterations/s: ratio $ratio"
  done
  median="$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
  echo "$m: median ratio wgan/peer $median over $pairs pairs (${ratios[*]})"
done
