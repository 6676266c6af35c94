#!/bin/sh
# Checks the halfblock image previews of `aispace-tui --demo` in a detached
# tmux (160 x 45): every picture of the first feed page is captured to a
# PNG (cells -> pixels, scripts/halfblocks-to-ppm.py) for a look, then the
# screen is compared with a forced full redraw after scrolling 200 posts
# fast, after resizing, and after opening and closing the help: any
# difference means stray characters were left behind.
#
# usage: scripts/preview-tmux-check.sh [POSTS]   (default 40 posts captured)
# env:   BIN (default target/debug/aispace-tui), OUT (default
#        target/preview-check), COLORTERM passed to the app (default truecolor)
# needs: tmux, python3, ImageMagick's convert (for the PNGs)
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-target/debug/aispace-tui}
OUT=${OUT:-target/preview-check}
POSTS=${1:-40}
SOCK=aispace-preview-check-$$
T="tmux -L $SOCK"
mkdir -p "$OUT"
HOMEDIR=$(mktemp -d)
cleanup() { $T kill-server 2>/dev/null || true; rm -rf "$HOMEDIR"; }
trap cleanup EXIT INT TERM

# The picture box inside the post pane at 160 x 45 (columns, rows, 0-based).
PX=90 PY=4 PW=68 PH=24

cap() { $T capture-pane -p -t p; }
wait_for() { # wait_for TEXT [SECONDS]
  n=0
  while ! cap | grep -q -- "$1"; do
    n=$((n + 1)); [ $n -gt $((${2:-10} * 10)) ] && { echo "timeout waiting for: $1" >&2; cap >&2; return 1; }
    sleep 0.1
  done
}
settle() { # until no spinner in the picture box, then a little more
  n=0
  while cap | grep -q "loading…"; do
    n=$((n + 1)); [ $n -gt 100 ] && break
    sleep 0.1
  done
  sleep 0.3
}
stable() { # until two captures 0.5 s apart agree (keys processed, loads done)
  n=0; prev=$(cap)
  while sleep 0.5; cur=$(cap); [ "$cur" != "$prev" ]; do
    prev=$cur; n=$((n + 1)); [ $n -gt 60 ] && break
  done
}
redraw_same() { # NAME: screen == screen after a forced full redraw
  settle; stable; cap > "$OUT/$1-before.txt"
  # Bigger and back: a full repaint that keeps the feed's scroll offset.
  $T resize-window -t p -x 170 -y 50; sleep 0.7
  $T resize-window -t p -x 160 -y 45; sleep 0.3; settle; stable
  cap > "$OUT/$1-after.txt"
  if diff -u "$OUT/$1-before.txt" "$OUT/$1-after.txt" > "$OUT/$1.diff"; then
    echo "ok   $1: no stray characters"
  else
    echo "FAIL $1: screen differs from a full redraw (see $OUT/$1.diff)"; FAILED=1
  fi
}

FAILED=0
$T new-session -d -s p -x 160 -y 45 \
  "env HOME=$HOMEDIR XDG_CONFIG_HOME=$HOMEDIR/.config XDG_DATA_HOME=$HOMEDIR/.local COLORTERM=${COLORTERM:-truecolor} $BIN --demo"
wait_for "Feed · latest" 30

i=1
while [ $i -le "$POSTS" ]; do
  settle
  $T capture-pane -e -p -t p > "$OUT/post-$i.ans"
  title=$(cap | sed -n "$((PY))p" | grep -o 'image [0-9]* x [0-9]* px' || echo "no picture")
  if cap | grep -q "cannot show the picture"; then
    echo "FAIL post $i: $(cap | grep -A1 'cannot show the picture' | tail -1 | tr -s ' ')"; FAILED=1
  fi
  if command -v convert >/dev/null; then
    python3 scripts/halfblocks-to-ppm.py "$OUT/post-$i.ans" $PX $PY $PW $PH "$OUT/post-$i.ppm" 160
    convert "$OUT/post-$i.ppm" -scale 300% "$OUT/post-$i.png" && rm "$OUT/post-$i.ppm"
  fi
  echo "post $i: $title"
  $T send-keys -t p j
  i=$((i + 1))
done
if command -v montage >/dev/null; then
  montage $(ls "$OUT"/post-*.png | sort -V) -tile 8x -geometry +4+4 -background '#444' "$OUT/montage.png" 2>/dev/null \
    && echo "montage: $OUT/montage.png"
fi

# 200 posts as fast as tmux can type them (more pages load on the way).
$T send-keys -t p $(i=0; while [ $i -lt 200 ]; do printf 'j '; i=$((i + 1)); done)
sleep 2; settle
redraw_same scroll-200

$T resize-window -t p -x 100 -y 30; sleep 0.5
$T resize-window -t p -x 130 -y 50; sleep 0.5
$T resize-window -t p -x 160 -y 45; sleep 0.5; settle
redraw_same resize

$T send-keys -t p '?'
wait_for "Keys (from your keymap)"
$T send-keys -t p Escape; sleep 0.5; settle
redraw_same help

exit $FAILED
