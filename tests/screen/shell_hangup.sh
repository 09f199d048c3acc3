#!/bin/bash
# shell_hangup.sh: the engineer opens a shell in the action terminal (!)
# and the SSH connection drops. Nobody is left to type into that shell, so
# it must not run on as root forever: sitrep hangs it up and exits, and the
# audit log says why. A runbook waiting for an answer is in the same spot:
# its question gets end-of-file and it ends. A rollback that only prints is
# not: it runs to its end and is logged, as before. One that outlives
# [sitrep] hangup_wait is hung up, and its end line says so.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

T=$TEST_TMP
ln -s "$SRCDIR/tests/fakes" "$T/fakes" || fail "cannot link $SRCDIR/tests/fakes"
FAKES=$T/fakes
# A rollback that prints a line every half second and never reads.
cat >"$T/printer" <<'EOF'
for i in 1 2 3 4 5 6; do
	echo "step $i"
	echo "step $i" >>"$STEPS"
	sleep 0.5
done
exit 4
EOF
config() {
	cat >"$T/config" <<EOF
[sitrep]
audit_log = $T/audit.log
$1

[rollback "*"]
command = sh '$T/printer'

[runbook "CheckoutHighErrorRate"]
command = sh '$FAKES/runbook-echo' \$alertname
EOF
}

# Exited: no such process, or a zombie its parent has yet to reap.
gone() {
	! kill -0 "$1" 2>/dev/null ||
		[[ $(ps -o stat= -p "$1" 2>/dev/null) == Z* ]]
}

# end_line ACTION: the audit log's end line of ACTION as "exit signal error".
end_line() {
	python3 - "$T/audit.log" "$1" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    j = json.loads(line)
    if j["event"] == "end" and j["action"] == sys.argv[2]:
        print(j.get("exit"), j.get("signal", "-"), j.get("error", "-"))
EOF
}

start() {
	rm -f "$T/audit.log" "$T/steps" "$T/shell.pid" "$T/env.log"
	start_sitrep 120 40 SHELL=/bin/sh STEPS="$T/steps" \
	    FAKE_LOG="$T/env.log" --demo --config "$T/config"
	wait_for "CheckoutHighError"
	PID=$(pane_format '#{pane_pid}')
}

# drop: the SSH session ends: the tmux server, and sitrep's terminal, go.
drop() {
	t kill-server
}

config ""

step "The engineer opens a shell with ! and types in it"
start
keys '!'
wait_for "shell"
sleep 0.5
keys -l 'echo $$ >'"$T/shell.pid"
keys Enter
TIMEOUT=10 eventually test -s "$T/shell.pid" || fail "the shell did not start"
SHELL_PID=$(cat "$T/shell.pid")
kill -0 "$SHELL_PID" || fail "no shell $SHELL_PID"

step "the connection drops: the shell and sitrep are gone within seconds"
drop
TIMEOUT=8 eventually gone "$SHELL_PID" ||
	fail "the shell $SHELL_PID still runs after the hang-up"
TIMEOUT=8 eventually gone "$PID" || fail "sitrep $PID still runs"
[ "$(end_line shell)" = "None 1 the console's terminal hung up: so was the shell" ] ||
	fail "the shell's end line: $(end_line shell)"

step "A shell whose command ignores SIGHUP is killed after a grace"
start
keys '!'
wait_for "shell"
sleep 0.5
keys -l "trap '' HUP; echo \$\$ >$T/shell.pid; exec sleep 300"
keys Enter
TIMEOUT=10 eventually test -s "$T/shell.pid" || fail "the shell did not start"
SHELL_PID=$(cat "$T/shell.pid")
drop
TIMEOUT=10 eventually gone "$SHELL_PID" ||
	fail "the shell's sleep $SHELL_PID outlived the hang-up"
TIMEOUT=5 eventually gone "$PID" || fail "sitrep $PID still runs"
[ "$(end_line shell)" = "None 9 the console's terminal hung up: so was the shell" ] ||
	fail "the shell's end line: $(end_line shell)"

step "A runbook asks a question; the connection drops before the answer"
start
keys b
wait_for "y runs it"
keys y
wait_for "who is on call?"
drop
TIMEOUT=8 eventually gone "$PID" || fail "sitrep $PID still waits"
[ "$(end_line runbook)" = "3 - the console's terminal hung up while it ran; its keyboard reads got end-of-file" ] ||
	fail "the runbook's end line: $(end_line runbook)"

step "A rollback that only prints runs to its end and is logged"
start
keys 3 r
wait_for "y rolls back"
keys y
wait_for "step 1"
drop
sleep 1
kill -0 "$PID" 2>/dev/null || fail "sitrep did not wait for the rollback"
TIMEOUT=10 eventually gone "$PID" || fail "sitrep $PID still runs"
[ "$(wc -l <"$T/steps")" = 6 ] || fail "the rollback was cut short: $(cat "$T/steps")"
end_line rollback | grep -q "^4 - " || fail "the rollback's end line: $(end_line rollback)"

step "One that outlives hangup_wait is hung up, and its end line says so"
config "hangup_wait = 1s"
sed -i 's/^for i in 1 2 3 4 5 6; do/for i in $(seq 1 100); do/' "$T/printer"
start
keys 3 r
wait_for "y rolls back"
keys y
wait_for "step 1"
drop
TIMEOUT=8 eventually gone "$PID" || fail "sitrep $PID outlived hangup_wait"
[ "$(end_line rollback)" = "None 1 still running when the hang-up wait ran out: hung up" ] ||
	fail "the rollback's end line: $(end_line rollback)"
[ "$(wc -l <"$T/steps")" -lt 20 ] || fail "the rollback ran on: $(wc -l <"$T/steps") steps"
pass
