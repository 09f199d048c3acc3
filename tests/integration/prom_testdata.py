#!/usr/bin/env python3
"""prom_testdata.py: a real Prometheus with a history whose answers are
known in advance, for tests/integration/prometheus.sh and the benchmark.

  prom_testdata.py write DIR --now T [--services N] [--hours H]
      Write DIR/data.om (OpenMetrics, timestamps in seconds, ending with
      "# EOF") and DIR/expected.json. The history ends one step (60 s)
      before T, the instant the tests pin with `[prometheus] time = T`:

        http_requests_total{service="steady"}  1000 requests a minute, 1%
            answered 500, for 3.5 days: burn 10 in every window at 99.9%.
        http_requests_total{service="burst"}   1000 a minute, no errors
            for days, then 10% answered 500 in the last 30 minutes: the
            short windows page, the long ones do not.
        http_requests_total{service="idle"}    counters that never move:
            no traffic, so no data (never a burn of 0).
        Sloth's recorded series (slo:sli_error:ratio_rate5m ... 30d and
        slo:objective:ratio, ...) and Pyrra's (<metric>:burnrate<window>,
        pyrra_objective, ...) written straight in as gauges, for the last
        26 hours.
        With --services N: N more services like steady (svc-0000 ...),
        for the benchmark; --hours H shortens the counters' history.

      expected.json holds, per service and window, the error ratio that
      Prometheus 2.42's rate() gives at T over that history: the same
      extrapolation, computed here independently.

  prom_testdata.py declared-config N [--services M]
      Print N [slo] sections over svc-0000 ... svc-(M-1) (benchmark).

  prom_testdata.py start DATA_FILE WORKDIR [PORT]
      Backfill with promtool into WORKDIR/tsdb (once), start prometheus on
      127.0.0.1 and a free port (or PORT, to bring a stopped one back),
      wait until /-/ready, print "PORT PID". The caller stops it (kill
      PID). Retries on another free port if the port was taken.

Standard library only. Nothing listens beyond 127.0.0.1.
"""

import json
import math
import os
import socket
import subprocess
import sys
import time
import urllib.request

STEP = 60                       # seconds between samples
HISTORY = int(3.5 * 86400)      # seconds of counters before "now"
RECORDED = 26 * 3600            # seconds of Sloth/Pyrra series
BURST = 30 * 60                 # the burst's length
WINDOWS = [("5m", 300), ("30m", 1800), ("1h", 3600), ("2h", 7200),
           ("6h", 21600), ("1d", 86400), ("3d", 259200)]
# Pyrra's windows for a 30-day SLO: its 28-day ones scaled and rounded.
PYRRA_30D = ["5m", "32m", "1h4m", "2h9m", "6h26m", "1d1h43m", "4d6h51m"]
PYRRA_28D = ["5m", "30m", "1h", "2h", "6h", "1d", "4d"]


# --- the history -----------------------------------------------------------

def sample_times(now, history):
    """Every STEP seconds, ending one step before now."""
    n = history // STEP
    return [now - STEP * k for k in range(n, 0, -1)]


def counters(now, service, times):
    """{code: [values]} for one service's http_requests_total."""
    burst_from = now - BURST
    ok, bad = [], []
    c_ok = c_bad = 0
    for i, t in enumerate(times):
        if i > 0:               # increments land on every later sample
            if service == "idle":
                pass
            elif service == "burst":
                if t > burst_from:
                    c_ok, c_bad = c_ok + 900, c_bad + 100
                else:
                    c_ok += 1000
            else:               # steady, svc-*
                c_ok, c_bad = c_ok + 990, c_bad + 10
        ok.append(c_ok + (5000 if service == "idle" else 0))
        bad.append(c_bad)
    return {"200": ok, "500": bad}


def extrapolated_rate(times, values, at, rng):
    """rate(x[rng]) at `at`, as Prometheus 2.42 computes it (promql
    functions.go, extrapolatedRate): the range includes its start."""
    pts = [(t, v) for t, v in zip(times, values) if at - rng <= t <= at]
    if len(pts) < 2:
        return None
    result = pts[-1][1] - pts[0][1]
    prev = pts[0][1]
    for _, v in pts[1:]:
        if v < prev:
            result += prev
        prev = v
    to_start = float(pts[0][0] - (at - rng))
    to_end = float(at - pts[-1][0])
    sampled = float(pts[-1][0] - pts[0][0])
    average = sampled / (len(pts) - 1)
    if result > 0 and pts[0][1] >= 0:
        to_zero = sampled * (pts[0][1] / result)
        if to_zero < to_start:
            to_start = to_zero
    threshold = average * 1.1
    interval = sampled
    interval += to_start if to_start < threshold else average / 2
    interval += to_end if to_end < threshold else average / 2
    factor = interval / sampled
    factor /= float(rng)
    return result * factor


