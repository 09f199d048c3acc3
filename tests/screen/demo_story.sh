#!/bin/bash
# demo_story.sh: a newcomer plays the whole story with `sitrep --demo` and
# no config. She acknowledges the checkout alert, adds a note and reads it
# back in the alert's detail, resolves the old inventory alert, runs the
# demo runbook of a checkout alert, then rolls back the suspect deploy:
# the plan is shown exactly (sitrep itself in a hidden mode, no shell),
# y runs it in the action terminal, which prints a rollout and exits 0;
# over the next minute checkout's burn falls and its alerts resolve. The
# audit log has both ends of the rollback. P composes a status update that
# tells all of it; c copies it: the OSC 52 sequence sitrep writes to the
# pane carries the text base64-encoded, and tmux puts it on its clipboard.
# `sitrep timeline --format markdown` then lists the story in order, with
# times and whose clock. At 80x24 under TERM=tmux-256color the copy works
# the same.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

AUDIT=$XDG_STATE_HOME/sitrep/audit.log

# osc52_text FILE: the text of the last OSC 52 sequence in bytes a program
# wrote, base64-decoded.
osc52_text() {
	python3 -c '
import base64, re, sys
raw = open(sys.argv[1], "rb").read()
m = re.findall(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)", raw)
if not m:
    sys.exit("no OSC 52 sequence in what sitrep wrote")
sys.stdout.write(base64.b64decode(m[-1]).decode())
' "$1"
}

status_line() {
	screen | tail -n 1
}

# The checkout SLO's burn in window column N (1: 5m ... 3: 1h).
checkout_burn() {
	screen | awk -v n="$1" '/checkout-availability +[0-9.]+%/ {
		for (i = 1; i <= NF; i++)
			if ($i ~ /%$/) { print $(i + n); exit } }'
}

# select_deploy TEXT: press r on each deploy row until the question is
# about TEXT (Escape cancels the others; nothing runs before y).
select_deploy() {
	local tries=0

	keys 3 g
	while :; do
		keys r
		wait_for "y rolls back"
		screen_has "$1" && return 0
		keys Escape
		wait_gone "y rolls back"
		keys j
		[ $((++tries)) -lt 8 ] || fail "no deploy row for $1"
	done
}

step "sitrep --demo, no config: the checkout incident is on"
start_sitrep 200 50 --demo
wait_for "CheckoutHighErrorRate"
wait_for "checkout-availability"
before=$(checkout_burn 3)
python3 -c "import sys; sys.exit(not float('$before') > 10)" ||
	fail "checkout does not burn fast at the start: \"$before\""

step "a acknowledges the first checkout alert; the demo keeps the state"
keys 1 g a
wait_for "acknowledged demo-1 (demo)"
[ "$(screen | grep -c 'ack .*CheckoutHighErrorRate')" = 1 ] ||
	fail "CheckoutHighErrorRate is not shown acknowledged"
screen_has "not possible on demo alerts" && fail "demo alerts refused"

step "m adds a note, and the alert's detail shows it"
keys m
wait_for "note on demo-1"
keys -l "rolling back checkout v2.14.0"
keys Enter
wait_for "note added to demo-1 (demo)"
keys Enter
wait_for "rolling back checkout v2.14.0"
keys Escape

step "R resolves the old inventory alert after a y"
keys G
wait_for "InventoryDiskUsage"
keys R
wait_for "[y/N]"
keys y
wait_for "resolved demo-5 (demo)"
wait_gone "InventoryDiskUsage"

step "b runs the demo runbook of a checkout alert in the action terminal"
keys g b
wait_for "demo-runbook CheckoutHighErrorRate checkout"
keys y
wait_for "demo runbook for CheckoutHighErrorRate"
wait_for "exited 0"
keys q
wait_gone "demo runbook for"

step "The suspect deploy's detail shows the rollback r would run"
keys 3 g Enter
wait_for "rollback (r)"
wait_for "demo-rollout checkout v2.14.0 9f8e7d6"
assert_screen_lacks "no [rollback] command"
keys Escape

step "r on the suspect deploy shows the demo rollback exactly, no shell"
select_deploy "Roll back checkout in demo?"
assert_screen_has "demo-rollout checkout v2.14.0 9f8e7d6"
assert_screen_has "[1] demo-rollout"
assert_screen_has "[2] checkout"
screen | grep -q '\[0\] /.*sitrep$' ||
	fail "argv[0] is not this sitrep: $(screen | grep '\[0\]')"
[ ! -e "$AUDIT" ] || grep -q rollback "$AUDIT" &&
	fail "the rollback was audited before y"

step "y runs it in the action terminal like a real rollout"
keys y
wait_for "successfully rolled out"
wait_for "exited 0"
grep -q '"event":"end".*"action":"rollback"' "$AUDIT" ||
	grep -q '"action":"rollback".*"event":"end"' "$AUDIT" ||
	fail "no end line for the rollback: $(cat "$AUDIT")"
keys q

step "Over the next minute checkout's burn falls and its alerts resolve"
wait_gone "CheckoutHighErrorRate" 120
wait_gone "CheckoutLatencyP99High" 10
after=$(checkout_burn 3)
python3 -c "import sys; sys.exit(not float('$after') < float('$before') / 2)" ||
	fail "checkout's 1h burn did not fall: $before then $after"
