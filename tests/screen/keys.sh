#!/bin/bash
# keys.sh: the on-call engineer drives the demo console from the keyboard
# (and once with the mouse): moves between panes, picks an alert and opens
# its detail, zooms a pane, reads the help, switches the clock, presses a
# key that does nothing, resizes the terminal too small and back; then
# does it again with NO_COLOR set and still sees what is selected.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

focused_is() {
	wait_for "▶$1"
	[ "$(screen | grep -c '▶')" -eq 1 ] || fail "more than one pane focused"
}

# A mouse click as an xterm sends it (SGR 1006): press and release of
# button 1 at column X, row Y, counted from 0.
click() {
	local at="$(($1 + 1));$(($2 + 1))"

	keys -l $'\e[<0;'"${at}M"$'\e[<0;'"${at}m"
}

separator_column() {
	column_of "│" "$(screen_row 1)"
}

separator_at() {
	[ "$(separator_column)" -eq "$1" ]
}

separator_right_of() {
	[ "$(separator_column)" -gt "$1" ]
}

# Page down through the overlay until TEXT shows, as a reader would.
page_to() {
	local i top

	for i in 1 2 3 4 5 6 7 8 9 10; do
		screen_has "$1" && return
		top=$(screen_row 1)
		keys NPage
		eventually eval '[ "$(screen_row 1)" != "$top" ]' ||
			fail "paged to the end without finding \"$1\""
	done
	fail "\"$1\" is not within ten pages"
}

step "The user starts the demo in an 80x24 terminal; Alerts has the focus"
start_sitrep 80 24 --demo
wait_for "CheckoutHighError"
focused_is "1 Alerts"

step "Tab moves the focus pane by pane: SLO burn, Deploys, Logs, Alerts"
keys Tab
focused_is "2 SLO burn"
assert_screen_has " 1 Alerts"
keys Tab
focused_is "3 Deploys"
keys Tab
focused_is "4 Logs"
keys Tab
focused_is "1 Alerts"

step "BTab moves it back; 3 jumps to Deploys, 1 back to Alerts"
keys BTab
focused_is "4 Logs"
keys BTab
focused_is "3 Deploys"
keys 1
focused_is "1 Alerts"
keys 3
focused_is "3 Deploys"
keys 1
focused_is "1 Alerts"

step "the first alert is selected: its row is in reverse video"
first=$(row_of "CheckoutHighError")
second=$(row_of "CheckoutErrorBudg")
row_is_reverse "$first" || fail "the first alert is not shown selected"
row_is_reverse "$second" && fail "the second alert is shown selected"

step "j selects the next alert, k the one before"
keys j
eventually row_is_reverse "$second" || fail "j did not select the second alert"
row_is_reverse "$first" && fail "after j the first alert is still selected"
keys k
eventually row_is_reverse "$first" || fail "k did not select the first alert"
keys Down
eventually row_is_reverse "$second" ||
	fail "Down did not select the second alert"

step "Enter opens the detail of the selected alert"
keys Enter
wait_for "CheckoutErrorBudgetBurn: checkout-availability burning"
assert_screen_has "severity: critical"
assert_screen_has "status: acknowledged"
assert_screen_has "assigned to: Maria Lopez"
# The status line has the detail's keys: closing it, and the pane's
# commands, which act on the alert shown.
assert_screen_has " Esc close  "
assert_screen_has " a acknowledge "
title='^▶CheckoutErrorBudgetBurn:.*… +1-[0-9]+ of [0-9]+$'
[[ $(screen_row 1) =~ $title ]] ||
	fail "the detail title is not cut short before its scroll position"

step "the detail lists the alert's labels; PgDn scrolls to the rest"
assert_screen_has "alertname: CheckoutErrorBudgetBurn"
assert_screen_has "labels"
keys NPage
wait_for "summary: checkout-availability burning"
# The top lines scrolled away; paging stops with the last line at the
# bottom rather than on an empty overlay.
assert_screen_lacks "status: acknowledged"
assert_screen_has "runbook_url: "

step "Escape closes the detail; the panes are back"
keys Escape
wait_gone "severity: critical"
focused_is "1 Alerts"
assert_screen_has " 2 SLO burn"

step "Up and Enter: the detail now is the first alert's"
keys Up Enter
wait_for "status: triggered"
assert_screen_has "CheckoutHighErrorRate: checkout: 5xx ratio"
keys Escape
wait_gone "status: triggered"

step "z zooms the focused pane to the whole screen; z again restores all four"
keys z
wait_gone " 3 Deploys"
assert_screen_has "▶1 Alerts"
assert_screen_lacks " 2 SLO burn"
assert_screen_lacks " 4 Logs"
assert_screen_lacks "│"
keys z
wait_for " 3 Deploys"
assert_screen_has " 2 SLO burn"
assert_screen_has " 4 Logs"

