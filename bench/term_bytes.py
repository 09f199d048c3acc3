#!/usr/bin/env python3
"""term_bytes.py: bytes sent to the terminal while the logs stream (DESIGN.md
budget: per new log line, no more than the line itself plus a few bytes).

Runs `sitrep --demo` (logs at 50 lines/s) on a pty at 80x24 and 200x50,
lets it settle, then counts every byte it writes over DURATION seconds
(default 30). The number of new log lines is read off the screen (an
emulated one, libvterm via ctypes): the Logs title's "N lines since" at the
start and the end. Two sizes of a line to compare with: its text alone,
the mean "line" of `sitrep snapshot --json --demo` (the same generator,
200 lines), and the row as the pane shows it (clock, labels, text,
clipped to the width), the mean of the log rows on the emulated screen,
sampled once a second: what a perfect renderer must send for a new line.

Three layouts per size: the default screen (Alerts focused), Logs focused
(key 4: the last row is highlighted) and Logs zoomed (4 z). Each line of
output: bytes/s to the terminal, new lines/s, log text bytes/s, the ratio,
bytes per new line, and where the bytes went: printable text vs escape
sequences, and by screen region (header, logs title, logs rows, the other
panes, status line, and scrolling: DECSTBM, SU/SD, save/restore cursor
and line feeds that scroll).

usage: bench/term_bytes.py [--rate N] [--raw DIR] [--only LAYOUT]
(SITREP, DURATION, SETTLE in the environment). --rate N streams N lines/s
through a [demo] config instead of --demo's 50; --raw keeps each run's
output in DIR.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no bench/__pycache__ in the tree
import ptyrun  # noqa: E402

SIZES = ((24, 80), (50, 200))
LAYOUTS = (("default", b""), ("logs-focused", b"4"), ("logs-zoomed", b"4z"))


def text_size(exe):
    """Mean bytes of a log line's text (the "line" of snapshot --json)."""
    out = subprocess.run([exe, "snapshot", "--json", "--demo"], check=True,
                         stdout=subprocess.PIPE).stdout
    logs = json.loads(out)["logs"]
    return sum(len(lg["line"].encode()) for lg in logs) / len(logs)


def shown_rows(rows, title_row):
    """Bytes of each log row as the screen shows it (clock, labels, text,
    clipped; trailing blanks dropped): what a perfect renderer must send
    for one new line."""
    body = [r.rstrip() for r in rows[title_row + 1:-1]]
    return [len(r.encode()) for r in body if r]


class Attributor:
    """Follows the cursor row through the output to say where each byte
    went. Knows the sequences curses sends to an xterm; others count as
    escapes on the current row."""

    CSI = re.compile(rb"\x1b\[([0-9;?]*)([@-~])")

    def __init__(self, rows):
        self.rows = rows
        self.row = self.saved = 0
        self.top, self.bottom = 0, rows - 1	  # the scroll region
        self.text = [0] * rows	  # printable bytes per row
        self.esc = [0] * rows	  # escape bytes per row
        self.scroll = 0		  # scroll-region / scroll / save-restore

    def feed(self, b):
        i, n = 0, len(b)
        while i < n:
            c = b[i]
            if c == 0x1b:
                i = self._escape(b, i)
                continue
            if c == 0x0a and self.row == self.bottom:
                self.scroll += 1	  # a line feed that scrolls
                i += 1
                continue
            if c == 0x0a:
                self.row = min(self.row + 1, self.rows - 1)
            if c < 0x20:
                self.esc[self.row] += 1
            else:
                self.text[self.row] += 1
            i += 1

    def _escape(self, b, i):
        m = self.CSI.match(b, i)
        if m is None:
            # ESC 7 / ESC 8 / ESC ( B / ESC M ...
            seq = b[i:i + 3] if b[i + 1:i + 2] in (b"(", b")") else b[i:i + 2]
            if seq in (b"\x1b7", b"\x1b8"):
                self.scroll += len(seq)
                if seq == b"\x1b7":
                    self.saved = self.row
                else:
                    self.row = self.saved
            elif seq == b"\x1bM" and self.row == self.top:
                self.scroll += len(seq)	  # a reverse index that scrolls
            else:
                if seq == b"\x1bM":
                    self.row = max(self.row - 1, 0)
                self.esc[self.row] += len(seq)
            return i + len(seq)
        p = [int(x) if x.isdigit() else 0 for x in m.group(1).split(b";")]
        f, size = m.group(2), m.end() - m.start()
        if f in (b"r", b"S", b"T"):
            self.scroll += size
            if f == b"r":
                self.top = max(p[0], 1) - 1
                self.bottom = (p[1] if len(p) > 1 and p[1] else
                               self.rows) - 1
                self.row = 0
            return m.end()
        if f in (b"H", b"f", b"d"):
            self.row = max(p[0], 1) - 1
        elif f == b"A":
            self.row -= max(p[0], 1)
        elif f in (b"B", b"E"):
            self.row += max(p[0], 1)
        self.row = min(max(self.row, 0), self.rows - 1)
        self.esc[self.row] += size
        return m.end()


