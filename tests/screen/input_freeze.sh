#!/bin/bash
# input_freeze.sh: the console never waits on the terminal. In tmux, under
# TERM=tmux-256color and TERM=xterm-256color, at 80x24 and 200x50, the
# on-call engineer clicks a deploy (the button goes down, and comes up a
# moment later, as a hand does it), then resizes the window and types
# nothing: the clock in the header goes on, and the screen is redrawn at
# the new size. Before, curses waited in read(0) for a mouse event after
# the release, and the console froze until the next key; with
# tmux-256color the click arrived as stray keys. C-s, before and after a
# shell in the action terminal, is a key and not XOFF, which stopped the
# screen until C-q.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

# Button 1 at column X, row Y (from 0), as the terminal reports it in SGR
# (1006) form: the press, and the release on its own.
press() {
	keys -l $'\e[<0;'"$(($1 + 1));$(($2 + 1))M"
}

release() {
	keys -l $'\e[<0;'"$(($1 + 1));$(($2 + 1))m"
}

clock() {
	screen_row 0 | grep -Eo '[0-9]{2}:[0-9]{2}:[0-9]{2} UTC' | tail -1
}

clock_moved_from() {
	local now

	now=$(clock)
	[ -n "$now" ] && [ "$now" != "$1" ]
}

# The header is drawn for a terminal COLS wide: its clock ends there.
header_fits() {
	local line

	line=$(screen_row 0)
	[ "$(($(column_of "UTC" "$line") + 4))" -eq "$1" ]
}

focused_is() {
	wait_for "▶$1"
	[ "$(screen | grep -c '▶')" -eq 1 ] || fail "more than one ▶"
}

for term in ${TERMS:-tmux-256color xterm-256color}; do
	for size in 80x24 200x50; do
		cols=${size%x*} rows=${size#*x}

		step "TERM=$term, $size: the demo runs, Alerts has the focus"
		start_sitrep "$cols" "$rows" "TERM=$term" SHELL=/bin/sh --demo
		wait_for "CheckoutHighError"
		focused_is "1 Alerts"

		step "$term $size: a button press on a deploy focuses Deploys"
		y=$(row_of "v1.8.3")
		[ "$y" -ge 0 ] || fail "no deploy v1.8.3 on the screen"
		x=$(($(column_of "v1.8.3" "$(screen_row "$y")") - 3))
		press "$x" "$y"
		focused_is "3 Deploys"

		step "$term $size: the release alone; a resize; no key"
		release "$x" "$y"
		resize $((cols + 10)) $((rows + 2))
		eventually header_fits $((cols + 10)) ||
			fail "not redrawn at $((cols + 10)) columns"
		was=$(clock)
		TIMEOUT=10 eventually clock_moved_from "$was" ||
			fail "the clock stopped at $was"
		assert_screen_lacks "is not bound"
		focused_is "3 Deploys"

		step "$term $size: keys still work"
		keys 1
		focused_is "1 Alerts"

		step "$term $size: C-s is a key, not XOFF: the screen goes on"
		keys C-s
		wait_for "C-s is not bound"
		was=$(clock)
		TIMEOUT=10 eventually clock_moved_from "$was" ||
			fail "the clock stopped at $was after C-s"

		step "$term $size: the same after a shell"
		keys '!'
		wait_for "▶ shell"
		keys C-]
		focused_is "1 Alerts"
		keys C-s
		wait_for "C-s is not bound"
		was=$(clock)
		TIMEOUT=10 eventually clock_moved_from "$was" ||
			fail "the clock stopped at $was after C-s"
		keys C-q
		stop_tmux
	done
done
pass
