#!/bin/bash
# report.sh: `sitrep report`, the error-budget review, against a real
# Prometheus (Debian's) backfilled with 37 days of planted traffic
# (tests/integration/report_data.py): a steady burn, a burst 20 minutes
# after a deploy (with Alertmanager's alert in Prometheus' ALERTS), a slow
# bleed no deploy explains, a gap with no traffic; the deploys come from a
# deploy command.
#
# The lead running the weekly review gets, in every format, the figures the
# test computes on its own from what it planted (within 1%) and that a
# reference PromQL query gives: budget at start and end, consumed, each
# episode's start, end, peak and consumption, the deploy and the alert that
# explain the burst and nothing for the bleed. The HTML page is one
# self-contained document (no script, no URL to fetch) with a burndown per
# SLO whose line starts and ends at the JSON's budget. The requests grow
# by ten per 50 SLOs, not per SLO. When a Prometheus is down the report says
# so, still prints what the other one gave, marked incomplete, and exits 1.
# With two Prometheus servers in two environments each SLO says its
# environment (JSON, CSV, text, HTML), a deploy explains only its own
# environment's burn, and --environment gives one environment's report,
# saying so, without asking the other's sources; an unknown name is an
# error naming the known ones.
#
# Nothing but 127.0.0.1 is contacted.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"

command -v prometheus >/dev/null 2>&1 ||
	skip "prometheus is not installed (apt-get install prometheus)"
command -v promtool >/dev/null 2>&1 || fail "promtool is missing"
command -v python3 >/dev/null 2>&1 || fail "python3 is missing"

DATA=$SRCDIR/tests/integration/report_data.py
START=$SRCDIR/tests/integration/prom_testdata.py
PROXY=$SRCDIR/tests/fakes/count_proxy.py
WORK=$TEST_TMP/report
mkdir -p "$WORK" && cd "$WORK" || fail "no work dir"
FROM=2025-11-24T00:00:00Z
TO=2025-12-01T00:00:00Z

SERVERS=()
stop_servers() {
	local pid

	for pid in "${SERVERS[@]}"; do
		kill "$pid" 2>/dev/null
	done
}
trap 'stop_servers; cleanup' EXIT

python3 "$DATA" write "$WORK" || fail "could not write the history"
out=$(python3 "$START" start "$WORK/data.om" "$WORK") ||
	fail "prometheus did not start: $(tail -5 "$WORK/prometheus.log")"
read -r PROM_PORT PROM_PID <<<"$out"
SERVERS+=("$PROM_PID")
sed -e "s/PORT/$PROM_PORT/" -e "s#DIR#$WORK#" "$WORK/sitrep.conf.in" \
    >"$WORK/sitrep.conf"

# report CONFIG FORMAT [ARGS...]: out.FORMAT, err, status.
report() {
	local cfg=$1 fmt=$2

	shift 2
	"$SITREP" report --config "$cfg" --from "$FROM" --to "$TO" \
	    --format "$fmt" "$@" </dev/null >"$WORK/out.$fmt" 2>"$WORK/err"
	status=$?
}

show() {
	echo "--- stderr"; cat "$WORK/err"
	echo "--- stdout"; head -60 "$WORK/out.$1"
}

step "JSON: every figure as computed from the planted traffic and by PromQL"
report "$WORK/sitrep.conf" json
[ "$status" = 0 ] || { show json; fail "report exited $status"; }
python3 "$DATA" check "$WORK" "$WORK/out.json" "$PROM_PORT" ||
	{ show json; fail "the report's figures are not the planted ones"; }
cp "$WORK/out.json" "$WORK/full.json"

step "text and markdown: one line per SLO, ranked, the episodes and causes"
report "$WORK/sitrep.conf" text
[ "$status" = 0 ] || { show text; fail "text: exit $status"; }
python3 - "$WORK/out.text" <<'EOF' || { show text; fail "text report wrong"; }
import sys
t = open(sys.argv[1]).read().splitlines()
assert t[0].startswith("Error-budget report 2025-11-24T00:00:00Z to "
                       "2025-12-01T00:00:00Z: 4 SLOs"), t[0]
assert "INCOMPLETE" not in t[0], t[0]
lines = [l for l in t if ": 99.9% over 30d: consumed " in l]
assert [l.split(":")[0] for l in lines] == \
    ["steady", "gap", "burst", "bleed"], lines
assert "consumed 6.9% of the budget (left 100.0% -> 93.1%)" in lines[2], \
    lines[2]
