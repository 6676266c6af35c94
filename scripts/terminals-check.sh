#!/usr/bin/env bash
# Pictures in real terminals: runs `aispace-tui --demo` (the built-in
# sandbox on loopback, demo pictures) under a virtual X server in each
# terminal found, types keys and takes screenshots of:
#   1-first      the first picture
#   2-moves      after 10 fast moves (j)
#   3-help       the help overlay open (?)
#   4-back       help closed again (Esc)
#   5-full       the full-screen picture (Enter)
#   6-quit       after quitting (q): what the app leaves behind
# Terminals: kitty, kitty running tmux, konsole, xterm -ti vt340 (sixel),
# xterm running tmux (PROTOCOL=sixel: sixel through tmux's passthrough),
# each skipped when not installed. Look at the PNGs afterwards; what was
# seen is written down in docs/terminals.md.
#
# Installs nothing unless --install is given, which runs (as root):
#   apt-get install xvfb kitty konsole xterm tmux xdotool imagemagick x11-apps
# (x11-apps gives xwd; imagemagick's `import` is used when present.)
#
# Usage: scripts/terminals-check.sh [--install] [--bin PATH] [--out DIR]
#        [--only kitty|kitty-tmux|kitty-tmux-late|konsole|xterm|xterm-tmux]...
# Environment: SIZE (default 1400x900), DISPLAY_NUM (default 97),
# PROTOCOL (force --image-protocol; screenshots then carry its name).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=""
out="$root/target/terminals-check"
only=()
install=0
while [ $# -gt 0 ]; do
    case "$1" in
        --install) install=1 ;;
        --bin) bin=$2; shift ;;
        --out) out=$2; shift ;;
        --only) only+=("$2"); shift ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

if [ "$install" = 1 ]; then
    apt-get install -y --no-install-recommends \
        xvfb kitty konsole xterm tmux xdotool imagemagick x11-apps
fi

for tool in Xvfb xdotool; do
    command -v "$tool" >/dev/null || {
        echo "$tool is missing: run with --install (Debian/Ubuntu) or install it" >&2
        exit 1
    }
done

if [ -z "$bin" ]; then
    (cd "$root" && cargo build --locked --quiet)
    bin="${CARGO_TARGET_DIR:-$root/target}/debug/aispace-tui"
fi
[ -x "$bin" ] || { echo "no binary at $bin" >&2; exit 1; }

size=${SIZE:-1400x900}
width=${size%x*}
height=${size#*x}
num=${DISPLAY_NUM:-97}
export DISPLAY=":$num"
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    tmux -L terminals-check kill-server 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

Xvfb "$DISPLAY" -screen 0 "${size}x24" -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
sleep 1

# The app gets a home of its own: no drafts or config of the user's.
mkdir -p "$work/home"
app_env=(env -u TMUX -u TMUX_PANE HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
    XDG_DATA_HOME="$work/home/.local/share" XDG_STATE_HOME="$work/home/.local/state")
# PROTOCOL=sixel (kitty, iterm2, halfblocks) forces a protocol instead of auto.
tag=""
if [ -n "${PROTOCOL:-}" ]; then
    app_env+=(AISPACE_IMAGE_PROTOCOL="$PROTOCOL")
    tag="-$PROTOCOL"
fi
# After quitting, the terminal stays open (what was left on screen is seen).
app_cmd="'$bin' --demo; echo; echo '[aispace-tui exited]'; sleep 600"

shot() { # name
    if command -v import >/dev/null; then
        import -window root "$1"
    else
        xwd -root -silent | convert xwd:- "$1"
    fi
}

keys() { # key names, sent to the window under the pointer
    # The pointer sits near the top left corner, inside every terminal's
    # window (focus follows it: there is no window manager); Konsole draws
    # it as a yellow square over its menu bar.
    xdotool mousemove 8 8
    xdotool key --delay "${KEY_DELAY:-40}" "$@"
}

run_one() { # name, command...
    local name=$1; shift
    if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " == *" $name "* ]]; then
        return
    fi
    name="$name$tag"
    if ! command -v "$1" >/dev/null; then
        echo "$name: $1 not installed, skipped"
        return
    fi
    echo "$name: starting"
    "${app_env[@]}" "$@" >"$out/$name.log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    sleep "${START_WAIT:-8}"
    shot "$out/$name-1-first.png"
    keys j j j j j j j j j j
    sleep 0.3
    shot "$out/$name-2a-moves-at-once.png"
    sleep 4
    shot "$out/$name-2-moves.png"
    keys question
    sleep 2
    shot "$out/$name-3-help.png"
    keys Escape
    sleep 3
    shot "$out/$name-4-back.png"
    keys Return
    sleep 4
    shot "$out/$name-5-full.png"
    keys Escape
    sleep 3
    keys q
    sleep 3
    shot "$out/$name-6-quit.png"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "$name: screenshots in $out/$name-*.png"
}

geometry_cols=$((width / 9))
geometry_rows=$((height / 19))
kitty_opts=(--config NONE -o "initial_window_width=$width" -o "initial_window_height=$height"
    -o remember_window_size=no -o font_size=11 -o enable_audio_bell=no)

# KITTY=/path/to/kitty runs another kitty (e.g. one built from source).
kitty_bin=${KITTY:-kitty}
run_one kitty "$kitty_bin" "${kitty_opts[@]}" sh -c "$app_cmd"
# The app as the new tmux session's first command: tmux may not know the
# outer terminal yet (the app asks again for up to 1 s).
run_one kitty-tmux "$kitty_bin" "${kitty_opts[@]}" \
    tmux -L terminals-check -f /dev/null new-session "sh -c \"$app_cmd\""
tmux -L terminals-check kill-server 2>/dev/null || true
# The app started 3 s after tmux, which has then learnt the outer terminal.
run_one kitty-tmux-late "$kitty_bin" "${kitty_opts[@]}" \
    tmux -L terminals-check -f /dev/null new-session "sh -c \"sleep 3; $app_cmd\""
tmux -L terminals-check kill-server 2>/dev/null || true
run_one konsole konsole --separate --nofork -qwindowgeometry "${width}x${height}+0+0" \
    -e sh -c "$app_cmd"
run_one xterm xterm -ti vt340 -xrm 'XTerm*numColorRegisters: 256' \
    -xrm 'XTerm*sixelScrolling: true' -geometry "${geometry_cols}x${geometry_rows}+0+0" \
    -fa Monospace -fs 10 -e sh -c "$app_cmd"
run_one xterm-tmux xterm -ti vt340 -xrm 'XTerm*numColorRegisters: 256' \
    -geometry "${geometry_cols}x${geometry_rows}+0+0" -fa Monospace -fs 10 \
    -e tmux -L terminals-check -f /dev/null new-session "sh -c \"$app_cmd\""
tmux -L terminals-check kill-server 2>/dev/null || true
echo "done: look at $out/*.png"
