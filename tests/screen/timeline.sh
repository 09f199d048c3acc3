#!/bin/bash
# timeline.sh: the timeline outlives whatever happens to the console. The
# demo records its deploys, alerts and SLO condition; the commander
# acknowledges an alert and opens the Timeline view (H), which shows them
# in order and narrows to the incident; P there composes a status update
# on the incident selected behind it. Her SSH connection drops (SIGHUP):
# `sitrep timeline` still lists everything. The console is killed (SIGKILL)
# as it writes, and a half-written line is left at the end: reading skips
# it, and the next run's events follow whole. A new `sitrep --demo` starts
# the demo's story afresh. With the timeline on a full
# disk (/dev/full) the status line says so once and the console goes on.
# A 1 GB timeline is cut back to its bound when sitrep opens it, and its
# newest events are still read. At 80x24 the Timeline view opens at the
# newest, keeps its place when filled again, and a wrapped event goes on
# under its "what" column.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

TL=$XDG_STATE_HOME/sitrep/timeline-demo.jsonl

# Every line of the timeline file but a torn last one is a JSON event.
all_lines_whole() {
	python3 - "$1" <<'EOF'
import json, sys
data = open(sys.argv[1], "rb").read()
lines = data.split(b"\n")
for l in lines[:-1]:
    if l == b"":
        continue
    try:
        e = json.loads(l)
    except ValueError:
        if l.startswith(b"{\"t\":1,"):    # the torn line the test wrote
            continue
        sys.exit("not an event: %r" % l[:200])
    assert e["kind"] and e["key"] and e["clock"] in ("source", "sitrep")
EOF
}

step "sitrep timeline says what it wants when asked wrongly"
expect_usage() {
	"$SITREP" "$@" >"$TEST_TMP/u.out" 2>"$TEST_TMP/u.err"
	[ $? = 2 ] || fail "sitrep $* did not exit 2"
	grep -q "$1" "$TEST_TMP/u.err" 2>/dev/null || [ -s "$TEST_TMP/u.err" ] ||
		fail "sitrep $* said nothing"
}
expect_usage timeline --demo --format xml
grep -q "text, markdown or json" "$TEST_TMP/u.err" || fail "no formats named"
expect_usage timeline --demo --since yesterday-ish
grep -q "2h" "$TEST_TMP/u.err" || fail "no example of --since"
expect_usage snapshot --demo --since 2h
expect_usage timeline --demo --read-only

step "The demo records deploys, alerts and the paging SLO at once"
start_sitrep 120 40 --demo
wait_for "CheckoutHighErrorRate"
TIMEOUT=10 eventually grep -q '"kind":"slo.start"' "$TL" ||
	fail "no SLO condition in $TL"
[ "$(stat -c %a "$TL")" = 600 ] || fail "the timeline is not private"

step "a acknowledges; H shows the timeline in order, then the incident"
keys 1 g a
wait_for "acknowledged demo-1"
keys H
wait_for "Timeline of demo"
wait_for "action ended"
r_deploy=$(row_of "checkout v2.14.0: Switch")
r_fired=$(row_of "CheckoutHighErrorRate: checkout: 5xx")
r_ack=$(row_of "ack demo/demo-1")
[ "$r_deploy" -ge 0 ] && [ "$r_deploy" -lt "$r_fired" ] &&
	[ "$r_fired" -lt "$r_ack" ] ||
	fail "not in order: deploy $r_deploy, fired $r_fired, ack $r_ack"
screen | grep "CheckoutHighErrorRate: checkout: 5xx" | grep -q source ||
	fail "the alert's start is not on the source's clock"
screen | grep "ack demo/demo-1" | grep -q sitrep ||
	fail "the action is not on sitrep's clock"
keys H
wait_for "incident demo/demo-1"
assert_screen_lacks "inventory v0.9.12"
keys T
wait_for "time (local)"
# The timeline is not an alert's detail: the Alerts pane's keys do not
# act on the alert hidden behind it, and the hints do not offer them.
keys R
wait_for "R is not bound"
assert_screen_lacks "Resolve demo-"
screen_row 39 | grep -q "resolve" && fail "the hints offer resolve: $(screen_row 39)"
keys Escape

