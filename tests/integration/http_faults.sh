#!/bin/bash
# http_faults.sh: Prometheus, Alertmanager and Loki misbehaving at the HTTP
# level, all played by tests/fakes/fault_server.py on 127.0.0.1.
#
# A server that answers "Retry-After: 9223372036854775" (or the same in
# RateLimit-Reset, or a year) is asked again in an hour at the latest, not in
# a hot loop: a four-second `snapshot --follow` sends a handful of requests
# and ends on time, and says when it will try again. A server that answers
# 401 and repeats the Authorization header it was sent never gets the token,
# the password or the base64 of user:password shown: not in the snapshot's
# text, its JSON, its stderr, the console's header or sitrep.log; the user
# sees "[redacted]" where they were. An Alertmanager whose alert holds bytes
# that are not UTF-8 still lists it, with U+FFFD in their place.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/alerts_lib.sh"
need_tmux
need_python

. "$SRCDIR/tests/integration/fault_lib.sh"
start_fault_server

TOKEN=s3cr3t-T0KEN-4f9a
PASSWORD=hunter2-pass
BASIC=$(printf 'alice:%s' "$PASSWORD" | base64)
write_secret "$TEST_TMP/token" "$TOKEN"
write_secret "$TEST_TMP/password" "$PASSWORD"

# slo: one declared SLO, so that Prometheus is asked something.
slo() {
	printf '[slo "checkout"]\nobjective = 99.9\n'
	printf 'error_ratio = sum(rate(e[$window])) / sum(rate(t[$window]))\n'
}

counts() {
	python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' \
		"$BASE/_count"
}

# no_secret FILE...: none of the credentials is in any of the files.
no_secret() {
	local f s

	for f in "$@"; do
		for s in "$TOKEN" "$PASSWORD" "$BASIC"; do
			if grep -qF -- "$s" "$f"; then
				echo "--- $f"
				cat "$f"
				fail "$(basename "$f") shows a credential ($s)"
			fi
		done
	done
}

step "Retry-After and RateLimit-Reset of 9223372036854775 s, and of a year"
cat >"$TEST_TMP/retry.conf" <<EOF
[prometheus]
url = $BASE/retry/prom
$(slo)

[alertmanager]
url = $BASE/reset/am

[loki]
url = $BASE/year/loki
query = {job="x"}
EOF
start=$SECONDS
timeout 60 "$SITREP" snapshot --follow 4s --config "$TEST_TMP/retry.conf" \
	>"$TEST_TMP/retry.out" 2>"$TEST_TMP/retry.err"
status=$?
took=$((SECONDS - start))
[ "$status" -ne 124 ] || fail "snapshot --follow 4s did not end in 60s"
[ "$status" -eq 1 ] ||
	fail "snapshot ended with $status, not 1: $(cat "$TEST_TMP/retry.err")"
[ "$took" -le 15 ] || fail "snapshot --follow 4s took ${took}s"
counts >"$TEST_TMP/retry.count" || fail "cannot ask the fault server"
echo "requests in 4 s: $(cat "$TEST_TMP/retry.count")"
python3 - "$TEST_TMP/retry.count" <<'EOF' || fail "the sources retried in a loop"
import json, sys
n = json.load(open(sys.argv[1]))
# One refresh each, nothing more for an hour: Prometheus sends its burn
# windows and budget at once, the others one request.
assert 1 <= n.get("retry/prom", 0) <= 12, n
assert 1 <= n.get("reset/am", 0) <= 2, n
assert 1 <= n.get("year/loki", 0) <= 2, n
EOF
for src in prometheus alertmanager loki; do
	grep -q "^  $src ($src): failing: .*retry in 1h" "$TEST_TMP/retry.out" ||
		{ cat "$TEST_TMP/retry.out"; fail "$src does not say it retries in 1h"; }
done

step "A 401 that repeats the Authorization header: snapshot text and stderr"
cat >"$TEST_TMP/echo.conf" <<EOF
[prometheus]
url = $BASE/echo401/prom
token_file = $TEST_TMP/token
$(slo)

[alertmanager]
url = $BASE/echo401/am
username = alice
password_file = $TEST_TMP/password

[loki]
url = $BASE/echo401/loki
query = {job="x"}
token_file = $TEST_TMP/token
EOF
"$SITREP" snapshot --config "$TEST_TMP/echo.conf" >"$TEST_TMP/echo.out" \
	2>"$TEST_TMP/echo.err"
[ $? -eq 1 ] || fail "the snapshot did not fail: $(cat "$TEST_TMP/echo.err")"
no_secret "$TEST_TMP/echo.out" "$TEST_TMP/echo.err"
for src in prometheus alertmanager loki; do
	grep -q "^sitrep: $src: .*\[redacted\]" "$TEST_TMP/echo.err" ||
		{ cat "$TEST_TMP/echo.err"; fail "$src: no [redacted] on stderr"; }
done

step "... and in the snapshot's JSON"
"$SITREP" snapshot --json --config "$TEST_TMP/echo.conf" \
	>"$TEST_TMP/echo.json" 2>"$TEST_TMP/echo-json.err"
no_secret "$TEST_TMP/echo.json" "$TEST_TMP/echo-json.err"
python3 - "$TEST_TMP/echo.json" <<'EOF' || fail "the JSON does not say [redacted]"
import json, sys
d = json.load(open(sys.argv[1]))
for s in d["sources"]:
    assert not s["ok"] and "[redacted]" in s["error"], s
EOF

step "... and in the console's header and sitrep.log"
start_sitrep 250 30 --config "$TEST_TMP/echo.conf"
wait_for "credentials rejected"
wait_for "[redacted]"
LOG=$XDG_STATE_HOME/sitrep/sitrep.log
TIMEOUT=10 eventually grep -q "loki:" "$LOG" ||
	fail "sitrep.log says nothing about loki"
TIMEOUT=10 eventually grep -q "alertmanager:" "$LOG" ||
	fail "sitrep.log says nothing about alertmanager"
screen >"$TEST_TMP/echo.screen"
no_secret "$TEST_TMP/echo.screen" "$LOG"
grep -q "\[redacted\]" "$LOG" || fail "sitrep.log does not say [redacted]"
keys q
stop_tmux

step "Alertmanager sends bytes that are not UTF-8: the alert is listed"
printf '[alertmanager]\nurl = %s/badutf8/am\n' "$BASE" >"$TEST_TMP/utf8.conf"
"$SITREP" snapshot --json --config "$TEST_TMP/utf8.conf" \
	>"$TEST_TMP/utf8.json" 2>"$TEST_TMP/utf8.err"
[ $? -eq 0 ] || fail "the refresh failed: $(cat "$TEST_TMP/utf8.err")"
python3 - "$TEST_TMP/utf8.json" <<'EOF' || fail "the alert is not as sent"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["sources"][0]["ok"], d["sources"]
a = d["alerts"]
assert len(a) == 1, a
assert a[0]["title"] == "DiskFull: disk \ufffd full \ufffd now", a[0]["title"]
EOF

pass
