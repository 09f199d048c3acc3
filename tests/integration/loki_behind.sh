#!/bin/bash
# loki_behind.sh: a flood the console cannot keep up with. Loki streams
# 10,000 lines a second but answers each query only after 0.25 s, so pages
# of 1000 lines bring 4000 a second. The console falls behind, and once it
# is more than max_lag (4 s) behind it skips ahead to the recent past. It
# never loses lines in silence: each skip is a note in the log with the
# exact number of lines Loki counted in the skipped range, those counts add
# up in the snapshot's logs_dropped, and outside the skipped ranges every
# line is there once.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/loki_lib.sh"

step "Loki floods, and answers slowly"
start_fake --scenario flood10k --latency 0.25
loki_config <<'EOF2'
query = {service="checkout"}
lookback = 3s
max_lag = 4s
ring_lines = 1000000
EOF2

step "the console follows for 15 s"
snapshot_follow 15s
[ "$SNAP_STATUS" -eq 0 ] || fail "snapshot exited $SNAP_STATUS: \
$(cat "$TEST_TMP/snap.err")"

step "it skipped, said how many lines it skipped, and lost none silently"
verify --skips --complete --ordered --gaps 0 ||
	fail "the console lost lines without saying so"
python3 - "$TEST_TMP/snap.json" <<'PY' || fail "logs_dropped is wrong"
import json, re, sys
s = json.load(open(sys.argv[1]))
notes = [int(re.match(r"(\d+) lines skipped", l["line"]).group(1))
         for l in s["logs"] if l.get("marker")]
d = s["logs_drops"]
print("skipped per the notes:", sum(notes), "drops:", d)
sys.exit(0 if d["skipped"] == sum(notes) and sum(notes) > 0 and
         s["logs_dropped"] == d["skipped"] + d["evicted"] else 1)
PY
pass