step "P from the Timeline view: the status update is on the selected incident"
# P works everywhere; from the timeline it means the alert selected in
# the Alerts pane, as from the panes, so it can be posted or noted there.
keys H
wait_for "Timeline of demo"
keys P
wait_for "Status update on demo-1"
wait_for "n note"
keys Escape
wait_for "status update: nothing sent"
assert_screen_lacks "Timeline of demo"

step "A pane's command typed on the : line closes the timeline first"
# What it acts on must be in sight: the Alerts pane, its row selected.
keys H
wait_for "Timeline of demo"
keys :
keys -l "resolve"
keys Enter
wait_for "resolve demo-1 \"CheckoutHigh"
assert_screen_lacks "Timeline of demo"
keys Escape
wait_gone "resolve demo-1 \"CheckoutHigh"

step "SSH drops (SIGHUP): the timeline is all there"
kill -HUP "$(pane_format '#{pane_pid}')"
[ "$(exit_status)" = 129 ] || fail "exit after SIGHUP: $(exit_status)"
all_lines_whole "$TL" || fail "a line is not whole after SIGHUP"
"$SITREP" timeline --demo >"$TEST_TMP/out" || fail "sitrep timeline failed"
grep -q "action ended .*ack demo/demo-1 by .*(done)" "$TEST_TMP/out" ||
	fail "the acknowledgement is not in the timeline: $(cat "$TEST_TMP/out")"
grep -q "^20.* source fired .*CheckoutHighErrorRate" "$TEST_TMP/out" ||
	fail "no fired event: $(cat "$TEST_TMP/out")"

step "SIGKILL while it writes, a torn line left: never read as an event"
# A config naming [demo] keeps the demo's timeline from run to run (only
# --demo starts it afresh).
printf '[demo]\nseed = 2\n' >"$TEST_TMP/demo.conf"
start_sitrep 120 40 --config "$TEST_TMP/demo.conf"
wait_for "CheckoutHighErrorRate"
keys 1 g a
wait_for "acknowledged demo-1"
kill -KILL "$(pane_format '#{pane_pid}')"
printf '{"t":1,"clock":"sitrep","kind":"note","key":"torn","text":"half' >>"$TL"
all_lines_whole "$TL" || fail "a whole line is broken after SIGKILL"
"$SITREP" timeline --demo --format json >"$TEST_TMP/out.json" ||
	fail "sitrep timeline --format json failed"
python3 - "$TEST_TMP/out.json" <<'EOF' || fail "the JSON timeline is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
keys = [e["key"] for e in d["events"]]
assert "torn" not in keys, "the torn line was read"
assert len(keys) == len(set(keys)), "an event twice"
ts = [e["t"] for e in d["events"]]
assert ts == sorted(ts), "not in time order"
EOF
start_sitrep 120 40 --config "$TEST_TMP/demo.conf"
wait_for "CheckoutHighErrorRate"
keys 1 g m
wait_for "note on demo-1"
keys -l "after the kill"
keys Enter
wait_for "note added"
eventually grep -q "after the kill" "$TL" || fail "the note was not recorded"
all_lines_whole "$TL" || fail "the event after the torn line is not whole"
keys q
"$SITREP" timeline --demo --incident demo-1 >"$TEST_TMP/out"
grep -q "note .*after the kill" "$TEST_TMP/out" ||
	fail "the note after the kill is not read: $(cat "$TEST_TMP/out")"
grep -q "torn\|half" "$TEST_TMP/out" && fail "the torn line was read"
grep -q "ack demo/demo-1" "$TEST_TMP/out" ||
	fail "the run before the kill is gone: $(cat "$TEST_TMP/out")"

step "sitrep --demo plays a new incident: its timeline starts afresh"
start_sitrep 120 40 --demo
wait_for "CheckoutHighErrorRate"
TIMEOUT=10 eventually grep -q '"kind":"slo.start"' "$TL" ||
	fail "the new demo recorded nothing"
keys q
"$SITREP" timeline --demo >"$TEST_TMP/out"
grep -q "after the kill" "$TEST_TMP/out" &&
	fail "the last run's note is in the new demo's story"

