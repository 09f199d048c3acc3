#!/usr/bin/env python3
"""loki_verify.py: compare what `sitrep snapshot --json --follow` showed of
the logs with what the fake Loki (fake_loki.py) had, for the integration
tests. Standard library only. Exit 0 if every check holds; otherwise each
problem on stdout and exit 1.

  --snapshot FILE   the snapshot JSON
  --port N          the fake's port (GET /fake/lines is the truth)
  --all             every line the fake has must have been shown (a finite
                    scenario, all of it within the lookback)
  --ordered         timestamps never go back, and each stream's lines come
                    in the order of their seq=
  --complete        nothing is missing between the first and the last
                    line shown, but in ranges a skip note accounts for
  --skips           the console fell behind: there are skip notes, and
                    each one's count is exact
  --gaps N          exactly N notes about lines that could not be fetched
Always: no line is shown twice, and no line is shown that the fake does not
have.
"""

import argparse
import bisect
import collections
import json
import re
import sys
import urllib.request

SKIP = re.compile(r"^(\d+) lines skipped .* in \[(\d+), (\d+)\) ns\)$")


def fake_lines(port, window):
    with urllib.request.urlopen("http://127.0.0.1:%s/fake/lines?%s" %
                                (port, window[1:] or "start=0")) as r:
        return json.load(r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--snapshot", required=True)
    ap.add_argument("--port", required=True)
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--ordered", action="store_true")
    ap.add_argument("--complete", action="store_true")
    ap.add_argument("--skips", action="store_true")
    ap.add_argument("--gaps", type=int)
    a = ap.parse_args()

    snap = json.load(open(a.snapshot))
    shown = [l for l in snap["logs"] if not l.get("marker")]
    notes = [l for l in snap["logs"] if l.get("marker")]
    window = ""
    if not a.all and shown:
        # Only the stretch the console covered: the fake may go on for ever.
        ts = [int(l["ts"]) for l in shown]
        ts += [int(m.group(3)) - 1 for m in
               (SKIP.match(n["line"]) for n in notes) if m]
        window = "&start=%d&end=%d" % (min(ts), max(ts) + 1)
    truth = fake_lines(a.port, window)
    problems = []

    def key(l):
        return (l["labels"], l["line"])

    have = collections.Counter(key(l) for l in truth)
    got = collections.Counter(key(l) for l in shown)
    twice = [k for k, n in got.items() if n > 1]
    if twice:
        problems.append("%d lines shown more than once, e.g. %r" %
                        (len(twice), twice[0]))
    alien = got - have
    if alien:
        problems.append("%d lines shown that Loki does not have, e.g. %r" %
                        (sum(alien.values()), next(iter(alien))))
    if a.all:
        missing = have - got
        if missing:
            problems.append("%d of %d lines never shown, e.g. %r" %
                            (sum(missing.values()), len(truth),
                             next(iter(missing))))
    if a.ordered:
        ts = [int(l["ts"]) for l in shown]
        back = sum(1 for x, y in zip(ts, ts[1:]) if y < x)
        if back:
            problems.append("the timestamps go back %d times" % back)
        last = {}
        for l in shown:
            m = re.match(r"seq=(\d+) stream=(\S+)", l["line"])
            if not m:
                continue
            seq, stream = int(m.group(1)), m.group(2)
            if stream in last and seq <= last[stream] and \
                    not stream.startswith("ooo"):
                problems.append("stream %s: seq %d after %d" %
                                (stream, seq, last[stream]))
                break
            last[stream] = seq
    if a.complete or a.skips:
        account(truth, shown, notes, problems, a.skips)
    if a.gaps is not None:
        gaps = [n for n in notes if not SKIP.match(n["line"])]
        if len(gaps) != a.gaps:
            problems.append("%d notes of lines not fetched, not %d: %r" %
                            (len(gaps), a.gaps, [n["line"] for n in gaps]))
    print("shown %d lines, %d notes; Loki had %d; logs_dropped %d %s" %
          (len(shown), len(notes), len(truth), snap["logs_dropped"],
           json.dumps(snap.get("logs_drops"))))
    for n in notes:
        print("note:", n["line"][:160])
    for p in problems:
        print("PROBLEM:", p)
    sys.exit(1 if problems else 0)


def account(truth, shown, notes, problems, want_skips):
    """Skipped ranges hold exactly the count the note gives (plus the lines
    at the range's first nanosecond that had been shown already); outside
    them nothing is missing between the first and the last line shown."""
    if not shown:
        problems.append("nothing shown")
        return
    ts_truth = sorted(int(l["ts"]) for l in truth)
    shown_ts = sorted(int(l["ts"]) for l in shown)
    first, last = shown_ts[0], shown_ts[-1]
    ranges = []
    total_skipped = 0
    for n in notes:
        m = SKIP.match(n["line"])
        if not m:
            continue
        count, lo, hi = int(m.group(1)), int(m.group(2)), int(m.group(3))
        ranges.append((lo, hi))
        had = bisect.bisect_left(ts_truth, hi) - bisect.bisect_left(
            ts_truth, lo)
        seen = bisect.bisect_left(shown_ts, hi) - bisect.bisect_left(
            shown_ts, lo)
        if had != count + seen:
            problems.append("skip [%d, %d): Loki had %d lines, the note "
                            "says %d skipped and %d were shown" %
                            (lo, hi, had, count, seen))
        total_skipped += count
    if want_skips and not ranges:
        problems.append("no skip note: the console never fell behind")

    def skipped(t):
        return any(lo <= t < hi for lo, hi in ranges)

    got = collections.Counter((l["labels"], l["line"]) for l in shown)
    lost = [l for l in truth if first <= int(l["ts"]) < last and
            not skipped(int(l["ts"])) and got[(l["labels"], l["line"])] == 0]
    if lost:
        problems.append("%d lines outside any skipped range were silently "
                        "lost, e.g. ts %s" % (len(lost), lost[0]["ts"]))
    print("skipped %d lines in %d ranges" % (total_skipped, len(ranges)))


if __name__ == "__main__":
    main()
