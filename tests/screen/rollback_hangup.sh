#!/bin/bash
# rollback_hangup.sh: the engineer confirms a rollback over SSH and the
# connection drops while it runs. The rollback is not lost: it runs to
# its end (its own session, so the hang-up does not reach it), sitrep
# stays without a screen until then, writes the end line with the exit
# status to the audit log, and only then exits. Once with the terminal
# gone (the tmux server killed), once with a plain SIGHUP.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

T=$TEST_TMP
NOW=$(date +%s)
printf '{"service":"checkout","version":"v2.14.0","revision":"a1b2c3d","previous_revision":"9f8e7d6","at":%s,"environment":"prod"}\n' \
	$((NOW - 600)) >"$T/deploys.jsonl"
cat >"$T/config" <<EOF
[sitrep]
environment = prod
audit_log = $T/audit.log

[deploys]
command = cat '$T/deploys.jsonl'

[rollback "checkout"]
command = sh '$SRCDIR/tests/fakes/fake-kubectl' rollout undo deployment/\$service --to-revision=\$previous_revision
EOF

has_end() {
	grep -q '"event":"end".*"exit":4' "$T/audit.log" 2>/dev/null
}

# Exited: no such process, or a zombie its parent (tmux) has yet to reap.
gone() {
	! kill -0 "$1" 2>/dev/null ||
		[[ $(ps -o stat= -p "$1" 2>/dev/null) == Z* ]]
}

# hangup HOW: start a slow rollback, drop the terminal HOW, see it through.
hangup() {
	local pid

	rm -f "$T/audit.log" "$T/argv.log"
	start_sitrep 100 30 FAKE_LOG="$T/argv.log" FAKE_SLEEP=3 FAKE_EXIT=4 \
	    --config "$T/config"
	wait_for "checkout"
	pid=$(pane_format '#{pane_pid}')
	keys 3 r
	wait_for "y rolls back"
	keys y
	wait_for "rolling back"
	grep -q '"event":"start"' "$T/audit.log" || fail "no start line"

	case $1 in
	kill-server)
		step "the terminal goes away while the rollback runs"
		t kill-server
		;;
	sighup)
		step "sitrep gets SIGHUP while the rollback runs"
		kill -HUP "$pid"
		;;
	esac
	sleep 1
	kill -0 "$pid" 2>/dev/null || fail "sitrep did not wait for the rollback"
	has_end && fail "the end was recorded before the rollback ended"

	step "the rollback ends, its end line lands, then sitrep exits"
	TIMEOUT=15 eventually has_end || fail "no end line: $(cat "$T/audit.log")"
	grep -q '^end exit=4$' "$T/argv.log" || fail "the rollback did not finish"
	[ "$(grep -c '"event":"end"' "$T/audit.log")" = 1 ] ||
		fail "not one end line"
	TIMEOUT=10 eventually gone "$pid" || fail "sitrep did not exit"
	stop_tmux
}

step "A slow rollback is confirmed, then the SSH session drops"
hangup kill-server
step "Again, with SIGHUP alone"
hangup sighup
pass
