#!/usr/bin/env bash
# Before/after: the frame benchmark, the first frame and the bytes per `j`
# of an earlier revision and of this checkout, measured back to back on the
# same machine (the README's Performance table is filled from this).
#
#   scripts/perf-compare.sh OLD_REV [--runs N]
#
# OLD_REV is checked out into a temporary git worktree and built there in
# release mode (its own target dir under the temporary directory, so
# nothing is shared with this checkout's build). Both binaries are measured
# by this checkout's examples/measure.rs (same method for both); each
# revision's own benches/frame.rs times update + render of one `j`.
# OLD_TARGET_DIR reuses an earlier build of OLD_REV (default: a fresh one).
# Takes a full release build of each revision; run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
old_rev=${1:?usage: scripts/perf-compare.sh OLD_REV [--runs N]}
shift
runs=9
if [ "${1:-}" = "--runs" ]; then runs=${2:?--runs needs a number}; fi

tmp=$(mktemp -d)
cleanup() {
  git worktree remove --force "$tmp/old" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
git worktree add --quiet --detach "$tmp/old" "$old_rev"
old_target=${OLD_TARGET_DIR:-$tmp/old-target}

echo "== building $old_rev (old) and $(git rev-parse --short HEAD) (new)"
(cd "$tmp/old" && CARGO_TARGET_DIR="$old_target" cargo build --release --locked --bin aispace-tui)
(cd "$tmp/old" && CARGO_TARGET_DIR="$old_target" cargo bench --locked --bench frame --no-run)
cargo build --release --locked --bin aispace-tui --example measure
cargo bench --locked --bench frame --no-run

echo "== frame benchmark, old"
(cd "$tmp/old" && CARGO_TARGET_DIR="$old_target" cargo bench --locked --bench frame -- --noplot 2>/dev/null | grep -E '^frame/|time:')
echo "== frame benchmark, new"
cargo bench --locked --bench frame -- --noplot 2>/dev/null | grep -E '^frame/|time:'

for which in old new; do
  if [ "$which" = old ]; then bin="$old_target/release/aispace-tui"; else bin=${CARGO_TARGET_DIR:-target}/release/aispace-tui; fi
  echo "== first frame and bytes per j, $which"
  ${CARGO_TARGET_DIR:-target}/release/examples/measure --bin "$bin" --runs "$runs" --only first --only bytes
done
