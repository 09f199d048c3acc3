#!/usr/bin/env python3
"""prometheus_requests.py: requests and time per refresh of the Prometheus
source with 10 and with 2,000 declared SLOs (DESIGN.md budget: the request
count is the same for 10 SLOs and 2,000).

A real Prometheus (Debian's 2.42) is backfilled by
tests/integration/prom_testdata.py with 26 hours of counters for SERVICES
services (200 by default: http_requests_total{service, code} every 60 s)
and started on 127.0.0.1; tests/fakes/count_proxy.py sits in front of it
and logs every request sitrep sends (start, end, method and path). The
2,000 SLOs are ten per service, with objectives 99 to 99.95 and windows
28d/30d; the 10 are the first ten. Both configs also turn on
discover = sloth, pyrra.

For each config the console runs in a private tmux server (160x40,
refresh = 5s, timeout = 300s) until ROUNDS refreshes have finished (3 by
default). A refresh is the set of requests sent while the previous ones
were still open (the scheduler never overlaps two). Per refresh: the
number of requests and the time from its first request to its last
answer. The first refresh also fetches the sparklines (one query_range);
the next ones do not (the sparklines are fetched once per 15 minutes).
Prints one line per refresh; fails only if something cannot run, or if
the counts of the 10-SLO and 2,000-SLO refreshes differ (the budget).

usage: bench/prometheus_requests.py   (SITREP=path, SERVICES=200, ROUNDS=3)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
HELPER = os.path.join(TOP, "tests", "integration", "prom_testdata.py")
PROXY = os.path.join(TOP, "tests", "fakes", "count_proxy.py")


def find_sitrep():
    if os.environ.get("SITREP"):
        return os.environ["SITREP"]
    for p in (os.path.join(TOP, "..", "build"),
              os.path.join(TOP, "_build-bench"),
              os.path.join(TOP, "_build-prom")):
        if os.access(os.path.join(p, "sitrep"), os.X_OK):
            return os.path.abspath(os.path.join(p, "sitrep"))
    sys.exit("prometheus_requests.py: no sitrep binary: set SITREP")


def proxy_call(base, path, data=None):
    with urllib.request.urlopen(urllib.request.Request(base + path, data),
                                timeout=10) as r:
        return json.loads(r.read())


def write_config(path, url, now, n, services):
    decl = subprocess.run([sys.executable, HELPER, "declared-config", str(n),
                           "--services", str(services)], check=True,
                          capture_output=True, text=True).stdout
    with open(path, "w") as f:
        f.write("[sitrep]\nrefresh = 5s\n\n[prometheus]\nurl = %s\n"
                "time = %d\ndiscover = sloth, pyrra\ntimeout = 300s\n\n%s"
                % (url, now, decl))


def rounds_of(log):
    """Group requests into refreshes: one starts only after the last
    answer of the one before, and a refresh interval (5 s) later; the
    requests of one start within well under a second of its first answer
    (Pyrra's sparkline query waits for Pyrra's answer)."""
    rounds = []
    for start, end, key in sorted(log):
        if rounds and start <= rounds[-1]["end"] + 1.0:
            r = rounds[-1]
            r["end"] = max(r["end"], end)
        else:
            r = {"start": start, "end": end, "by": {}}
            rounds.append(r)
        r["by"][key] = r["by"].get(key, 0) + 1
    return rounds


def measure(sitrep, conf, proxy, want, work):
    sock = os.path.join(work, "tmux.sock")
    proxy_call(proxy, "/__reset", b"")
    subprocess.run(["tmux", "-S", sock, "-f", "/dev/null", "new-session",
                    "-d", "-x", "160", "-y", "40", "env",
                    "TERM=xterm-256color", "HOME=" + work, sitrep,
                    "--config", conf], check=True)
    try:
        deadline = time.monotonic() + 1800
        while time.monotonic() < deadline:
            time.sleep(1)
            open_now = proxy_call(proxy, "/__count")["in_flight"]
            done = rounds_of(proxy_call(proxy, "/__log"))
            # The log holds answered requests. Refreshes never overlap, so
            # one is complete once an answer of the next is in, or once
            # nothing is open.
            if len(done) > want or (len(done) == want and open_now == 0):
                return done[:want]
        sys.exit("the refreshes did not finish in 30 minutes")
    finally:
        subprocess.run(["tmux", "-S", sock, "kill-server"],
                       stderr=subprocess.DEVNULL)


def main():
    sitrep = find_sitrep()
    services = int(os.environ.get("SERVICES", "200"))
    want = int(os.environ.get("ROUNDS", "3"))
    work = tempfile.mkdtemp(prefix="sitrep-bench-prom.")
    procs = []
    try:
        now = int(time.time()) // 60 * 60
        t0 = time.monotonic()
        subprocess.run([sys.executable, HELPER, "write", work, "--now",
                        str(now), "--services", str(services), "--hours",
                        "26"], check=True)
        out = subprocess.run([sys.executable, HELPER, "start",
                              os.path.join(work, "data.om"), work],
                             check=True, capture_output=True,
                             text=True).stdout.split()
        port, pid = int(out[0]), int(out[1])
        procs.append(pid)
        print("backfilled %d services x 26h and started Prometheus in "
              "%.1f s" % (services, time.monotonic() - t0))
        proxy = subprocess.Popen([sys.executable, PROXY, str(port)],
                                 stdout=subprocess.PIPE, text=True)
        procs.append(proxy.pid)
        base = "http://127.0.0.1:%s" % proxy.stdout.readline().strip()

        steady = {}
        for n in (10, 2000):
            conf = os.path.join(work, "slo%d.conf" % n)
            write_config(conf, base, now, n, services)
            for i, r in enumerate(measure(sitrep, conf, base, want, work)):
                print("%5d declared SLOs, refresh %d: %2d requests %s, "
                      "%.3f s" % (n, i + 1, sum(r["by"].values()),
                                  json.dumps(r["by"], sort_keys=True),
                                  r["end"] - r["start"]))
                steady.setdefault(n, []).append(r["by"])
        if steady[10] != steady[2000]:
            print("FAIL: the request count grows with the SLOs")
            return 1
        return 0
    finally:
        for pid in procs:
            try:
                os.kill(pid, 15)
            except OSError:
                pass
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