assert_screen_has "PaymentsUpstreamErrors"
wait_for "SLO burn  5 SLOs, 0 paging"

step "checkout's logs stop failing after the rollback"
# The Logs pane zoomed holds some 47 lines: while checkout fails, nearly
# half of them are its errors (none at all: odds of 1 in 10^12); after the
# rollback one in fifty is, so a screenful without one comes soon.
keys 4 G z
no_checkout_errors() {
	! screen | grep -E 'checkout-7f9c6d-[a-z0-9]+ +ERROR' >/dev/null
}
TIMEOUT=20 eventually no_checkout_errors ||
	fail "checkout still logs errors after its rollback"
keys z 1

step "P composes a status update from what the console knows"
keys 1 g P
wait_for "Status update on demo-4"
assert_screen_has "Affected: payments"
assert_screen_has "rollback checkout v2.14.0 (exit 0)"
assert_screen_has "ack demo/demo-1 (done)"
assert_screen_has "Next: watching the burn fall after the rollback"
wait_for "c copy"

step "c copies it with OSC 52: the pane gets the text base64-encoded"
t set-option -g set-clipboard on
t pipe-pane -t sitrep -o "cat >>'$TEST_TMP/pane.out'"
keys c
wait_for "done: copied with OSC 52"
t pipe-pane -t sitrep
osc52_text "$TEST_TMP/pane.out" >"$TEST_TMP/copied.txt" ||
	fail "no OSC 52 sequence captured"
grep -q "^Affected: payments" "$TEST_TMP/copied.txt" &&
	grep -q "rollback checkout v2.14.0 (exit 0)" "$TEST_TMP/copied.txt" ||
	fail "the copied text is not the update: $(cat "$TEST_TMP/copied.txt")"
[ "$(t show-buffer)" = "$(cat "$TEST_TMP/copied.txt")" ] ||
	fail "tmux's clipboard has: $(t show-buffer)"
keys Escape
wait_for "status update copied with OSC 52"
keys q

step "sitrep timeline --format markdown tells the story in order"
"$SITREP" timeline --demo --format markdown >"$TEST_TMP/story.md" ||
	fail "sitrep timeline failed"
cat "$TEST_TMP/story.md"
# row PATTERN: the line number of the first table row matching PATTERN.
row() {
	grep -n -- "$1" "$TEST_TMP/story.md" | head -n 1 | cut -d: -f1
}
grep -q '^| time (UTC) | clock | event | service | what |$' "$TEST_TMP/story.md" ||
	fail "no table head"
last=0
for want in \
	'| source | deploy | checkout | checkout v2.14.0' \
	'| source | fired | checkout | CheckoutHighErrorRate' \
	'| sitrep | SLO condition | checkout | checkout-availability: page' \
	'| sitrep | action ended | .*ack demo/demo-1 .*(done)' \
	'| sitrep | acknowledged | checkout | CheckoutHighErrorRate' \
	'| sitrep | note | .*rolling back checkout v2.14.0' \
	'| sitrep | resolved | inventory | InventoryDiskUsage' \
	'| sitrep | action ended | .*runbook CheckoutHighErrorRate .*(exit 0)' \
	'| sitrep | action started | checkout | rollback checkout v2.14.0' \
	'| sitrep | action ended | checkout | rollback checkout v2.14.0 .*(exit 0)' \
	'| sitrep | SLO condition ended | checkout |' \
	'| sitrep | resolved | checkout | CheckoutHighErrorRate' \
	'| sitrep | action ended | .*status-update demo/demo-4 .*(done)' \
	'| sitrep | status update | .*Affected: payments'; do
	n=$(row "$want")
	[ -n "$n" ] || fail "the timeline lacks \"$want\""
	[ "$n" -gt "$last" ] || fail "\"$want\" is out of order (line $n)"
	last=$n
done
grep -E '^\| 20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} \|' \
	"$TEST_TMP/story.md" >/dev/null || fail "rows without times"

step "80x24, TERM=tmux-256color: P then c copies the same way"
start_sitrep 80 24 TERM=tmux-256color --demo
wait_for "CheckoutHighError"
t set-option -g set-clipboard on
keys 1 g P
wait_for "Status update on demo-1"
t pipe-pane -t sitrep -o "cat >>'$TEST_TMP/pane80.out'"
keys c
wait_for "done: copied"
t pipe-pane -t sitrep
osc52_text "$TEST_TMP/pane80.out" >"$TEST_TMP/copied80.txt" ||
	fail "no OSC 52 at 80x24"
grep -q "^Affected: checkout" "$TEST_TMP/copied80.txt" ||
	fail "copied at 80x24: $(cat "$TEST_TMP/copied80.txt")"

step "80x24: the question says what each key did; Esc says the post first"
# The question covers the status line: it names what c, p and n just did.
wait_for "Copied with OSC 52. Status update: c copy"
keys p
wait_for "Posted on demo-1. Status update: c copy"
keys n
wait_for "Noted on demo-1. Status update: c copy"
keys Escape
# The posts first, then the copy; tmux's advice last (cut at 80 columns).
wait_for "status update posted on demo-1; noted on demo-1; copied with OSC 52"

pass
