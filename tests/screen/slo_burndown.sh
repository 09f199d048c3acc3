#!/bin/bash
# slo_burndown.sh: a lead opens the detail of an SLO (Sloth's, from
# tests/fakes/prom_slos.py: its budget falls from 90% to 40% over whatever
# range is asked, its 1h burn is 20x over the range's sixth tenth) and sees
# the budget burndown over the SLO window drawn in block characters, a D
# where its service deployed (the deploy command), the episode marked and
# listed with its peak and the deploy under it; p cycles the period (24h,
# 7d, 30d unless that is the window, back to the window), each fetched
# and drawn. At 80x24 and
# 200x50, with colour and without (NO_COLOR): the chart is characters.
# The demo's checkout SLO draws its burndown over 30 days, 24h and 7d alike,
# from the left edge of the chart, with its earlier episode.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

FAKE=$SRCDIR/tests/fakes/prom_slos.py
python3 "$FAKE" 20 >"$TEST_TMP/fake.port" 2>"$TEST_TMP/fake.log" &
FAKE_PID=$!
trap 'kill "$FAKE_PID" 2>/dev/null; cleanup' EXIT
TIMEOUT=10 eventually test -s "$TEST_TMP/fake.port" || fail "no fake"
NOW=$(date +%s)
# Inside the burn of the 30-day window: 15 days ago, plus an hour.
printf '{"service":"svc-000","version":"v7.1","at":%d}\n' \
    $((NOW - 15 * 86400 + 3600)) >"$TEST_TMP/deploys.jsonl"
cat >"$XDG_CONFIG_HOME/sitrep.conf" <<EOF
[prometheus]
url = http://127.0.0.1:$(head -1 "$TEST_TMP/fake.port")
discover = sloth

[deploys]
command = cat '$TEST_TMP/deploys.jsonl'
EOF

# bottom_has TEXT: the end of the detail shows TEXT (G each try: the
# detail grows when the history arrives).
bottom_has() {
	keys G
	screen_has "$1"
}

wait_bottom() {
	TIMEOUT=10 eventually bottom_has "$1" ||
		fail "\"$1\" did not appear at the end of the detail"
}

# The chart's rows: the top one (100%) has a partial block, the bottom
# ones full blocks (UTF-8 locale).
chart_drawn() {
	keys G
	screen | grep -q '^ *100% |' &&
	    screen | grep -Eq '^ +0% \|█{60}$' &&
	    screen | grep -Eq '^ +\|█+[▁▂▃▄▅▆▇]'
}

for size in "80 24" "200 50 NO_COLOR=1"; do
	read -r cols rows nocolor <<<"$size"

	step "${cols}x$rows ${nocolor:-colour}: the detail draws the window's burndown"
	start_sitrep "$cols" "$rows" $nocolor \
	    --config "$XDG_CONFIG_HOME/sitrep.conf"
	wait_for "20 SLOs"
	keys 2 f
	wait_for "filter SLOs"
	keys "name=slo-0001" Enter
	wait_for "1 shown"
	keys Enter
	wait_for "SLO slo-0001"
	wait_bottom "last 30d: budget 90.0% -> 40.0%"
	TIMEOUT=5 eventually chart_drawn || fail "no chart"
	assert_screen_has " marks |                              D"
	assert_screen_has " burns |                              ======"
	screen | grep -Eq '^ +episode [0-9-]+ [0-9:]+ \.\. [0-9-]+ [0-9:]+  peak 20\.0x  used 200\.0%  page$' ||
		fail "the episode is not listed with its peak and use"
	assert_screen_has "deploy v7.1"
	if [ -n "$nocolor" ]; then
		! screen_uses_colour || fail "NO_COLOR: the screen uses colour"
	fi

	step "${cols}x$rows: p cycles 24h, 7d, 30d and back to the window"
	for period in 1d 7d; do
		keys p
		wait_bottom "last $period: budget 90.0% -> 40.0%"
		TIMEOUT=5 eventually chart_drawn || fail "no chart over $period"
		screen | grep -Eq '^ +episode .*  peak 20\.0x  ' ||
			fail "no episode over $period"
	done
	# 30d is the SLO's window: p passes over it, the same chart twice.
	keys p
	wait_for "burndown over window"
	wait_bottom "last 30d: budget 90.0% -> 40.0%"
	keys p
	wait_for "burndown over 24h"
	stop_tmux
