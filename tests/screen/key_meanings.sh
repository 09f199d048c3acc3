#!/bin/bash
# key_meanings.sh: a key means one thing wherever the focus is (sitrep(1),
# KEYS). The user learns t in the Alerts pane and presses it in Logs: it
# is the action terminal there too (not a jump in time, which is J); / is
# the search in Logs, and in Alerts f filters as it does in Logs; m adds a
# note, so n is only ever "next match". At 80x24 and 200x50, under
# TERM=tmux-256color and xterm-256color.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

status_row() {
	screen_row "$(($1 - 1))"
}

check_meanings() {
	local cols=$1 rows=$2 term=$3

	step "At ${cols}x${rows}, TERM=$term: the demo, Alerts focused"
	start_sitrep "$cols" "$rows" "TERM=$term" --demo
	wait_for "CheckoutHighError"

	step "t in Alerts and t in Logs both mean the action terminal"
	keys t
	wait_for "no action terminal:"
	keys Escape
	wait_gone "no action terminal:"
	keys 4
	wait_for "▶4 Logs"
	keys t
	wait_for "no action terminal:"
	assert_screen_lacks "jump to time"
	keys Escape

	step "J jumps to a time in Logs"
	keys J
	wait_for "jump to time:"
	keys Escape
	wait_gone "jump to time:"

	step "/ searches in Logs; in Alerts f filters, and / is no filter"
	keys /
	eventually eval '[[ "$(status_row "$rows")" == /* ]]' ||
		fail "/ did not open the search prompt in Logs"
	keys Escape
	keys 1
	wait_for "▶1 Alerts"
	keys f
	wait_for "filter alerts (empty: all):"
	keys Escape
	wait_gone "filter alerts"
	keys /
	wait_for "/ is not bound"
	assert_screen_lacks "filter alerts"

	step "n in Alerts is no note (m is); n and N stay the next match"
	keys n
	wait_for "n is not bound"
	assert_screen_lacks "note on"
	keys m
	wait_for "note on demo-"
	status_row "$rows" | grep -q "^note on demo-" ||
		fail "m is not the note: $(status_row "$rows")"
	keys Escape
}

for term in tmux-256color xterm-256color; do
	check_meanings 80 24 "$term"
	check_meanings 200 50 "$term"
done
pass
