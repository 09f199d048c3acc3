#!/bin/bash
# prometheus.sh: error budgets from a real Prometheus (Debian's 2.42),
# backfilled with promtool so that every answer is known in advance
# (tests/integration/prom_testdata.py writes the history and, computed
# independently, what rate() must give over it).
#
# The lead asks `sitrep snapshot --json` and gets, to ten digits, the burn
# of a service at a steady 1% of errors (10x at 99.9%, paging), of one
# whose errors began 30 minutes ago (the short windows page, the long ones
# do not), "no data" for one without traffic, never a burn of 0; the same
# for SLOs that Sloth and Pyrra recorded. A refresh costs the same number
# of requests for 3 SLOs as for 200. An HA pair whose first server is down
# answers from the second; two servers in two environments give each SLO
# its environment, and --environment keeps one. When Prometheus is down, slow, answers
# 500, garbage or an error, the snapshot says why and exits 1, and the
# console shows it in the header, keeps working, and recovers by itself.
#
# Nothing but 127.0.0.1 is contacted.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"

command -v prometheus >/dev/null 2>&1 ||
	skip "prometheus is not installed (apt-get install prometheus)"
command -v promtool >/dev/null 2>&1 || fail "promtool is missing"
command -v python3 >/dev/null 2>&1 || fail "python3 is missing"

HELPER=$SRCDIR/tests/integration/prom_testdata.py
FAKE=$SRCDIR/tests/fakes/prom_fake.py
PROXY=$SRCDIR/tests/fakes/count_proxy.py
WORK=$TEST_TMP/prom
mkdir -p "$WORK" && cd "$WORK" || fail "no work dir"

# Every server this test starts, stopped however the test ends.
SERVERS=()
stop_servers() {
	local pid

	for pid in "${SERVERS[@]}"; do
		kill "$pid" 2>/dev/null
	done
}
trap 'stop_servers; cleanup' EXIT

# start_prometheus [PORT]: sets PROM_PORT and PROM_PID.
start_prometheus() {
	local out

	out=$(python3 "$HELPER" start "$WORK/data.om" "$WORK" "$@") ||
		fail "prometheus did not start: $(tail -5 "$WORK/prometheus.log")"
	read -r PROM_PORT PROM_PID <<<"$out"
	SERVERS+=("$PROM_PID")
}

stop_prometheus() {
	kill "$PROM_PID" 2>/dev/null
	while kill -0 "$PROM_PID" 2>/dev/null; do sleep 0.1; done
}

# start_server NAME SCRIPT ARGS...: a Python fake that prints its port;
# sets PORT_<NAME>.
start_server() {
	local name=$1 script=$2 port=""

	shift 2
	python3 "$script" "$@" >"$WORK/$name.port" 2>"$WORK/$name.log" &
	SERVERS+=("$!")
	eval "PID_$name=$!"
	TIMEOUT=10 eventually test -s "$WORK/$name.port" ||
		fail "$name did not start"
	port=$(head -1 "$WORK/$name.port")
	eval "PORT_$name=$port"
}

# snap CONFIG: sitrep snapshot --json; status, out.json and err are kept.
snap() {
	"$SITREP" snapshot --json --config "$1" </dev/null >"$WORK/out.json" \
	    2>"$WORK/err"
	status=$?
}

show() {
	echo "--- stderr"; cat "$WORK/err"
	echo "--- stdout"; head -c 4000 "$WORK/out.json"; echo
}

expect_status() {
	[ "$status" -eq "$1" ] || { show; fail "exit status $status, not $1"; }
}

expect_err_has() {
	grep -qF -- "$1" "$WORK/err" || { show; fail "stderr lacks \"$1\""; }
}

