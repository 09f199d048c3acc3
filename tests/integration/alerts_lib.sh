# alerts_lib.sh: what the alert source tests share on top of tests/lib.sh:
# starting the PagerDuty fake and asking it what it saw, a free loopback
# port, JSON look-ups with python3, and a config file written for the test.
# shellcheck shell=bash

need_python() {
	command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
}

# A port nobody listens on now (the server is started right after).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_fake_pd [ARGS...]: start tests/fakes/fake_pagerduty.py; its port goes
# to FAKE_PORT, its URL to FAKE_URL. Its stdin is a fifo this shell holds
# open, so it ends when the test does, however the test ends.
FAKES=0
start_fake_pd() {
	local n fd

	FAKES=$((FAKES + 1))
	n=$FAKES
	mkfifo "$TEST_TMP/fake$n.in"
	python3 "$SRCDIR/tests/fakes/fake_pagerduty.py" "$@" \
		<"$TEST_TMP/fake$n.in" >"$TEST_TMP/fake$n.port" \
		2>"$TEST_TMP/fake$n.err" &
	exec {fd}>"$TEST_TMP/fake$n.in"
	TIMEOUT=10 eventually test -s "$TEST_TMP/fake$n.port" ||
		fail "the PagerDuty fake did not start: $(cat "$TEST_TMP/fake$n.err")"
	read -r FAKE_PORT <"$TEST_TMP/fake$n.port"
	FAKE_URL=http://127.0.0.1:$FAKE_PORT
}

# fake_get PATH: the fake's /_log or /_state, as JSON.
fake_get() {
	python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' "$FAKE_URL$1"
}

# fake_control JSON: change what the fake does next.
fake_control() {
	python3 -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="POST"))' \
		"$FAKE_URL/_control" "$1" || fail "cannot reach the fake's control"
}

# json EXPR < JSON: print a Python expression over the document "d".
json() {
	python3 -c 'import json, sys; d = json.load(sys.stdin); r = eval(sys.argv[1]); print(r if not isinstance(r, (list, dict)) else json.dumps(r))' "$1"
}

# A file only its owner may read, as sitrep insists for secrets.
write_secret() {
	umask 077
	printf '%s\n' "$2" >"$1"
	umask 022
}
