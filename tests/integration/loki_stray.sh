#!/bin/bash
# loki_stray.sh: a shipper with a broken clock stamps one line near the end
# of time (2^63 ns), and Loki hands it over in an answer to a range it does
# not belong to. The console does not show it and does not follow it there:
# the lines logged after it keep coming into the view, the line is counted
# with the dropped (logs_drops.outside), and a note in the log says why.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/loki_lib.sh"

step "Loki serves three steady pods"
start_fake --scenario steady
loki_config <<'EOF2'
query = {service="checkout"}
lookback = 5s
EOF2

step "while the console follows for 12 s, one answer carries a far-future line"
"$SITREP" snapshot --json --follow 12s --config "$CONFIG" \
	>"$TEST_TMP/snap.json" 2>"$TEST_TMP/snap.err" &
snap_pid=$!
sleep 4
control '{"stray": {"ts": "9223372036854775000", "count": 1,
	"line": "seq=0 stream=stray from the end of time"}}'
stray_at=$(date +%s%N)
wait $snap_pid
SNAP_STATUS=$?
[ "$SNAP_STATUS" -eq 0 ] || fail "snapshot exited $SNAP_STATUS: \
$(cat "$TEST_TMP/snap.err")"

step "lines logged after the stray one are shown; the stray one is counted"
python3 - "$TEST_TMP/snap.json" "$stray_at" <<'PY' || fail "see above"
import json, sys
snap = json.load(open(sys.argv[1]))
after = int(sys.argv[2]) + 3 * 10**9
lines = [l for l in snap["logs"] if not l.get("marker")]
late = [l for l in lines if int(l["ts"]) > after]
bad = []
if len(late) < 300:
    bad.append("%d lines from more than 3 s after the stray line, not the "
               "~1000 logged" % len(late))
if any("from the end of time" in l["line"] for l in lines):
    bad.append("the far-future line is shown")
if snap["logs_drops"].get("outside") != 1:
    bad.append("logs_drops is %s, not outside 1" % snap["logs_drops"])
if snap["logs_dropped"] < 1:
    bad.append("logs_dropped is %d" % snap["logs_dropped"])
if not any("outside the time range asked for" in l["line"]
           for l in snap["logs"] if l.get("marker")):
    bad.append("no note says why a line is missing")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
verify --ordered || fail "the log view is not what Loki had"
pass
