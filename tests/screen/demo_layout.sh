#!/bin/bash
# demo_layout.sh: someone runs `sitrep --demo` in an 80x24 terminal and in
# a 200x50 one and sees the whole incident on one screen: the header with
# the environment and a UTC clock, the four panes with their titles, the
# firing alerts, the SLO burn rates, the suspect deploy (named by the
# paging SLO at any width, and by the alert and SLO rows when wide), logs
# streaming in, and the key hints on the last row, every pane where it
# belongs. At 80 columns an alert title that runs onto the next row
# breaks between words, or between the parts of a name too long to fit.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

# The rows of the pane whose title starts with TITLE, up to the next title
# or the status line.
pane_rows() {
	screen | awk -v t="$1" -v last="$(($2 - 1))" '
		NR - 1 == last { exit }
		inside && /^(▶| )[0-9] / { exit }
		inside { print }
		index($0, t) == 1 { inside = 1 }'
}

logs_changed() {
	[ "$(pane_rows ' 4 Logs' "$rows")" != "$logs_before" ]
}

# No row of the Alerts pane (ROWS) ends inside a part of
# CheckoutHighErrorRate: its last word, when the start of that name, is
# a whole number of its parts.
title_breaks_whole() {
	local row left last

	while IFS= read -r row; do
		left=${row%%│*}
		left=${left%"${left##*[! ]}"}
		last=${left##* }
		case CheckoutHighErrorRate: in
		"$last"*) ;;
		*) continue ;;
		esac
		case $last in
		Checkout|CheckoutHigh|CheckoutHighError|CheckoutHighErrorRate|CheckoutHighErrorRate:) ;;
		*) fail "a row ends inside \"CheckoutHighErrorRate\": $row" ;;
		esac
	done <<<"$1"
}

