# am_lib.sh: a real Alertmanager (Debian's prometheus-alertmanager) for the
# tests that need one, on top of tests/lib.sh and alerts_lib.sh: started on
# 127.0.0.1 under the prefix /alertmanager with no clustering, stopped when
# the test ends; am_api speaks its API v2.
# shellcheck shell=bash

AM=${ALERTMANAGER:-$(command -v prometheus-alertmanager || echo /usr/bin/prometheus-alertmanager)}
[ -x "$AM" ] || fail "prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)"

AM_PID=
stop_am() {
	[ -n "$AM_PID" ] && kill "$AM_PID" 2>/dev/null
	[ -n "$AM_PID" ] && wait "$AM_PID" 2>/dev/null
	AM_PID=
}
trap 'stop_am; cleanup' EXIT

am_ready() {
	python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
		"$AM_URL/-/ready" 2>/dev/null
}

# am_api METHOD PATH [JSON]: Alertmanager's API v2, printing the answer.
am_api() {
	python3 - "$1" "$AM_URL/api/v2$2" "${3:-}" <<'PY'
import sys, urllib.request
method, url, body = sys.argv[1], sys.argv[2], sys.argv[3]
req = urllib.request.Request(url, data=body.encode() if body else None,
                             method=method,
                             headers={"Content-Type": "application/json"})
sys.stdout.write(urllib.request.urlopen(req, timeout=5).read().decode())
PY
}

# start_am CONFIG_YML: Alertmanager with that configuration, its URL (with
# the prefix) in AM_URL.
start_am() {
	local try port

	printf '%s\n' "$1" >"$TEST_TMP/am.yml"
	for try in 1 2 3; do
		port=$(free_port)
		AM_URL=http://127.0.0.1:$port/alertmanager
		"$AM" --config.file="$TEST_TMP/am.yml" \
			--storage.path="$TEST_TMP/am-data" \
			--web.listen-address="127.0.0.1:$port" \
			--web.route-prefix=/alertmanager \
			--cluster.listen-address= >"$TEST_TMP/am.log" 2>&1 </dev/null &
		AM_PID=$!
		TIMEOUT=15 eventually am_ready && return
		stop_am
	done
	fail "Alertmanager did not start: $(tail -5 "$TEST_TMP/am.log")"
}
