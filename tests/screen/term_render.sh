#!/bin/bash
# term_render.sh: what a rollback or runbook prints reaches the engineer's
# screen as a terminal would show it: colours (basic, 256, true colour at
# the nearest the terminal has), reverse video, a line erased, a progress
# bar redrawn with CR showing only its last state, wide characters taking
# two columns, text placed by cursor movement, and the cursor itself where
# the child left it, waiting for input that then reaches the child.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux

T=$TEST_TMP
cat >"$T/config" <<EOF
[runbook "CheckoutHighErrorRate"]
command = sh '$SRCDIR/tests/fakes/term-art'
EOF

# The action terminal's rows: everything after its title row.
term_rows() {
	screen "$@" | awk 'found && NR < last { print } /runbook CheckoutHighErrorRate/ { found = 1 }' \
	    last="$ROWS"
}

ROWS=40
step "The runbook prints colours, moves the cursor, draws a progress bar"
start_sitrep 100 "$ROWS" --demo --config "$T/config"
wait_for "CheckoutHighError"
keys b
wait_for "y runs it"
keys y
wait_for "type something:"
sleep 0.5	# keys within a moment of the y are typeahead, dropped

step "the text is where a terminal would put it"
term_rows >"$T/plain"
sed -n 1p "$T/plain" | grep -q '^RED GREEN BLUE256 ORANGE REV$' ||
	fail "row 1: $(sed -n 1p "$T/plain")"
[ "$(sed -n 2p "$T/plain")" = kept ] || fail "the erased line shows: $(sed -n 2p "$T/plain")"
[ "$(sed -n 3p "$T/plain")" = "[##########] 100%" ] ||
	fail "the progress bar shows: $(sed -n 3p "$T/plain")"
grep -q "10%\|90%" "$T/plain" && fail "an old progress state is left over"
[ "$(sed -n 4p "$T/plain")" = "漢字|wide" ] || fail "row 4: $(sed -n 4p "$T/plain")"
[ "$(column_of '|' "$(sed -n 4p "$T/plain")")" = 4 ] ||
	fail "the wide characters do not take two columns each"
[ "$(column_of MOVED "$(sed -n 8p "$T/plain")")" = 19 ] ||
	fail "MOVED is not at row 8, column 20: $(sed -n 8p "$T/plain")"

step "the colours are the nearest the terminal has"
term_rows -e | sed -n 1p >"$T/sgr"
# styled TEXT SGR...: the escape sequences right before TEXT set each SGR.
styled() {
	python3 - "$T/sgr" "$@" <<'EOF' || fail "$1 is not styled $2 $3: $(cat -v "$T/sgr")"
import re, sys
s, text, want = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3:]
run = re.search(r'(?:\x1b\[[0-9;]*m)*$', s[:s.index(text)]).group(0)
sys.exit(0 if all(re.search(r'[\[;]' + w + r'[;m]', run) for w in want) else 1)
EOF
}
styled RED 31
styled GREEN 1 32
styled BLUE256 '38;5;33'
styled ORANGE '38;5;214'	# true colour (255,165,0): the nearest of 256
styled REV 7

step "the cursor waits after the prompt; typed text reaches the child"
y=$(pane_format '#{cursor_y}')
x=$(pane_format '#{cursor_x}')
row=$(screen_row "$y")
[ "$row" = "type something:" ] || fail "the cursor is on: $row"
[ "$x" = 16 ] || fail "the cursor is at column $x, not 16"

step "F11 zooms the running terminal over the whole screen and back"
title_row() {
	screen | grep -n "runbook CheckoutHighErrorRate" | head -1 | cut -d: -f1
}
half=$(title_row)
keys F11
TIMEOUT=5 eventually test "$(title_row)" = 2 || fail "F11 did not zoom"
keys F11
TIMEOUT=5 eventually test "$(title_row)" = "$half" || fail "F11 did not unzoom"

keys -l "hi there"
keys Enter
wait_for "got <hi there>"
wait_for "exited 0 after"

step "once it has ended, z zooms it and q closes it"
keys z
TIMEOUT=5 eventually test "$(title_row)" = 2 || fail "z did not zoom"
keys q
wait_gone "exited 0 after"
assert_screen_has "SLO burn"
pass
