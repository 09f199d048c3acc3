#!/usr/bin/env python3
"""slo_gen_data.py: a real Prometheus holding the series that Sloth's and
Pyrra's generated rules record (tests/fixtures/slo-generators/), with burn
rates planted per SLO, and the state of the generators' own alerts, for
tests/integration/slo_generators.sh.

  slo_gen_data.py write DIR SET --now T
      Write DIR/data.om: for every SLO of SET (a: Pyrra's seven SLOs of its
      rules_test.go and three Sloth files; b: Sloth's 7-day custom windows)
      the series its recording rules write, as gauges with exactly the
      rules' labels, from T-5h to T+3h every 30 s, with the burns planted
      below; Pyrra's generic series (pyrra_objective, pyrra_window,
      pyrra_availability); Sloth's meta series. Also DIR/alerts.yml: the
      alerting rules of SET and nothing else (the recorded series are the
      gauges).

  slo_gen_data.py start DIR [--rules]
      Backfill DIR/data.om into DIR/tsdb (once), start prometheus on
      127.0.0.1 and a free port, with DIR/alerts.yml loaded if --rules
      (evaluated every 2 s), wait until ready, print "PORT PID".

  slo_gen_data.py oracle PORT SET T
      The state of every generator alert at T, computed by Prometheus from
      the rules' own expressions: the expression holds at T and, for a rule
      with for:, at every 30 s step of the for: before it (firing), or only
      at T (pending). Prints JSON {slo: {"alert": .., "pending": ..}}.

  slo_gen_data.py states PORT SET
      The same from Prometheus' own evaluation of the loaded rules
      (/api/v1/rules), plus "evaluated": whether every rule has been
      evaluated at least once.

Each SLO is named as sitrep names it: Pyrra's by its slo label, Sloth's by
its sloth_id. Levels: Pyrra's critical and Sloth's page are "page", the
others "ticket". Standard library and PyYAML only; nothing listens beyond
127.0.0.1.
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from prom_testdata import free_port, ready, om_labels, om_value  # noqa: E402

FIXTURES = os.path.join(HERE, "..", "fixtures", "slo-generators")
SETS = {
    "a": ["pyrra-rules-test.yml", "sloth-getting-started.yml",
          "sloth-home-wifi.yml", "sloth-base-28d.yml"],
    "b": ["sloth-base-custom-windows-7d.yml"],
}
STEP = 30
BEFORE = 5 * 3600
AFTER = 3 * 3600

UNITS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}


def seconds(d):
    total = 0
    for n, u in re.findall(r"(\d+)([wdhms])", d):
        total += int(n) * UNITS[u]
    return total


# What each SLO burns: a function of (window seconds, t - T) -> burn.
def steady(b):
    return lambda w, dt: b


def per_window(table):
    return lambda w, dt: table[w]


def recent(b, since):
    """b on every window from `since` seconds before T, 0 before."""
    return lambda w, dt: b if dt >= -since else 0.0


def began(b, ago):
    """A burn of b that began `ago` seconds before T, 0 before: each
    window's mean over its span, as a rate() over the window would be."""
    def f(w, dt):
        elapsed = dt + ago
        if elapsed <= 0:
            return 0.0
        return b * min(w, elapsed) / w
    return f


H, M, D = 3600, 60, 86400
PLANTED = {
    # Pyrra, 14 days at 99%: 10/10/10/8.6/2.78/0.71/0.19 over 3m ... 2d.
    # Pyrra needs 14x on 3m and 30m or 7x on 15m and 3h: nothing fires.
    "monitoring-prometheus-operator-errors": per_window({
        3 * M: 10, 15 * M: 10, 30 * M: 10, H: 8.6, 3 * H: 2.78,
        12 * H: 0.71, 2 * D: 0.19}),
    # Pyrra, 14 days: a steady 0.5x is nothing.
    "apiserver-write-response-errors": steady(0.5),
    # Pyrra, 7 days at 99.5%: 5x everywhere is below its 7x and 14x.
    "monitoring-grpc-latency": steady(5),
    # Pyrra, 28 days at 99%: 6.5x for ten hours warns (2h and 1d above
    # 2x for an hour), it does not page (7x).
    "monitoring-http-errors": began(6.5, 10 * H),
    # Pyrra, 28 days: 20x for days pages.
    "monitoring-grpc-errors": steady(20),
    # Pyrra, 28 days: 16x for the last minute only: pending (for: 2m).
    "monitoring-http-latency": recent(16, 60),
    # Pyrra, 28 days: well within budget.
    "up-targets": steady(0.2),
    # Sloth, 30 days at 99.9%: 20x pages.
    "myservice-requests-availability": steady(20),
    # Sloth, 30 days: 4x on 2h and 1d (and less elsewhere) is a ticket.
    "home-wifi-good-wifi-client-satisfaction": per_window({
        5 * M: 4, 30 * M: 4, H: 4, 2 * H: 4, 6 * H: 4, D: 4, 3 * D: 0.5,
        30 * D: 0.5}),
    "home-wifi-risk-wifi-client-satisfaction": steady(0.5),
    # Sloth, 28 days: 5x is a ticket (2.8), not a page (5.6, 13.44).
    "svc01-slo1": steady(5),
    # Sloth, 28 days, alerts off in the file: 0.3x.
    "svc01-slo02": steady(0.3),
}
# Set b: the same ids under Sloth's 7-day custom windows.
PLANTED_B = {
    # 2x: Sloth's ticket (1.4) and not its page (3.5 on 6h and 30m).
    "svc01-slo1": steady(2),
    # Traffic, but never an error series: none recorded at all.
    "svc01-slo02": None,
}