# check PYTHON: run assertions on the snapshot (d) and expected.json (e).
check() {
	python3 - "$WORK/out.json" "$WORK/expected.json" "$1" <<'EOF' ||
import json, math, sys
d = json.load(open(sys.argv[1]))
e = json.load(open(sys.argv[2]))
slos = {(s["source"], s["name"]): s for s in d["slos"]}
def slo(name, source="prometheus"):
    assert (source, name) in slos, "no SLO %s in %s" % (name, list(slos))
    return slos[(source, name)]
def close(got, want, rel=1e-9, what=""):
    assert got is not None and want is not None, \
        "%s: got %r, want %r" % (what, got, want)
    assert abs(got - want) <= rel * abs(want) + 1e-12, \
        "%s: got %.12g, want %.12g" % (what, got, want)
def nodata(s):
    assert all(v is None for v in s["burn_rates"].values()), s["burn_rates"]
    assert all(v is None for v in s["error_ratios"].values())
    assert s["alert"] is None and s["condition"] is None, s
W = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]
exec(sys.argv[3])
EOF
	{ show; fail "the snapshot is not what the history says"; }
}

# The time every query is evaluated at: now, to the minute, so that the
# console's clock and the data agree; the history ends a minute before.
NOW=$(( $(date +%s) / 60 * 60 ))
NOW_ISO=$(date -u -d "@$NOW" +%Y-%m-%dT%H:%M:%SZ)

step "Backfill 3.5 days of known traffic and start a real Prometheus"
python3 "$HELPER" write "$WORK" --now "$NOW" || fail "cannot write the data"
tail -1 "$WORK/data.om" | grep -qx '# EOF' || fail "data.om lacks # EOF"
start_prometheus

expr() {	# expr SERVICE: the error ratio of a service's requests
	printf 'sum(rate(http_requests_total{service="%s",code=~"5.."}[$window])) / sum(rate(http_requests_total{service="%s"}[$window]))' "$1" "$1"
}

declared() {	# declared URL TIME [REFRESH]
	cat <<EOF
[sitrep]
environment = test
refresh = ${3:-15s}

[prometheus]
url = $1
time = $2
discover = sloth, pyrra
timeout = 10s

[slo "steady"]
service = steady
objective = 99.9
window = 30d
error_ratio = $(expr steady)

[slo "steady-60d"]
service = steady
objective = 99.9
window = 60d
error_ratio = $(expr steady)

[slo "steady-good-total"]
service = steady
objective = 99.9
good = sum(rate(http_requests_total{service="steady",code!~"5.."}[\$window]))
total = sum(rate(http_requests_total{service="steady"}[\$window]))

[slo "burst"]
service = burst
objective = 99.9
error_ratio = $(expr burst)

[slo "idle"]
service = idle
objective = 99.5
window = 28d
error_ratio = $(expr idle)

[slo "ghost"]
service = ghost
objective = 99.9
error_ratio = $(expr ghost)
EOF
}
declared "http://127.0.0.1:$PROM_PORT" "$NOW" >"$WORK/declared.conf"

step "The snapshot of declared SLOs matches rate() over the history"
snap "$WORK/declared.conf"
expect_status 0
check '
src = d["sources"][0]
assert src["name"] == "prometheus" and src["ok"] and src["error"] is None
ex = e["declared"]
for name, svc in (("steady", "steady"), ("steady-good-total", "steady"),
                  ("burst", "burst")):
    s = slo(name)
    assert s["service"] == svc and s["objective"] == 99.9, s
    for w in W:
        close(s["error_ratios"][w], ex[svc]["error_ratio"][w],
              what="%s %s ratio" % (name, w))
        close(s["burn_rates"][w], ex[svc]["error_ratio"][w] / (1 - 0.999),
              what="%s %s burn" % (name, w))
    close(s["error_budget_remaining"],
          1 - ex[svc]["error_ratio"]["30d"] / (1 - 0.999),
          what=name + " budget")
    assert s["window"] == "30d", s["window"]
    assert "$window" in s["query"], s["query"]

# 1% errors at 99.9%: burn 10 in every window, pages on 6h & 30m > 6.
s = slo("steady")
for w in W:
    close(s["burn_rates"][w], 10.0, what="steady burn " + w)
