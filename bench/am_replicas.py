#!/usr/bin/env python3
"""am_replicas.py: requests and time per refresh of one Alertmanager source
with 10 replicas of 1,000 alerts each (issue 16).

Ten tests/fakes/bulk_alertmanager.py stand-ins on 127.0.0.1 serve the same
1,000 alerts (same fingerprints); one [alertmanager] section names them all
(`url` ten times). `sitrep snapshot --json` runs ROUNDS times (3 by
default); for each: the requests the replicas saw (their /__stats), the
wall time of the whole snapshot (start, one refresh, print) and the rows
it printed (1,000: one per alert). bench/am_replicas.c times the parse,
the merge and the loop's part alone.

usage: bench/am_replicas.py   (SITREP=path, REPLICAS=10, ALERTS=1000,
ROUNDS=3)
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
FAKE = os.path.join(TOP, "tests", "fakes", "bulk_alertmanager.py")


def find_sitrep():
    if os.environ.get("SITREP"):
        return os.environ["SITREP"]
    for p in (os.path.join(TOP, "..", "build"), os.path.join(TOP, "build"),
              os.path.join(TOP, "_build-bench")):
        if os.access(os.path.join(p, "sitrep"), os.X_OK):
            return os.path.abspath(os.path.join(p, "sitrep"))
    sys.exit("am_replicas.py: no sitrep binary: set SITREP")


def stats(port):
    with urllib.request.urlopen("http://127.0.0.1:%d/__stats" % port,
                                timeout=10) as r:
        return json.loads(r.read())["requests"]


def main():
    sitrep = find_sitrep()
    nrep = int(os.environ.get("REPLICAS", "10"))
    alerts = int(os.environ.get("ALERTS", "1000"))
    rounds = int(os.environ.get("ROUNDS", "3"))
    fakes, ports = [], []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for _ in range(nrep):
                p = subprocess.Popen([sys.executable, FAKE, str(alerts),
                                      "fp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
                fakes.append(p)
                ports.append(int(p.stdout.readline()))
            conf = os.path.join(tmp, "config")
            with open(conf, "w") as f:
                f.write("[sitrep]\nenvironment = bench\n\n"
                        "[alertmanager]\ntimeout = 60s\n")
                for port in ports:
                    f.write("url = http://127.0.0.1:%d\n" % port)
            env = dict(os.environ, HOME=tmp, XDG_CONFIG_HOME=tmp,
                       XDG_STATE_HOME=tmp)
            print("replicas: %d of %d alerts each" % (nrep, alerts))
            for r in range(rounds):
                before = sum(stats(p) for p in ports)
                t0 = time.monotonic()
                out = subprocess.run([sitrep, "snapshot", "--json",
                                      "--config", conf], env=env,
                                     capture_output=True, check=True)
                dt = time.monotonic() - t0
                sent = sum(stats(p) for p in ports) - before
                doc = json.loads(out.stdout)
                print("refresh %d: %d requests, %.0f ms for the whole "
                      "snapshot, %d rows" % (r + 1, sent, dt * 1e3,
                                             len(doc["alerts"])))
        finally:
            for p in fakes:
                p.stdin.close()
                p.wait()


if __name__ == "__main__":
    main()