def load(names):
    groups = []
    for n in names:
        with open(os.path.join(FIXTURES, n)) as f:
            groups += yaml.safe_load(f)["groups"]
    return groups


def sloth_id(rule):
    lab = rule.get("labels") or {}
    if "sloth_id" in lab:
        return lab["sloth_id"]
    m = re.search(r'sloth_id="([^"]+)"', rule.get("expr", ""))
    return m.group(1) if m else None


def pyrra_target(groups, slo):
    for g in groups:
        for r in g["rules"]:
            if "alert" in r and (r.get("labels") or {}).get("slo") == slo:
                return float(re.search(r"\(1-([0-9.]+)\)", r["expr"])
                             .group(1))
    return None


def cmd_write(args):
    d, which = args[0], args[1]
    now = int(args[args.index("--now") + 1])
    planted = PLANTED if which == "a" else PLANTED_B
    groups = load(SETS[which])
    times = list(range(now - BEFORE, now + AFTER + 1, STEP))
    fams = {}

    def add(name, labels, fn):
        fams.setdefault(name, []).append(
            (labels, [(t, fn(t - now)) for t in times]))

    pyrra = {}          # slo -> {window: labels}
    for g in groups:
        for r in g["rules"]:
            if "record" not in r:
                continue
            name, lab = r["record"], dict(r.get("labels") or {})
            m = re.match(r".+:burnrate(\w+)$", name)
            if m and "slo" in lab:
                pyrra.setdefault(lab["slo"], {})[seconds(m.group(1))] = \
                    (name, lab)
                continue
            sid = lab.get("sloth_id")
            if sid is None:
                continue
            burn = planted.get(sid)
            objective = None
            for g2 in groups:
                for r2 in g2["rules"]:
                    if r2.get("record") == "slo:objective:ratio" and \
                            (r2.get("labels") or {}).get("sloth_id") == sid:
                        objective = float(re.search(
                            r"vector\((.+)\)", r2["expr"]).group(1))
            budget = 1 - objective
            if name.startswith("slo:sli_error:ratio_rate"):
                if burn is None:
                    continue    # never an error series
                w = seconds(lab["sloth_window"])
                add(name, lab, lambda dt, w=w, b=burn: b(w, dt) * budget)
            elif name == "slo:objective:ratio":
                add(name, lab, lambda dt, o=objective: o)
            elif name == "slo:error_budget:ratio":
                add(name, lab, lambda dt, b=budget: b)
            elif name == "slo:time_period:days":
                days = float(re.search(r"vector\((.+)\)", r["expr"]).group(1))
                add(name, lab, lambda dt, v=days: v)
    for slo, wins in pyrra.items():
        target = pyrra_target(groups, slo)
        burn = planted[slo]
        for w, (name, lab) in wins.items():
            add(name, lab, lambda dt, w=w, b=burn, t=target:
                b(w, dt) * (1 - t))
        window = 7 * max(wins)
        add("pyrra_objective", {"slo": slo}, lambda dt, t=target: t)
        add("pyrra_window", {"slo": slo}, lambda dt, v=window: v)
        # The budget spent: as if the longest window's burn had lasted.
        add("pyrra_availability", {"slo": slo},
            lambda dt, t=target, b=burn, v=max(wins): 1 - b(v, dt) *
            (1 - t))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "data.om"), "w") as out:
        for name in sorted(fams):
            out.write("# TYPE %s gauge\n" % name)
            for labels, points in fams[name]:
                lab = om_labels(labels)
                for t, v in points:
                    out.write("%s{%s} %s %d\n" % (name, lab, om_value(
                        float(v)), t))
        out.write("# EOF\n")
    alerts = []
    for g in groups:
        rules = [r for r in g["rules"] if "alert" in r]
        if rules:
            alerts.append({"name": g["name"], "rules": rules})
    with open(os.path.join(d, "alerts.yml"), "w") as f:
        yaml.safe_dump({"groups": alerts}, f, sort_keys=False, width=1000)
    return 0