assert "1 episode (1 page, 0 ticket)" in lines[2], lines[2]
ep = [l for l in t if l.startswith("  2025-11-27T02:25:00Z .. ")]
assert len(ep) == 1 and "peak 50.00x" in ep[0] and "page" in ep[0], ep
assert ep[0].index("deploy burst v2.0 (25m before)") < \
    ep[0].index("incident BurstErrors"), ep[0]
bl = [l for l in t if l.startswith("  2025-11-29T03:25:00Z .. ")]
assert len(bl) == 1 and bl[0].endswith("no deploy or incident"), bl
EOF
report "$WORK/sitrep.conf" markdown
[ "$status" = 0 ] || { show markdown; fail "markdown: exit $status"; }
grep -q '^# Error-budget report 2025-11-24T00:00:00Z' "$WORK/out.markdown" &&
grep -q '^- \*\*burst\*\*: 99.9% over 30d: consumed 6.9%' \
    "$WORK/out.markdown" &&
grep -q '^| 2025-11-27T02:25:00Z | 2025-11-27T04:15:00Z | 50.00 | 6.9% | page | deploy burst v2.0 (25m before); incident BurstErrors (5m after the start) |$' \
    "$WORK/out.markdown" ||
	{ show markdown; fail "markdown report wrong"; }

step "CSV: a row per SLO and per episode, the JSON's figures"
report "$WORK/sitrep.conf" csv
[ "$status" = 0 ] || { show csv; fail "csv: exit $status"; }
python3 - "$WORK/out.csv" "$WORK/full.json" <<'EOF' || { show csv; fail "CSV wrong"; }
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
j = {s["name"]: s for s in json.load(open(sys.argv[2]))["slos"]}
slo = [r for r in rows if r["record"] == "slo"]
eps = [r for r in rows if r["record"] == "episode"]
assert [r["slo"] for r in slo] == ["steady", "gap", "burst", "bleed"], slo
assert len(eps) == 2, eps
for r in slo:
    s = j[r["slo"]]
    for k in ("budget_start", "budget_end", "consumed"):
        assert abs(float(r[k]) - s[k]) <= 1e-5 * max(1, abs(s[k])), (r, k)
    assert int(r["episodes"]) == len(s["episodes"]), r
    assert r["complete"] == "yes", r
b = [r for r in eps if r["slo"] == "burst"][0]
e = j["burst"]["episodes"][0]
assert b["start"] == e["start"] and b["end"] == e["end"], b
assert abs(float(b["consumed"]) - e["consumed"]) < 1e-6, b
assert b["condition"] == "page", b
assert b["causes"] == "deploy burst v2.0; incident BurstErrors", b
EOF

step "HTML: one page, no script, nothing to fetch, a burndown per SLO"
report "$WORK/sitrep.conf" html
[ "$status" = 0 ] || { show html; fail "html: exit $status"; }
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$WORK/out.html" 2>"$WORK/xmllint" ||
		{ cat "$WORK/xmllint"; fail "the page is not well-formed XML"; }
fi
python3 - "$WORK/out.html" "$WORK/full.json" <<'EOF' || fail "HTML wrong"
import json, re, sys
from html.parser import HTMLParser

NS = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml")

class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.svgs, self.paths, self.texts = [], [], [], []
        self.urls = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        for k, v in attrs:
            if v and re.search(r"(https?:|//|url\((?!#))", v) and \
                    not (k == "xmlns" and v in NS):
                self.urls.append((tag, k, v))
            if k.startswith("on"):
                self.urls.append((tag, k, v))
        if tag == "svg":
            self.svgs.append(a)
        if tag == "path":
            self.paths.append(a["d"])
    def handle_data(self, d):
        self.texts.append(d)

p = P()
page = open(sys.argv[1]).read()
p.feed(page)
j = json.load(open(sys.argv[2]))
assert "script" not in p.tags and "iframe" not in p.tags, p.tags
assert "link" not in p.tags and "img" not in p.tags, p.tags
assert not p.urls, p.urls
assert "@import" not in page, "CSS import"
assert len(p.svgs) == len(j["slos"]) == 4, len(p.svgs)
# The budget line of each SLO maps back to its budget at start and end:
# x from 60 to 780 over the period, y from 30 (100%) to 190 (data-ymin).
for svg, d, s in zip(p.svgs, p.paths, j["slos"]):
    pts = [tuple(map(float, m.groups()))
           for m in re.finditer(r"[ML]([\d.]+),([\d.]+)", d)]
    ymin = float(svg["data-ymin"])
    def budget(y):
        return 1 - (y - 30) / 160 * (1 - ymin)
    assert abs(pts[0][0] - 60) < 0.01 and abs(pts[-1][0] - 780) < 0.01, pts
    assert abs(budget(pts[0][1]) - s["budget_start"]) < 0.005, (s, pts[0])
    assert abs(budget(pts[-1][1]) - s["budget_end"]) < 0.005, (s, pts[-1])
