#!/bin/bash
# logs_row_style.sh: what the styles of a log row tell the engineer, with
# colour, without it (NO_COLOR) and on a vt100 (no dim: underline instead),
# at 200x50 and 80x24. The level word stands out without colour (bold
# ERROR); the message is plain; the fields after it are dim (underlined on
# a vt100), keys and values alike, one stretch: the = ends the key, and a
# key that holds a blank, an = or a quote is shown quoted ("user name"=ann),
# so that the first = is always the end of the key. On a vt100 the blanks
# between two fields are not underlined. The clock is dim, the labels cyan
# (dim or underlined without colour).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
. "$SRCDIR/tests/integration/loki_lib.sh"

start_fake --scenario fields
loki_config <<'EOF2'
query = {service=~"checkout|payments"}
EOF2

# check COLS ROWS TERM [NO_COLOR=1]
check() {
	local cols=$1 rows=$2 term=$3 quiet=2 row

	shift 3
	[ "$term" = vt100 ] && quiet=4
	step "${cols}x${rows}, TERM=$term $*"
	start_sitrep "$cols" "$rows" TERM="$term" "$@" --config "$CONFIG"
	keys 4 z
	wait_for "stream=payments-0"
	# checkout's lines only: all of them fit at 80x24.
	keys f 'pod=~"checkout-.*"' Enter
	wait_gone "stream=payments-0"
	wait_for "odd keys"

	step "a key with a blank or an = is quoted; the = ends every key"
	assert_screen_has 'INFO  odd keys "user name"=ann "a=b"=c'

	step "ERROR is bold, the message plain"
	row=$(row_of "payment authoriz")
	attr_at "$row" "ERROR" 1 || fail "ERROR is not bold"
	if [ $# -eq 0 ] && [ "$term" != vt100 ]; then
		attr_at "$row" "ERROR" 31 || fail "ERROR is not red"
	fi
	attr_at "$row" "payment authoriz" 1 && fail "the message is bold"
	attr_at "$row" "payment authoriz" $quiet &&
		fail "the message is drawn as the fields are"

	step "the fields after the message: keys and values alike"
	row=$(row_of "order placed")
	attr_at "$row" "order placed" $quiet &&
		fail "the message is drawn as the fields are"
	attr_at "$row" "order=" $quiet || fail "the key order= is not quiet"
	attr_at "$row" "1234" $quiet || fail "the value 1234 is not quiet"
	attr_at "$row" "0000aaaa" $quiet ||
		fail "the value of trace_id is not quiet"
	if [ "$term" = vt100 ]; then
		attr_at "$row" " trace_id=" 4 &&
			fail "the blank between two fields is underlined"
	fi

	step "the clock is quiet; the labels too, or cyan"
	attr_at "$row" "$(screen_row "$row" | cut -c1-12)" $quiet ||
		fail "the clock is not quiet"
	if [ $# -eq 0 ] && [ "$term" != vt100 ]; then
		attr_at "$row" "checkout-7f9c6d-x2" 36 ||
			fail "the labels are not cyan"
	else
		attr_at "$row" "checkout-7f9c6d-x2" $quiet ||
			fail "the labels are not quiet"
	fi
	return 0
}

for size in "200 50" "80 24"; do
	# shellcheck disable=SC2086
	check $size xterm-256color
	# shellcheck disable=SC2086
	check $size xterm-256color NO_COLOR=1
	# shellcheck disable=SC2086
	check $size vt100
done
pass
