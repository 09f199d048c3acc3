#!/bin/bash
# rollback_item.sh: the highlight is on an item, not on a row. The on-call
# engineer focuses the Deploys pane (the highlight on checkout, the newest
# deploy) and asks to roll it back; while the question is open a newer
# deploy arrives above it. y rolls back checkout, the deploy the question
# named, and afterwards the highlight is still on checkout, so that r asks
# about checkout again. When the deploy the question is about vanishes
# from the list, the question is cancelled with a message naming it,
# nothing runs, and the highlight moves to its neighbour.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
. "$SRCDIR/tests/screen/deploys_lib.sh"

for size in "80 24 xterm-256color" "200 50 tmux-256color"; do
	set -- $size
	rm -f "$T/argv.log" "$T/listed"
	deploys checkout search

	step "${1}x$2 $3: Deploys focused, the highlight on checkout"
	start_sitrep "$1" "$2" "TERM=$3" FAKE_LOG="$T/argv.log" \
		--config "$T/config"
	wait_for "v2.14.0"
	keys 3
	wait_for "▶3 Deploys"

	step "r asks about checkout; a newer deploy arrives meanwhile"
	keys r
	wait_for "Roll back checkout"
	deploys notifications checkout search
	wait_listed_twice
	assert_screen_has "Roll back checkout"

	step "y rolls back checkout, the deploy the question named"
	keys y
	wait_for "exited 0 after"
	[ "$(runs)" = 1 ] || fail "it ran $(runs) times"
	grep -qx 'arg<deployment/checkout>' "$T/argv.log" ||
		fail "not checkout rolled back: $(cat "$T/argv.log")"
	! grep -q 'notifications' "$T/argv.log" ||
		fail "notifications was rolled back"

	step "the highlight stayed on checkout: r asks about checkout again"
	sleep 0.5	# keys in the 250 ms after y are dropped (sitrep(1))
	keys q
	wait_gone "exited 0 after"
	keys r
	wait_for "Roll back checkout v2.14.0 in staging?"

done
pass
