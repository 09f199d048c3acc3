#!/bin/bash
# slo_prometheus.sh: an incident commander opens sitrep on a real
# Prometheus whose history is known (tests/integration/prom_testdata.py):
# checkout's errors began 30 minutes ago, search burns steadily at twice
# its budget, inventory has no traffic. The SLO pane shows checkout first,
# marked ‼ and counted in "1 paging", search with a ticket, inventory as
# "no data"; Enter shows the PromQL, each window's error ratio and the
# budget maths; Escape goes back.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
command -v prometheus >/dev/null 2>&1 ||
	skip "prometheus is not installed (apt-get install prometheus)"

HELPER=$SRCDIR/tests/integration/prom_testdata.py
WORK=$TEST_TMP/prom
mkdir -p "$WORK"
PROM_PID=
trap '[ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null; cleanup' EXIT

# The rows of the SLO pane, from its title to the next pane's.
slo_rows() {
	screen | awk '
		inside && /^(▶| )[0-9] / { exit }
		inside { print }
		/^(▶| )2 SLO burn/ { inside = 1; print }'
}

NOW=$(( $(date +%s) / 60 * 60 ))
python3 "$HELPER" write "$WORK" --now "$NOW" || fail "cannot write the data"
read -r PORT PROM_PID < <(python3 "$HELPER" start "$WORK/data.om" "$WORK") ||
	fail "prometheus did not start"
[ -n "$PORT" ] || fail "prometheus did not start"

expr() {
	printf 'sum(rate(http_requests_total{service="%s",code=~"5.."}[$window])) / sum(rate(http_requests_total{service="%s"}[$window]))' "$1" "$1"
}
cat >"$XDG_CONFIG_HOME/sitrep.conf" <<EOF
[sitrep]
environment = prod

[prometheus]
url = http://127.0.0.1:$PORT
time = $NOW

[slo "search-availability"]
service = search
objective = 99.5
error_ratio = $(expr steady)

[slo "inventory-availability"]
service = inventory
objective = 99.5
error_ratio = $(expr idle)

[slo "checkout-availability"]
service = checkout
objective = 99.9
error_ratio = $(expr burst)
EOF

step "The commander starts sitrep and looks at the SLO pane"
start_sitrep 160 40 --config "$XDG_CONFIG_HOME/sitrep.conf"
wait_for "prometheus ok"
keys 2
wait_for "▶2 SLO burn  3 SLOs, 1 paging, 1 ticket"

step "checkout pages: first row, marked ‼, burning 100x over 5m"
rows=$(slo_rows)
row=$(sed -n 3p <<<"$rows")
[[ $row == "‼  checkout-availability"* ]] ||
	fail "the first SLO row is not the paging checkout: $row"
grep -Eq '^‼  checkout-availability +99\.9% +100 +100 +49\.2 +24\.4 +8\.08 +2\.02 +0\.67 +42\.4%' \
    <<<"$row" || fail "checkout's burn rates and budget are wrong: $row"

step "search has a ticket (▲), inventory has no data, no zeros"
grep -Eq '^▲  search-availability +99\.5% +2\.00( +2\.00){6} +-100\.0%' \
    <<<"$(sed -n 4p <<<"$rows")" || fail "no ticket row for search"
grep -q '^   inventory-availability .*no data (no traffic in any window)' \
    <<<"$(sed -n 5p <<<"$rows")" || fail "inventory is not \"no data\""

step "The header names the worst burn"
[[ $(screen_row 0) == *"burn 49.2x checkout"* ]] ||
	fail "the header lacks the worst burn"

step "Enter: the PromQL, each window's error ratio and the budget maths"
keys Enter
wait_for "SLO checkout-availability"
assert_screen_has "condition: 1h 49.2 & 5m 100.0 > 14.4"
assert_screen_has "5m   0.100000 / 0.001000 = 100.00"
assert_screen_has "1h   0.049153 / 0.001000 = 49.15"
assert_screen_has "remaining: 42.45% (1 - mean burn over the window)"
assert_screen_has "gone in: 6h13m"
assert_screen_lacks "nan"
# The PromQL is further down once the burndown has come (whenever that
# is): G goes to the bottom, pressed again until the PromQL is in sight.
promql_in_sight() {
	keys G
	sleep 0.2
	screen_has 'sum(rate(http_requests_total{service="burst",code=~"5.."}[$window]))'
}
eventually promql_in_sight || fail "the detail does not show the PromQL"
assert_screen_lacks "nan"

step "Escape: back to the pane"
keys Escape
wait_gone "SLO checkout-availability"
assert_screen_has "▶2 SLO burn  3 SLOs, 1 paging, 1 ticket"

pass
