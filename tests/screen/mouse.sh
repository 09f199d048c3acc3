#!/bin/bash
# mouse.sh: the on-call engineer uses the mouse, under TERM=tmux-256color
# and TERM=xterm-256color, at 80x24 and 200x50, the reports written into
# the pane as the terminal sends them (SGR 1006). A double click on a
# deploy opens its detail. The wheel over the Logs pane, while Alerts has
# the focus, scrolls the logs back and pauses following, as k would, and
# the focus stays where it was; the wheel over the focused Alerts pane
# moves its selection down and back up.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

# SGR reports at column X, row Y (from 0).
report() {
	keys -l $'\e[<'"$1;$(($2 + 1));$(($3 + 1))$4"
}

click() {
	report 0 "$1" "$2" M
	report 0 "$1" "$2" m
}

wheel_up() {
	report 64 "$1" "$2" M
}

wheel_down() {
	report 65 "$1" "$2" M
}

focused_is() {
	wait_for "▶$1"
	[ "$(screen | grep -c '▶')" -eq 1 ] || fail "more than one ▶"
}

for term in ${TERMS:-tmux-256color xterm-256color}; do
	for size in 80x24 200x50; do
		cols=${size%x*} rows=${size#*x}

		step "TERM=$term, $size: the demo runs"
		start_sitrep "$cols" "$rows" "TERM=$term" --demo
		wait_for "CheckoutHighError"
		wait_for "lines since"
		focused_is "1 Alerts"

		step "$term $size: a double click on a deploy opens its detail"
		y=$(row_of "v1.8.3")
		x=$(($(column_of "v1.8.3" "$(screen_row "$y")") - 3))
		click "$x" "$y"
		click "$x" "$y"
		wait_for "deploy search v1.8.3"
		assert_screen_has "author: sam.okafor"
		keys Escape
		wait_gone "author: sam.okafor"
		focused_is "3 Deploys"
		keys 1
		focused_is "1 Alerts"

		step "$term $size: the wheel over Logs pauses them"
		assert_screen_lacks "PAUSED"
		logs=$(row_of " 4 Logs")
		wheel_up 10 $((logs + 3))
		wait_for "PAUSED"
		focused_is "1 Alerts"
		keys 4 F 1
		wait_gone "PAUSED"
		focused_is "1 Alerts"

		step "$term $size: the wheel over Alerts moves its selection"
		first=$(row_of "CheckoutHighError")
		row_is_reverse "$first" ||
			fail "the first alert is not selected"
		wheel_down 10 $((first + 1))
		eventually eval '! row_is_reverse "$first"' ||
			fail "the wheel did not move the selection down"
		wheel_up 10 $((first + 1))
		eventually row_is_reverse "$first" ||
			fail "the wheel did not move the selection back up"
		assert_screen_lacks "is not bound"
		stop_tmux
	done
done
pass
