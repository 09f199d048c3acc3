#!/usr/bin/env python3
"""report_data.py: a history with planted burn episodes for `sitrep
report`, and what the report must say about it, computed here on its own.

  report_data.py write DIR
      DIR/data.om (OpenMetrics for promtool), DIR/deploys.jsonl (the deploy
      command's lines), DIR/sitrep.conf.in (PORT and DIR to fill in), and
      DIR/plan.json (the period and the planted facts).
  report_data.py check DIR REPORT.json PORT
      Compare every figure of the report with this file's own computation
      over the planted counters (Prometheus 2.42's rate(), as
      prom_testdata.py has it) and with a reference PromQL query on the
      server; exit 1 naming each difference.

The period is the 7 days before TO; 30 more days come before it, so that
every SLO's 30-day budget is known at the start. Samples every 5 minutes,
2,000 requests a sample per service; each SLO is 99.9% over 30 days:

  steady  0.05% errors throughout: burn 0.5, no episode, 7/60 consumed.
  burst   no errors, then 5% (burn 50) for an hour 20 minutes after the
          deploy "burst v2.0": one episode, a page, the deploy first and
          Alertmanager's BurstErrors (in Prometheus' ALERTS) after it.
  bleed   0.25% (burn 2.5) for 10 hours on day 5, no deploy of its own (one of
          search half an hour before must not be blamed): one episode,
          nothing explains it; an older bleed 10 days before the period
          leaves its budget below 100% at the start.
  gap     0.05% errors, and no traffic at all for 6 hours on day 2: points
          without data, never an episode, never a burn of 0 counted.

Standard library only.
"""

import bisect
import json
import math
import os
import sys
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prom_testdata import extrapolated_rate  # noqa: E402

TO = 1764547200                 # 2025-12-01T00:00:00Z
PERIOD = 7 * 86400
FROM = TO - PERIOD
WINDOW = 30 * 86400
STEP = 300
PER = 2000                      # requests per sample
BUDGET = 0.001
FINE = 300                      # the report's 1h grid for 7 days
COARSE = 3600                   # and its budget grid
SERVICES = ["steady", "burst", "bleed", "gap"]

DEPLOY_BURST = FROM + 3 * 86400 + 2 * 3600
BURST_FROM = DEPLOY_BURST + 20 * 60
BURST_TO = BURST_FROM + 3600
BLEED_FROM = FROM + 5 * 86400 + 3 * 3600
BLEED_TO = BLEED_FROM + 10 * 3600
OLD_BLEED_FROM = FROM - 10 * 86400
OLD_BLEED_TO = OLD_BLEED_FROM + 24 * 3600
DEPLOY_SEARCH = BLEED_FROM - 1800
GAP_FROM = FROM + 2 * 86400
GAP_TO = GAP_FROM + 6 * 3600
ALERT_FROM = BURST_FROM + 10 * 60
ALERT_TO = BURST_FROM + 50 * 60
START = FROM - WINDOW - 2 * 3600


def ratio_at(svc, t):
    """The planted error ratio of the requests of the sample ending at t
    (None: no requests)."""
    if svc == "steady":
        return 0.0005
    if svc == "burst":
        return 0.05 if BURST_FROM < t <= BURST_TO else 0.0
    if svc == "bleed":
        if BLEED_FROM < t <= BLEED_TO:
            return 0.0025
        if OLD_BLEED_FROM < t <= OLD_BLEED_TO:
            return 0.01
        return 0.0
    if GAP_FROM < t <= GAP_TO:
        return None
    return 0.0005


def history():
    times = list(range(START, TO + 1, STEP))
    data = {}
    for svc in SERVICES:
        ok, bad, c_ok, c_bad = [], [], 0, 0
        for i, t in enumerate(times):
            if i > 0:
                r = ratio_at(svc, t)
                if r is not None:
                    e = round(PER * r)
                    c_ok, c_bad = c_ok + PER - e, c_bad + e
            ok.append(c_ok)
            bad.append(c_bad)
        data[svc] = {"200": ok, "500": bad}
    return times, data