step "80x24: the timeline opens at the newest; a wrapped event stays in its column"
# The acknowledgement of a moment ago is in sight when H opens the view,
# as at the end of a log; scrolled elsewhere, it stays there when the
# view is filled again (T), and a long "what" goes on under "what".
start_sitrep 80 24 --demo
wait_for "CheckoutHighError"
keys 1 g a
wait_for "acknowledged demo-1"
keys H
wait_for "Timeline of demo"
wait_for "demo/demo-1 by "
assert_screen_has "acknowledged"
title=$(screen_row 1)
[[ $title =~ \ ([0-9]+)-([0-9]+)\ of\ ([0-9]+)\ *$ ]] ||
	fail "no position in the title: $title"
[ "${BASH_REMATCH[2]}" = "${BASH_REMATCH[3]}" ] ||
	fail "the view did not open at the newest: $title"
# Every row is an event's (its time at column 2) or the rest of one,
# under the heading's COLUMN: nothing starts under the time.
body_in_columns() {
	local column=$1 last=$2 col r line

	col=$(column_of "$column" "$(screen_row 2)")
	[ "$col" -gt 2 ] || fail "no \"$column\" heading: $(screen_row 2)"
	for r in $(seq 3 "$last"); do
		line=$(screen_row "$r")
		[[ $line =~ ^\ *$ ]] && continue
		[[ $line =~ ^\ \ 20[0-9][0-9]- ]] && continue
		[ "$(column_of "${line#"${line%%[! ]*}"}" "$line")" = "$col" ] ||
			fail "row $r starts neither at a time nor under \"$column\" ($col): $line"
	done
}
# Under "what" only 14 columns are left at 80: there it goes on under
# "clock", the time column kept for times.
keys g
wait_for "time (UTC)"
body_in_columns clock 22
assert_screen_has "        CheckoutHighErrorRate: checkout"
keys T
wait_for "local time"
[ "$(row_of "time (local)")" = 2 ] ||
	fail "filled again, the view left its place at the top"
keys G
wait_for "demo/demo-1 by "
keys T
wait_for "UTC time"
assert_screen_has "acknowledged"
title=$(screen_row 1)
[[ $title =~ \ ([0-9]+)-([0-9]+)\ of\ ([0-9]+)\ *$ ]] &&
	[ "${BASH_REMATCH[2]}" = "${BASH_REMATCH[3]}" ] ||
	fail "filled again, the view left the newest: $title"
# Wider, "what" has room: a long title goes on under it.
resize 120 40
wait_for "T clock, Esc closes)"
keys g
wait_for "time (UTC)"
body_in_columns what 38
whatcol=$(column_of what "$(screen_row 2)")
r=$(row_of "CheckoutHighErrorRate: checkout: 5xx")
[ "$r" -gt 2 ] && [ "$(column_of CheckoutHighErrorRate "$(screen_row "$r")")" = "$whatcol" ] &&
	[ "$(column_of "(threshold 1%)" "$(screen_row $((r + 1)))")" -gt "$whatcol" ] ||
	fail "the alert's title does not go on under \"what\": $(screen_row "$r") / $(screen_row $((r + 1)))"
keys Escape q

step "A full disk: one line on the status line, the console goes on"
cat >"$TEST_TMP/full.conf" <<EOF
[sitrep]
timeline = /dev/full
EOF
start_sitrep 120 40 --demo --config "$TEST_TMP/full.conf"
wait_for "No space left on device"
wait_for "CheckoutHighErrorRate"
keys 1 g a
wait_for "acknowledged demo-1"
keys H
wait_for "Timeline of demo"
wait_for "ack demo/demo-1"
keys Escape q

step "A 1 GB timeline is cut back to its bound and still read"
truncate -s 1G "$TL"
printf '\n{"t":1796000000000,"clock":"sitrep","kind":"note","key":"big","text":"the newest of a big file"}\n' >>"$TL"
"$SITREP" timeline --demo >"$TEST_TMP/out" || fail "timeline of a 1 GB file"
grep -q "the newest of a big file" "$TEST_TMP/out" || fail "its newest event is lost"
[ "$(stat -c %s "$TL")" -le $((8 << 20)) ] ||
	fail "the file was not cut back: $(stat -c %s "$TL")"
[ "$(du -k "$TL.1" | cut -f1)" -le $((8 << 10)) ] ||
	fail "the rotated file is not bounded: $(du -k "$TL.1")"

pass
