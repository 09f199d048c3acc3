#!/bin/bash
# exit.sh: however sitrep ends (q, Ctrl-C, a kill, a hang-up) it says so
# with its exit status and hands the terminal back as it found it: the
# alternate screen gone, the cursor visible, no mouse reporting, the keypad
# normal, and the tty echoing and reading lines again, so the user's shell
# works at once.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

# The user's shell: run sitrep in the foreground (this shell surviving a
# Ctrl-C, as an interactive one does), then report what it left behind:
# the status and whether the tty echoes and reads lines (stty -a lists
# icanon before echo; a mode that is off shows as -icanon or -echo).
PIDFILE=$TEST_TMP/sitrep.pid
cat >"$TEST_TMP/shell.sh" <<'EOF'
trap : INT
pidfile=$1
shift
sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@"
echo "exit=$?"
echo "tty: $(stty -a | tr ' ;' '\n\n' | grep -x -e -echo -e echo -e -icanon \
	-e icanon | tr '\n' ' ')"
exec sleep 600		# a dead pane would scroll its screen for a notice
EOF
SITREP_VIA=(sh "$TEST_TMP/shell.sh" "$PIDFILE")

# kill -SIGNAL the sitrep in the pane, as another process would.
kill_sitrep() {
	eventually test -s "$PIDFILE" || fail "sitrep did not start"
	kill "-$1" "$(cat "$PIDFILE")" || fail "cannot send SIG$1 to sitrep"
}

start_demo() {
	rm -f "$PIDFILE"
	start_sitrep 80 24 --demo
	wait_for "CheckoutHighError"
	[ "$(pane_format '#{alternate_on}')" = 1 ] ||
		fail "sitrep does not use the alternate screen"
}

# The shell's report after sitrep ended, and the terminal's modes.
check_handed_back() {
	local status=$1

	wait_for "tty: "
	[ "$(screen_row 0)" = "exit=$status" ] ||
		fail "sitrep's status is not $status"
	[ "$(screen_row 1)" = "tty: icanon echo" ] ||
		fail "the tty is left not echoing or not reading lines"
	[ "$(screen | grep -c .)" -eq 2 ] ||
		fail "something of sitrep's screen is left over"
	[ "$(pane_format '#{alternate_on}')" = 0 ] ||
		fail "the alternate screen is still on"
	[ "$(pane_format '#{cursor_flag}')" = 1 ] ||
		fail "the cursor is still hidden"
	[ "$(pane_format '#{mouse_any_flag}')" = 0 ] ||
		fail "the terminal still reports the mouse"
	[ "$(pane_format '#{keypad_cursor_flag}')" = 0 ] ||
		fail "the cursor keys are left in application mode"
}

step "The user presses q: sitrep exits 0 and the shell is usable"
start_demo
keys q
check_handed_back 0

step "q from inside the help works as well"
start_demo
keys ?
wait_for "sitrep help:"
keys q
check_handed_back 0

step "Ctrl-C: sitrep exits 130 (128 + SIGINT), the terminal restored"
start_demo
keys C-c
check_handed_back 130

step "kill -TERM: sitrep exits 143 (128 + SIGTERM), the terminal restored"
start_demo
kill_sitrep TERM
check_handed_back 143

step "kill -HUP: sitrep exits 129 (128 + SIGHUP), the terminal restored"
start_demo
keys z
wait_gone " 3 Deploys"
kill_sitrep HUP
check_handed_back 129
pass
