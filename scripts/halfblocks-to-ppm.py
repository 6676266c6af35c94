#!/usr/bin/env python3
"""Turns half-block cells of a `tmux capture-pane -e -p` dump into a PPM
picture (one cell = 1 x 2 pixels), to look at what a preview really shows.

usage: halfblocks-to-ppm.py CAPTURE X Y W H OUT.ppm [SCREEN_COLS]
(X, Y, W, H: the cell rectangle, 0-based, in screen columns/rows). With
SCREEN_COLS, each line is aligned on its right end: wide characters and
emoji sequences on the left (which this parser may count differently from
the terminal) then do not shift the picture.
"""
import re
import sys
import unicodedata


def xterm256(n):
    base = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
            (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
            (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]
    if n < 16:
        return base[n]
    if n < 232:
        n -= 16
        v = [0, 95, 135, 175, 215, 255]
        return (v[n // 36], v[(n // 6) % 6], v[n % 6])
    g = 8 + (n - 232) * 10
    return (g, g, g)


def parse_line(line):
    """Cells of one captured line: list of (char, fg, bg)."""
    fg = bg = None
    cells = []
    i = 0
    for m in re.finditer(r"\x1b\[([0-9;:]*)m|([^\x1b])", line):
        if m.group(2) is not None:
            ch = m.group(2)
            if unicodedata.combining(ch) or ch in "\u200d\ufe0f":
                continue
            cells.append((ch, fg, bg))
            if unicodedata.east_asian_width(ch) in "WF":
                cells.append(("", fg, bg))
            continue
        params = [int(p) if p else 0 for p in re.split("[;:]", m.group(1) or "0")]
        k = 0
        while k < len(params):
            p = params[k]
            if p == 0:
                fg = bg = None
            elif p in (38, 48) and k + 1 < len(params):
                if params[k + 1] == 5:
                    c = xterm256(params[k + 2])
                    k += 2
                else:
                    c = tuple(params[k + 2:k + 5])
                    k += 4
                if p == 38:
                    fg = c
                else:
                    bg = c
            elif p == 39:
                fg = None
            elif p == 49:
                bg = None
            elif 30 <= p <= 37:
                fg = xterm256(p - 30)
            elif 40 <= p <= 47:
                bg = xterm256(p - 40)
            elif 90 <= p <= 97:
                fg = xterm256(p - 90 + 8)
            elif 100 <= p <= 107:
                bg = xterm256(p - 100 + 8)
            k += 1
    return cells


def main():
    src, x, y, w, h, out = sys.argv[1], *map(int, sys.argv[2:6]), sys.argv[6]
    screen = int(sys.argv[7]) if len(sys.argv) > 7 else None
    lines = open(src, encoding="utf-8", errors="replace").read().split("\n")
    black = (0, 0, 0)
    pix = []
    for row in range(y, y + h):
        cells = parse_line(lines[row]) if row < len(lines) else []
        if screen is not None:
            # capture-pane trims trailing blanks: pad, then align on the right.
            cells += [(" ", None, None)] * max(0, screen - len(cells))
            shift = len(cells) - screen
            cells = cells[shift:] if shift > 0 else [(" ", None, None)] * -shift + cells
        top, bottom = [], []
        for col in range(x, x + w):
            ch, fg, bg = cells[col] if col < len(cells) else (" ", None, None)
            fg, bg = fg or (255, 255, 255), bg or black
            if ch == "\u2580":
                top.append(fg); bottom.append(bg)
            elif ch == "\u2584":
                top.append(bg); bottom.append(fg)
            else:
                top.append(bg); bottom.append(bg)
        pix += [top, bottom]
    with open(out, "wb") as f:
        f.write(b"P6 %d %d 255\n" % (w, 2 * h))
        for r in pix:
            f.write(bytes(v for c in r for v in c))


main()
