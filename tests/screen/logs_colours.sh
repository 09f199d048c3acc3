#!/bin/bash
# logs_colours.sh: a service logs in colour (SGR sequences). By default
# the engineer sees the sequences as text (^[[31m), as every other escape;
# with `colors = yes` in [loki] the colours are drawn as colours, yet any
# other sequence in the same line (a screen clear) is still shown as text
# and never reaches the terminal.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
. "$SRCDIR/tests/integration/loki_lib.sh"

start_fake --scenario colours

step "by default the colour sequences are shown as text"
loki_config <<'EOF2'
query = {service="checkout"}
lookback = 1m
EOF2
start_sitrep 120 40 --config "$CONFIG"
keys 4 z
wait_for 'plain ^[[31mred text^[[0m back ^[[1;32mbold green^[[0m'
wait_for '^[[2J^[[31mnot cleared'
screen -e | grep -F 'red text' | grep -q $'\e\\[31mred' &&
	fail "a colour from the log reached the terminal"

step "with colors = yes they are drawn as colours; the clear is not"
loki_config <<'EOF2'
query = {service="checkout"}
lookback = 1m
colors = yes
EOF2
start_sitrep 120 40 --config "$CONFIG"
keys 4 z
wait_for 'plain red text back bold green'
screen -e | grep -F 'red text' | grep -q $'\e\\[31mred text' ||
	fail "red text is not red: $(screen -e | grep -F 'red text' | cat -v)"
screen -e | grep -F 'bold green' | grep -q $'\e\\[1m\e\\[32mbold green' ||
	screen -e | grep -F 'bold green' | grep -q $'\e\\[1;32mbold green' ||
	fail "bold green is not: $(screen -e | grep -F 'bold green' | cat -v)"
wait_for '^[[2Jnot cleared'
screen_row 0 | grep -q sitrep || fail "the screen was cleared"
pass
