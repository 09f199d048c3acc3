#!/bin/bash
# rollback_vanish.sh: the on-call engineer asks to roll back checkout, and
# before she answers, checkout vanishes from the deploy list. The question
# is cancelled with a message naming the deploy, her y runs nothing, and
# the highlight moves to its neighbour (the deploy below it), so that r
# asks about that one. A question about a deploy that stays is not
# cancelled by newer deploys arriving.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
. "$SRCDIR/tests/screen/deploys_lib.sh"

for size in "80 24 xterm-256color" "200 50 tmux-256color"; do
	set -- $size
	rm -f "$T/argv.log" "$T/listed"
	deploys notifications checkout search

	step "${1}x$2 $3: Deploys focused, checkout selected"
	start_sitrep "$1" "$2" "TERM=$3" FAKE_LOG="$T/argv.log" \
		--config "$T/config"
	wait_for "v2.14.0"
	keys 3 j
	keys r
	wait_for "Roll back checkout"

	step "checkout vanishes while asked about: cancelled, and said"
	deploys notifications search
	wait_for "rollback cancelled: nothing ran (deploy checkout v2.14.0 is gone)"
	assert_screen_lacks "Roll back checkout"
	keys y
	sleep 0.5
	[ "$(runs)" = 0 ] || fail "a y after the cancel ran something"

	step "the highlight went to its neighbour: r asks about search"
	keys r
	wait_for "Roll back search"
	keys Escape
	wait_for "rollback cancelled: nothing ran"

	step "a question about a deploy that stays is not cancelled"
	keys r
	wait_for "Roll back search"
	deploys checkout notifications search
	wait_listed_twice
	assert_screen_has "Roll back search"
	keys Escape
	wait_for "rollback cancelled: nothing ran"
	[ "$(runs)" = 0 ] || fail "something ran"
done
pass
