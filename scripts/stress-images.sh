#!/usr/bin/env bash
# Memory with huge pictures (README, "Performance"): a sandbox on
# 127.0.0.1 serves 25 posts whose pictures are 8000 x 8000 (baseline and
# progressive JPEG, 8- and 16-bit PNG, made by the measuring program); the
# release binary runs in a pseudo-terminal (160 x 45, halfblocks previews)
# and `j` is pressed 10 times a second through all of them. Prints the peak
# RSS (VmHWM; budget < 200 MB) and the RSS 10 s after the last key (budget
# < 80 MB).
#
# The work is done by examples/measure.rs (`--only stress-images`). Linux
# only. Takes about a minute after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin aispace-tui --example measure
exec target/release/examples/measure --bin target/release/aispace-tui --only stress-images "$@"
