#!/bin/bash
# vt100.sh: sitrep(1) says every style has an attribute that works on a
# monochrome terminal. A vt100 has bold, underline and reverse but no dim:
# there the quiet rows (an acknowledged alert, an info alert) must still
# look different from a triggered one, so they are underlined. Where the
# terminal can dim (xterm-256color), they stay dim. At 80x24 and 200x50.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

check_vt100() {
	local cols=$1 rows=$2 row

	step "At ${cols}x${rows}, TERM=vt100: the demo"
	start_sitrep "$cols" "$rows" TERM=vt100 --demo
	wait_for "CheckoutErrorBudg"

	step "the acknowledged alert is underlined; the triggered one is not"
	keys j j
	row=$(row_of "CheckoutErrorBudg")
	screen_row "$row" | grep -q " ack " ||
		fail "CheckoutErrorBudgetBurn is not the acknowledged alert"
	attr_at "$row" "CheckoutErrorBudg" 4 ||
		fail "the acknowledged row has no attribute on a vt100"
	row=$(row_of "CheckoutHighError")
	attr_at "$row" "CheckoutHighError" 4 &&
		fail "the triggered row is underlined too"

	step "the info alert's symbol is underlined"
	row=$(screen | awk '/^ *(●|i) / { print NR - 1; exit }')
	[ -n "$row" ] || fail "no info alert on the screen"
	attr_at "$row" "$(screen_row "$row" | sed 's/^ *\([^ ]*\).*/\1/')" 4 ||
		fail "the info symbol has no attribute on a vt100"

	step "with TERM=xterm-256color the acknowledged row is dim instead"
	start_sitrep "$cols" "$rows" TERM=xterm-256color NO_COLOR=1 --demo
	wait_for "CheckoutErrorBudg"
	keys j j
	row=$(row_of "CheckoutErrorBudg")
	attr_at "$row" "CheckoutErrorBudg" 2 ||
		fail "the acknowledged row is not dim where the terminal dims"
	attr_at "$row" "CheckoutErrorBudg" 4 &&
		fail "the acknowledged row is underlined where dim works"
	return 0
}

check_vt100 80 24
check_vt100 200 50
pass