def title_counter(rows):
    """(lines now in the ring + lines dropped, row of the Logs title)."""
    for y, r in enumerate(rows):
        m = re.search(r"4 Logs.* (\d+) lines? since", r)
        if m:
            d = re.search(r"\((\d+) older dropped\)", r)
            return int(m.group(1)) + (int(d.group(1)) if d else 0), y
    raise SystemExit("term_bytes: no Logs title on screen:\n" +
                     "\n".join(rows))


def one_run(exe, argv, nrows, ncols, keys, settle, duration, raw_path):
    screen = ptyrun.Screen(nrows, ncols)
    child = ptyrun.Child([exe] + argv, nrows, ncols)
    try:
        child.drain_for(0.5, screen.feed)
        if keys:
            os.write(child.fd, keys)
        child.drain_for(settle, screen.feed)
        n0, title_row = title_counter(screen.text())
        att = Attributor(nrows)
        raw = bytearray()

        def sink(b):
            screen.feed(b)
            att.feed(b)
            raw.extend(b)
        shown = []
        t0 = time.monotonic()
        while time.monotonic() - t0 < duration:
            # sample the rows shown once a second
            child.drain_for(min(1.0, duration - (time.monotonic() - t0)),
                            sink)
            rows = screen.text()
            shown += shown_rows(rows, title_row)
        elapsed = time.monotonic() - t0
        n1, _ = title_counter(rows)
        if raw_path:
            with open(raw_path, "wb") as f:
                f.write(raw)
        return (len(raw), n1 - n0, elapsed, att, title_row,
                sum(shown) / max(len(shown), 1))
    finally:
        child.stop()
        screen.free()


def report(name, ncols, nrows, nbytes, lines, secs, att, title_row,
           text_len, row_len):
    bps, lps = nbytes / secs, lines / secs
    body = range(title_row + 1, nrows - 1)
    region = {
        "header": att.text[0] + att.esc[0],
        "logs title": att.text[title_row] + att.esc[title_row],
        "logs rows": sum(att.text[y] + att.esc[y] for y in body),
        "status": att.text[-1] + att.esc[-1],
        "scrolling": att.scroll,
    }
    region["other panes"] = nbytes - sum(region.values())
    text = sum(att.text)
    if lines == 0 or nbytes == 0:
        print("%3dx%-3d %-12s %6.0f B/s to the terminal, no new lines" %
              (ncols, nrows, name, bps))
        return
    per = nbytes / lines
    print("%3dx%-3d %-12s %6.0f B/s to the terminal, %4.1f lines/s, log "
          "text %5.0f B/s: ratio %.2f; %5.1f B per new line = text %.1f "
          "%+.1f, = row as shown %.1f %+.1f" %
          (ncols, nrows, name, bps, lps, lps * text_len,
           bps / (lps * text_len), per, text_len, per - text_len, row_len,
           per - row_len))
    print("        where: printable %.0f%%, escapes %.0f%%; " %
          (100 * text / nbytes, 100 * (nbytes - text) / nbytes) +
          ", ".join("%s %.1f B/line" % (k, v / lines)
                    for k, v in region.items() if v))


def main():
    sys.stdout.reconfigure(line_buffering=True)  # for tee
    args = sys.argv[1:]
    raw_dir = only = None
    rate = 50
    while args:
        if args[0] == "--raw" and len(args) > 1:
            raw_dir = args[1]
            os.makedirs(raw_dir, exist_ok=True)
            args = args[2:]
        elif args[0] == "--rate" and len(args) > 1:
            rate = int(args[1])
            args = args[2:]
        elif args[0] == "--only" and len(args) > 1:
            only = args[1]
            args = args[2:]
        else:
            raise SystemExit(__doc__.split("\n\n")[-1])
    exe = ptyrun.find_sitrep()
    settle = float(os.environ.get("SETTLE", 3))
    duration = float(os.environ.get("DURATION", 30))
    argv = ["--demo"]
    if rate != 50:
        conf = tempfile.NamedTemporaryFile("w", suffix=".conf")
        conf.write("[demo]\nlogs_per_second = %d\n" % rate)
        conf.flush()
        argv = ["--config", conf.name]
    print("sitrep: %s" % exe)
    print("%s (%d lines/s), settle %gs, measure %gs; budget: per new "
          "line, the line plus a few bytes" % (" ".join(argv), rate, settle,
                                              duration))
    text_len = text_size(exe)
    for nrows, ncols in SIZES:
        for name, keys in LAYOUTS:
            if only and name != only:
                continue
            raw_path = os.path.join(raw_dir, "%s-%dx%d.raw" % (
                name, ncols, nrows)) if raw_dir else None
            nbytes, lines, secs, att, title_row, row_len = one_run(
                exe, argv, nrows, ncols, keys, settle, duration, raw_path)
            report(name, ncols, nrows, nbytes, lines, secs, att, title_row,
                   text_len, row_len)


if __name__ == "__main__":
    main()
