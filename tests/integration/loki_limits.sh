#!/bin/bash
# loki_limits.sh: Loki caps what one query may return (its default
# max_entries_limit_per_query is 5000) and a shipper stamps 10,000 lines
# with one nanosecond. sitrep, configured to ask for up to 20,000, learns
# the cap from Loki's 400, takes the first 5000 and the last 5000 lines of
# that nanosecond, and shows all 10,000 once. Then 12,000 lines share one
# nanosecond: 2000 cannot be reached through query_range, and the log says
# so in a note rather than losing them in silence.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/loki_lib.sh"

step "Loki (limit 5000) has a burst of 10,000 lines at one nanosecond"
start_fake --scenario burst --max-limit 5000
loki_config <<'EOF2'
query = {service="checkout"}
lookback = 30s
max_limit = 20000
EOF2
snapshot_follow 7s
[ "$SNAP_STATUS" -eq 0 ] || fail "snapshot exited $SNAP_STATUS: \
$(cat "$TEST_TMP/snap.err")"

step "all 10,000 are shown once; one note says what may lie between"
verify --all --ordered --gaps 1 || fail "the burst is not shown whole"
grep -q 'the first 5000 and the last 5000 were fetched' \
	"$TEST_TMP/snap.json" || fail "no note about the crowded nanosecond"

step "12,000 lines at one nanosecond: 2000 cannot be fetched, and it says so"
stop_fake
rm -f "$TEST_TMP/fake.in" "$TEST_TMP/fake.port"
start_fake --max-limit 5000 --scenario steady
control '{"stream": {"name": "big", "labels": {"pod": "big",
	"service": "checkout"}, "kind": "burst", "begin": 2.0000001, "count": 12000,
	"lag": 0.1, "spread": 0.5}}'
loki_config <<'EOF2'
query = {service="checkout"}
lookback = 30s
max_limit = 20000
EOF2
snapshot_follow 7s
[ "$SNAP_STATUS" -eq 0 ] || fail "snapshot exited $SNAP_STATUS"
verify --ordered --gaps 1 || fail "the log view is wrong"
shown=$(python3 -c 'import json, sys
print(sum(1 for l in json.load(open(sys.argv[1]))["logs"]
          if "stream=big " in l["line"]))' "$TEST_TMP/snap.json")
[ "$shown" -eq 10000 ] || fail "$shown lines of the burst shown, not 10000"
grep -q '"gaps": 1' "$TEST_TMP/snap.json" ||
	fail "the snapshot does not count the gap"
pass