close(s["error_budget_remaining"], -9.0, what="steady budget")
assert s["alert"] == "page", s["alert"]
assert s["condition"] == "6h 10.0 & 30m 10.0 > 6", s["condition"]
assert s["time_to_exhaustion_s"] == 0, s["time_to_exhaustion_s"]

# The same burn over a 60-day window: thresholds double, only a ticket.
s = slo("steady-60d")
assert s["window"] == "60d"
close(s["error_budget_remaining"],
      1 - ex["steady"]["error_ratio"]["60d"] / (1 - 0.999), what="60d")
assert s["alert"] == "ticket", s["alert"]
assert s["condition"] == "1d 10.0 & 2h 10.0 > 6", s["condition"]

# Errors since 30 minutes: the short windows page, the long ones do not.
s = slo("burst")
assert s["alert"] == "page" and s["condition"].startswith("1h "), s
assert s["burn_rates"]["5m"] > 14.4 and s["burn_rates"]["30m"] > 14.4
assert s["burn_rates"]["1h"] > 14.4
assert s["burn_rates"]["1d"] < 3 and s["burn_rates"]["3d"] < 1
close(s["time_to_exhaustion_s"], s["error_budget_remaining"] * 30 * 86400
      / s["burn_rates"]["1h"], what="burst time to exhaustion")
# Its sparkline: the 1h burn every 15 minutes of the last day.
sp = s["spark_1h_burn"]
assert len(sp) == 97, len(sp)
for i, (got, want) in enumerate(zip(sp, ex["burst"]["spark_ratio"])):
    close(got, want / (1 - 0.999), what="burst spark %d" % i)
assert sp[0] == 0 and sp[-1] > 14.4

# No traffic (counters that never move) and no series at all: no data.
for name in ("idle", "ghost"):
    s = slo(name)
    nodata(s)
    assert s["error_budget_remaining"] is None
    assert all(v is None for v in s["spark_1h_burn"])
assert slo("idle")["window"] == "28d" and slo("idle")["objective"] == 99.5

# Most urgent first: the paging ones lead, no data last.
alerts = [s["alert"] for s in d["slos"]]
assert alerts[0] == "page", alerts
assert d["slos"][-1]["burn_rates"]["1h"] is None
'

step "Sloth's and Pyrra's recorded SLOs come from one selector each"
check '
s = slo("steady-availability")
assert s["service"] == "steady" and s["window"] == "30d"
for w in W:
    close(s["burn_rates"][w], 0.01 / (1 - 0.999), what="sloth steady " + w)
close(s["error_budget_remaining"], -9.0, what="sloth steady budget")
assert s["alert"] == "page"
assert len(s["spark_1h_burn"]) == 97
close(s["spark_1h_burn"][-1], 10.0, what="sloth steady spark")

s = slo("burst-availability")
for w in W:
    close(s["burn_rates"][w], e["sloth_burst"][w] / (1 - 0.999),
          what="sloth burst " + w)
close(s["error_budget_remaining"], 0.25, what="sloth burst budget")
assert s["alert"] == "page" and s["condition"].startswith("1h "), s
assert s["burn_rates"]["1d"] < 3 and s["burn_rates"]["3d"] < 1

s = slo("idle-availability")
nodata(s)
assert s["objective"] == 99.5 and s["error_budget_remaining"] is None

s = slo("pyrra-steady")
assert s["service"] == "steady" and s["window"] == "28d", s
for w in W:
    close(s["burn_rates"][w], 10.0, what="pyrra steady " + w)
close(s["error_budget_remaining"], -9.0, what="pyrra steady budget")
# The conditions of Pyrra itself: 7x on 6h and 30m (held past its for:
# of 15m), not 5.6 as the workbook scaled to 28 days would have it.
assert s["condition"] == "6h 10.0 & 30m 10.0 > 7", s["condition"]
assert s["alert"] == "page" and s["verdict"] == "evaluated", s
close(s["spark_1h_burn"][-1], 10.0, what="pyrra steady spark")

s = slo("pyrra-burst")
assert s["window"] == "30d", s["window"]   # inferred from its windows
for w, want in zip(W, (100, 90, 50, 25, 8, 2, 0.7)):
    close(s["burn_rates"][w], want, what="pyrra burst " + w)
