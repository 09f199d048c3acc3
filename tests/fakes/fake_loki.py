#!/usr/bin/env python3
"""fake_loki.py: a scriptable stand-in for Loki's HTTP API, for the tests.

Serves the documented shapes (tests/fixtures/loki): /loki/api/v1/
query_range (resultType "streams", nanosecond timestamps as strings, the
default direction=backward and limit=100, start inclusive and end
exclusive), /loki/api/v1/query for sum(count_over_time(SELECTOR [Nms]))
(a "vector"), /loki/api/v1/labels, and Loki's plain-text errors, among them
"max entries limit per query exceeded, limit > max_entries_limit_per_query
(N > M)" when limit passes --max-limit (5000, Loki's default).

Binds 127.0.0.1 on an ephemeral port, prints the port as the first line of
stdout, and serves until stdin is closed (so that it dies with the test).
Standard library only.

Log lines are not stored but computed: each stream is a rule that gives the
i-th line's timestamp, the moment it becomes visible (a line "arrives" at
Loki late, or out of order) and its text, so a flood of 20,000 lines a
second for minutes costs no memory. Every line reads
"seq=<i> stream=<name> ..." so that a test can check each appears exactly
once and in order.

Scenarios (--scenario, repeatable; times relative to the start, T0):
  steady     3 pods of checkout, 200 lines/s each, from T0-30s on
  mixed      the correctness mix, all of it over by T0+8s: 3 steady pods
             (200/s from T0-20s), a late stream (every line visible 1.2 s
             after its timestamp), an out-of-order stream (timestamps
             jittered by up to 0.5 s around the order they arrive in), and a
             burst of 10,000 lines sharing one nanosecond at T0+3s whose
             lines arrive over 1.5 s
  burst      the burst alone (10,000 lines, one nanosecond, at T0+2s)
  flood      20,000 lines/s over 4 streams, ~200 bytes each, from T0-5s on
  flood10k   10,000 short lines/s over 2 streams, from T0-5s on
  hostile    at T0+3s, lines with terminal escapes (title, clear screen,
             OSC 52 clipboard), C1 controls, a bidi override, invalid UTF-8
             (raw bytes, as a broken proxy might send) and a 1 MB line
  history    one line every 10 s over the last 2 h, then 1 line/s
  services   checkout, payments and inventory, 5 lines/s each, labelled
             service=...
  keys       for the screen tests: a line every 10 s over the last 2 h,
             two pods at 1 line/s, a request id, a long line, and a
             payments pod
  colours    lines with SGR colour sequences
  fields     for the message-first layout: logfmt, JSON, plain and hostile
             lines in three pods of checkout and one of payments, every
             stream labelled env=prod, two lines sharing a trace id
  archive    two hours of history and on, for the history view: 3 pods of
             checkout at 2 lines/s each from T0-7200s, stamped alike (three
             lines share every timestamp, so pages cut between them)
Control (POST /fake/control, a JSON object; each key optional):
  {"fail": N, "status": 500}   the next N log queries fail with that status
                               (and "retry_after": "S", a Retry-After)
  {"truncate": N}              the next N answers are cut in half
  {"slow": S, "slow_count": N} the next N answers wait S seconds first
  {"latency": S}               every answer waits S seconds (0: off)
  {"stream": {...}}            add a stream rule (see Stream.from_json)
  {"stray": {"ts": NS, "line": TEXT, "count": N}}
                               the next N log answers carry one more line,
                               at that timestamp whatever the range asked
                               (a shipper's broken clock: a far-future ns)
  {"ignore_range": true}       answer as a broken Loki that ignores limit
                               and end: every visible line from start on
                               (--ignore-range from the start)
--name P puts P in front of every stream's name, so that two stand-ins
(two environments' Lokis) serve lines that tell which one sent them.

Inspection: GET /fake/lines?start=NS&end=NS (every visible line, oldest
first), GET /fake/stats (requests seen, limits asked for, bytes of log answers),
GET /fake/requests (every query_range request, in order: start, end,
limit, direction and query as sent).
"""

import argparse
import hashlib
import json
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NS = 1_000_000_000
MS = 1_000_000


def now_ns():
    return time.time_ns()


