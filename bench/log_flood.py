#!/usr/bin/env python3
"""log_flood.py: the console under a log flood (bench/README.md, "Logs").

Starts the fake Loki (tests/fakes/fake_loki.py --scenario flood: 20,000
lines a second, ~200 bytes each, over 4 streams) and sitrep following it on
a pty of ROWSxCOLS (default 40x120), Logs focused, and measures:

  - keypress to screen: `?` opens the help overlay and Escape closes it,
    N times each; the time from writing the key to the pty until the
    emulated screen (libvterm, through ptyrun.py) shows the change;
  - bytes to the terminal while following, per second and per frame (a
    frame: a burst of output after a quiet gap), against a screenful
    (rows x cols);
  - the console's CPU while following, and the lines it took in a second.

usage: bench/log_flood.py [--rows R] [--cols C] [--presses N]
       [--seconds S] [--keys 4|4z]
SITREP in the environment names the binary (else ../_build*/sitrep).
"""
import argparse
import os
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ptyrun  # noqa: E402


def find_sitrep():
    if os.environ.get("SITREP"):
        return os.path.abspath(os.environ["SITREP"])
    top = os.path.dirname(HERE)
    for d in sorted(os.listdir(top)):
        p = os.path.join(top, d, "sitrep")
        if d.startswith("_build") and os.access(p, os.X_OK):
            return p
    return ptyrun.find_sitrep()


def start_fake(rate):
    fake = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "..", "tests", "fakes",
                                      "fake_loki.py"),
         "--scenario", "flood"], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    port = int(fake.stdout.readline())
    if rate != 20000:
        raise SystemExit("log_flood: the flood scenario is 20000 lines/s")
    return fake, port


def wait_screen(child, screen, pred, timeout):
    """Feed the screen until pred(rows) holds; the moment it did, or
    None."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r, _, _ = select.select([child.fd], [], [], end - time.monotonic())
        if not r:
            continue
        try:
            b = os.read(child.fd, 65536)
        except OSError:
            return None
        child.nbytes += len(b)
        screen.feed(b)
        if pred(screen.text()):
            return time.monotonic()
    return None


def has(text):
    return lambda rows: any(text in r for r in rows)


def lacks(text):
    return lambda rows: not any(text in r for r in rows)


def lines_in_title(rows):
    for r in rows:
        m = re.search(r"4 Logs.* (\d+) lines since.*?(?:\((\d+) older "
                      r"dropped\))?\s*$", r)
        if m:
            return int(m.group(1)) + int(m.group(2) or 0)
    return None


def frames(chunks, gap=0.02):
    """Bursts of output separated by quiet gaps: (count, bytes each)."""
    out, last, cur = [], None, 0
    for t, n in chunks:
        if last is not None and t - last > gap:
            out.append(cur)
            cur = 0
        cur += n
        last = t
    if cur:
        out.append(cur)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--cols", type=int, default=120)
    ap.add_argument("--presses", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--rate", type=int, default=20000)
    ap.add_argument("--keys", default="4",
                    help="typed first: 4 focuses Logs, 4z zooms it too")
    a = ap.parse_args()
    exe = find_sitrep()
    fake, port = start_fake(a.rate)
    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    conf.write("[loki]\nurl = http://127.0.0.1:%d\nquery = "
               "{service=\"checkout\"}\nlookback = 10s\n" % port)
    conf.close()
    screen = ptyrun.Screen(a.rows, a.cols)
    child = ptyrun.Child([exe, "--config", conf.name], a.rows, a.cols)
    try:
        if wait_screen(child, screen, has("following {service"), 10) is None:
            raise SystemExit("log_flood: the console did not start")
        os.write(child.fd, a.keys.encode())
        wait_screen(child, screen, has("stream=flood-"), 20)
        child.drain_for(3, screen.feed)		# history, then the flow

        # Bytes, frames and CPU while following.
        chunks = []
        cpu0, t0 = child.cpu_ticks(), time.monotonic()
        n0 = lines_in_title(screen.text())

        def sink(b):
            chunks.append((time.monotonic(), len(b)))
            screen.feed(b)
        child.drain_for(a.seconds, sink)
        secs = time.monotonic() - t0
        cpu = (child.cpu_ticks() - cpu0) / os.sysconf("SC_CLK_TCK") / secs
        n1 = lines_in_title(screen.text())
        total = sum(n for _, n in chunks)
        fr = frames(chunks)

        # Keypress to screen.
        opens, closes = [], []
        for _ in range(a.presses):
            t = time.monotonic()
            os.write(child.fd, b"?")
            done = wait_screen(child, screen, has("sitrep help"), 5)
            if done is None:
                raise SystemExit("log_flood: ? did not open the help")
            opens.append(done - t)
            t = time.monotonic()
            os.write(child.fd, b"\x1b")
            done = wait_screen(child, screen, lacks("sitrep help"), 5)
            if done is None:
                raise SystemExit("log_flood: Escape did not close it")
            closes.append(done - t)
            child.drain_for(0.1, screen.feed)
    finally:
        child.stop()
        screen.free()
        fake.stdin.close()
        fake.wait()
        os.unlink(conf.name)

    screenful = a.rows * a.cols
    print("sitrep %s, %dx%d, keys %r, fake Loki flood 20,000 lines/s "
          "(~200 B)" % (exe, a.cols, a.rows, a.keys))
    for name, v in (("? (help opens)", opens),
                    ("Escape (closes; curses waits ESCDELAY=25ms)", closes)):
        v = sorted(v)
        print("keypress to screen, %s x%d: median %.1f ms, p95 %.1f ms, "
              "max %.1f ms" % (name, len(v), 1000 * statistics.median(v),
                               1000 * v[int(0.95 * (len(v) - 1))],
                               1000 * v[-1]))
    print("terminal: %.0f B/s, %d frames in %.1f s (%.1f/s), %.0f B a "
          "frame on average, %d at most; a screenful is %d cells" %
          (total / secs, len(fr), secs, len(fr) / secs,
           total / max(len(fr), 1), max(fr or [0]), screenful))
    if n0 is not None and n1 is not None:
        print("lines taken in: %.0f/s; console CPU %.0f%% of a core" %
              ((n1 - n0) / secs, 100 * cpu))


if __name__ == "__main__":
    main()
