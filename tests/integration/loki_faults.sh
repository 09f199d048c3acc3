#!/bin/bash
# loki_faults.sh: Loki misbehaves while the console follows it: two
# answers are HTTP 500, one is cut off in the middle of its JSON, one takes
# 1.5 s. Each failure costs the source a status ("loki failing: ..."), not a
# line: when Loki answers again the console carries on from where it was,
# and the log view has every line once, with no hole and nothing doubled.
# A metric query typed by mistake is refused with a reason that says so.
# A 429 whose Retry-After is 2^63 - 1 seconds is a reason too, not a crash
# (the wait is capped at an hour).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/loki_lib.sh"

step "Loki serves three steady pods"
start_fake --scenario steady
loki_config <<'EOF2'
query = {service="checkout"}
lookback = 10s
EOF2

step "while the console follows for 20 s, Loki fails in three ways"
"$SITREP" snapshot --json --follow 20s --config "$CONFIG" \
	>"$TEST_TMP/snap.json" 2>"$TEST_TMP/snap.err" &
snap_pid=$!
sleep 4
control '{"fail": 2, "status": 500}'
sleep 4
control '{"truncate": 1}'
sleep 3
control '{"slow": 1.5, "slow_count": 1}'
wait $snap_pid
SNAP_STATUS=$?
[ "$SNAP_STATUS" -eq 0 ] || fail "snapshot exited $SNAP_STATUS (the \
source should be well again): $(cat "$TEST_TMP/snap.err")"

step "the faults happened, and no line is missing or doubled"
python3 - "$FAKE_PORT" <<'PY' || fail "the fake did not fail as asked"
import json, sys, urllib.request
s = json.load(urllib.request.urlopen(
    "http://127.0.0.1:%s/fake/stats" % sys.argv[1]))
sys.exit(0 if s["requests"] >= 8 else 1)
PY
verify --complete --ordered --gaps 0 || fail "the log view has holes"

step "Loki rate-limits with a Retry-After of 2^63 - 1 seconds"
control '{"fail": 100, "status": 429, "retry_after": "9223372036854775807"}'
snapshot_follow 2s
[ "$SNAP_STATUS" -le 1 ] || fail "snapshot exited $SNAP_STATUS: \
$(cat "$TEST_TMP/snap.err")"
grep -q "HTTP 429" "$TEST_TMP/snap.err" ||
	fail "the reason is: $(cat "$TEST_TMP/snap.err")"
control '{"fail": 0}'

step "a metric query is refused with a reason that names it"
loki_config <<'EOF2'
query = rate({service="checkout"}[1m])
EOF2
snapshot_follow 3s
[ "$SNAP_STATUS" -eq 1 ] || fail "snapshot exited $SNAP_STATUS, not 1"
grep -q "matrix (a metric query" "$TEST_TMP/snap.err" ||
	fail "the reason is: $(cat "$TEST_TMP/snap.err")"
pass
