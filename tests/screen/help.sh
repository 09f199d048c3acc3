#!/bin/bash
# help.sh: a new user presses ? to learn the keys, at 80x24 and 200x50,
# under TERM=tmux-256color and xterm-256color. The focused pane's keys
# come first; a command's keys share one line ("j Down  down"); keys read
# as people write them (S-Tab, PgDn, C-d, Esc), never as curses names
# (BTab, NPage); long help wraps between words, under its own column;
# / searches the help, n goes on to the next match.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

# The help's rows: from under the title to above the status line.
help_rows() {
	screen | sed -n "3,$(($1 - 1))p"
}

# Every page of the help into FILE, from the top: g, then PgDn until the
# title's position says the last line is shown ("58-67 of 67").
help_pages() {
	local pos top i

	: >"$2"
	keys g
	eventually eval '[[ "$(screen_row 1)" == *" 1-"* ]]' ||
		fail "g did not go to the top of the help"
	for i in $(seq 1 20); do
		help_rows "$1" >>"$2"
		pos=$(screen_row 1 | sed -n 's/.* [0-9]*-\([0-9]*\) of \([0-9]*\) *$/\1 \2/p')
		[ -z "$pos" ] && return
		[ "${pos% *}" = "${pos#* }" ] && return
		top=$(screen_row 1)
		keys PgDn
		eventually eval '[ "$(screen_row 1)" != "$top" ]' ||
			fail "PgDn did not page the help"
	done
}

# The text of the help entry whose first row holds TEXT: that row and
# the rows that continue it (indented further than a key would be),
# joined by single blanks.
entry_text() {
	screen | awk -v t="$1" '
		found && /^            +[^ ]/ { sub(/^ +/, ""); out = out " " $0; next }
		found { exit }
		index($0, t) { found = 1; out = $0 }
		END { gsub(/  +/, " ", out); sub(/^ /, "", out); print out }'
}

check_help() {
	local cols=$1 rows=$2 term=$3 row text

	step "At ${cols}x${rows}, TERM=$term: ? in the Logs pane"
	start_sitrep "$cols" "$rows" "TERM=$term" --demo
	wait_for "CheckoutHighError"
	keys 4
	wait_for "▶4 Logs"
	keys ?
	wait_for "sitrep help"
	# The legend names every symbol a row can carry, the unknown one too.
	assert_screen_has "? unknown"

	step "the Logs pane's keys come first, before those of everywhere"
	row=$(help_rows "$rows" | grep -v '^ *$' | sed -n 2p)
	[[ $row == *"In the Logs pane (it has the focus)"* ]] ||
		fail "the help does not start with the Logs pane: \"$row\""

	step "/ searches the help: j and Down share the line of down"
	keys /
	wait_for "search the help:"
	keys -l "select the next row"
	keys Enter
	wait_for "/select the next row: match 1 of 1"
	screen | grep -Eq '^ +j Down +down +select the next row' ||
		fail "j and Down are not on one line for down"
	row=$(row_of "select the next row")
	[ "$row" -ge 2 ] || fail "the match is not in the help"
	row_is_reverse "$row" || fail "the match is not highlighted"
	row_is_reverse "$((row - 1))" && fail "the line above is highlighted"

	step "the keys read as people write them"
	keys / C-u
	keys -l "focus-prev"
	keys Enter
	wait_for "/focus-prev: match"
	screen | grep -Eq '^ +S-Tab +focus-prev ' ||
		fail "focus-prev is not shown as S-Tab"
	for text in "PgDn C-d +page-down" "PgUp C-u +page-up" "Esc +close"; do
		screen | grep -Eq "^ +$text " || fail "no line \"$text\""
	done
	keys / C-u
	keys -l "term-scroll"
	keys Enter
	wait_for "/term-scroll: match 1 of 2"
	assert_screen_has "S-PgUp"
	keys n
	wait_for "/term-scroll: match 2 of 2"
	assert_screen_has "S-PgDn"
	keys N
	wait_for "/term-scroll: match 1 of 2"
	step "no page of the help names a key by its curses name"
	help_pages "$rows" "$TEST_TMP/help.txt"
	grep -q "quit sitrep" "$TEST_TMP/help.txt" ||
		fail "paging did not reach the end of the help"
	for text in BTab NPage PPage SPPage SNPage Escape BSpace; do
		grep -Eq "(^| )$text( |\$)" "$TEST_TMP/help.txt" &&
			fail "the help shows the curses name $text"
	done

	step "a long help text wraps between words, under its own column"
	keys / C-u
	keys -l "reassign the selected"
	keys Enter
	wait_for "/reassign the selected: match"
	text=$(entry_text "reassign the selected")
	[[ $text == *"reassign the selected incident to a user id, or escalate it to a level (PagerDuty)" ]] ||
		fail "the reassign entry is cut mid-word: \"$text\""
	keys / C-u
	keys -l "silence the selected"
	keys Enter
	wait_for "/silence the selected: match"
	text=$(entry_text "silence the selected")
	[[ $text == *"silence the selected alert by its labels, after showing the silence (Alertmanager)" ]] ||
		fail "the silence entry is cut mid-word: \"$text\""

	step "text that is nowhere in the help says so"
	keys / C-u
	keys -l "xyzzy"
	keys Enter
	wait_for "/xyzzy: not in the help"

	step "Esc closes the help; ? from Alerts starts with the Alerts pane"
	keys Escape
	wait_gone "sitrep help"
	keys 1 ?
	wait_for "sitrep help"
	row=$(help_rows "$rows" | grep -v '^ *$' | sed -n 2p)
	[[ $row == *"In the Alerts pane (it has the focus)"* ]] ||
		fail "the help does not start with the Alerts pane: \"$row\""
}

for term in tmux-256color xterm-256color; do
	check_help 80 24 "$term"
	check_help 200 50 "$term"
done
pass
