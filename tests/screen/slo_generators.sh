#!/bin/bash
# slo_generators.sh: the SLO pane and detail view for SLOs that Pyrra and
# Sloth recorded (the real generated rules of
# tests/fixtures/slo-generators/, on a real Prometheus, without their
# alerting rules: sitrep evaluates their conditions).
#
# A lead opens the detail of a 14-day Pyrra SLO burning 10x on its short
# windows: it names Pyrra's windows, 3m ... 2d (not 5m ... 3d), Pyrra's
# conditions with their factors and for:, says that none holds and that
# sitrep evaluated them because Pyrra's alerting rules are not loaded; the
# row has no page mark. The column headers name the selected SLO's windows
# and mark with ~ the columns where rows differ. An SLO burning under 1x
# never runs out of budget. At 80x24 and 200x50, TERM=tmux-256color and
# xterm-256color.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
command -v prometheus >/dev/null 2>&1 ||
	skip "prometheus is not installed (apt-get install prometheus)"
python3 -c 'import yaml' 2>/dev/null ||
	skip "python3-yaml is not installed (apt-get install python3-yaml)"

HELPER=$SRCDIR/tests/integration/slo_gen_data.py
WORK=$TEST_TMP/slogen
mkdir -p "$WORK"
PROM_PID=
trap '[ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null; cleanup' EXIT

NOW=$(( $(date +%s) / 60 * 60 ))
python3 "$HELPER" write "$WORK/a" a --now "$NOW" || fail "cannot write the data"
read -r PORT PROM_PID < <(python3 "$HELPER" start "$WORK/a") ||
	fail "prometheus did not start"
[ -n "$PORT" ] || fail "prometheus did not start"
cat >"$XDG_CONFIG_HOME/sitrep.conf" <<EOF
[sitrep]
environment = prod

[prometheus]
url = http://127.0.0.1:$PORT
discover = sloth, pyrra
time = $NOW
EOF

OPERATOR=monitoring-prometheus-operator-errors

# select NAME: move the SLO pane's selection onto the row naming NAME.
select_slo() {
	local i row

	for i in $(seq 1 20); do
		row=$(row_of "${1:0:16}")
		[ "$row" -ge 0 ] && row_is_reverse "$row" && return 0
		keys j
		sleep 0.1
	done
	fail "cannot select $1"
}

for term in tmux-256color xterm-256color; do
	for size in "200 50" "80 24"; do
		read -r cols rows <<<"$size"
		step "$term ${cols}x${rows}: the 14-day Pyrra SLO's detail names its windows and conditions"
		start_sitrep "$cols" "$rows" TERM="$term" \
		    --config "$XDG_CONFIG_HOME/sitrep.conf"
		wait_for "prometheus ok"
		keys 2
		wait_for "12 SLOs"
		select_slo "$OPERATOR"
		row=$(screen_row "$(row_of "${OPERATOR:0:16}")")
		[[ $row != *"‼"* && $row != *"▲"* ]] ||
			fail "the 14-day Pyrra SLO is marked: $row"
		# The headers name the selected SLO's windows, ~ where others
		# differ (5m under this one's 3m, for one).
		if [ "$cols" -ge 200 ]; then
			hdr=$(screen | grep -m1 -E '^ +SLO +OBJ')
			[[ $hdr =~ ~3m.*~15m.*30m.*1h.*~3h.*~12h.*~2d ]] ||
				fail "the headers do not name 3m ... 2d: $hdr"
		fi
		keys Enter
		wait_for "SLO $OPERATOR"
		assert_screen_has "condition: none"
		assert_screen_has "alert: none (from the generator's conditions"
		assert_screen_has "3m "
		assert_screen_has "2d "
		assert_screen_has "0.100000 / 0.010000 = 10.00"
		assert_screen_lacks "5m   "
		# At 80x24 the rest is further down.
		for i in 1 2 3 4 5 6 7 8 9 10; do keys j; done
		wait_for "ticket when 2d and 3h both > 1, for 1h30m: does not hold"
		assert_screen_has "page   when 30m and 3m both > 14, for 1m: does not hold"
		if [ "$cols" -ge 200 ]; then
			assert_screen_has "Pyrra's conditions for a 14d window"
			assert_screen_has "Pyrra's alerting rules for this SLO are not loaded"
		fi
		keys Escape
		wait_gone "SLO $OPERATOR"

		step "$term ${cols}x${rows}: a steady 0.2x never runs out"
		select_slo up-targets
		keys Enter
		wait_for "SLO up-targets"
		for i in 1 2 3 4 5 6 7 8 9 10; do keys j; done
		wait_for "gone in: never at this burn"
		keys Escape
		wait_gone "SLO up-targets"
	done
done

pass
