# fault_lib.sh: what the fault tests share on top of tests/lib.sh and
# alerts_lib.sh: tests/fakes/fault_server.py started on 127.0.0.1 (its
# port in PORT, its base URL in BASE) and stopped when the test ends.

FAULT_PID=
stop_fault() {
	[ -n "$FAULT_PID" ] && kill "$FAULT_PID" 2>/dev/null
	[ -n "$FAULT_PID" ] && wait "$FAULT_PID" 2>/dev/null
	FAULT_PID=
}
trap 'stop_fault; cleanup' EXIT

start_fault_server() {
	python3 "$SRCDIR/tests/fakes/fault_server.py" >"$TEST_TMP/fault.port" \
		2>"$TEST_TMP/fault.err" </dev/null &
	FAULT_PID=$!
	TIMEOUT=10 eventually test -s "$TEST_TMP/fault.port" ||
		fail "the fault server did not start: $(cat "$TEST_TMP/fault.err")"
	read -r PORT <"$TEST_TMP/fault.port"
	BASE=http://127.0.0.1:$PORT
}
