#!/usr/bin/env python3
"""prom_slos.py: a Prometheus holding N SLOs recorded by Sloth, for the SLO
pane's sort and filter at scale (tests/screen/slo_sort_filter.sh).

  prom_slos.py N

Binds 127.0.0.1 on an ephemeral port, prints the port, and answers until
killed: an instant query naming slo: gets Sloth's series for N SLOs
(slo-0000 ...; service svc-NNN, ten SLOs each; label team = one of seven;
objective 99.9%, 30-day period), every other query an empty answer, the
rules no group. A query_range (sitrep report) naming
slo:sli_error:ratio_rate1h or slo:period_error_budget_remaining:ratio gets
each SLO's 1h ratio or budget left (of the SLOs a sloth_id=~"..."
matcher names, if any), constant over the range, except
slo-0001's: its budget falls from 90% to 40% across the range, and its
1h burn is 20 over the range's sixth tenth (0.5 elsewhere). The figures are fixed by the SLO's number i:

  1h burn        (i * 37 % 200) / 10, except slo-1234: 99 (the highest)
  budget left    1 - (i * 13 % 100) / 100, except slo-0007: -0.5 (least)
  other windows  the 1h burn / 20 (nothing pages but slo-1234)

Standard library only.
"""

import json
import re
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TEAMS = ["payments", "search", "identity", "storage", "edge", "data", "ml"]
WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]


def figures(i):
    burn = 99.0 if i == 1234 else (i * 37 % 200) / 10
    left = -0.5 if i == 7 else 1 - (i * 13 % 100) / 100
    return burn, left


def labels(i):
    return {"sloth_id": "slo-%04d" % i, "sloth_service": "svc-%03d" % (i // 10),
            "sloth_slo": "availability", "team": TEAMS[i % 7]}


def matrix(n, name, start, end, step, ids=None):
    out = []
    times = []
    t = start
    while t <= end + 1e-6 and len(times) < 11000:
        times.append(t)
        t += step
    for i in range(n):
        if ids is not None and not ids.fullmatch("slo-%04d" % i):
            continue
        burn, left = figures(i)
        vals = []
        for x in times:
            u = (x - start) / (end - start) if end > start else 0
            if i == 1 and name.endswith("rate1h"):
                v = (20 if 0.5 <= u < 0.6 else 0.5) * 0.001
            elif i == 1:
                v = 0.9 - 0.5 * u
            else:
                v = burn * 0.001 if name.endswith("rate1h") else left
            vals.append([x, repr(float(v))])
        m = dict(labels(i), __name__=name)
        out.append({"metric": m, "values": vals})
    return out


def series(n):
    out = []

    def add(name, labels, v):
        m = {"__name__": name}
        m.update(labels)
        out.append({"metric": m, "value": [0, repr(float(v))]})

    for i in range(n):
        slo = "slo-%04d" % i
        lab = {"sloth_id": slo, "sloth_service": "svc-%03d" % (i // 10),
               "sloth_slo": "availability", "team": TEAMS[i % 7]}
        burn = 99.0 if i == 1234 else (i * 37 % 200) / 10
        left = -0.5 if i == 7 else 1 - (i * 13 % 100) / 100
        for w in WINDOWS:
            b = burn if w == "1h" or i == 1234 else burn / 20
            add("slo:sli_error:ratio_rate" + w, dict(lab, sloth_window=w),
                b * 0.001)
        add("slo:sli_error:ratio_rate30d", dict(lab, sloth_window="30d"),
            (1 - left) * 0.001)
        add("slo:objective:ratio", lab, 0.999)
        add("slo:error_budget:ratio", lab, 0.001)
        add("slo:time_period:days", lab, 30)
        add("slo:period_error_budget_remaining:ratio", lab, left)
    return out


N = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
BODY = json.dumps({"status": "success", "data": {
    "resultType": "vector", "result": series(N)}}).encode()
EMPTY = b'{"status":"success","data":{"resultType":"vector","result":[]}}'
MATRIX = b'{"status":"success","data":{"resultType":"matrix","result":[]}}'
RULES = b'{"status":"success","data":{"groups":[]}}'


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def answer(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.answer(RULES if self.path.startswith("/api/v1/rules")
                    else EMPTY)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(n).decode())
        q = form.get("query", [""])[0]
        if self.path.startswith("/api/v1/query_range"):
            res = []
            m = re.search(r'sloth_id=~"((?:[^"\\]|\\.)*)"', q)
            ids = re.compile(m.group(1).replace("\\\\", "\\")) \
                if m else None
            for name in ("slo:sli_error:ratio_rate1h",
                         "slo:period_error_budget_remaining:ratio"):
                if name in q:
                    res += matrix(N, name, float(form["start"][0]),
                                  float(form["end"][0]),
                                  float(form["step"][0]), ids)
            self.answer(json.dumps({"status": "success", "data": {
                "resultType": "matrix", "result": res}}).encode()
                if res else MATRIX)
        elif "slo:" in q and "burnrate" not in q:
            self.answer(BODY)
        else:
            self.answer(EMPTY)


srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
srv.serve_forever()
