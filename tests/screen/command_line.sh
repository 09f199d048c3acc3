#!/bin/bash
# command_line.sh: the on-call engineer runs commands by name from the
# : prompt in the demo, at 80x24 and 200x50: Tab completes a command's
# name (and lists the candidates when several fit) and a pane's name after
# focus; Enter runs it; Up recalls it; a pane's command typed elsewhere
# focuses its pane and acts there; a command takes its arguments; an
# unknown name says so; a key bound only in another pane names the
# command to type; :bind and :unbind change a key for the session; the
# help lists the command line.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

focused_is() {
	wait_for "▶$1"
	[ "$(screen | grep -c '▶')" -eq 1 ] || fail "more than one ▶"
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

# The command line reads TEXT (its own keys may follow, after spaces).
prompt_is() {
	local row

	row=$(screen_row $((rows - 1)))
	[[ $row == "$1" || $row == "$1  "* ]]
}

last_row() {
	screen_row $(($1 - 1))
}

# Each size under the other TERM: tmux-256color at 80x24, xterm at 200x50.
for size in 80x24:tmux-256color 200x50:xterm-256color; do
	term=${size#*:} size=${size%:*}
	cols=${size%x*} rows=${size#*x}

	step "$size, TERM=$term: the demo runs; the status line says : runs a command"
	start_sitrep "$cols" "$rows" "TERM=$term" --demo
	wait_for "CheckoutHighError"
	focused_is "1 Alerts"
	[[ $(last_row "$rows") == *": command"* ]] ||
		fail "the status line does not offer the command line"

	step "$size: :fo Tab lists; c Tab completes focus, l Tab logs"
	keys :
	eventually prompt_is ":" || fail "no : prompt on the status line"
	keys_said="Tab completes  Up earlier  Esc cancels"
	[[ $(last_row "$rows") == *"$keys_said" ]] ||
		fail "the command line does not say its keys"
	keys -l "fo"
	keys Tab
	list=":fo  focus focus-next focus-prev follow"
	eventually eval '[[ $(last_row "$rows") == "$list"* ]]' ||
		fail "Tab did not list the commands that begin with fo"
	keys -l "c"
	keys Tab
	list=":focus  focus focus-next focus-prev"
	eventually eval '[[ $(last_row "$rows") == "$list"* ]]' ||
		fail "Tab did not complete focus"
	keys Space
	keys -l "l"
	keys Tab
	eventually prompt_is ":focus logs" ||
		fail "Tab did not complete the pane's name"
	keys Enter
	focused_is "4 Logs"

	step "$size: : Up recalls the line; Escape leaves it unrun"
	keys 1
	focused_is "1 Alerts"
	keys : Up
	eventually prompt_is ":focus logs" ||
		fail "Up did not recall the last command line"
	keys Escape
	eventually eval '[[ $(last_row "$rows") == *"q quit"* ]]' ||
		fail "Escape did not close the command line"
	focused_is "1 Alerts"

	step "$size: a pane's command typed in Alerts focuses its pane"
	keys :
	keys -l "rollback"
	keys Enter
	wait_for "Roll back checkout"
	keys Escape
	focused_is "3 Deploys"

	step "$size: a command takes its arguments: down 2, up 2"
	keys 1
	focused_is "1 Alerts"
	first=$(row_of "CheckoutHighError")
	row_is_reverse "$first" || fail "the first alert is not selected"
	keys :
	keys -l "down 2"
	keys Enter
	eventually eval '! row_is_reverse "$first"' ||
		fail ":down 2 did not move the selection"
	keys :
	keys -l "up 2"
	keys Enter
	eventually row_is_reverse "$first" ||
		fail ":up 2 did not bring the selection back"

	step "$size: unknown names; keys bound elsewhere name their command"
	keys :
	keys -l "nosuch thing"
	keys Enter
	wait_for 'no command "nosuch": Tab completes names, ? lists them'
	keys r
	wait_for "r is not bound here; in Deploys it is :rollback"

	step "$size: :bind binds a key for the session; :unbind takes it away"
	keys :
	keys -l "bind -T deploys R rollback"
	keys Enter
	wait_for "bind -T deploys R rollback (for this session"
	keys 3
	focused_is "3 Deploys"
	keys R
	wait_for "Roll back checkout"
	keys Escape
	focused_is "3 Deploys"
	keys :
	keys -l "bind X no-such-command"
	keys Enter
	wait_for 'bind: unknown command "no-such-command"'
	keys :
	keys -l "unbind -T deploys R"
	keys Enter
	wait_for "unbind -T deploys R (for this session"
	keys R
	wait_for "R is not bound"
	keys 1

	step "$size: another prompt says its keys too"
	keys f
	wait_for "filter alerts"
	[[ $(last_row "$rows") == *"Enter accepts  Esc cancels" ]] ||
		fail "the prompt does not say its keys"
	keys Escape
	wait_gone "filter alerts"

	step "$size: the help lists the command line"
	keys '?'
	wait_for "sitrep help"
	page_to "command-prompt"
	stop_tmux
done
pass
