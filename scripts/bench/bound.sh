#!/usr/bin/env bash
# How close wgan comes to the machine's GEMM bound (issue 16), in interleaved pairs: the GEMM rate
# of the moment, then `wgan bench` (or the other way round, alternating), each pair's fraction
#   wgan's generator iterations/s / (GEMM GFLOP/s / 533 GFLOP per statefarm-64 iteration)
# and their median. This machine's speed drifts by up to 2x within an hour (numpy's SGEMM measured
# 356 and 150 GFLOP/s 40 minutes apart on 2026-12-02), so a bound from another minute says little.
#
#   scripts/bench/bound.sh [--pairs N] [--precision fp32|bf16] [--iters 3] [--warmup 1]
#
# fp32's GEMM is numpy's float32 product (OpenBLAS SGEMM, the issue's definition;
# scripts/bench/gemm_rate.py); bf16's is oneDNN 2.5's bf16 matmul with float32 output, the
# library and kernels wgan's bf16 convolutions run on (DnnlGemmProbe, a test-classpath main, so
# the script compiles the tests first). Both sides run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
# unset, as on a user's machine. Exit: 0, 2 on bad options, 1 when a run fails.
# For tests: BOUND_GEMM and BOUND_WGAN replace the two commands (each prints its rate, GFLOP/s or
# generator iterations/s, as its last line).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pairs=3 precision=fp32 iters=3 warmup=1
usage() { echo "bound.sh: $1 (see the comment at the top of scripts/bench/bound.sh)" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --pairs | --precision | --iters | --warmup)
      [ $# -ge 2 ] || usage "$1 needs a value"
      declare "${1#--}=$2"; shift 2 ;;
    *) usage "unknown option $1" ;;
  esac
done
for n in "$pairs" "$iters"; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || usage "--pairs and --iters take a number of 1 or more, got $n"; done
[[ "$warmup" =~ ^[0-9]+$ ]] || usage "--warmup takes a number, got $warmup"
case "$precision" in fp32 | bf16) ;; *) usage "--precision takes fp32 or bf16, got $precision" ;; esac

unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
if [ "$precision" = bf16 ] && [ -z "${BOUND_GEMM:-}" ]; then
  (cd "$home" && mvn -q -B -o test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bound-classpath.txt >target/bound-build.log 2>&1) ||
    { echo "bound.sh: building the probe failed; see target/bound-build.log" >&2; exit 1; }
fi

# The GEMM rate in GFLOP/s, from the last (JSON) line of the probe's output.
gemm() {
  if [ -n "${BOUND_GEMM:-}" ]; then bash -c "$BOUND_GEMM" | tail -1; return; fi
  if [ "$precision" = fp32 ]; then
    /usr/bin/python3 "$home/scripts/bench/gemm_rate.py" --only numpy_float32 | tail -1 |
      sed -n 's/.*"numpy_float32": *\([0-9.]*\).*/\1/p'
  else
    OMP_WAIT_POLICY=PASSIVE java -Xmx2g -cp "$(cat "$home/target/bound-classpath.txt"):$home/target/classes:$home/target/test-classes" \
      wgan.engine.fast.DnnlGemmProbe 4096 5 2>/dev/null | tail -1 | sed -n 's/.*"bf16_gflops": *\([0-9.]*\).*/\1/p'
  fi
}

bench() {
  if [ -n "${BOUND_WGAN:-}" ]; then bash -c "$BOUND_WGAN" | tail -1; return; fi
  "$home/scripts/wgan" bench --json --precision "$precision" --iters "$iters" --warmup "$warmup" 2>/dev/null | tail -1 |
    sed -n 's/.*"gen_iters_per_s": *\([0-9.eE+-]*\).*/\1/p'
}

echo "bound: statefarm-64 at 533 GFLOP per generator iteration, $precision, $pairs pairs, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset"
fractions=()
for ((i = 1; i <= pairs; i++)); do
  if ((i % 2)); then g="$(gemm || true)"; w="$(bench || true)"; else w="$(bench || true)"; g="$(gemm || true)"; fi
  [ -n "$g" ] && [ -n "$w" ] || { echo "bound.sh: pair $i failed (GEMM '$g', wgan '$w')" >&2; exit 1; }
  f="$(awk -v w="$w" -v g="$g" 'BEGIN { printf "%.3f", w / (g / 533) }')"
  fractions+=("$f")
  echo "  pair $i: GEMM $g GFLOP/s (bound $(awk -v g="$g" 'BEGIN { printf "%.3f", g / 533 }') iterations/s), wgan $w: $f of the bound"
done
median="$(printf '%s\n' "${fractions[@]}" | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
echo "$precision: median fraction of the GEMM bound $median over $pairs pairs (${fractions[*]})"