def cmd_start(args):
    work = args[0]
    tsdb = os.path.join(work, "tsdb")
    if not os.path.isdir(tsdb):
        subprocess.run(["promtool", "tsdb", "create-blocks-from",
                        "openmetrics", os.path.join(work, "data.om"), tsdb],
                       check=True, stdout=subprocess.DEVNULL)
    conf = os.path.join(work, "prometheus.yml")
    with open(conf, "w") as f:
        f.write("global:\n  evaluation_interval: 2s\n")
        if "--rules" in args:
            f.write("rule_files:\n  - %s\n" % os.path.join(work,
                                                           "alerts.yml"))
    for _ in range(5):
        port = free_port()
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
        proc.kill()
        proc.wait()
    print("prometheus did not start; see %s/prometheus.log" % work,
          file=sys.stderr)
    return 1


def api(port, path, params=None):
    url = "http://127.0.0.1:%d%s" % (port, path)
    if params:
        url += "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=30) as r:
        body = json.load(r)
    if body.get("status") != "success":
        raise SystemExit("prometheus: %s" % body)
    return body["data"]


def level(rule):
    lab = rule.get("labels") or {}
    if lab.get("severity") == "critical" or \
            lab.get("sloth_severity") == "page":
        return "page"
    return "ticket"


def owner(rule):
    lab = rule.get("labels") or {}
    if "slo" in lab:
        return lab["slo"]
    return sloth_id(rule)


RANK = {None: 0, "ticket": 1, "page": 2}


def verdicts(groups, state_of):
    """{slo: {"alert", "pending"}} from state_of(rule) in
    inactive/pending/firing, for every SLO of the groups."""
    out = {}
    for g in groups:
        for r in g["rules"]:
            slo = r.get("labels", {}).get("slo") or \
                (r.get("labels") or {}).get("sloth_id")
            if "record" in r and slo:
                out.setdefault(slo, {"alert": None, "pending": None})
    for g in groups:
        for r in g["rules"]:
            if "alert" not in r:
                continue
            slo = owner(r)
            v = out.setdefault(slo, {"alert": None, "pending": None})
            st = state_of(r)
            key = "alert" if st == "firing" else \
                "pending" if st == "pending" else None
            if key and RANK[level(r)] > RANK[v[key]]:
                v[key] = level(r)
    for v in out.values():
        if RANK[v["pending"]] <= RANK[v["alert"]]:
            v["pending"] = None
    return out


def cmd_oracle(args):
    port, which, t = int(args[0]), args[1], int(args[2])
    groups = load(SETS[which])

    def state(r):
        if not api(port, "/api/v1/query",
                   {"query": r["expr"], "time": t})["result"]:
            return "inactive"
        f = seconds(r.get("for", "0s"))
        if f == 0:
            return "firing"
        res = api(port, "/api/v1/query_range",
                  {"query": r["expr"], "start": t - f, "end": t,
                   "step": STEP})["result"]
        want = f // STEP + 1
        held = any(len(s["values"]) >= want for s in res)
        return "firing" if held else "pending"
    print(json.dumps(verdicts(groups, state), sort_keys=True))
    return 0


def cmd_states(args):
    port, which = int(args[0]), args[1]
    groups = load(SETS[which])
    data = api(port, "/api/v1/rules", {"type": "alert"})
    live = []
    evaluated = True
    for g in data["groups"]:
        for r in g["rules"]:
            live.append((g["name"], r["name"], r.get("labels") or {},
                         r["state"]))
            if r.get("lastEvaluation", "").startswith("0001"):
                evaluated = False

    def state(r):
        # Prometheus prints the query anew: match by group, name, labels.
        for g in groups:
            if r in g["rules"]:
                gname = g["name"]
        for gn, an, lab, st in live:
            if gn == gname and an == r["alert"] and \
                    lab == (r.get("labels") or {}):
                return st
        raise SystemExit("rule not loaded: %s %s" % (gname, r["alert"]))
    out = verdicts(groups, state)
    print(json.dumps({"evaluated": evaluated, "slos": out},
                     sort_keys=True))
    return 0


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = sys.argv[1], sys.argv[2:]
    return {"write": cmd_write, "start": cmd_start, "oracle": cmd_oracle,
            "states": cmd_states}[cmd](args)


if __name__ == "__main__":
    sys.exit(main())
