# loki_lib.sh: what the Loki tests share, on top of tests/lib.sh: start
# the fake Loki (tests/fakes/fake_loki.py) on 127.0.0.1 with an ephemeral
# port, script it, write a config that points at it, and compare what the
# console showed with what the fake had (tests/fakes/loki_verify.py).
#
# The fake reads its stdin until it closes: the test holds the write end of
# a pipe, so the fake ends with the test however the test ends.

# shellcheck shell=bash

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

FAKE_PORT=
FAKE_PID=
trap 'stop_fake; cleanup' EXIT

# start_fake ARGS...: run the fake with these arguments (--scenario NAME,
# --max-limit N, --latency S); sets FAKE_PORT.
start_fake() {
	local tries=0

	mkfifo "$TEST_TMP/fake.in" || fail "cannot make a fifo"
	python3 "$SRCDIR/tests/fakes/fake_loki.py" "$@" \
		<"$TEST_TMP/fake.in" >"$TEST_TMP/fake.port" \
		2>"$TEST_TMP/fake.err" &
	FAKE_PID=$!
	exec 9>"$TEST_TMP/fake.in"
	while [ ! -s "$TEST_TMP/fake.port" ]; do
		tries=$((tries + 1))
		[ $tries -lt 100 ] || fail "the fake Loki did not start: \
$(cat "$TEST_TMP/fake.err")"
		sleep 0.05
	done
	FAKE_PORT=$(head -1 "$TEST_TMP/fake.port")
	echo "fake Loki on 127.0.0.1:$FAKE_PORT ($*)"
}

stop_fake() {
	exec 9>&- 2>/dev/null
	[ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null
	FAKE_PID=
	return 0
}

# control JSON: script the fake (see fake_loki.py).
control() {
	python3 - "$FAKE_PORT" "$1" <<'PY' || fail "the fake refused $1"
import sys, urllib.request
req = urllib.request.Request("http://127.0.0.1:%s/fake/control" % sys.argv[1],
                             data=sys.argv[2].encode(), method="POST")
urllib.request.urlopen(req).read()
PY
}

# loki_config [KEY = VALUE lines...]: a config with a [loki] section for
# the fake; more lines (for [loki] or further sections) on stdin.
CONFIG=$TEST_TMP/config
loki_config() {
	{
		printf '[loki]\nurl = http://127.0.0.1:%s\n' "$FAKE_PORT"
		cat
	} >"$CONFIG"
}

# snapshot_follow DURATION: the console's logs after following that long.
snapshot_follow() {
	"$SITREP" snapshot --json --follow "$1" --config "$CONFIG" \
		>"$TEST_TMP/snap.json" 2>"$TEST_TMP/snap.err"
	SNAP_STATUS=$?
}

# verify ARGS...: loki_verify.py on the last snapshot.
verify() {
	python3 "$SRCDIR/tests/fakes/loki_verify.py" \
		--snapshot "$TEST_TMP/snap.json" --port "$FAKE_PORT" "$@"
}