check_layout() {
	local cols=$1 rows=$2 row n sep_col col top_band

	step "At ${cols}x${rows} the user runs sitrep --demo"
	start_sitrep "$cols" "$rows" --demo
	wait_for "CheckoutHighError"

	step "the screen has exactly ${rows} rows, none wider than ${cols}"
	n=$(screen | wc -l)
	[ "$n" -eq "$rows" ] || fail "the capture has $n rows, not $rows"
	screen | while IFS= read -r row; do
		n=$(printf '%s' "$row" | wc -L)
		[ "$n" -le "$cols" ] || fail "a row is $n columns wide: $row"
	done || exit 1

	step "the header names the environment and shows a UTC clock"
	row=$(screen_row 0)
	# At 80 columns the word sitrep is the first thing the header drops
	# (sitrep(1)), so that the deploy's age stays whole.
	[[ $row == " sitrep demo |"* || ( $cols = 80 && $row == " demo |"* ) ]] ||
		fail "the header does not start with \" sitrep demo |\""
	[[ $row =~ [0-9][0-9]:[0-9][0-9]:[0-9][0-9]\ UTC$ ]] ||
		fail "the header does not end with the clock in UTC"

	step "the four panes have their titles, Alerts focused"
	assert_screen_has "▶1 Alerts  4 open, 2 unacknowledged"
	assert_screen_has " 2 SLO burn"
	assert_screen_has " 3 Deploys"
	assert_screen_has " 4 Logs"
	[[ $(screen_row 1) == "▶1 Alerts"* ]] ||
		fail "Alerts is not the first pane under the header"

	step "Alerts lists the demo's alerts under column headings"
	assert_screen_has "STAT  AGE  SERVICE      TITLE"
	pane_rows "▶1 Alerts" "$rows" |
	    grep -q '^‼  trig .* checkout .*⚑.*CheckoutHighError' ||
		fail "no critical triggered CheckoutHighErrorRate alert"

	if [ "$cols" = 80 ]; then
		step "a title that runs on breaks between words, or between a long name's parts"
		# "CheckoutHighErrorRate:" is wider than the title column (20):
		# it is cut, but after one of its parts, never inside one
		# ("CheckoutHighErrorR" / "ate: checkout").
		title_breaks_whole "$(pane_rows "▶1 Alerts" "$rows")"
		pane_rows "▶1 Alerts" "$rows" | grep -q '^ \{27\}Rate: checkout: 5xx' ||
			fail "CheckoutHighErrorRate's title does not run on at \"Rate\""
	fi

	# At 80 columns the 3d and 1d windows go before the names are cut
	# (sitrep(1), "What a narrow screen drops").
	if [ "$cols" = 80 ]; then
		nwin=5 windows="5m 30m 1h 2h 6h"
	else
		nwin=7 windows="5m 30m 1h 2h 6h 1d 3d"
	fi
	step "SLO burn shows checkout-availability with $nwin burn rates"
	pane_rows " 2 SLO burn" "$rows" | grep -Eq \
	    '^‼  checkout-availability +99\.9% +([0-9]+(\.[0-9]+)? +){'$nwin'}[0-9.]+%' ||
		fail "no paging checkout-availability row with $nwin burn" \
		    "rates and its budget"
	for w in $windows; do
		pane_rows " 2 SLO burn" "$rows" | head -1 | grep -qw -- "$w" ||
			fail "the SLO columns lack the $w window"
	done

	step "Deploys shows the suspect checkout v2.14.0 deploy"
	# At 80 columns the version goes before the lead on the alert.
	screen | grep -Eq '│⚑ +[0-9][0-9smhd]* checkout +(v2\.14\.0|6m before alert)' ||
		fail "no suspect (⚑) checkout v2.14.0 row in Deploys"
	assert_screen_has " 2 SLO burn  5 SLOs, 1 paging, 0 ticket  ⚑ suspect deploy checkout v2.14.0"

	step "the line between Alerts and Deploys is straight"
	top_band=$(pane_rows "▶1 Alerts" "$rows")
	sep_col=$(column_of "│" "$(screen_row 1)")
	[ "$sep_col" -gt 40 ] || fail "no separator on the title row"
	while IFS= read -r row; do
		col=$(column_of "│" "$row")
		[ "$col" -eq "$sep_col" ] ||
			fail "separator at column $col, not $sep_col, in: $row"
	done <<<"$top_band"
	col=$(column_of " 3 Deploys" "$(screen_row 1)")
	[ "$col" -eq $((sep_col + 1)) ] ||
		fail "Deploys title at column $col, not next to the separator"

	step "log lines stream into the Logs pane"
	pane_rows " 4 Logs" "$rows" | grep -qE ' (ERROR|INFO)  ?[a-zA-Z]' ||
		fail "the Logs pane shows no log lines"
	logs_before=$(pane_rows " 4 Logs" "$rows")
	eventually logs_changed || fail "the Logs pane did not change"

	step "the last row has the key hints"
	row=$(screen_row $((rows - 1)))
	[[ $row == " Tab pane  Enter detail "*" ? help "*" q quit"* ]] ||
		fail "the status line is \"$row\""
	stop_tmux
}

check_layout 80 24
check_layout 200 50

step "at 200 columns nothing is cut: full names, the burn sparkline"
start_sitrep 200 50 --demo
wait_for "inventory-availability"
assert_screen_has "checkout-availability"
assert_screen_has "CheckoutHighErrorRate: checkout: 5xx ratio"
assert_screen_has "1h BURN, LAST 24h"
assert_screen_has "no data (no traffic in any window)"

step "at 200 columns the alert and SLO rows name the suspect deploy"
pane_rows "▶1 Alerts" 50 |
    grep -Eq '^‼  trig .* checkout +⚑ checkout v2\.14\.0 CheckoutHighErrorRate:' ||
	fail "the checkout alert row does not name checkout v2.14.0"
pane_rows "▶1 Alerts" 50 | grep 'InventoryDiskUsage' | grep -qv '⚑' ||
	fail "the inventory alert is flagged"
assert_screen_has "EMPTY IN SUSPECT DEPLOY        1h BURN, LAST 24h"
pane_rows " 2 SLO burn" 50 |
    grep -Eq '^‼  checkout-availability .* ⚑ checkout v2\.14\.0 +[▁▂▃▄▅▆▇█]+$' ||
	fail "the paging SLO row does not name checkout v2.14.0"

step "their detail views say how long before the alert, or how long ago"
keys Enter
wait_for "suspect deploy: checkout v2.14.0 (6m before)"
keys Escape Tab Enter
wait_for "SLO checkout-availability"
screen | grep -Eq '^  suspect deploy: checkout v2\.14\.0 \(deployed [0-9hm]+ ago\)' ||
	fail "the SLO detail does not name the suspect deploy"
pass
