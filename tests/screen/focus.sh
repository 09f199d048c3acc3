#!/bin/bash
# focus.sh: one thing has the keyboard, and it is on the screen. Under both
# TERMs, at 80x24 and 200x50, the on-call engineer:
# - opens a deploy's detail and presses r there: the rollback question
#   comes, as from the pane (before: "r is not bound");
# - reads the focused pane's own keys on the status line;
# - runs the rollback (six seconds): while it runs only the action
#   terminal is marked ▶
#   and the status line gives its keys, not "q quit"; once it ended, q
#   closes it and Deploys has the focus again;
# - opens a shell, leaves it with C-], presses 4: the Logs pane, which the
#   terminal covered, is on the screen with the focus (before: no ▶ at all
#   and keys went to the hidden Logs); t brings the terminal back;
# - clicks a pane while the terminal has the keyboard: the pane gets it;
# - leaves the terminal with a pane focused whose selected row it would
#   cover: the pane's rows end above it, the selection in sight;
# - presses keys while the terminal is too small: nothing happens that
#   the screen could not show; a question asked before is still answered.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

T=$TEST_TMP
K=$SRCDIR/tests/fakes/fake-kubectl
NOW=$(date +%s)
printf '{%s, %s, %s, %s, "at": %d, %s, %s}\n' '"service": "checkout"' \
	'"version": "v2.14.0"' '"revision": "a1b2c3d"' \
	'"previous_revision": "9f8e7d6"' $((NOW - 900)) '"author": "maria"' \
	'"environment": "staging"' >"$T/deploys.jsonl"
cat >"$T/config" <<EOF
[sitrep]
environment = staging
audit_log = $T/audit.log

[deploys]
command = cat '$T/deploys.jsonl'

[rollback "*"]
command = sh '$K' rollout undo deployment/\$service
EOF

marks() {
	screen | grep -o '▶' | wc -l
}

one_mark() {
	[ "$(marks)" -eq 1 ] || fail "$(marks) things are marked ▶"
}

focused_is() {
	wait_for "▶$1"
	one_mark
}

status_line() {
	screen_row $(($1 - 1))
}

click() {
	local at="$(($1 + 1));$(($2 + 1))"

	keys -l $'\e[<0;'"${at}M"$'\e[<0;'"${at}m"
}

for term in ${TERMS:-tmux-256color xterm-256color}; do
	for size in 80x24 200x50; do
		cols=${size%x*} rows=${size#*x}
		: >"$T/argv.log"

		step "TERM=$term, $size: Deploys has the focus"
		start_sitrep "$cols" "$rows" "TERM=$term" SHELL=/bin/sh \
			FAKE_LOG="$T/argv.log" FAKE_SLEEP=6 --config "$T/config"
		wait_for "v2.14.0"
		keys 3
		focused_is "3 Deploys"

		step "$term $size: r in the deploy's detail asks to roll back"
		keys Enter
		wait_for "rollback (r)"
		one_mark		# the detail's title
		[[ $(screen_row 1) == "▶deploy checkout"* ]] ||
			fail "the detail's title is not marked"
		[[ $(status_line "$rows") == *"r rollback"* ]] ||
			fail "the detail's status line lacks r rollback"
		keys r
		wait_for "Roll back checkout in staging?"
		assert_screen_lacks "is not bound"
		keys Escape
		wait_for "rollback cancelled: nothing ran"

		step "$term $size: while the rollback runs, only it is marked"
		keys r
		wait_for "y rolls back"
		keys y
		wait_for "rolling back (3 arguments)"
		wait_for "▶ rollback checkout"
		one_mark
		[[ $(status_line "$rows") == *"C-] console"* ]] ||
			fail "the status line does not give the terminal's keys"
		[[ $(status_line "$rows") != *"q quit"* ]] ||
			fail "q quit on the status line; q goes to the terminal"
		wait_for "exited 0 after"
		one_mark
		[[ $(status_line "$rows") != *"q quit"* ]] ||
			fail "q quit on the status line; q closes the terminal"
		keys q
		focused_is "3 Deploys"
		# (once the message about the rollback's end has gone)
		eventually eval '[[ $(status_line "$rows") == *"q quit"* ]]' ||
			fail "the console's keys are not back"
		[[ $(status_line "$rows") == *" r rollback "* ]] ||
			fail "the status line lacks the Deploys pane's keys"

		step "$term $size: ! C-] 4: Logs is shown and has the focus"
		keys '!'
		wait_for "▶ shell"
		one_mark
		keys C-]
		focused_is "3 Deploys"
		assert_screen_lacks " 4 Logs"		# under the terminal
		keys 4
		focused_is "4 Logs"
		assert_screen_lacks "shell for"
		keys Tab
		focused_is "1 Alerts"
		[[ $(status_line "$rows") == *"t terminal"* ]] ||
			fail "the status line lacks t terminal"

		step "$term $size: t shows the terminal; a click takes the keys"
		keys t
		wait_for "▶ shell"
		one_mark
		click 2 3
		focused_is "1 Alerts"
		keys t
		wait_for "▶ shell"
		keys -l "exit"
		keys Enter
		wait_for "exited 0 after"
		keys q
		focused_is "1 Alerts"

		step "$term $size: too small, keys do nothing unseen"
		keys 3
		focused_is "3 Deploys"
		resize 60 20
		wait_for "terminal too small"
		keys r
		sleep 1
		resize "$cols" "$rows"
		wait_gone "terminal too small"
		focused_is "3 Deploys"
		assert_screen_lacks "y rolls back"

		step "$term $size: a question asked before is answered"
		keys r
		wait_for "y rolls back"
		resize 60 20
		wait_for "terminal too small"
		assert_screen_has "y rolls back"
		keys Escape
		wait_for "rollback cancelled"
		resize "$cols" "$rows"
		wait_gone "terminal too small"
		[ "$(grep -c '^run ' "$T/argv.log")" -eq 1 ] ||
			fail "not exactly one rollback ran"
		stop_tmux
	done
done

step "80x24: the terminal covers SLO's last row; its selection stays in sight"
start_sitrep 80 24 SHELL=/bin/sh --demo
wait_for "frontend-availabi"
keys 2 G
focused_is "2 SLO burn"
wait_for "inventory-availab"
keys '!'
wait_for "▶ shell"
keys C-]
focused_is "2 SLO burn"
y=$(row_of "inventory-availab")
[ "$y" -ge 0 ] || fail "the selected SLO is under the terminal"
[ "$y" -lt "$(row_of "shell for")" ] ||
	fail "the selected SLO is below the terminal's title"
row_is_reverse "$y" || fail "the selected SLO is not shown selected"
keys t
keys -l "exit"
keys Enter
wait_for "exited 0 after"
pass
