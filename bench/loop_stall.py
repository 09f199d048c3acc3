#!/usr/bin/env python3
"""loop_stall.py: how long the console's loop cannot answer while large
answers arrive. A loopback server plays Alertmanager (API v2, N open alerts
in one body) or Prometheus (a 15 MB query answer); the console runs on a pty
against it with `refresh = 2s`, `?` is typed all along, opening and closing
the help (keypress to screen, read off a libvterm screen; not Escape, for
which curses waits ESCDELAY = 25 ms inside the turn), and at the end the loop's longest
turn comes from SITREP_LOOP_STATS (written by tui/loop.c when the loop
ends). Prints numbers, never fails on them: not a test.

    bench/loop_stall.py [--seconds 12] [--cases am10k,am100k,prom15m,sloth15m]
"""
import argparse
import http.server
import json
import os
import socketserver
import statistics
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ptyrun  # noqa: E402

SEV = ("critical", "error", "warning", "info")


def am_alerts(n, full):
    """An Alertmanager /api/v2/alerts body of n alerts. full: the shape of
    bench/alerts_parse.c (about 710 B an alert); else a lean one (three
    labels, fingerprint, start, state: about 150 B) so that 100,000 fit
    under the 16 MB body cap."""
    out = []
    for i in range(n):
        a = {"fingerprint": "%x" % ((i * 2654435761) & (2 ** 64 - 1)),
             "startsAt": "2026-11-%02dT%02d:%02d:00Z" %
             (1 + i % 25, i % 24, i % 60),
             "status": {"state": "active"},
             "labels": {"alertname": "HighErrors",
                        "service": "s%d" % (i % 500),
                        "severity": SEV[i % 4]}}
        if full:
            a["status"].update({"silencedBy": [], "inhibitedBy": []})
            a["labels"].update({"env": "prod", "job": "api",
                                "instance": "10.0.%d.%d:8080" %
                                (i // 250 % 256, i % 250)})
            a["annotations"] = {
                "summary": "Error ratio of service-%d is %d.%d%% over 5m" %
                (i % 500, i % 10, i % 7),
                "description": "The 5xx ratio of service-%d has been above "
                "its threshold for 10 minutes." % (i % 500),
                "runbook_url": "https://runbooks.example.com/HighErrorRate",
                "dashboard": "https://grafana.example.com/d/svc-%d" %
                (i % 500)}
            a["receivers"] = [{"name": "team-%d" % (i % 20)}]
            a["endsAt"] = "2026-11-26T15:00:00.000Z"
            a["updatedAt"] = "2026-11-26T14:55:00.000Z"
            a["generatorURL"] = "http://prometheus:9090/graph?g0.expr=x"
        out.append(a)
    return json.dumps(out, separators=(",", ":")).encode()


def prom_vector(nbytes):
    """A Prometheus instant-vector answer of about nbytes."""
    now = time.time()
    res, size, i = [], 60, 0
    while size < nbytes:
        s = {"metric": {"__name__": "http_requests_total",
                        "service": "service-%d" % (i % 500),
                        "instance": "10.0.%d.%d:8080" % (i // 250 % 256,
                                                         i % 250),
                        "code": str(200 + i % 5), "job": "api"},
             "value": [now, "%d.%d" % (i, i % 7)]}
        b = json.dumps(s, separators=(",", ":"))
        size += len(b) + 1
        res.append(s)
        i += 1
    return json.dumps({"status": "success", "data": {
        "resultType": "vector", "result": res}},
        separators=(",", ":")).encode()


def sloth_vector(nbytes):
    """Sloth's recording rules for as many SLOs as fit in about nbytes:
    per SLO the seven ratio windows, the objective, the period and the
    budget left (ten series)."""
    now = time.time()
    res, size, i = [], 60, 0
    windows = ("5m", "30m", "1h", "2h", "6h", "1d", "3d")
    while size < nbytes:
        base = {"sloth_id": "svc-%d-availability" % i,
                "sloth_service": "svc-%d" % i,
                "sloth_slo": "availability"}
        series = []
        for w in windows:
            m = dict(base, __name__="slo:sli_error:ratio_rate" + w,
                     sloth_window=w)
            series.append((m, "0.00%d" % (i % 9 + 1)))
        series.append((dict(base, __name__="slo:objective:ratio"), "0.999"))
        series.append((dict(base, __name__="slo:time_period:days"), "30"))
        series.append((dict(base, __name__="slo:period_error_budget_"
                            "remaining:ratio"), "0.%d" % (i % 9 + 1)))
        for m, v in series:
            s = {"metric": m, "value": [now, v]}
            size += len(json.dumps(s, separators=(",", ":"))) + 1
            res.append(s)
        i += 1
    return json.dumps({"status": "success", "data": {
        "resultType": "vector", "result": res}},
        separators=(",", ":")).encode()


EMPTY_VECTOR = b'{"status":"success","data":{"resultType":"vector",' \
    b'"result":[]}}'


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def serve(alerts, big):
    counts = {"alerts": 0, "big": 0}

    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def reply(self, body):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path.startswith("/api/v2/alerts") and alerts:
                counts["alerts"] += 1
                self.reply(alerts)
            else:
                self.send_error(404)

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            q = self.rfile.read(n)
            if self.path.startswith("/api/v1/query") and big:
                # The big answer to Sloth's selector, an empty one to the
                # rest.
                if b"time_period" in q:
                    counts["big"] += 1
                    self.reply(big)
                else:
                    self.reply(EMPTY_VECTOR)
            else:
                self.send_error(404)

    class Quiet(Server):
        def handle_error(self, request, client_address):
            pass	# the console quit or gave up mid-answer

    srv = Quiet(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, counts


def run_case(exe, name, alerts, big, seconds, rows=30, cols=120):
    srv, counts = serve(alerts, big)
    url = "http://127.0.0.1:%d" % srv.server_address[1]
    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    conf.write("[sitrep]\nrefresh = 2s\n")
    if alerts:
        conf.write("[alertmanager]\nurl = %s\ntimeout = 60s\n" % url)
    if big:
        conf.write("[prometheus]\nurl = %s\ndiscover = sloth\n"
                   "timeout = 60s\n" % url)
    conf.close()
    stats = tempfile.NamedTemporaryFile("w", suffix=".stats", delete=False)
    stats.close()
    screen = ptyrun.Screen(rows, cols)
    child = ptyrun.Child([exe, "--config", conf.name], rows, cols,
                         env={"SITREP_LOOP_STATS": stats.name,
                              "XDG_STATE_HOME": tempfile.gettempdir()})
    lat = []
    try:
        start = time.monotonic()
        ptyrun_wait(child, screen, has("q quit"), 10)
        end = start + seconds
        while time.monotonic() < end:
            t = time.monotonic()
            os.write(child.fd, b"?")
            d = ptyrun_wait(child, screen, has("sitrep help"), 5)
            if d is None:
                break
            lat.append(d - t)
            os.write(child.fd, b"?")
            ptyrun_wait(child, screen, lacks("sitrep help"), 5)
            child.drain_for(0.05, screen.feed)
        shown = [r for r in screen.text() if "Alerts" in r][:1]
    finally:
        child.stop()
        screen.free()
        srv.shutdown()
        os.unlink(conf.name)
    with open(stats.name) as f:
        line = f.read().strip()
    os.unlink(stats.name)
    lat.sort()
    print("%-8s served: %s; keypress to screen x%d: median %.1f ms, p95 "
          "%.1f ms, max %.1f ms; %s" %
          (name, ", ".join("%s %d" % kv for kv in counts.items() if kv[1]),
           len(lat), 1000 * statistics.median(lat) if lat else -1,
           1000 * lat[int(0.95 * (len(lat) - 1))] if lat else -1,
           1000 * lat[-1] if lat else -1, line))
    if shown:
        print("         %s" % shown[0].strip()[:100])


def ptyrun_wait(child, screen, pred, timeout):
    import select
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r, _, _ = select.select([child.fd], [], [], end - time.monotonic())
        if not r:
            continue
        try:
            b = os.read(child.fd, 65536)
        except OSError:
            return None
        screen.feed(b)
        if pred(screen.text()):
            return time.monotonic()
    return None


def has(text):
    return lambda rows: any(text in r for r in rows)


def lacks(text):
    return lambda rows: not any(text in r for r in rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=12)
    ap.add_argument("--cases", default="am10k,am100k,prom15m,sloth15m")
    a = ap.parse_args()
    exe = ptyrun.find_sitrep()
    print("sitrep %s, refresh 2s, %g s a case" % (exe, a.seconds))
    for c in a.cases.split(","):
        if c == "am10k":
            run_case(exe, c, am_alerts(10000, True), None, a.seconds)
        elif c == "am100k":
            run_case(exe, c, am_alerts(100000, False), None, a.seconds)
        elif c == "sloth15m":
            run_case(exe, c, None, sloth_vector(15 * 1024 * 1024),
                     a.seconds)
        elif c == "prom15m":
            run_case(exe, c, None, prom_vector(15 * 1024 * 1024),
                     a.seconds)
        else:
            raise SystemExit("loop_stall: unknown case %s" % c)


if __name__ == "__main__":
    main()