def cmd_write(d):
    times, data = history()
    with open(os.path.join(d, "data.om"), "w") as f:
        f.write("# TYPE http_requests counter\n")
        for svc in SERVICES:
            for code in ("200", "500"):
                for t, v in zip(times, data[svc][code]):
                    f.write('http_requests_total{service="%s",code="%s"} '
                            '%d %d\n' % (svc, code, v, t))
        f.write("# TYPE ALERTS gauge\n")
        for t in times:
            if ALERT_FROM <= t <= ALERT_TO:
                f.write('ALERTS{alertname="BurstErrors",alertstate='
                        '"firing",service="burst",severity="page"} 1 %d\n'
                        % t)
        f.write("# EOF\n")
    with open(os.path.join(d, "deploys.jsonl"), "w") as f:
        f.write(json.dumps({"service": "burst", "version": "v2.0",
                            "at": DEPLOY_BURST}) + "\n")
        f.write(json.dumps({"service": "search", "version": "v7",
                            "at": DEPLOY_SEARCH}) + "\n")
    with open(os.path.join(d, "sitrep.conf.in"), "w") as f:
        f.write("[sitrep]\nsuspect_window = 1h\n\n"
                "[prometheus]\nurl = http://127.0.0.1:PORT\n\n"
                "[deploys]\ncommand = cat 'DIR/deploys.jsonl'\n")
        for svc in SERVICES:
            f.write('\n[slo "%s"]\nservice = %s\nobjective = 99.9\n'
                    'window = 30d\nerror_ratio = sum(rate(http_requests_'
                    'total{service="%s",code="500"}[$window])) / sum(rate('
                    'http_requests_total{service="%s"}[$window]))\n'
                    % (svc, svc, svc, svc))
    with open(os.path.join(d, "plan.json"), "w") as f:
        json.dump({"from": FROM, "to": TO}, f)
    return 0


# --- the independent computation ----------------------------------------

def ratio(times, series, at, rng):
    """sum(rate(500[rng])) / sum(rate(all[rng])) at `at`, or None."""
    lo = bisect.bisect_left(times, at - rng)
    hi = bisect.bisect_right(times, at)
    sub = times[lo:hi]
    bad = extrapolated_rate(sub, series["500"][lo:hi], at, rng)
    ok = extrapolated_rate(sub, series["200"][lo:hi], at, rng)
    if bad is None or ok is None or ok + bad == 0:
        return None
    return bad / (ok + bad)


def expected(svc, times, data):
    grid = list(range(FROM, TO + 1, FINE))
    burns = []
    for t in grid:
        r = ratio(times, data[svc], t, 3600)
        burns.append(None if r is None else r / BUDGET)
    n = len(burns)
    weights = [FINE / 2 if i in (0, n - 1) else FINE for i in range(n)]
    consumed = sum(b * w for b, w in zip(burns, weights)
                   if b is not None) / WINDOW
    eps, cur = [], None
    for i, b in enumerate(burns + [None]):
        if b is not None and b > 1:
            if cur is None:
                cur = {"start": grid[i], "peak": 0, "consumed": 0}
            cur["end"] = grid[i]
            cur["peak"] = max(cur["peak"], b)
            cur["consumed"] += b * weights[i] / WINDOW
        elif cur is not None:
            eps.append(cur)
            cur = None
    start = ratio(times, data[svc], FROM, WINDOW)
    end = ratio(times, data[svc], TO, WINDOW)
    # The planted truth: errors over the period / the window's budget.
    truth = 0.0
    for t in range(FROM + STEP, TO + 1, STEP):
        r = ratio_at(svc, t)
        truth += (r or 0) / BUDGET * STEP
    have = [b for b in burns if b is not None]
    return {
        "consumed": consumed, "truth": truth / WINDOW, "episodes": eps,
        "budget_start": 1 - start / BUDGET, "budget_end": 1 - end / BUDGET,
        "error_ratio": sum(have) / len(have) * BUDGET,
        "missing": n - len(have), "points": n,
    }


def iso(t):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def promql(port, q, at):
    body = urllib.parse.urlencode({"query": q, "time": at}).encode()
    with urllib.request.urlopen("http://127.0.0.1:%s/api/v1/query" % port,
                                body, timeout=30) as r:
        return json.load(r)["data"]["result"]