done

step "200x50, two environments shown: another's deploy of the service explains nothing"
printf '{"service":"svc-000","version":"v9.9-staging","at":%d}\n' \
    $((NOW - 15 * 86400 + 3000)) >"$TEST_TMP/deploys-staging.jsonl"
cat >>"$XDG_CONFIG_HOME/sitrep.conf" <<EOF

[deploys "deploys-staging"]
command = cat '$TEST_TMP/deploys-staging.jsonl'
environment = staging
EOF
start_sitrep 200 50 --config "$XDG_CONFIG_HOME/sitrep.conf"
wait_for "20 SLOs"
wait_for "v9.9-stag"
keys 2 f
wait_for "filter SLOs"
keys "name=slo-0001" Enter
wait_for "1 shown"
keys Enter
wait_for "SLO slo-0001"
wait_bottom "last 30d: budget 90.0% -> 40.0%"
assert_screen_has "deploy v7.1"
assert_screen_lacks "deploy v9.9-staging"
stop_tmux

# The demo's SLOs have a past: the burndown of every period is drawn from
# its left edge (every column has budget), with the earlier episode a
# deploy explains. Before, the demo kept no history. Its detail is longer
# than the screen: scroll_to scrolls it from the top, a line at a time,
# until every pattern given is on the screen at once.
scroll_to() {
	local i p ok

	keys g
	for i in $(seq 70); do
		ok=1
		for p in "$@"; do
			screen | grep -Eq -- "$p" || { ok=0; break; }
		done
		[ "$ok" = 1 ] && return 0
		keys j
	done
	return 1
}

# demo_chart PERIOD: the burndown of PERIOD, its chart from 100% to a
# bottom row of 60 full blocks: budget in every column, the first too.
demo_chart() {
	scroll_to "last $1: budget [0-9.]+% -> [0-9.]+%" '^ *100% \|' \
	    '^ +0% \|█{60}$'
}

for size in "80 24" "200 50"; do
	read -r cols rows <<<"$size"

	step "${cols}x$rows sitrep --demo: checkout's burndown reaches back over every period"
	start_sitrep "$cols" "$rows" --demo
	wait_for "checkout-availability"
	keys 2 g Enter
	wait_for "SLO checkout-availability"
	TIMEOUT=10 eventually demo_chart 30d ||
		fail "the demo's chart over 30d does not reach its left edge"
	assert_screen_has "-> 62.7%"
	for period in 1d 7d 30d; do
		keys p
		wait_for "burndown over"
		TIMEOUT=10 eventually demo_chart $period ||
			fail "the demo's chart over $period does not reach its left edge"
		# Over 24h the suspect deploy (v2.14.0, 6m before the first
		# alert) falls in the alert's column: its D is the mark shown.
		if [ $period = 1d ]; then
			scroll_to '^ +marks \|.*D' '^ +deploy v2\.14\.0$' ||
				fail "over 24h the marks row has no D: $(screen | grep 'marks |')"
		fi
	done
	# Four days ago v2.13.0 paged until v2.13.1 reverted it: an episode
	# with the deploy under it.
	TIMEOUT=10 eventually scroll_to '^ +episode .*  page$' \
	    '^ +deploy v2\.13\.0$' ||
		fail "no earlier paging episode with its deploy over 30 days"
	screen | grep -A1 -E '^ +episode .*  page$' |
	    grep -Eq '^ +deploy v2\.13\.0$' ||
		fail "v2.13.0 is not under a paging episode"
	stop_tmux
done

pass
