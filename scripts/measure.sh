#!/usr/bin/env bash
# Measures the performance budgets of the README's "Performance" section on
# a release build of the real binary in a pseudo-terminal (160 x 45):
#
#   - time from start to the first frame showing feed rows (`--demo`), and
#     from the store with a server that holds every request 2 s (`first-cached`);
#   - bytes written to the terminal for one `j`, previews off;
#   - idle CPU over 60 s (/proc/PID/stat utime+stime deltas), for the TUI
#     alone (against a sandbox served by the measuring program) and for
#     `--demo` (TUI + in-process sandbox with its activity simulator);
#   - RSS (VmRSS, VmHWM) with 10,000 posts loaded (a sandbox with the demo
#     seed plus 10,000 inserted posts, AISPACE_FEED_CAP raised so none are
#     dropped, End pressed until the last page arrived), previews off, and
#     again with halfblocks previews after viewing 60 posts' pictures.
#
# The work is done by examples/measure.rs; arguments are passed on, e.g.
#   scripts/measure.sh --only first --only bytes --runs 9
#   scripts/measure.sh --only idle --idle-secs 120
#   scripts/measure.sh --only rss --posts 20000
#   scripts/measure.sh --only rss-previews --browse 200
# The update + render time of one `j` is a benchmark: cargo bench --bench frame
#
# Linux only. Takes about 2 minutes after the build. Figures depend on the
# machine and its load: run on an otherwise idle machine for the README.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin aispace-tui --example measure
exec target/release/examples/measure --bin target/release/aispace-tui "$@"
