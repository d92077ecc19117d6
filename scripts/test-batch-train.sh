#!/usr/bin/env bash
# Tests scripts/batch-train.sh with real background trainings on the CPU (about a minute):
# start, refuse a second start, SIGKILL the whole job mid-run, rerun, and check that it resumed
# and finished with exit status 0; a job killed before its first checkpoint restarts; a folder
# holding other files is refused.
# WGAN_LAUNCHER runs wgan instead of scripts/wgan (the JUnit wrapper points it at the test classes).
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
batch="$home/scripts/batch-train.sh"
tmp="$(mktemp -d)"
run="$tmp/run"
job_pid=""
cleanup() {
  if [ -n "$job_pid" ]; then kill -KILL -- "-$job_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  if [ -f "$run/train.log" ]; then tail -20 "$run/train.log" >&2; fi
  exit 1
}
pass() { echo "ok: $*"; }

# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
  local limit=$1 start=$SECONDS
  shift
  until "$@"; do
    [ $((SECONDS - start)) -lt "$limit" ] || return 1
    sleep 0.5
  done
}

wgan="${WGAN_LAUNCHER:-$home/scripts/wgan}"
# Build first, so that the timed waits below time training, not Maven.
"$wgan" --version >/dev/null

# 400 of the sample's images: an epoch of 50 critic batches, a few seconds even on a busy machine.
mkdir -p "$tmp/data"
for class in "$home"/data/sample/c*/; do
  images=("$class"*.png)
  cp "${images[@]:0:40}" "$tmp/data/"
done
options=(--data "$tmp/data" --image-size 16 --channels 1 --batch-size 8 --ngf 8 --ndf 8 --epochs 3 --seed 7)
"$batch" "$run" -- "${options[@]}" >"$tmp/start.out" || fail "first start exited $?"
job_pid="$(cat "$run/batch.pid")"
kill -0 "$job_pid" || fail "no job running after the start"
[ "$(ps -o sid= -p "$job_pid" | tr -d ' ')" = "$job_pid" ] || fail "the job is not in a session of its own"
pass "started in the background as pid $job_pid, in its own session"

if "$batch" "$run" -- "${options[@]}" 2>"$tmp/second.err"; then fail "a second start on a busy folder was accepted"; fi
grep -q "already running" "$tmp/second.err" || fail "second start: $(cat "$tmp/second.err")"
pass "a second start on the same folder is refused: $(cat "$tmp/second.err")"

epoch_one_checkpointed() { grep -q "^epoch 1/3" "$run/train.log" && [ -f "$run/checkpoints/state.zip" ]; }
wait_for 300 epoch_one_checkpointed || fail "no epoch 1 and checkpoint within 300 s"
grep -q "^epoch 3/3" "$run/train.log" && fail "the training ended before it could be killed; make it longer"
kill -KILL -- "-$job_pid"
wait_for 10 bash -c "! kill -0 $job_pid 2>/dev/null" || fail "job $job_pid survived SIGKILL"
[ ! -f "$run/exit-status" ] || fail "exit-status written by a killed job"
pass "killed the whole job with SIGKILL after epoch 1 (stale pid file left: $(cat "$run/batch.pid"))"
job_pid=""

"$batch" "$run" >"$tmp/resume.out" || fail "rerun exited $?"
job_pid="$(cat "$run/batch.pid" 2>/dev/null || true)"
pass "rerun on the same folder started despite the stale pid file"
wait_for 300 test -f "$run/exit-status" || fail "the rerun did not finish within 300 s"
job_pid=""
grep -q "batch-train: wgan train --resume $run\$" "$run/train.log" || fail "the rerun did not call wgan train --resume"
pass "the rerun called: wgan train --resume RUN_DIR"
[ ! -f "$run/batch.pid" ] || fail "batch.pid left behind by a job that ended"

# A job killed before its first checkpoint has nothing to resume: the rerun starts it again with
# the options kept from the first start, and this completes without --resume.
early="$tmp/early"
"$batch" "$early" -- "${options[@]}" >/dev/null || fail "early start exited $?"
job_pid="$(cat "$early/batch.pid")"
wait_for 120 test -f "$early/options.json" || fail "no options.json within 120 s"
kill -KILL -- "-$job_pid"
job_pid=""
if [ -f "$early/checkpoints/state.zip" ]; then
  echo "skipped: the run checkpointed before it could be killed early"
else
  "$batch" "$early" >/dev/null || fail "early rerun exited $?"
  job_pid="$(cat "$early/batch.pid" 2>/dev/null || true)"
  wait_for 300 test -f "$early/exit-status" || fail "the restarted job did not finish within 300 s"
  job_pid=""
  [ "$(cat "$early/exit-status")" = 0 ] || fail "the restarted job exited $(cat "$early/exit-status")"
  [ "$(grep -c "batch-train: wgan train --out $early --data $tmp/data" "$early/train.log")" = 2 ] \
    || fail "the restart did not reuse the kept options"
  compgen -G "$early/discarded-*/options.json" >/dev/null || fail "the killed start's files were not set aside"
  pass "killed before its first checkpoint: restarted with the kept options and finished, exit-status 0"
fi

# wgan writes only into folders it created: a folder of someone else's files is refused as is.
mine="$tmp/mine"
mkdir -p "$mine"
echo "my notes" >"$mine/notes.txt"
if "$batch" "$mine" -- "${options[@]}" 2>"$tmp/mine.err"; then fail "a folder of other files was accepted"; fi
grep -q "already holds files that wgan did not write" "$tmp/mine.err" || fail "foreign folder: $(cat "$tmp/mine.err")"
[ "$(ls -A "$mine")" = notes.txt ] || fail "batch-train wrote into a folder it did not create: $(ls -A "$mine")"
pass "a folder holding other files is refused and left alone: $(cat "$tmp/mine.err")"

status="$(cat "$run/exit-status")"
[ "$status" = 0 ] || fail "the resumed job exited $status"
grep -q "^epoch 3/3" "$run/train.log" || fail "the resumed job did not reach epoch 3"
pass "resumed and finished: exit-status 0, epoch 3/3"
