#!/bin/bash
# loki_follow.sh: the on-call engineer follows checkout's logs from Loki.
# Loki holds what a real incident throws at it: three pods logging steadily,
# a stream whose lines reach Loki 1.2 s after their timestamps, a stream
# whose lines arrive out of order, and a burst of 10,000 lines sharing one
# nanosecond that trickles in across poll boundaries (this Loki allows
# 20,000 lines a query, and sitrep may ask for that many). After following
# for a while, the console's log view (read back through `sitrep snapshot
# --json --follow`) holds every line exactly once, oldest first, with
# nothing reported dropped.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/loki_lib.sh"

step "Loki serves the mixed streams; the last line is 8 s from now"
start_fake --scenario mixed --max-limit 20000
loki_config <<'EOF2'
query = {service="checkout"}
lookback = 1m
max_limit = 20000
EOF2

step "the console loads the history, then follows for 14 s"
snapshot_follow 14s
[ "$SNAP_STATUS" -eq 0 ] || fail "snapshot exited $SNAP_STATUS: \
$(cat "$TEST_TMP/snap.err")"

step "every line is there exactly once, in order, nothing dropped"
verify --all --ordered --gaps 0 || fail "the log view is not what Loki had"
grep -q '"logs_dropped": 0' "$TEST_TMP/snap.json" ||
	fail "the snapshot reports dropped lines"
grep -q '"log_query": "{service=\\"checkout\\"}"' "$TEST_TMP/snap.json" ||
	fail "the snapshot does not say what it follows"
pass