def error_ratio(times, series, at, rng):
    """sum(rate(5xx[rng])) / sum(rate(all[rng])); None for no data."""
    bad = extrapolated_rate(times, series["500"], at, rng)
    ok = extrapolated_rate(times, series["200"], at, rng)
    if bad is None or ok is None:
        return None
    total = ok + bad            # series in label order: 200, then 500
    if total == 0:
        return None             # 0/0 is NaN: no traffic, no data
    return bad / total


# --- OpenMetrics -------------------------------------------------------------

def om_labels(labels):
    return ",".join('%s="%s"' % (k, v) for k, v in labels.items())


def om_value(v):
    if isinstance(v, float) and math.isnan(v):
        return "NaN"
    return repr(float(v)) if isinstance(v, float) else str(v)


def write_counter_family(out, services, now, history):
    times = sample_times(now, history)
    out.write("# TYPE http_requests counter\n")
    for svc in services:
        series = counters(now, svc, times)
        for code in ("200", "500"):
            lab = om_labels({"code": code, "service": svc})
            for t, v in zip(times, series[code]):
                out.write("http_requests_total{%s} %d %d\n" % (lab, v, t))
    return times


def write_gauges(out, families):
    """families: {name: [(labels, [(t, v)])]}, written family by family."""
    for name in sorted(families):
        out.write("# TYPE %s gauge\n" % name)
        for labels, points in families[name]:
            lab = om_labels(labels)
            for t, v in points:
                out.write("%s{%s} %s %d\n" % (name, lab, om_value(v), t))


def burst_ratio(t, now, seconds):
    """The burst's error ratio over a window, as a recording rule would
    roughly see it: 10% for the part of the window inside the burst."""
    inside = min(max(t - (now - BURST), 0), seconds)
    return 0.1 * inside / seconds


def sloth_series(now):
    times = sample_times(now, RECORDED)
    fams = {}

    def add(name, labels, fn):
        fams.setdefault(name, []).append(
            (labels, [(t, fn(t)) for t in times]))

    kinds = {
        "steady": (0.999, lambda t, w: 0.01, -9.0),
        "burst": (0.999, lambda t, w: burst_ratio(t, now, w), 0.25),
        "idle": (0.995, lambda t, w: float("nan"), float("nan")),
    }
    for svc, (objective, ratio, remaining) in kinds.items():
        ident = {"sloth_id": svc + "-availability", "sloth_service": svc,
                 "sloth_slo": "availability"}
        for wname, secs in WINDOWS + [("30d", 30 * 86400)]:
            labels = dict(ident, sloth_window=wname)
            add("slo:sli_error:ratio_rate" + wname, labels,
                lambda t, s=secs, r=ratio: r(t, s))
        add("slo:objective:ratio", ident, lambda t, o=objective: o)
        add("slo:error_budget:ratio", ident, lambda t, o=objective: 1 - o)
        add("slo:time_period:days", ident, lambda t: 30)
        add("slo:period_error_budget_remaining:ratio", ident,
            lambda t, r=remaining: r)
    return fams


def pyrra_series(now, fams):
    times = sample_times(now, RECORDED)

    def add(name, labels, value):
        fams.setdefault(name, []).append(
            (labels, [(t, value) for t in times]))

    # 28 days, generic rules on: burn 10 everywhere.
    for w in PYRRA_28D:
        add("http_requests:burnrate" + w,
            {"slo": "pyrra-steady", "job": "steady"}, 0.01)
    add("pyrra_objective", {"slo": "pyrra-steady"}, 0.999)
    add("pyrra_window", {"slo": "pyrra-steady"}, 28 * 86400)
    add("pyrra_availability", {"slo": "pyrra-steady"}, 0.99)
    # 30 days, odd window names, no pyrra_window: inferred from them.
    for w, v in zip(PYRRA_30D, [0.1, 0.09, 0.05, 0.025, 0.008, 0.002,
                                0.0007]):
        add("http_requests:burnrate" + w,
            {"slo": "pyrra-burst", "job": "burst"}, v)
    add("pyrra_objective", {"slo": "pyrra-burst"}, 0.999)
    add("pyrra_availability", {"slo": "pyrra-burst"}, 0.9995)
    # Without generic rules there is no objective: skipped, with a note.
    add("grpc_requests:burnrate1h", {"slo": "pyrra-bare"}, 0.002)


