#!/bin/bash
# logs_keys.sh: the on-call engineer reads checkout's logs from Loki in the
# zoomed Logs pane, with the keys of sitrep(1): scrolls up and sees the
# view pause while lines keep coming ("paused, N new lines"), F follows
# again; / searches (PCRE2) and every match is drawn in the match style,
# n and N step through older and newer matches; a bad pattern gets PCRE2's
# message with its offset and changes nothing; f keeps and x hides lines,
# the filters stack and are listed in the title, c clears them; the
# [highlight] rules colour errors red and underline request ids; l hides
# the label prefix; w wraps a long line; J jumps to a typed time; L edits
# the LogQL query and the pane follows payments instead. A search match
# past the right edge of a cut line is brought into view on its row.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
. "$SRCDIR/tests/integration/loki_lib.sh"

start_fake --scenario keys
loki_config <<'EOF2'
query = {service="checkout"}
lookback = 3h

[highlight "errors"]
regex = level=error|ERROR
colour = red

[highlight "ids"]
regex = req-[0-9a-f]{8}
colour = underline
EOF2
T0=$(python3 -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(
    "http://127.0.0.1:%s/fake/stats" % sys.argv[1]))["t0"])' "$FAKE_PORT")

title() {
	screen_row 1
}

# The row (from 0) in reverse video: the selected line.
selected_row() {
	reverse_row 2 38
}

selected_has() {
	selected_row | grep -qF -- "$1"
}

# The pane's rows, without its title and the status line.
body() {
	screen | sed -n '3,39p'
}

wait_selected() {
	eventually selected_has "$1" ||
		fail "the selected line is \"$(selected_row)\", not \"$1\""
}

step "the engineer opens the console and zooms the Logs pane"
start_sitrep 120 40 --config "$CONFIG"
keys 4 z
wait_for "following {service=\"checkout\"}"
wait_for "stream=api-1"
assert_screen_lacks "PAUSED"

step "scrolling up pauses the view; lines keep coming; F follows again"
keys k
wait_for "PAUSED"
eventually screen_has "paused, " || fail "no paused marker"
TIMEOUT=15 eventually eval 'screen | grep -q "paused, [1-9][0-9]* new line"' ||
	fail "no new lines counted while paused"
keys F
wait_gone "PAUSED"
wait_gone "paused, "

step "/ finds the newest error of the old pod, drawn in the match style"
keys / 'stream=old level=error' Enter
wait_for "/stream=old level=error"
# The search reads the raw line; the row shows its level and message first.
wait_selected "ERROR request handled seq=714 stream=old"
screen -e | grep -q $'\e\\[[0-9;]*43m' ||
	fail "the match is not drawn in the match style"
keys n
wait_selected "seq=707 stream=old"
keys n
wait_selected "seq=700 stream=old"
keys N
wait_selected "seq=707 stream=old"

step "a bad pattern says what PCRE2 says, and nothing changes"
keys / '(broken' Enter
wait_for "missing closing parenthesis at offset 7"
selected_has "seq=707 stream=old" || fail "the selection moved"
assert_screen_has "/stream=old level=error"

step "highlight rules: errors red, request ids underlined"
keys / 'req-0a1b' Enter
wait_selected "request req-0a1b2c3d failed"
screen -e | grep -F 'failed with' | grep -q $'\e\\[31mERROR' ||
	fail "ERROR is not red"
screen -e | grep -F 'failed with' | grep -q $'\e\\[4m' ||
	fail "the request id is not underlined"

step "f keeps, x hides (here by fields); the title lists the stack; c clears it"
keys f 'stream=old' Enter
wait_for '+stream="old"'
[ "$(body | grep -c 'stream=api')" -eq 0 ] ||
	fail "a line of the api pods passed the filter"
keys x 'level=error' Enter
wait_for '+stream="old" -level="error"'
[ "$(body | grep -c 'ERROR request handled')" -eq 0 ] ||
	fail "an error line is still shown"
body | grep -q 'INFO  request handled seq=[0-9]* stream=old' ||
	fail "the old pod's other lines are gone too"
keys c
wait_gone '+stream="old"'
wait_for "stream=api-1"

step "l hides the label prefix and shows it again"
keys F
wait_for "api-1 INFO  request handled"
keys l
wait_gone "api-1 INFO"
assert_screen_has "stream=api-1"
keys l
wait_for "api-1 INFO  request handled"

step "w wraps the long line onto the next row"
keys / 'LONGEND' Enter
# Cut, the selected row moves along to show its match.
wait_selected "LONGEND"
selected_has "long word000" && fail "the row was not moved to its match"
keys w
wait_selected "long word000"
TIMEOUT=5 eventually eval 'body | grep -q "LONGEND"' ||
	fail "the long line does not wrap"
wrapped=$(($(row_of "long word000") + 1))
screen_row "$wrapped" | grep -q '^ *word0[0-9][0-9]' ||
	fail "the next row does not continue the line: $(screen_row "$wrapped")"
# Rows break between words: every word of the wrapped line is whole.
first=$(row_of "long word000")
last=$(row_of "LONGEND")
for r in $(seq "$first" "$last"); do
	screen_row "$r" | sed 's/^[0-9:.]* *[a-z0-9-]* //' | tr -s ' ' '\n' |
		grep -v '^$' | grep -vqE '^(long|word[0-9]{3}|LONGEND)$' &&
		fail "row $r breaks a word: $(screen_row "$r")"
done
keys w

step "J jumps to a typed time: an hour before the fake started"
when=$(python3 -c 'import sys, time
t = int(sys.argv[1]) // 10**9 - 3600 + 5
print(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)))' "$T0")
keys J
wait_for "jump to time: -15m"
keys C-u "$when" Enter
wait_selected "seq=361 stream=old"
wait_for "PAUSED"

step "L edits the query: the pane follows payments"
keys L
wait_for 'LogQL: {service="checkout"}'
keys C-u '{service="payments"}' Enter
wait_for "following {service=\"payments\"}"
wait_for "stream=payments-0"
assert_screen_lacks "stream=api-1"
pass