def close(a, b, rel=0.01, absol=1e-9):
    return a is not None and b is not None and \
        abs(a - b) <= max(absol, rel * abs(b))


def cmd_check(d, report_path, port):
    with open(report_path) as f:
        rep = json.load(f)
    times, data = history()
    bad = []

    def want(cond, what):
        if not cond:
            bad.append(what)

    want(rep["complete"] is True, "report not complete: %s" % rep["errors"])
    want(rep["from"] == iso(FROM) and rep["to"] == iso(TO),
         "period %s..%s" % (rep["from"], rep["to"]))
    slos = {s["name"]: s for s in rep["slos"]}
    want(sorted(slos) == sorted(SERVICES), "SLOs %s" % sorted(slos))
    ranked = [s["name"] for s in rep["slos"]]
    want(ranked == sorted(ranked, key=lambda n: -slos[n]["consumed"]),
         "not ranked by consumption: %s" % ranked)
    for svc in SERVICES:
        if svc not in slos:
            continue
        s, e = slos[svc], expected(svc, times, data)
        for k in ("consumed", "budget_start", "budget_end", "error_ratio"):
            want(close(s[k], e[k], absol=1e-6),
                 "%s %s: report %s, computed %s" % (svc, k, s[k], e[k]))
        want(close(s["consumed"], e["truth"], absol=1e-4),
             "%s consumed %s, planted %s" % (svc, s["consumed"], e["truth"]))
        want(s["points_missing"] == e["missing"],
             "%s missing %s, computed %s" % (svc, s["points_missing"],
                                             e["missing"]))
        want(len(s["episodes"]) == len(e["episodes"]),
             "%s: %d episodes, computed %d" % (svc, len(s["episodes"]),
                                               len(e["episodes"])))
        for got, exp in zip(s["episodes"], e["episodes"]):
            want(got["start"] == iso(exp["start"]) and
                 got["end"] == iso(exp["end"]),
                 "%s episode %s..%s, computed %s..%s" % (
                     svc, got["start"], got["end"], iso(exp["start"]),
                     iso(exp["end"])))
            for k, ek in (("peak_burn", "peak"), ("consumed", "consumed")):
                want(close(got[k], exp[ek]), "%s episode %s: %s, computed "
                     "%s" % (svc, k, got[k], exp[ek]))
        # The reference query on the same server.
        q = ('1 - (sum(rate(http_requests_total{service="%s",code="500"}'
             '[30d])) / sum(rate(http_requests_total{service="%s"}[30d])))'
             ' / 0.001' % (svc, svc))
        ref = float(promql(port, q, TO)[0]["value"][1])
        want(close(s["budget_end"], ref, absol=1e-6),
             "%s budget_end %s, PromQL %s" % (svc, s["budget_end"], ref))
    b = slos.get("burst", {"episodes": []})
    if b["episodes"]:
        ep = b["episodes"][0]
        names = [(c["kind"], c["name"]) for c in ep["causes"]]
        want(names == [("deploy", "burst v2.0"), ("incident", "BurstErrors")],
             "burst causes %s" % names)
        want(ep["condition"] == "page", "burst condition %s" %
             ep["condition"])
        inside = ep["consumed"] / b["consumed"]
        want(close(b["unexplained"], 1 - inside, absol=1e-9),
             "burst unexplained %s, want %s" % (b["unexplained"],
                                                1 - inside))
    bl = slos.get("bleed", {"episodes": []})
    if bl["episodes"]:
        want(bl["episodes"][0]["causes"] == [],
             "bleed blamed on %s" % bl["episodes"][0]["causes"])
        want(bl["unexplained"] == 1, "bleed unexplained %s" %
             bl["unexplained"])
        want(bl["episodes"][0]["condition"] != "page", "bleed paged")
        want(bl["budget_start"] < 0.9, "bleed's old burn not in its budget")
    for m in bad:
        print(m)
    return 1 if bad else 0


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "write":
        return cmd_write(sys.argv[2])
    if len(sys.argv) >= 5 and sys.argv[1] == "check":
        return cmd_check(sys.argv[2], sys.argv[3], sys.argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main() or 0)
