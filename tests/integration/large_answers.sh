#!/bin/bash
# large_answers.sh: an Alertmanager with 20,000 firing alerts (8 MB in one
# answer, parsed off the console's loop) still shows every one of them in
# `sitrep snapshot --json`, worst first. Two such Alertmanagers make
# 40,000, merged into one order; refreshed every second for a few seconds
# (each refresh replacing 20,000 alerts), the count holds. Nothing here is
# timed: bench/loop_stall.py measures how long the loop stalls.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/alerts_lib.sh"
need_python

CFG=$TEST_TMP/config
OUT=$TEST_TMP/out.json

# start_bulk N PREFIX: a bulk Alertmanager; its URL goes to BULK_URL.
start_bulk() {
	local fd

	mkfifo "$TEST_TMP/bulk-$2.in"
	python3 "$SRCDIR/tests/fakes/bulk_alertmanager.py" "$1" "$2" \
		<"$TEST_TMP/bulk-$2.in" >"$TEST_TMP/bulk-$2.port" \
		2>"$TEST_TMP/bulk-$2.err" &
	exec {fd}>"$TEST_TMP/bulk-$2.in"
	TIMEOUT=30 eventually test -s "$TEST_TMP/bulk-$2.port" ||
		fail "the bulk Alertmanager did not start: $(cat "$TEST_TMP/bulk-$2.err")"
	BULK_URL=http://127.0.0.1:$(cat "$TEST_TMP/bulk-$2.port")
}

snapshot() {
	STATUS=0
	"$SITREP" snapshot --json --config "$CFG" "$@" >"$OUT" \
		2>"$TEST_TMP/err.txt" || STATUS=$?
	[ "$STATUS" = 0 ] ||
		fail "snapshot exited $STATUS: $(cat "$TEST_TMP/err.txt")"
}

# check EXPR: a Python expression over the snapshot (alerts as A) holds.
check() {
	python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
A = j["alerts"]
RANK = {"critical": 0, "error": 1, "warning": 2, "info": 3}
sys.exit(0 if eval(sys.argv[2]) is True else 1)' "$OUT" "$1" ||
		fail "not so: $1"
}

# Worst first, then the oldest first within a severity.
ORDERED='all((RANK[x["severity"]], x["started_at"]) <= (RANK[y["severity"]], y["started_at"]) for x, y in zip(A, A[1:]))'

step "One Alertmanager answers with 20,000 firing alerts"
start_bulk 20000 east
EAST=$BULK_URL
printf '[alertmanager "east"]\nurl = %s\ntimeout = 60s\n' "$EAST" >"$CFG"
snapshot
check 'len(A) == 20000'
check 'all(s["ok"] for s in j["sources"])'
check 'sorted(a["id"] for a in A) == sorted("east-%d" % i for i in range(20000))'
check 'sum(a["severity"] == "critical" for a in A) == 5000'
check "$ORDERED"
check 'A[0]["service"].startswith("svc-") and A[0]["title"].startswith("HighErrorRate: alert east-")'

step "Two of them: 40,000 alerts merged into one order"
start_bulk 20000 west
WEST=$BULK_URL
printf '[alertmanager "west"]\nurl = %s\ntimeout = 60s\n' "$WEST" >>"$CFG"
snapshot
check 'len(A) == 40000'
check 'sum(a["source"] == "west" for a in A) == 20000'
check 'len(set((a["source"], a["id"]) for a in A)) == 40000'
check "$ORDERED"

step "Refreshed every second for eight seconds: still 40,000, none twice"
{
	printf '[sitrep]\nrefresh = 1s\n'
	cat "$CFG"
} >"$CFG.new"
mv "$CFG.new" "$CFG"
snapshot --follow 8s
check 'len(A) == 40000'
check 'len(set((a["source"], a["id"]) for a in A)) == 40000'
check 'all(s["ok"] for s in j["sources"])'
check "$ORDERED"
n=$(python3 -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1]))["requests"])' "$EAST/__stats")
# Two in the steps above, the follow's first and at least one more (however
# slow the build: a sanitizer's takes seconds a refresh).
[ "$n" -ge 4 ] ||
	fail "east was asked $n times; the follow should have refreshed it again"
pass
