#!/bin/bash
# loki_ignore.sh: a Loki (or a proxy in front of it) that ignores limit and
# end answers every page with everything from start to now. Loading the
# history and following must not ask again and again for the same lines:
# a full page that brings nothing new ends the paging, the log and the
# source say that Loki ignores limit or end, the requests stay few, and the
# lines are still shown once each, in order.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/loki_lib.sh"

step "Loki ignores limit and end; three pods log 200 lines/s each"
start_fake --scenario steady --ignore-range
loki_config <<'EOF2'
query = {service="checkout"}
lookback = 15m
limit = 100
max_limit = 400
EOF2

step "the console loads the history, then follows for 10 s"
start=$(date +%s)
snapshot_follow 10s
took=$(($(date +%s) - start))
[ "$SNAP_STATUS" -eq 0 ] || fail "snapshot exited $SNAP_STATUS: \
$(cat "$TEST_TMP/snap.err")"
[ "$took" -le 20 ] || fail "snapshot took $took s for a 10 s follow"

step "few requests, a note that says why, every line once and in order"
python3 - "$FAKE_PORT" "$TEST_TMP/snap.json" <<'PY' || fail "see above"
import json, sys, urllib.request
s = json.load(urllib.request.urlopen(
    "http://127.0.0.1:%s/fake/stats" % sys.argv[1]))
snap = json.load(open(sys.argv[2]))
bad = []
# History: a page, then one that brings nothing new. Following, a poll
# every 1.8 s: at most two pages each (and one to unstick, at most).
print("requests: %d, bytes: %d" % (s["requests"], s["bytes"]))
if s["requests"] > 24:
    bad.append("%d requests in 10 s" % s["requests"])
notes = [l["line"] for l in snap["logs"] if l.get("marker")]
if not any("Loki ignores limit or end" in n for n in notes):
    bad.append("no note that Loki ignores limit or end: %s" % notes)
warn = [x.get("warning") or "" for x in snap["sources"]]
if not any("Loki ignores limit or end" in w for w in warn):
    bad.append("the source does not say so: %s" % warn)
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
verify --ordered --complete || fail "the log view is not what Loki had"
pass
