#!/bin/bash
# slo_sort_filter.sh: a lead opens sitrep on a Prometheus holding 2,000
# SLOs recorded by Sloth (tests/fakes/prom_slos.py, figures fixed by each
# SLO's number) and reviews them: o cycles the order (by burn: the 99x
# slo-1234 first; by budget and by EMPTY IN: the overspent slo-0007 first;
# by name: slo-0000 first; back to urgency), the title saying which; f
# filters by a label and a part of the service (team=payments svc-12:
# exactly the SLOs that match both), by service=, and an empty filter
# shows all 2,000 again with the selection still on the SLO it was on. At
# 80x24 (xterm-256color) and 200x50 (tmux-256color).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

FAKE=$SRCDIR/tests/fakes/prom_slos.py
python3 "$FAKE" 2000 >"$TEST_TMP/fake.port" 2>"$TEST_TMP/fake.log" &
FAKE_PID=$!
trap 'kill "$FAKE_PID" 2>/dev/null; cleanup' EXIT
TIMEOUT=10 eventually test -s "$TEST_TMP/fake.port" || fail "no fake"
cat >"$XDG_CONFIG_HOME/sitrep.conf" <<EOF
[prometheus]
url = http://127.0.0.1:$(head -1 "$TEST_TMP/fake.port")
discover = sloth
EOF

# The rows of the SLO pane after its title and column headings.
slo_rows() {
	screen | awk '
		inside && /^(▶| )[0-9] / { exit }
		inside > 1 { print }
		inside { inside++ }
		/^(▶| )2 SLO burn/ { inside = 1 }'
}

first_slo() {
	slo_rows | head -1 | awk '{ for (i = 1; i <= NF; i++)
		if ($i ~ /^slo-[0-9]+$/) { print $i; exit } }'
}

# wait_first NAME: the pane's first row becomes NAME.
wait_first() {
	TIMEOUT=5 eventually test "$(first_slo)" = "$1" ||
		fail "the first SLO is $(first_slo), not $1 ($2)"
}

# The SLO on the selected (reverse video) row of the SLO pane.
selected_slo() {
	local r

	for r in $(seq 2 "$(($(screen | wc -l) - 1))"); do
		if screen_row "$r" | grep -q 'slo-[0-9]' && row_is_reverse "$r"
		then
			screen_row "$r" | grep -o 'slo-[0-9]*' | head -1
			return
		fi
	done
}

for size in "80 24 xterm-256color" "200 50 tmux-256color"; do
	read -r cols rows term <<<"$size"

	step "${cols}x$rows: 2,000 SLOs, most urgent first"
	start_sitrep "$cols" "$rows" TERM="$term" \
	    --config "$XDG_CONFIG_HOME/sitrep.conf"
	wait_for "2000 SLOs"
	keys 2
	wait_first slo-1234 "the only paging SLO"

	step "${cols}x$rows: o orders by burn, budget, EMPTY IN, name, urgency"
	keys o
	wait_for "by burn"
	wait_first slo-1234 "burn 99x"
	slo_rows | sed -n 2p | grep -q ' 19\.9 ' ||
		fail "the second row by burn is not at 19.9x: $(slo_rows | sed -n 2p)"
	keys o
	wait_for "by budget"
	wait_first slo-0007 "50% overspent"
	slo_rows | head -1 | grep -q -- '-50\.0%' ||
		fail "slo-0007's budget is not -50.0%: $(slo_rows | head -1)"
	keys o
	wait_for "by empty"
	wait_first slo-0007 "already empty"
	keys o
	wait_for "by name"
	wait_first slo-0000 "by name"
	[ "$(slo_rows | sed -n 2p | grep -o 'slo-[0-9]*')" = slo-0001 ] ||
		fail "second by name: $(slo_rows | sed -n 2p)"
	keys o
	wait_gone "by name"
	wait_first slo-1234 "urgency again"

	step "${cols}x$rows: f team=payments svc-12: only SLOs matching both"
	keys f
	wait_for "filter SLOs"
	keys "team=payments svc-12" Enter
	want=$(python3 -c 'print(len([i for i in range(1200, 1300) if i % 7 == 0]))')
	wait_for "$want shown: filter \"team=payments"
	bad=$(slo_rows | grep -o 'slo-[0-9]*' | python3 -c '
import sys
for n in sys.stdin.read().split():
    i = int(n[4:])
    if i % 7 or not 1200 <= i < 1300:
        print(n)')
	[ -z "$bad" ] || fail "the filter shows $bad"
	[ "$(slo_rows | grep -c 'slo-[0-9]')" -gt 0 ] || fail "no row shown"

	step "${cols}x$rows: by name, service=svc-123, the 4th; empty: still it"
	keys o o o o
	wait_for "by name"
	keys f
	wait_for "filter SLOs"
	keys C-u
	keys "service=svc-123" Enter
	wait_for "10 shown: filter \"service="
	wait_first slo-1230 "svc-123 by name"
	keys j j j
	TIMEOUT=5 eventually test "$(selected_slo)" = slo-1233 ||
		fail "selected $(selected_slo), not slo-1233"
	keys f
	wait_for "filter SLOs"
	keys C-u
	keys Enter
	wait_gone "shown"
	assert_screen_has "2000 SLOs"
	TIMEOUT=5 eventually test "$(selected_slo)" = slo-1233 ||
		fail "after the filter, selected $(selected_slo), not slo-1233"
	stop_tmux
done

pass