def jitter(name, i, amount):
    """A deterministic offset in [-amount, amount] for line i."""
    h = hashlib.blake2b(("%s/%d" % (name, i)).encode(), digest_size=8)
    return int.from_bytes(h.digest(), "little") % (2 * amount + 1) - amount


class Stream:
    """A rule for one stream's lines: line i has timestamp ts(i), becomes
    visible at vis(i) and reads text(i); count is None for no end."""

    def __init__(self, name, labels, kind="steady", begin=0, rate=1.0,
                 count=None, lag=0, spread=0, amount=0, size=0, lines=None):
        self.name = name
        self.labels = dict(labels)
        self.kind = kind
        self.begin = begin
        self.period = int(NS / rate) if rate else 0
        self.count = count if kind != "fixed" else len(lines)
        self.lag = lag
        self.spread = spread
        self.amount = amount
        self.size = size
        self.lines = lines or []
        self.key = "{" + ", ".join('%s="%s"' % (k, v) for k, v in
                                   sorted(self.labels.items())) + "}"

    @staticmethod
    def from_json(o, t0):
        return Stream(o["name"], o["labels"], o.get("kind", "steady"),
                      begin=t0 + int(o.get("begin", 0) * NS),
                      rate=o.get("rate", 1.0), count=o.get("count"),
                      lag=int(o.get("lag", 0) * NS),
                      spread=int(o.get("spread", 0) * NS),
                      amount=int(o.get("jitter", 0) * NS),
                      size=o.get("size", 0), lines=o.get("lines"))

    # --- the rule ---
    def ts(self, i):
        if self.kind == "burst":
            return self.begin
        if self.kind == "fixed":
            return self.lines[i][0]
        t = self.begin + i * self.period
        if self.kind == "jitter":
            t += jitter(self.name, i, self.amount)
        return t

    def vis(self, i):
        if self.kind == "burst":
            n = self.count or 1
            return self.begin + self.lag + i * self.spread // n
        if self.kind == "fixed":
            return self.lines[i][0]
        return self.begin + i * self.period + self.lag

    def text(self, i):
        if self.kind == "fixed":
            t = self.lines[i][1]
            if isinstance(t, str):
                return t
            return t[1:-1].decode("utf-8", "replace")  # a raw JSON string
        s = "seq=%d stream=%s level=%s msg=\"request handled\"" % (
            i, self.name, "error" if i % 7 == 0 else "info")
        if self.size > len(s):
            s += " pad=" + "x" * (self.size - len(s) - 5)
        return s

    def index_range(self, lo_ts, hi_ts):
        """Indices whose timestamps may fall in [lo_ts, hi_ts)."""
        n = self.count
        if self.kind in ("burst", "fixed"):
            return 0, n
        slack = self.amount + self.period
        lo = max(0, (lo_ts - self.begin - slack) // self.period)
        hi = (hi_ts - self.begin + slack) // self.period + 1
        if n is not None:
            hi = min(hi, n)
        return max(0, lo), max(0, hi)

    def entries(self, start, end, now, limit=None, backward=False):
        """(ts, i) of visible lines in [start, end), in order, at most
        limit of them (None: all)."""
        if self.kind == "steady" and limit is not None:
            return self._steady(start, end, now, limit, backward)
        lo, hi = self.index_range(start, end)
        out = [(self.ts(i), i) for i in range(lo, hi)
               if start <= self.ts(i) < end and self.vis(i) <= now]
        out.sort(reverse=backward)
        return out if limit is None else out[:limit]

    def _steady_range(self, start, end, now):
        lo, hi = self.index_range(start, end)
        # Visible: begin + i*period + lag <= now.
        if now - self.lag < self.begin:
            return 0, 0
        hi = min(hi, (now - self.lag - self.begin) // self.period + 1)
        while lo < hi and self.ts(lo) < start:
            lo += 1
        while hi > lo and self.ts(hi - 1) >= end:
            hi -= 1
        return lo, hi

    def count_in(self, start, end, now):
        if self.kind == "steady":
            lo, hi = self._steady_range(start, end, now)
            return max(0, hi - lo)
        return len(self.entries(start, end, now))

    def _steady(self, start, end, now, limit, backward):
        lo, hi = self._steady_range(start, end, now)
        if backward:
            return [(self.ts(i), i) for i in
                    range(hi - 1, max(lo, hi - limit) - 1, -1)]
        return [(self.ts(i), i) for i in range(lo, min(hi, lo + limit))]


def steady(name, t0, rate, begin, count=None, lag=0.0, size=0, **labels):
    labels.setdefault("pod", name)
    labels.setdefault("service", "checkout")
    n = None if count is None else int(count)
    return Stream(name, labels, "steady", t0 + int(begin * NS), rate, n,
                  int(lag * NS), size=size)


def scenario(name, t0):
    s = []
    if name == "steady":
        for p in ("checkout-1", "checkout-2", "checkout-3"):
            s.append(steady(p, t0, 200, -30))
    elif name == "mixed":
        for p in ("checkout-1", "checkout-2", "checkout-3"):
            s.append(steady(p, t0, 200, -20, count=200 * 28))
        s.append(steady("late", t0, 100, -20, count=100 * 28, lag=1.2))
        s.append(Stream("ooo", {"pod": "ooo", "service": "checkout"},
                        "jitter", t0 - 20 * NS, 100, 100 * 28,
                        lag=int(0.8 * NS), amount=int(0.5 * NS)))
        s.append(Stream("burst", {"pod": "burst", "service": "checkout"},
                        "burst", t0 + 3 * NS + 123, count=10000,
                        lag=int(0.2 * NS), spread=int(1.5 * NS)))
    elif name == "burst":
        s.append(Stream("burst", {"pod": "burst", "service": "checkout"},
                        "burst", t0 + 2 * NS + 77, count=10000,
                        lag=int(0.1 * NS), spread=int(1.0 * NS)))
    elif name == "flood":
        for k in range(4):
            s.append(steady("flood-%d" % k, t0, 5000, -5, size=200))
    elif name == "flood10k":
        for k in range(2):
            s.append(steady("flood-%d" % k, t0, 5000, -5))
    elif name == "hostile":
        s.append(Stream("hostile", {"pod": "evil", "service": "checkout"},
                        "fixed", lines=hostile_lines(t0)))
        s.append(steady("calm", t0, 1, -60))
    elif name == "history":
        s.append(Stream("old", {"pod": "old", "service": "checkout"},
                        "steady", t0 - 7200 * NS, 0.1, 720))
        s.append(steady("now", t0, 1, 0))
    elif name == "services":
        for svc in ("checkout", "payments", "inventory"):
            s.append(steady(svc + "-0", t0, 5, -120, service=svc))
    elif name == "keys":
        s.append(Stream("old", {"pod": "old", "service": "checkout"},
                        "steady", t0 - 7200 * NS, 0.1, 720))
        for p in ("api-1", "api-2"):
            s.append(steady(p, t0, 1, -60))
        s.append(Stream("misc", {"pod": "misc", "service": "checkout"},
                        "fixed", lines=[
                            (t0 - 30 * NS + 1, "request req-0a1b2c3d failed "
                             "with ERROR upstream timeout"),
                            (t0 - 20 * NS + 1, "long " + " ".join(
                                "word%03d" % k for k in range(60)) +
                             " LONGEND"),
                        ]))
        s.append(steady("payments-0", t0, 1, -60, service="payments"))
    elif name == "fields":
        def fixed(name, pod, lines, service="checkout"):
            return Stream(name, {"service": service, "pod": pod,
                                 "env": "prod"}, "fixed", lines=lines)
        b = t0 - 40 * NS
        s.append(fixed("x2", "checkout-7f9c6d-x2", [
            (b + 1 * NS, 'ts=2026-12-02T04:51:19Z level=error msg="payment '
             'authorization failed: upstream payments returned 502" '
             'trace_id=4c6e08142bd52bb4 latency_ms=812 path=/api/v1/orders'),
            (b + 5 * NS, 'level=info msg="order placed" order=1234 '
             'trace_id=0000aaaa0000bbbb path=/api/v1/orders'),
            (b + 9 * NS, 'level=error msg="title \x1b]0;pwned\x07 after" '
             'evil="\x1b[2J" trace_id=feedfeedfeedfeed'),
        ]))
        s.append(fixed("kq", "checkout-7f9c6d-kq", [
            (b + 2 * NS, '{"level":"warn","msg":"slow query on orders",'
             '"trace_id":"4c6e08142bd52bb4","db":"orders","ms":1250}'),
            (b + 6 * NS, '{"level":"info","message":"caf\\u00e9 '
             '\\u001b[31m red","user":{"id":7}}'),
        ]))
        s.append(fixed("p7", "checkout-7f9c6d-p7", [
            (b + 3 * NS, "GET /healthz 200 took 3ms"),
            (b + 7 * NS, '{"level":"error","msg":"almost json",'),
            (b + 8 * NS, '{"level":"info","msg":"odd keys",'
             '"user name":"ann","a=b":"c"}'),
        ]))
        s.append(steady("payments-0", t0, 0.5, -60, service="payments",
                        env="prod"))
    elif name == "archive":
        for p in ("arch-a", "arch-b", "arch-c"):
            s.append(steady(p, t0, 2, -7200))
    elif name == "colours":
        s.append(Stream("colour", {"pod": "colour", "service": "checkout"},
                        "fixed", lines=[
                            (t0 - 5 * NS, "plain \x1b[31mred text\x1b[0m "
                             "back \x1b[1;32mbold green\x1b[0m"),
                            (t0 - 4 * NS, "\x1b[2J\x1b[31mnot cleared"),
                        ]))
    else:
        raise SystemExit("fake_loki: no scenario %r" % name)
    return s


def hostile_lines(t0):
    """What an attacker writes into a log. JSON carries the bytes: Loki
    escapes controls (\\u001b) and turns invalid UTF-8 into U+FFFD; a few
    raw invalid bytes are sent too, as a broken proxy might. They come 3 s
    after the start, so that a test can watch the terminal before."""
    base = t0 + 3 * NS
    return [
        (base + 1, "title \x1b]0;pwned\x07 after"),
        (base + 2, "clear \x1b[2J\x1b[H after"),
        (base + 3, "clip \x1b]52;c;cHduZWQ=\x07 after"),
        (base + 4, "c1 \u009b31m csi and \u0085 nel"),
        (base + 5, b'"bad utf8 \xff\xfe end"'),  # raw, as a proxy might
        (base + 6, "bidi \u202egnp.exe"),
        (base + 7, "bell \x07 and backspace \x08 and cr \r end"),
        (base + 8, "big " + "A" * (1024 * 1024) + " end"),
        (base + 9, "last hostile line"),
    ]


class State:
    def __init__(self, t0, max_limit):
        self.t0 = t0
        self.max_limit = max_limit
        self.streams = []
        self.lock = threading.Lock()
        self.fail = 0
        self.fail_status = 500
        self.retry_after = None
        self.truncate = 0
        self.slow = 0.0
        self.slow_count = 0
        self.latency = 0.0
        self.requests = 0
        self.bytes = 0
        self.ignore_range = False
        self.stray = None
        self.stray_count = 0
        self.limits = []
        self.ranges = []
        self.counts = 0


STATE = None


def parse_selector(q):
    """The label matchers of {a="b", c=~"d"}, as (name, op, value)."""
    m = re.match(r'\s*\{(.*?)\}', q)
    if not m:
        return None
    out = []
    for name, op, val in re.findall(
            r'([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"',
            m.group(1)):
        out.append((name, op, json.loads('"%s"' % val)))
    return out


def matches(stream, matchers):
    for name, op, val in matchers:
        v = stream.labels.get(name, "")
        if op == "=" and v != val:
            return False
        if op == "!=" and v == val:
            return False
        if op == "=~" and not re.fullmatch(val, v):
            return False
        if op == "!~" and re.fullmatch(val, v):
            return False
    return True


def encode_text(stream, i):
    """A line as JSON, the way Loki sends it; a fixed line given as bytes
    is the JSON string itself, sent raw (invalid UTF-8 and all)."""
    if stream.kind == "fixed" and isinstance(stream.lines[i][1], bytes):
        return stream.lines[i][1]
    return json.dumps(stream.text(i)).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake_loki/1"
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body, ctype="application/json", headers=()):
        st = STATE
        with st.lock:
            wait = st.latency
            if st.slow_count > 0:
                st.slow_count -= 1
                wait += st.slow
            cut = False
            if st.truncate > 0 and status == 200 and \
                    self.path.startswith("/loki/"):
                st.truncate -= 1
                cut = True
        if wait:
            time.sleep(wait)
        if cut:
            body = body[:len(body) // 2]
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def error(self, status, text, headers=()):
        self.send(status, text.encode(), "text/plain; charset=utf-8",
                  headers)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(url.query)
        try:
            if url.path == "/loki/api/v1/query_range":
                self.query_range(q)
            elif url.path == "/loki/api/v1/query":
                self.instant(q)
            elif url.path in ("/loki/api/v1/labels", "/loki/api/v1/label"):
                self.labels()
            elif url.path == "/fake/lines":
                self.all_lines(q)
            elif url.path == "/fake/stats":
                st = STATE
                self.send(200, json.dumps({
                    "requests": st.requests, "limits": st.limits[-50:],
                    "bytes": st.bytes,
                    "counts": st.counts, "t0": st.t0}).encode())
            elif url.path == "/fake/requests":
                with STATE.lock:
                    body = json.dumps(STATE.ranges).encode()
                self.send(200, body)
            elif url.path == "/ready":
                self.send(200, b"ready", "text/plain")
            else:
                self.error(404, "404 page not found")
        except BrokenPipeError:
            pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if urllib.parse.urlparse(self.path).path != "/fake/control":
            self.error(404, "404 page not found")
            return
        o = json.loads(body or b"{}")
        st = STATE
        with st.lock:
            if "fail" in o:
                st.fail = int(o["fail"])
                st.fail_status = int(o.get("status", 500))
                st.retry_after = o.get("retry_after")
            if "truncate" in o:
                st.truncate = int(o["truncate"])
            if "slow" in o:
                st.slow = float(o["slow"])
                st.slow_count = int(o.get("slow_count", 1))
            if "latency" in o:
                st.latency = float(o["latency"])
            if "stray" in o:
                x = o["stray"]
                st.stray = Stream("stray", {"pod": "stray",
                                            "service": "checkout"}, "fixed",
                                  lines=[(int(x["ts"]), x["line"])])
                st.stray_count = int(x.get("count", 1))
            if "ignore_range" in o:
                st.ignore_range = bool(o["ignore_range"])
            if "stream" in o:
                st.streams.append(Stream.from_json(o["stream"], st.t0))
        self.send(200, b'{"ok":true}')

    def failing(self):
        st = STATE
        with st.lock:
            st.requests += 1
            if st.fail > 0:
                st.fail -= 1
                return st.fail_status
        return 0

    def query_range(self, q):
        st = STATE
        status = self.failing()
        if status:
            retry = STATE.retry_after
            self.error(status, "rpc error: code = Unavailable desc = "
                       "fake failure %d" % status,
                       [("Retry-After", retry)] if retry else [])
            return
        query = q.get("query", [""])[0]
        with st.lock:
            st.ranges.append({k: q.get(k, [None])[0] for k in (
                "start", "end", "limit", "direction", "query")})
        if query.lstrip().startswith(("rate(", "sum(", "count_over_time(")):
            self.send(200, json.dumps({"status": "success", "data": {
                "resultType": "matrix", "result": []}}).encode())
            return
        matchers = parse_selector(query)
        if matchers is None:
            self.error(400, "parse error at line 1, col 1: syntax error: "
                       "unexpected IDENTIFIER")
            return
        now = now_ns()
        start = int(q.get("start", [str(now - 3600 * NS)])[0])
        end = int(q.get("end", [str(now)])[0])
        limit = int(q.get("limit", ["100"])[0])
        backward = q.get("direction", ["backward"])[0] != "forward"
        with st.lock:
            st.limits.append(limit)
            ignore = st.ignore_range
        if st.max_limit and limit > st.max_limit:
            self.error(400, "max entries limit per query exceeded, limit > "
                       "max_entries_limit_per_query (%d > %d)" %
                       (limit, st.max_limit))
            return
        if ignore:
            end, limit = now + 1, 1 << 62
        picked = []
        for s in list(st.streams):
            if not matches(s, matchers):
                continue
            for ts, i in s.entries(start, end, now,
                                   None if ignore else limit, backward):
                picked.append((ts, s.key, i, s))
        picked.sort(key=lambda e: (e[0], e[1], e[2]), reverse=backward)
        picked = picked[:limit]
        with st.lock:
            if st.stray_count > 0 and matches(st.stray, matchers):
                st.stray_count -= 1
                picked.append((st.stray.ts(0), st.stray.key, 0, st.stray))
        body = self.streams_body(picked)
        with st.lock:
            st.bytes += len(body)
        self.send(200, body)

    def streams_body(self, picked):
        by = {}
        order = []
        for ts, key, i, s in picked:
            if key not in by:
                by[key] = (s, [])
                order.append(key)
            by[key][1].append(b'["%d",%s]' % (ts, encode_text(s, i)))
        parts = []
        for key in order:
            s, vals = by[key]
            parts.append(b'{"stream":' + json.dumps(s.labels).encode() +
                         b',"values":[' + b",".join(vals) + b"]}")
        return (b'{"status":"success","data":{"resultType":"streams",'
                b'"result":[' + b",".join(parts) + b'],"stats":{"summary":'
                b'{"totalEntriesReturned":%d}}}}' % len(picked))

    def instant(self, q):
        st = STATE
        status = self.failing()
        if status:
            self.error(status, "fake failure %d" % status)
            return
        query = q.get("query", [""])[0]
        m = re.match(r'\s*sum\(count_over_time\((.*)\[(\d+)ms\]\)\)\s*$',
                     query)
        if not m:
            self.error(400, "parse error: the fake only counts "
                       "sum(count_over_time(SELECTOR [Nms]))")
            return
        matchers = parse_selector(m.group(1))
        rng = int(m.group(2)) * MS
        t = int(q.get("time", [str(now_ns())])[0])
        now = now_ns()
        n = 0
        # count_over_time covers (t - range, t].
        for s in list(st.streams):
            if matchers is not None and matches(s, matchers):
                n += s.count_in(t - rng + 1, t + 1, now)
        with st.lock:
            st.counts += 1
        result = [] if n == 0 else [
            {"metric": {}, "value": [t / NS, str(n)]}]
        self.send(200, json.dumps({"status": "success", "data": {
            "resultType": "vector", "result": result}}).encode())

    def labels(self):
        names = set()
        for s in STATE.streams:
            names.update(s.labels)
        self.send(200, json.dumps({"status": "success",
                                   "data": sorted(names)}).encode())

    def all_lines(self, q):
        now = now_ns()
        start = int(q.get("start", ["0"])[0])
        end = int(q.get("end", [str(now)])[0])
        out = []
        for s in STATE.streams:
            for ts, i in s.entries(start, end, now):
                out.append({"ts": str(ts), "labels": s.key,
                            "stream": s.name, "seq": i, "line": s.text(i)})
        out.sort(key=lambda e: (int(e["ts"]), e["labels"], e["seq"]))
        self.send(200, json.dumps(out).encode())


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client that hangs up (the console quitting) is no news."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, OSError)):
            super().handle_error(request, client_address)


def main():
    global STATE
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", action="append", default=[])
    ap.add_argument("--max-limit", type=int, default=5000,
                    help="Loki's max_entries_limit_per_query (0: none)")
    ap.add_argument("--latency", type=float, default=0.0)
    ap.add_argument("--ignore-range", action="store_true",
                    help="ignore limit and end, as a broken Loki might")
    ap.add_argument("--name", default="",
                    help="put in front of every stream's name (and so in "
                    "every line's stream=), to tell two Lokis apart")
    a = ap.parse_args()
    t0 = now_ns()
    STATE = State(t0, a.max_limit)
    STATE.latency = a.latency
    STATE.ignore_range = a.ignore_range
    for name in a.scenario or ["steady"]:
        STATE.streams.extend(scenario(name, t0))
    for st in STATE.streams:
        st.name = a.name + st.name
    srv = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    print(srv.server_address[1], flush=True)
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    srv.shutdown()


if __name__ == "__main__":
    main()
