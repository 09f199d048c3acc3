#!/usr/bin/env python3
"""first_frame.py: time from exec to the first full frame (DESIGN.md budget:
under 200 ms, sources on loopback; the demo source is in-process).

Starts `sitrep --demo` on a pty (TERM=xterm-256color, LANG=C.UTF-8) at 80x24
and 200x50, feeds everything it writes to an emulated screen (libvterm via
ctypes) and notes, on a monotonic clock from just before fork:
  chrome  the frame's skeleton is up: the status line ends in "q quit" and
          the Logs pane's title is drawn (the first paint, before any data)
  full    the data is in as well: the header says "demo ok", an alert, the
          checkout SLO, a deploy and log lines are on screen
Each size runs RUNS times (default 20); prints median and max. Checking the
screen, not the raw bytes, matters: curses sends only what changed, so the
second frame never repeats the first one's words.

usage: bench/first_frame.py [RUNS]      (SITREP=path)
"""
import statistics
import sys
import time

sys.dont_write_bytecode = True  # no bench/__pycache__ in the tree
import ptyrun  # noqa: E402


def chrome(rows):
    return rows[-1].rstrip().endswith("q quit") and \
        any("4 Logs" in r for r in rows)


def full(rows):
    text = "\n".join(rows)
    return chrome(rows) and all(w in text for w in (
        "demo ok", "CheckoutHigh", "checkout-avail", "v2.14.0",
        "trace_id="))


def one_run(exe, nrows, ncols):
    """(ms to chrome, ms to full frame, bytes until full)."""
    screen = ptyrun.Screen(nrows, ncols)
    child = ptyrun.Child([exe, "--demo"], nrows, ncols)
    t_chrome = t_full = None
    deadline = child.t_fork + 5
    try:
        while t_full is None and time.monotonic() < deadline:
            b = child.read(deadline - time.monotonic())
            if b is None:
                raise SystemExit("first_frame: sitrep exited")
            if not b:
                continue
            now = time.monotonic()
            screen.feed(b)
            rows = screen.text()
            if t_chrome is None and chrome(rows):
                t_chrome = now
            if full(rows):
                t_full = now
        if t_full is None:
            raise SystemExit("first_frame: no full frame in 5 s:\n" +
                             "\n".join(screen.text()))
        return ((t_chrome - child.t_fork) * 1000,
                (t_full - child.t_fork) * 1000, child.nbytes)
    finally:
        child.stop()
        screen.free()


def main():
    sys.stdout.reconfigure(line_buffering=True)  # for tee
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    exe = ptyrun.find_sitrep()
    print("sitrep: %s" % exe)
    print("exec to first frame, %d runs per size, budget: under 200 ms" % runs)
    for nrows, ncols in ((24, 80), (50, 200)):
        res = [one_run(exe, nrows, ncols) for _ in range(runs)]
        ch = [r[0] for r in res]
        fu = [r[1] for r in res]
        print("%3dx%-3d chrome: median %6.1f ms  max %6.1f ms   "
              "full: median %6.1f ms  max %6.1f ms  (min %.1f; %d bytes "
              "written by then)" %
              (ncols, nrows, statistics.median(ch), max(ch),
               statistics.median(fu), max(fu), min(fu),
               statistics.median(r[2] for r in res)))


if __name__ == "__main__":
    main()