def expected(now, times, services, data):
    out = {"now": now, "declared": {}}
    for svc in services:
        ratios = {}
        for wname, secs in WINDOWS + [("28d", 28 * 86400),
                                      ("30d", 30 * 86400),
                                      ("60d", 60 * 86400)]:
            ratios[wname] = error_ratio(times, data[svc], now, secs)
        # The sparkline: the 1h ratio every 15 minutes over the last day.
        spark = [error_ratio(times, data[svc], now - 86400 + 900 * i, 3600)
                 for i in range(97)]
        out["declared"][svc] = {"error_ratio": ratios, "spark_ratio": spark}
    last = now - STEP
    out["sloth_burst"] = {w: burst_ratio(last, now, s) for w, s in WINDOWS}
    return out


def cmd_write(args):
    d = args[0]
    now = int(args[args.index("--now") + 1])
    extra = 0
    if "--services" in args:
        extra = int(args[args.index("--services") + 1])
    history = HISTORY
    if "--hours" in args:
        history = int(float(args[args.index("--hours") + 1]) * 3600)
    services = ["steady", "burst", "idle"]
    services += ["svc-%04d" % i for i in range(extra)]
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "data.om"), "w") as out:
        times = write_counter_family(out, services, now, history)
        fams = sloth_series(now)
        pyrra_series(now, fams)
        write_gauges(out, fams)
        out.write("# EOF\n")
    data = {svc: counters(now, svc, times) for svc in services[:3]}
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump(expected(now, times, services[:3], data), f, indent=1)


def cmd_declared_config(args):
    n = int(args[0])
    m = int(args[args.index("--services") + 1]) if "--services" in args \
        else 1
    objectives = ["99", "99.5", "99.9", "99.95"]
    for i in range(n):
        svc = "svc-%04d" % (i % m)
        print('[slo "bench-%05d"]' % i)
        print("service = %s" % svc)
        print("objective = %s" % objectives[i % len(objectives)])
        print("window = %s" % ("30d" if i % 2 else "28d"))
        print('error_ratio = sum(rate(http_requests_total{service="%s",'
              'code=~"5.."}[$window])) / sum(rate(http_requests_total'
              '{service="%s"}[$window]))' % (svc, svc))
        print()


# --- a real server ----------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ready(port, deadline):
    url = "http://127.0.0.1:%d/-/ready" % port
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return True
        except OSError:
            time.sleep(0.1)
    return False


def cmd_start(args):
    data, work = args[0], args[1]
    tsdb = os.path.join(work, "tsdb")
    if not os.path.isdir(tsdb):
        subprocess.run(["promtool", "tsdb", "create-blocks-from",
                        "openmetrics", data, tsdb], check=True,
                       stdout=subprocess.DEVNULL)
    conf = os.path.join(work, "prometheus.yml")
    with open(conf, "w") as f:
        f.write("global:\n  evaluation_interval: 1m\n")
    fixed = int(args[2]) if len(args) > 2 else 0
    for _ in range(5):
        port = fixed or free_port()
        log = open(os.path.join(work, "prometheus.log"), "ab")
        proc = subprocess.Popen(
            ["prometheus", "--config.file=" + conf,
             "--storage.tsdb.path=" + tsdb,
             "--storage.tsdb.retention.time=100y",
             "--web.listen-address=127.0.0.1:%d" % port],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True)
        if ready(port, time.time() + 30):
            print(port, proc.pid, flush=True)
            return 0
        proc.kill()             # the port was taken, or it did not start
        proc.wait()
    print("prometheus did not start; see %s/prometheus.log" % work,
          file=sys.stderr)
    return 1


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "write":
        return cmd_write(args)
    if cmd == "declared-config":
        return cmd_declared_config(args)
    if cmd == "start":
        return cmd_start(args)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main() or 0)