text = " ".join(p.texts)
assert "deploy burst v2.0" in text and "incident BurstErrors" in text
# Episodes shaded with a pattern (black and white print), one per episode.
assert page.count('class="episode"') == 2, page.count('class="episode"')
EOF

step "--slo picks SLOs by name"
report "$WORK/sitrep.conf" json --slo 'b*'
[ "$status" = 0 ] || { show json; fail "--slo: exit $status"; }
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert [s["name"] for s in j["slos"]] == ["burst", "bleed"], j["slos"]' \
    "$WORK/out.json" || { show json; fail "--slo b* did not give burst, bleed"; }

step "The requests do not grow with each SLO: unions of 50"
python3 "$PROXY" "$PROM_PORT" >"$WORK/proxy.port" 2>"$WORK/proxy.log" &
SERVERS+=("$!")
TIMEOUT=10 eventually test -s "$WORK/proxy.port" || fail "proxy did not start"
PROXY_URL=http://127.0.0.1:$(head -1 "$WORK/proxy.port")
count() {	# count CONFIG: requests of one report
	python3 -c 'import sys,urllib.request as u; u.urlopen(u.Request(sys.argv[1]+"/__reset", b""))' "$PROXY_URL"
	sed -e "s#127.0.0.1:$PROM_PORT#${PROXY_URL#http://}#" "$1" \
	    >"$WORK/proxied.conf"
	report "$WORK/proxied.conf" json
	[ "$status" = 0 ] || { show json; fail "proxied report: $status"; }
	python3 -c 'import sys,json,urllib.request as u; print(json.load(u.urlopen(sys.argv[1]+"/__count"))["requests"])' "$PROXY_URL"
}
more() {	# more N: sitrep.conf plus N declared SLOs, in many.conf
	cp "$WORK/sitrep.conf" "$WORK/many.conf"
	for i in $(seq 1 "$1"); do
		svc=$(printf '%s\n' steady burst bleed gap | sed -n "$((i % 4 + 1))p")
		printf '\n[slo "extra-%02d"]\nobjective = 99.9\nerror_ratio = sum(rate(http_requests_total{service="%s",code="500"}[$window])) / sum(rate(http_requests_total{service="%s"}[$window]))\n' \
		    "$i" "$svc" "$svc" >>"$WORK/many.conf"
	done
}
few=$(count "$WORK/sitrep.conf")
more 46
fifty=$(count "$WORK/many.conf")
more 60
many=$(count "$WORK/many.conf")
# 7 windows and the budget (query), the 1h burn and the budget left
# (query_range), each a union of at most 50 SLOs; ALERTS (query_range).
[ "$few" = 11 ] && [ "$fifty" = 11 ] && [ "$many" = 21 ] ||
	fail "4 SLOs cost $few requests, 50 cost $fifty, 64 cost $many"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert len(j["slos"]) == 64; assert all(s["consumed"] is not None and s["budget_start"] is not None for s in j["slos"]), j' \
    "$WORK/out.json" || fail "not 64 SLOs with figures in the report"

step "Sloth's SLOs from their own recorded series (a stand-in of 20)"
python3 "$SRCDIR/tests/fakes/prom_slos.py" 20 >"$WORK/sloth.port" \
    2>"$WORK/sloth.log" &
SERVERS+=("$!")
TIMEOUT=10 eventually test -s "$WORK/sloth.port" || fail "no Sloth stand-in"
printf '[prometheus]\nurl = http://127.0.0.1:%s\ndiscover = sloth\n' \
    "$(head -1 "$WORK/sloth.port")" >"$WORK/sloth.conf"
