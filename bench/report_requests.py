#!/usr/bin/env python3
"""report_requests.py: `sitrep report` over 30 days for 10 and for 2,000
declared SLOs, side by side in one run: requests, bytes and wall time.

A real Prometheus (Debian's 2.42) is backfilled with SERVICES services (200
by default) of http_requests_total{service, code}, a sample every 15
minutes for 61 days (the 30-day period and the 30-day window before it),
0.05% errors with an hour at 2% on day 20 for every tenth service, started
on 127.0.0.1 (tests/integration/prom_testdata.py start) behind
tests/fakes/count_proxy.py. The 2,000 SLOs are ten per service
(objectives 99 to 99.95, windows 28d/30d), the 10 the first ten; each runs
`sitrep report --from TO-30d --to TO --format json` once, timed from
start to exit.

usage: bench/report_requests.py   (SITREP=path, SERVICES=200, KEEP=dir)
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
HELPER = os.path.join(TOP, "tests", "integration", "prom_testdata.py")
PROXY = os.path.join(TOP, "tests", "fakes", "count_proxy.py")

STEP = 900
TO = 1764547200                 # 2025-12-01T00:00:00Z
DAYS = 61


def write_data(path, services):
    start = TO - DAYS * 86400
    burst = TO - 10 * 86400
    with open(path, "w") as f:
        f.write("# TYPE http_requests counter\n")
        for s in range(services):
            svc = "svc-%04d" % s
            ok = bad = 0
            lines = {"200": [], "500": []}
            for t in range(start, TO + 1, STEP):
                if t > start:
                    e = 40 if s % 10 == 0 and burst < t <= burst + 3600 \
                        else 1
                    ok, bad = ok + 2000 - e, bad + e
                lines["200"].append("%d %d" % (ok, t))
                lines["500"].append("%d %d" % (bad, t))
            for code in ("200", "500"):
                pre = 'http_requests_total{service="%s",code="%s"} ' % (
                    svc, code)
                f.write("".join(pre + x + "\n" for x in lines[code]))
        f.write("# EOF\n")


def config(port, n, services):
    out = ["[prometheus]", "url = http://127.0.0.1:%d" % port,
           "timeout = 600s", ""]
    objectives = ["99", "99.5", "99.9", "99.95"]
    for i in range(n):
        svc = "svc-%04d" % ((i // 10) % services)
        out += ['[slo "slo-%04d"]' % i, "service = %s" % svc,
                "objective = %s" % objectives[i % 4],
                "window = %s" % ("28d" if i % 2 else "30d"),
                'error_ratio = sum(rate(http_requests_total{service="%s",'
                'code="500"}[$window])) / sum(rate(http_requests_total{'
                'service="%s"}[$window]))' % (svc, svc), ""]
    return "\n".join(out)


def proxy_get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def main():
    sitrep = os.environ.get("SITREP", os.path.join(TOP, "sitrep"))
    services = int(os.environ.get("SERVICES", "200"))
    work = os.environ.get("KEEP") or tempfile.mkdtemp(prefix="sitrep-rep-")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "data.om")
    if not os.path.exists(os.path.join(work, "tsdb")):
        t0 = time.time()
        write_data(data, services)
        print("data written in %.1f s" % (time.time() - t0), flush=True)
    t0 = time.time()
    out = subprocess.run([sys.executable, HELPER, "start", data, work],
                         check=True, capture_output=True, text=True).stdout
    port, pid = map(int, out.split())
    print("prometheus ready in %.1f s" % (time.time() - t0), flush=True)
    proxy = subprocess.Popen([sys.executable, PROXY, str(port)],
                             stdout=subprocess.PIPE, text=True)
    pport = int(proxy.stdout.readline())
    purl = "http://127.0.0.1:%d" % pport
    rows = []
    try:
        for n in (10, 2000):
            cfg = os.path.join(work, "report-%d.conf" % n)
            with open(cfg, "w") as f:
                f.write(config(pport, n, services))
            urllib.request.urlopen(urllib.request.Request(
                purl + "/__reset", b""), timeout=10)
            t0 = time.monotonic()
            r = subprocess.run([sitrep, "report", "--config", cfg,
                                "--from", str(TO - 30 * 86400),
                                "--to", str(TO),
                                "--format", "json"],
                               capture_output=True, text=True)
            wall = time.monotonic() - t0
            c = proxy_get(purl + "/__count")
            j = json.loads(r.stdout) if r.stdout else {}
            slos = j.get("slos", [])
            eps = sum(len(s["episodes"]) for s in slos)
            rows.append((n, c["requests"], c["by"], c.get("bytes_sent"),
                         wall, r.returncode, len(slos), eps,
                         c.get("slowest")))
            print("%d SLOs: exit %d, %d requests %s, %s bytes of queries sent, "
                  "%.1f s wall, %d SLOs reported, %d episodes; slowest %s"
                  % (n, r.returncode, c["requests"], c["by"],
                     c.get("bytes_sent"), wall, len(slos), eps,
                     c.get("slowest")), flush=True)
            if r.returncode != 0:
                print(r.stderr[-2000:], flush=True)
    finally:
        proxy.kill()
        os.kill(pid, 15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
