#!/usr/bin/env bash
# Starts or resumes a wgan training as a batch job that survives logout.
#
#   scripts/batch-train.sh RUN_DIR -- TRAIN_OPTIONS...   start in the background (or resume it)
#   scripts/batch-train.sh RUN_DIR                       resume it (or restart it with the saved options)
#   scripts/batch-train.sh --foreground RUN_DIR -- ...   the same, in the foreground (Slurm, systemd)
#
# First start: `scripts/wgan train --out RUN_DIR TRAIN_OPTIONS`. Once RUN_DIR/checkpoints/state.zip
# exists: `scripts/wgan train --resume RUN_DIR`, which continues with the run's own saved options (a
# finished run exits 0 at once). Output goes to RUN_DIR/train.log, the exit status to
# RUN_DIR/exit-status, and RUN_DIR/batch.pid names the running job. WGAN_BACKEND=cuda trains on the GPU.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
self="$home/scripts/batch-train.sh"
# WGAN_LAUNCHER: how to run wgan (default scripts/wgan); the tests point it at their own classes.
wgan="${WGAN_LAUNCHER:-$home/scripts/wgan}"

usage() {
  echo "usage: scripts/batch-train.sh [--foreground] RUN_DIR [-- TRAIN_OPTIONS...]" >&2
  exit 2
}

foreground=0
if [ "${1:-}" = "--foreground" ]; then
  foreground=1
  shift
fi
[ $# -ge 1 ] && [ -n "$1" ] || usage
# wgan writes only into folders it created: make RUN_DIR and mark it as wgan's (.wgan-run, as
# wgan train does), or take one that is wgan's already (marked, or a run with a checkpoint).
if [ ! -e "$1" ] || { [ -d "$1" ] && [ -z "$(ls -A "$1")" ]; }; then
  mkdir -p "$1"
  echo "a wgan train run folder" >"$1/.wgan-run"
elif [ ! -f "$1/.wgan-run" ] && [ ! -f "$1/checkpoints/state.zip" ]; then
  echo "batch-train: $1 already holds files that wgan did not write; give a new or empty folder" >&2
  exit 2
fi
run_dir="$(cd "$1" && pwd)"
shift
if [ $# -gt 0 ]; then
  [ "$1" = "--" ] || usage
  shift
fi

pid_file="$run_dir/batch.pid"
args_file="$run_dir/batch-args"
log="$run_dir/train.log"

# The pid in batch.pid, if that process is still a batch-train job (pids are reused after a crash).
running_pid() {
  local pid
  pid="$(cat "$pid_file" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && [ "$pid" != "$$" ] || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF "batch-train.sh --foreground" || return 1
  echo "$pid"
}

refuse_if_running() {
  local pid
  if pid="$(running_pid)"; then
    echo "batch-train: a job is already running on $run_dir (pid $pid; log $log); wait for it or stop it with: kill $pid" >&2
    exit 1
  fi
}

# The train options of the first start, one per line, so that a restart needs none.
remember_options() {
  if [ ! -f "$args_file" ]; then
    if [ $# -gt 0 ]; then printf '%s\n' "$@"; fi >"$args_file"
  elif [ $# -gt 0 ] && [ "$(printf '%s\n' "$@")" != "$(cat "$args_file")" ]; then
    echo "batch-train: $run_dir was started with other options (see $args_file); using those" >&2
  fi
}

# What wgan train writes into a run folder (wgan.io.RunFolder); --out takes a marked folder only without them.
run_files="options.json metrics.jsonl skipped.txt report.html samples checkpoints"

# A run killed before its first checkpoint cannot be resumed (wgan train --resume needs state.zip)
# and will not be overwritten by --out: set its files aside and start it again.
set_aside_unfinished_start() {
  local aside
  aside="$run_dir/discarded-$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$aside"
  for f in $run_files; do
    if [ -e "$run_dir/$f" ]; then mv "$run_dir/$f" "$aside/"; fi
  done
  echo "batch-train: the previous start ended before its first checkpoint; its files are in $aside" >&2
}

train_command() {
  if [ -f "$run_dir/checkpoints/state.zip" ]; then
    command=(train --resume "$run_dir")
    return
  fi
  local f
  for f in $run_files; do
    if [ -e "$run_dir/$f" ]; then
      set_aside_unfinished_start
      break
    fi
  done
  local saved=()
  mapfile -t saved <"$args_file"
  command=(train --out "$run_dir" "${saved[@]}")
}

# Runs wgan in this process: pid file, log, exit-status. SIGTERM/SIGINT are passed on to wgan, which
# checkpoints and exits 143/130; hang-ups are ignored so that a closed terminal does not end the run.
run_job() {
  echo $$ >"$pid_file"
  trap 'rm -f "$pid_file"' EXIT
  rm -f "$run_dir/exit-status"
  echo "=== $(date '+%F %T') batch-train: wgan ${command[*]}" >>"$log"
  trap '' HUP
  "$wgan" "${command[@]}" >>"$log" 2>&1 </dev/null &
  local child=$! status=0
  trap 'kill -TERM "$child" 2>/dev/null || true' TERM
  trap 'kill -INT "$child" 2>/dev/null || true' INT
  # wait returns early when a trapped signal arrives; wait again until wgan itself has ended.
  while kill -0 "$child" 2>/dev/null; do
    wait "$child" && status=0 || status=$?
  done
  # The pid file goes first: whoever sees exit-status must not find a job still named as running.
  rm -f "$pid_file"
  echo "$status" >"$run_dir/exit-status.tmp"
  mv "$run_dir/exit-status.tmp" "$run_dir/exit-status"
  echo "=== $(date '+%F %T') batch-train: exit status $status" >>"$log"
  return "$status"
}

refuse_if_running
remember_options "$@"
if [ "$foreground" = 1 ]; then
  train_command
  run_job
  exit $?
fi

# setsid: a session of its own, so neither logout nor Ctrl-C in this terminal reaches the job.
setsid nohup "$self" --foreground "$run_dir" </dev/null >/dev/null 2>&1 &
for _ in $(seq 50); do
  pid="$(running_pid)" && break
  sleep 0.1
done
if [ -z "${pid:-}" ]; then
  echo "batch-train: the job did not start; see $log" >&2
  exit 1
fi
echo "batch-train: running in the background as pid $pid; log $log, exit status in $run_dir/exit-status"