report "$WORK/sloth.conf" json --slo 'slo-000[3-7]'
[ "$status" = 0 ] || { show json; fail "Sloth report: exit $status"; }
python3 - "$WORK/out.json" <<'EOF' || { show json; fail "Sloth SLOs wrong"; }
import json, sys
j = json.load(open(sys.argv[1]))
s = {x["name"]: x for x in j["slos"]}
assert sorted(s) == ["slo-0003", "slo-0004", "slo-0005", "slo-0006",
                     "slo-0007"], sorted(s)
for i, x in s.items():
    n = int(i[4:])
    burn = (n * 37 % 200) / 10          # tests/fakes/prom_slos.py
    left = -0.5 if n == 7 else 1 - (n * 13 % 100) / 100
    # A constant burn over 7 of 30 days: 7/30 of it, in one episode
    # spanning the period when above 1.
    assert abs(x["consumed"] - burn * 7 / 30) < 1e-6, (i, x["consumed"])
    assert abs(x["budget_start"] - left) < 1e-9, (i, x["budget_start"])
    assert abs(x["budget_end"] - left) < 1e-9, (i, x["budget_end"])
    assert len(x["episodes"]) == (1 if burn > 1 else 0), (i, x)
    if burn > 1:
        e = x["episodes"][0]
        assert e["open_start"] and e["open_end"], e
        assert abs(e["peak_burn"] - burn) < 1e-9, e
EOF

step "Two environments: each SLO says its own; a deploy explains only its own"
mkdir -p "$WORK/b"
out=$(python3 "$START" start "$WORK/data.om" "$WORK/b") ||
	fail "the second prometheus did not start"
read -r PROM_B_PORT PROM_B_PID <<<"$out"
SERVERS+=("$PROM_B_PID")
# envs CONFIG PROD_PORT: prod (the deploys, burst, bleed) and staging
# (burst-staging: the same traffic, no deploy of its own).
envs() {
	cat >"$1" <<EOF
[sitrep]
environment = prod
suspect_window = 1h

[prometheus "prom-prod"]
url = http://127.0.0.1:$2
timeout = 2s

[prometheus "prom-staging"]
url = http://127.0.0.1:$PROM_B_PORT
environment = staging

[deploys]
command = cat '$WORK/deploys.jsonl'
EOF
	for x in burst:prom-prod bleed:prom-prod burst-staging:prom-staging; do
		printf '\n[slo "%s"]\nsource = %s\nservice = %s\nobjective = 99.9\nwindow = 30d\nerror_ratio = sum(rate(http_requests_total{service="%s",code="500"}[$window])) / sum(rate(http_requests_total{service="%s"}[$window]))\n' \
		    "${x%%:*}" "${x#*:}" "${x%%[-:]*}" "${x%%[-:]*}" \
		    "${x%%[-:]*}" >>"$1"
	done
}
envs "$WORK/envs.conf" "$PROM_PORT"
report "$WORK/envs.conf" json
[ "$status" = 0 ] || { show json; fail "two environments: exit $status"; }
python3 - "$WORK/out.json" <<'EOF' || { show json; fail "two environments JSON wrong"; }
import json, sys
j = json.load(open(sys.argv[1]))
assert j["environment"] is None and j["environments"] == ["prod", "staging"], j
s = {x["name"]: x for x in j["slos"]}
assert {n: x["environment"] for n, x in s.items()} == {
    "burst": "prod", "bleed": "prod", "burst-staging": "staging"}, s
causes = lambda n: [(c["kind"], c["name"]) for c in s[n]["episodes"][0]["causes"]]
assert causes("burst") == [("deploy", "burst v2.0"),
                           ("incident", "BurstErrors")], causes("burst")
# The staging burn: its own Prometheus' alert, never prod's deploy.
assert causes("burst-staging") == [("incident", "BurstErrors")], \
    causes("burst-staging")
assert abs(s["burst"]["consumed"] - s["burst-staging"]["consumed"]) < 1e-9
EOF
report "$WORK/envs.conf" text
[ "$status" = 0 ] && head -1 "$WORK/out.text" |
    grep -q ': 3 SLOs (environments prod, staging), ranked' &&
    grep -q '^burst \[prod\]: 99.9% over 30d' "$WORK/out.text" &&
    grep -q '^burst-staging \[staging\]: 99.9% over 30d' "$WORK/out.text" &&
    grep -q '^burst-staging \[staging\] episodes:$' "$WORK/out.text" ||
	{ show text; fail "the text does not say each SLO's environment"; }
report "$WORK/envs.conf" csv
python3 - "$WORK/out.csv" <<'EOF' || { show csv; fail "the CSV lacks environments"; }
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
got = sorted(set((r["slo"], r["environment"]) for r in rows))
assert got == [("bleed", "prod"), ("burst", "prod"),
               ("burst-staging", "staging")], got
