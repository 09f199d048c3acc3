#!/bin/bash
# logs_hostile.sh: log lines are written by whoever can make a service log.
# A fake Loki serves lines that try to retitle the terminal (OSC 0), clear
# the screen (CSI 2J), write the clipboard (OSC 52), smuggle C1 controls,
# reverse text with a bidi override, break UTF-8 and run to a megabyte.
# The engineer watching the Logs pane in tmux sees each drawn visibly
# (^[, <9b>, U+FFFD, <U+202E>); the pane title stays, the screen is not
# cleared, no clipboard buffer appears, and the console still answers keys.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
. "$SRCDIR/tests/integration/loki_lib.sh"

start_fake --scenario hostile
loki_config <<'EOF2'
query = {service="checkout"}
lookback = 2m
EOF2

step "the engineer opens the console, zooms the Logs pane"
start_sitrep 120 40 --config "$CONFIG"
t set -g set-clipboard on
t set -g allow-rename on
title=$(pane_format '#{pane_title}')
wait_for "following {service=\"checkout\"}"
keys 4 z
wait_for "stream=calm"

step "the hostile lines arrive and are drawn visibly"
wait_for "last hostile line" 20
assert_screen_has 'title ^[]0;pwned^G after'
assert_screen_has 'clear ^[[2J^[[H after'
assert_screen_has 'clip ^[]52;c;cHduZWQ=^G after'
assert_screen_has 'c1 <9b>31m csi and <85> nel'
assert_screen_has 'bad utf8 �� end'
assert_screen_has 'bidi <U+202E>gnp.exe'
assert_screen_has 'bell ^G and backspace ^H and cr ^M end'

step "the megabyte line is cut at the edge of the pane"
row=$(screen | grep -F 'evil big AAAA')
[ -n "$row" ] || fail "the 1 MB line is not on screen"
case $row in
*…) ;;
*) fail "the 1 MB line does not end in an ellipsis: $row" ;;
esac
[ "$(printf '%s' "$row" | wc -L)" -le 120 ] || fail "the line overflows"

step "nothing reached the terminal: title, screen and clipboard unchanged"
[ "$(pane_format '#{pane_title}')" = "$title" ] ||
	fail "the pane title changed to \"$(pane_format '#{pane_title}')\""
screen_row 0 | grep -q "sitrep" || fail "the header is gone"
assert_screen_has "4 Logs"
[ -z "$(t list-buffers 2>/dev/null)" ] ||
	fail "a clipboard buffer appeared: $(t list-buffers)"

step "the console still answers: help opens and closes"
keys '?'
wait_for "sitrep help"
keys Escape
wait_gone "sitrep help"
wait_for "last hostile line"
pass