step "zoomed, Tab moves the zoom with the focus: the pane shown is the one keys reach"
keys z
wait_gone " 3 Deploys"
keys Tab
wait_for "▶2 SLO burn"
assert_screen_lacks "1 Alerts"
keys BTab
wait_for "▶1 Alerts"
assert_screen_lacks "2 SLO burn"
keys z
wait_for " 3 Deploys"

step "Escape also leaves the zoom"
keys 4 z
wait_gone " 1 Alerts"
focused_is "4 Logs"
keys Escape
wait_for " 1 Alerts"
keys 1
focused_is "1 Alerts"

step "? shows the help: each key with its command"
keys ?
wait_for "sitrep help:"
assert_screen_lacks "quit sitrep"
page_to "move focus to the next pane"
screen | grep -Eq '^ +Tab +focus-next +move focus to the next pane' ||
	fail "the help does not say Tab is focus-next"
page_to "close the detail"
screen | grep -Eq '^ +Esc +close +close the detail' ||
	fail "the help does not say Esc is close"
page_to "quit sitrep"
screen | grep -Eq '^ +q +quit +quit sitrep$' ||
	fail "the help does not say q is quit"

step "Escape closes the help"
keys Escape
wait_gone "sitrep help:"
focused_is "1 Alerts"

step "T shows the clock in local time, T again in UTC"
keys T
wait_for "clock: local time"
[[ $(screen_row 0) =~ [0-9][0-9]:[0-9][0-9]:[0-9][0-9]\ local$ ]] ||
	fail "the header clock does not say local"
keys T
wait_for "clock: UTC"
[[ $(screen_row 0) =~ [0-9][0-9]:[0-9][0-9]:[0-9][0-9]\ UTC$ ]] ||
	fail "the header clock does not say UTC"

step "a key that is not bound says so on the status line"
keys X
wait_for "X is not bound: ? shows the keys"
[[ $(screen_row 23) == " X is not bound: ? shows the keys"* ]] ||
	fail "the message is not on the status line"

step "a click on a deploy focuses Deploys and selects it"
deploys_x=$(($(separator_column) + 10))
click "$deploys_x" "$(row_of "v1.8.3")"
focused_is "3 Deploys"
keys Enter
wait_for "deploy search v1.8.3"
assert_screen_has "author: sam.okafor"
keys Escape
wait_gone "author: sam.okafor"
keys 1
focused_is "1 Alerts"

step "the terminal grows to 100x30: the panes reflow"
old_sep=$(separator_column)
resize 100 30
eventually eval '[ "$(screen | wc -l)" -eq 30 ]' || fail "no 30 rows"
eventually separator_right_of "$old_sep" ||
	fail "the separator did not move right with the wider terminal"
wait_for "▶1 Alerts"
assert_screen_has " 2 SLO burn"
assert_screen_has " 3 Deploys"
assert_screen_has " 4 Logs"
[ "$(screen | grep -c 'sitrep demo |')" -eq 1 ] ||
	fail "the header is drawn more than once"
[ "$(screen | grep -c '│.*│')" -eq 0 ] ||
	fail "an old separator is left over"
[[ $(screen_row 29) == " Tab pane"*"q quit" ]] ||
	fail "the status line is not on the last row"

step "shrunk to 60x20 it asks for a bigger terminal"
resize 60 20
wait_for "terminal too small (need 80x24, have 60x20)"
assert_screen_has "q quits"
assert_screen_lacks "Alerts"
assert_screen_lacks "Tab pane"

step "back at 80x24 the panes return"
resize 80 24
wait_for "▶1 Alerts"
wait_gone "terminal too small"
eventually separator_at "$old_sep" || fail "the separator is not back"
assert_screen_has " 4 Logs"
stop_tmux

step "With NO_COLOR set, meaning does not hang on colour"
start_sitrep 80 24 NO_COLOR=1 --demo
wait_for "CheckoutHighError"
screen_uses_colour && fail "NO_COLOR is set but colours are drawn"
assert_screen_has "‼  trig"
assert_screen_has "▲  trig"
row_is_reverse 1 || fail "the focused title is not in reverse video"
row_is_reverse "$(row_of "CheckoutHighError")" ||
	fail "the selected alert is not in reverse video"
row_is_reverse "$(row_of "CheckoutErrorBudg")" &&
	fail "an unselected alert is in reverse video"
keys Tab
focused_is "2 SLO burn"
row_is_reverse "$(row_of "▶2 SLO burn")" ||
	fail "the focused SLO title is not in reverse video"
row_is_reverse 1 && fail "Alerts' title is still in reverse video"
screen_uses_colour && fail "NO_COLOR is set but colours are drawn"
pass
