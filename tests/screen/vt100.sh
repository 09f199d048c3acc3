#!/bin/bash
# vt100.sh: sitrep(1) says every style has an attribute that works on a
# monochrome terminal. A vt100 has bold, underline and reverse but no dim:
# there the quiet rows (an acknowledged alert, an info alert) must still
# look different from a triggered one, so they are underlined. Where the
# terminal can dim (xterm-256color), they stay dim. At 80x24 and 200x50.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

# attr_at ROW TEXT CODE: is SGR attribute CODE (1 bold, 2 dim, 4 underline,
# 7 reverse) in force where TEXT begins on ROW of `screen -e`? The SGR
# sequences are replayed from the top of the screen, as a terminal would.
attr_at() {
	screen -e | awk -v want="$1" -v text="$2" -v code="$3" '
		function sgr(s,   p, n, i) {
			n = split(s, p, ";")
			if (n == 0)
				delete on
			for (i = 1; i <= n; i++) {
				if (p[i] == "" || p[i] == 0) {
					delete on
				} else if (p[i] == 38 || p[i] == 48) {
					i += p[i + 1] == 5 ? 2 : 4
				} else if (p[i] >= 21 && p[i] <= 29) {
					delete on[p[i] == 22 ? 1 : p[i] - 20]
					if (p[i] == 22)
						delete on[2]
				} else
					on[p[i] + 0] = 1
			}
		}
		function replay(s) {
			while (match(s, /\033\[[0-9;]*m/)) {
				sgr(substr(s, RSTART + 2, RLENGTH - 3))
				s = substr(s, RSTART + RLENGTH)
			}
		}
		NR - 1 == want {
			at = index($0, text)
			if (at == 0)
				exit 2
			replay(substr($0, 1, at - 1))
			found = 1
			exit
		}
		{ replay($0) }
		END { exit !(found && (code in on)) }'
}

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