EOF
report "$WORK/envs.conf" html
grep -q '<th>environment</th>' "$WORK/out.html" &&
    grep -q '<h2>burst-staging \[staging\]</h2>' "$WORK/out.html" ||
	{ show html; fail "the HTML does not say each SLO's environment"; }

step "--environment staging: staging's SLOs alone, said so; prod not asked"
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
envs "$WORK/envs-down.conf" "$dead"
report "$WORK/envs-down.conf" json --environment staging
[ "$status" = 0 ] || { show json; fail "staging's report failed for prod's Prometheus: $status"; }
python3 - "$WORK/out.json" <<'EOF' || { show json; fail "--environment staging JSON wrong"; }
import json, sys
j = json.load(open(sys.argv[1]))
assert j["environment"] == "staging" and j["environments"] == ["staging"], j
assert j["complete"] is True and j["errors"] == [], j["errors"]
assert [(x["name"], x["environment"]) for x in j["slos"]] == [
    ("burst-staging", "staging")], j["slos"]
assert [c["name"] for c in j["slos"][0]["episodes"][0]["causes"]] == \
    ["BurstErrors"], j["slos"][0]["episodes"]
EOF
for fmt in text markdown html; do
	report "$WORK/envs-down.conf" "$fmt" --environment staging
	[ "$status" = 0 ] && grep -q '1 SLO (environment staging), ranked' \
	    "$WORK/out.$fmt" && ! grep -q '\[staging\]' "$WORK/out.$fmt" ||
		{ show "$fmt"; fail "$fmt does not say it covers staging"; }
done
report "$WORK/envs.conf" csv --environment prod
python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); assert sorted(set(x["slo"] for x in r)) == ["bleed", "burst"] and all(x["environment"] == "prod" for x in r), r' \
    "$WORK/out.csv" || { show csv; fail "--environment prod CSV wrong"; }
report "$WORK/envs.conf" json --environment qa
[ "$status" = 2 ] &&
    grep -qF 'environment "qa"; the environments: prod, staging, all' "$WORK/err" ||
	{ show json; fail "an unknown environment: exit $status"; }
kill "$PROM_B_PID" 2>/dev/null

step "One Prometheus down: the other's SLOs, marked incomplete, exit 1"
cp "$WORK/sitrep.conf" "$WORK/two.conf"
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >>"$WORK/two.conf" <<EOF

[prometheus "other"]
url = http://127.0.0.1:$dead
timeout = 2s

[slo "elsewhere"]
source = other
objective = 99
error_ratio = rate(x[\$window])
EOF
report "$WORK/two.conf" json
[ "$status" = 1 ] || { show json; fail "exit $status with a Prometheus down"; }
grep -q 'other' "$WORK/err" || { show json; fail "stderr does not name it"; }
python3 - "$WORK/out.json" <<'EOF' || { show json; fail "partial JSON wrong"; }
import json, sys
j = json.load(open(sys.argv[1]))
assert j["complete"] is False, j["complete"]
assert any(e.startswith("other: ") for e in j["errors"]), j["errors"]
names = [s["name"] for s in j["slos"]]
assert names == ["steady", "gap", "burst", "bleed"], names
EOF
report "$WORK/two.conf" text
[ "$status" = 1 ] && head -1 "$WORK/out.text" | grep -q '(INCOMPLETE)$' &&
    grep -q '^incomplete: other: ' "$WORK/out.text" ||
	{ show text; fail "the text report is not marked incomplete"; }
report "$WORK/two.conf" html
[ "$status" = 1 ] && grep -q 'class="incomplete">INCOMPLETE' \
    "$WORK/out.html" || { show html; fail "HTML not marked incomplete"; }

step "Prometheus stopped: exit 1, the reason, an empty report marked so"
kill "$PROM_PID"
while kill -0 "$PROM_PID" 2>/dev/null; do sleep 0.1; done
report "$WORK/sitrep.conf" csv
[ "$status" = 1 ] || { show csv; fail "exit $status with Prometheus down"; }
grep -q '^sitrep: prometheus: ' "$WORK/err" ||
	{ show csv; fail "stderr does not say Prometheus failed"; }
head -1 "$WORK/out.csv" | grep -q '^record,slo,' ||
	{ show csv; fail "no CSV header"; }

pass