close(s["error_budget_remaining"], 0.5, what="pyrra burst budget")
assert s["alert"] == "page"
assert "1h4m" in s["query"], s["query"]

# Pyrra without its generic rules has no objective: said, not guessed.
assert ("prometheus", "pyrra-bare") not in slos
assert "pyrra SLO pyrra-bare: no pyrra_objective" in \
    d["sources"][0]["warning"], d["sources"][0]["warning"]
'

step "A broken expression is named by its SLO, not by a column"
{ declared "http://127.0.0.1:$PROM_PORT" "$NOW"; cat <<'EOF'; } \
    >"$WORK/broken.conf"

[slo "broken"]
objective = 99
error_ratio = sum(rate(http_requests_total{service="x"}[$window])
EOF
snap "$WORK/broken.conf"
expect_status 1
expect_err_has 'sitrep: prometheus: [slo "broken"] error_ratio: parse error:'
check '
src = d["sources"][0]
assert not src["ok"] and "[slo \"broken\"]" in src["error"], src
'

step "Requests per refresh: the same for 3 declared SLOs and for 200"
start_server proxy "$PROXY" "$PROM_PORT"
PROXY_URL=http://127.0.0.1:$PORT_proxy
count_refresh() {	# count_refresh CONFIG NAME: requests of one snapshot
	python3 -c 'import sys,urllib.request as u; u.urlopen(u.Request(sys.argv[1]+"/__reset", b""))' "$PROXY_URL" ||
		fail "the proxy does not answer"
	snap "$1"
	expect_status 0
	python3 -c 'import sys,urllib.request as u; print(u.urlopen(sys.argv[1]+"/__count").read().decode())' "$PROXY_URL" >"$WORK/$2.count" ||
		fail "the proxy does not count"
}
{
	printf '[prometheus]\nurl = %s\ntime = %s\ndiscover = sloth, pyrra\n\n' \
	    "$PROXY_URL" "$NOW_ISO"
	python3 "$HELPER" declared-config 3 --services 1 | sed 's/svc-0000/steady/g'
} >"$WORK/three.conf"
{
	printf '[prometheus]\nurl = %s\ntime = %s\ndiscover = sloth, pyrra\n\n' \
	    "$PROXY_URL" "$NOW_ISO"
	python3 "$HELPER" declared-config 200 --services 1 | sed 's/svc-0000/steady/g'
} >"$WORK/many.conf"
count_refresh "$WORK/three.conf" few
check 'assert len([s for s in d["slos"] if s["name"].startswith("bench-")]) == 3'
count_refresh "$WORK/many.conf" many
check '
bench = [s for s in d["slos"] if s["name"].startswith("bench-")]
assert len(bench) == 200, len(bench)
for s in bench:    # every one of them answered, through one union each
    close(s["error_ratios"]["1h"], e["declared"]["steady"]["error_ratio"]["1h"],
          what=s["name"])
'
few=$(cat "$WORK/few.count")
many=$(cat "$WORK/many.count")
echo "3 SLOs: $few"
echo "200 SLOs: $many"
python3 - "$few" "$many" <<'EOF' || fail "requests per refresh grow with the SLOs"
import json, sys
few, many = json.loads(sys.argv[1]), json.loads(sys.argv[2])
# 7 windows + the budget + Sloth + Pyrra + the history of for: (Pyrra),
# and one query_range for sparks; time is pinned, so no alerting rules.
want = {"POST /api/v1/query": 11, "POST /api/v1/query_range": 1}
assert few["by"] == want, few
assert many["by"] == want, many
assert many["bytes_sent"] > 20 * few["bytes_sent"], (few, many)
EOF

step "Prometheus stopped: connection refused, exit 1, the JSON still prints"
start_server gone "$FAKE" 500
kill "$PID_gone"
while kill -0 "$PID_gone" 2>/dev/null; do sleep 0.1; done
declared "http://127.0.0.1:$PORT_gone" "$NOW" >"$WORK/gone.conf"
snap "$WORK/gone.conf"
expect_status 1
expect_err_has "sitrep: prometheus: connection refused"
check '
src = d["sources"][0]
assert src["ok"] is False and src["error"] == "connection refused", src
assert d["slos"] == []
'

step "An HA pair whose first replica is down answers from the second"
declared "http://127.0.0.1:$PORT_gone" "$NOW" |
    sed "s|^url = .*|&\nurl = http://127.0.0.1:$PROM_PORT|" >"$WORK/pair.conf"
grep -c '^url = ' "$WORK/pair.conf" | grep -qx 2 || fail "the pair's config has not two urls"
snap "$WORK/pair.conf"
expect_status 0
check "
src = d['sources'][0]
assert src['ok'] is True and src['error'] is None, src
assert 'replica 127.0.0.1:$PORT_gone failing: connection refused' in src['warning'], src
assert src['replicas_down'] == '127.0.0.1:$PORT_gone', src
s = slo('steady')
for w in W:
    close(s['error_ratios'][w], e['declared']['steady']['error_ratio'][w],
          what='pair steady %s ratio' % w)
"

step "Two Prometheus servers as two environments: each SLO under its own"
mkdir -p "$WORK/b"
out=$(python3 "$HELPER" start "$WORK/data.om" "$WORK/b") ||
	fail "the second prometheus did not start"
read -r PROM_B_PORT PROM_B_PID <<<"$out"
SERVERS+=("$PROM_B_PID")
cat >"$WORK/envs.conf" <<EOF
[sitrep]
environment = prod

[prometheus "prom-prod"]
url = http://127.0.0.1:$PROM_PORT
time = $NOW

[prometheus "prom-staging"]
url = http://127.0.0.1:$PROM_B_PORT
time = $NOW
environment = staging

[slo "steady"]
source = prom-prod
service = steady
objective = 99.9
error_ratio = $(expr steady)

[slo "burst"]
source = prom-staging
service = burst
objective = 99.9
error_ratio = $(expr burst)
EOF
snap "$WORK/envs.conf"
expect_status 0
check "
assert sorted((s['name'], s['source'], s['environment']) for s in d['slos']) == [
    ('burst', 'prom-staging', 'staging'), ('steady', 'prom-prod', 'prod')], d['slos']
assert [(x['name'], x['environment']) for x in d['sources']] == [
    ('prom-prod', 'prod'), ('prom-staging', 'staging')], d['sources']
"
"$SITREP" snapshot --json --environment staging --config "$WORK/envs.conf" \
    </dev/null >"$WORK/out.json" 2>"$WORK/err"
status=$?
expect_status 0
check "
assert [s['name'] for s in d['slos']] == ['burst'], d['slos']
s = slo('burst', 'prom-staging')
for w in W:
    close(s['error_ratios'][w], e['declared']['burst']['error_ratio'][w],
          what='staging burst %s ratio' % w)
assert d['environment_shown'] == 'staging'
"
kill "$PROM_B_PID" 2>/dev/null

# fails MODE REASON [TIMEOUT]: a fake in MODE makes the snapshot fail
# with REASON on stderr and in the JSON.
fails() {
	local mode=$1 reason=$2 timeout=${3:-10s}

	start_server "$mode" "$FAKE" "$mode" 5
	declared "http://127.0.0.1:$(eval echo "\$PORT_$mode")" "$NOW" |
	    sed "s/^timeout = .*/timeout = $timeout/" >"$WORK/$mode.conf"
	snap "$WORK/$mode.conf"
	expect_status 1
	expect_err_has "sitrep: prometheus: $reason"
	check "
src = d['sources'][0]
assert src['ok'] is False and src['error'].startswith('''$reason'''), src
"
}

step "Prometheus answers 500: the reason is the status"
fails 500 "HTTP 500 (not a Prometheus answer)"
step "A proxy's HTML 502 page"
fails html502 "HTTP 502 (not a Prometheus answer)"
step "Garbage with a 200"
fails garbage "bad JSON: "
step "A truncated answer"
fails truncated "bad JSON: "
step "Prometheus' own error body"
fails error "execution: expanding series: too many chunks"
step "Slower than the timeout"
fails slow "timeout after 1s" 1s

step "Warnings in an answer are shown, and do not fail the refresh"
start_server warn "$FAKE" warnings
declared "http://127.0.0.1:$PORT_warn" "$NOW" >"$WORK/warn.conf"
snap "$WORK/warn.conf"
expect_status 0
check '
src = d["sources"][0]
assert src["ok"], src
assert "store eu-1 unreachable: partial data" in src["warning"], src
assert "query hit the series limit" in src["warning"], src
assert src["warning"].count("store eu-1") == 1, src   # each said once
'

step "A slow Prometheus: refreshes follow each other, never overlap"
start_server slowc "$FAKE" slow 2.5
cat >"$WORK/slowc.conf" <<EOF
[prometheus]
url = http://127.0.0.1:$PORT_slowc
refresh = 1s
timeout = 10s

[slo "steady"]
objective = 99.9
error_ratio = $(expr steady)
EOF
start_sitrep 100 30 --config "$WORK/slowc.conf"
sleep 7
stop_tmux
python3 - "http://127.0.0.1:$PORT_slowc/__stats" <<'EOF' ||
import json, sys, urllib.request
stats = json.load(urllib.request.urlopen(sys.argv[1]))
print("slow Prometheus saw", stats)
# One refresh: 7 windows, the budget, the sparklines, all at once; the
# sparklines once per 15 minutes only.
assert stats["max_in_flight"] <= 9, stats
assert stats["requests"] >= 9 + 8, stats   # at least two refreshes
EOF
	fail "refreshes overlapped"

step "The console while Prometheus is down: the header says so, keys work"
stop_prometheus
cat >"$WORK/console.conf" <<EOF
[sitrep]
refresh = 2s

[prometheus]
url = http://127.0.0.1:$PROM_PORT
time = $NOW

[slo "steady"]
objective = 99.9
error_ratio = $(expr steady)

[slo "steady-60d"]
objective = 99.9
window = 60d
error_ratio = $(expr steady)

[slo "burst"]
objective = 99.9
error_ratio = $(expr burst)

[slo "idle"]
objective = 99.5
error_ratio = $(expr idle)
EOF
start_sitrep 160 40 --config "$WORK/console.conf"
wait_for "prometheus failing: connection refused"
keys 2
wait_for "▶2 SLO burn"
keys "?"
wait_for "sitrep help"
keys Escape
wait_gone "sitrep help"
assert_screen_has "prometheus failing: connection refused"

step "Prometheus comes back: the next refresh recovers"
start_prometheus "$PROM_PORT"
wait_for "prometheus ok" 40
wait_for "4 SLOs, 2 paging, 1 ticket"
assert_screen_lacks "failing"
screen | grep -q '‼  burst ' || fail "no paging burst row"

step "A Pyrra SLO without metadata: its warning is the SLO pane's to say"
# Issue 12: the warning pushed the worst burn off the header at 160
# columns. The header names the state; the SLO pane's title says what.
declared "http://127.0.0.1:$PROM_PORT" "$NOW" 2s >"$WORK/warn.conf"
start_sitrep 160 40 --config "$WORK/warn.conf"
wait_for "prometheus warning"
screen_row 0 | grep -qE '\| burn [0-9.]+x ' ||
	fail "the worst burn is not in the header: $(screen_row 0)"
screen_row 0 | grep -q "pyrra-bare" &&
	fail "the warning's text is in the header: $(screen_row 0)"
screen | grep -F " 2 SLO burn" | grep -q "pyrra SLO pyrra-bare" ||
	fail "the SLO title does not say the warning"

step "Down again: the last SLOs stay, marked as of when they were fetched"
stop_prometheus
wait_for "stale since" 20
wait_for "stale "
wait_for "as of "
screen | grep -q '‼  burst ' || fail "the burst row went away"
stop_tmux

pass
