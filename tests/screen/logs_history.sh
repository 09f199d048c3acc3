#!/bin/bash
# logs_history.sh: the on-call engineer needs the lines from the start of
# the incident, an hour back, long out of the ring (it holds two minutes).
# Loki (the stand-in) has two hours of sequence-numbered lines in three
# streams that share every timestamp, and allows 500 lines a query. J to
# that time opens a history view titled with the moment and its count and
# the query's limit; it shows the lines of that second; the requests were
# query_range backward before the moment and forward after it, within the
# limit; moving past the top and past the bottom fetches more, and across
# each seam every stream's lines follow on with none missing or doubled;
# G returns to the live follow, which went on underneath, every line
# once; a Loki that fails is named in the history's title.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
. "$SRCDIR/tests/integration/loki_lib.sh"

start_fake --scenario archive --max-limit 500
loki_config <<'EOF2'
query = {service="checkout"}
lookback = 2m
limit = 1000
EOF2
T0=$(python3 -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(
    "http://127.0.0.1:%s/fake/stats" % sys.argv[1]))["t0"])' "$FAKE_PORT")

title() {
	screen_row 1
}

# The history view's count of lines, from its title.
held() {
	title | sed -n 's/.*history around [0-9:]*, \([0-9,]*\) line.*/\1/p' |
		tr -d ,
}

# held_between LO HI: the count is in [LO, HI] (a page asks for its edge
# timestamp again, so it brings a few lines fewer than its limit).
held_between() {
	local n

	n=$(held)
	[ -n "$n" ] && [ "$n" -ge "$1" ] && [ "$n" -le "$2" ]
}

body() {
	screen | sed -n '3,49p'
}

# Every stream's seq numbers on the screen follow on, none twice.
contiguous() {
	body | python3 -c '
import re, sys
seen = {}
for line in sys.stdin:
    m = re.search(r"seq=(\d+) stream=(\S+)", line)
    if m:
        seen.setdefault(m.group(2), []).append(int(m.group(1)))
bad = []
for s, v in sorted(seen.items()):
    if sorted(v) != list(range(min(v), max(v) + 1)) or len(set(v)) != len(v):
        bad.append("%s: %s" % (s, v))
if len(seen) != 3 or bad:
    print("streams %s; not contiguous: %s" % (sorted(seen), bad))
    sys.exit(1)
'
}

# requests FILTER: the query_range requests sent since MARK, as JSON lines.
MARK=0
requests() {
	python3 - "$FAKE_PORT" "$MARK" <<'PY'
import json, sys, urllib.request
r = json.load(urllib.request.urlopen(
    "http://127.0.0.1:%s/fake/requests" % sys.argv[1]))
for q in r[int(sys.argv[2]):]:
    print(json.dumps(q, sort_keys=True))
PY
}

step "the engineer follows checkout's logs, zoomed"
start_sitrep 200 50 --config "$CONFIG"
keys 4 z
wait_for "following {service=\"checkout\"}"
wait_for "stream=arch-c"
MARK=$(requests | wc -l)

step "J to an hour back fetches that moment into a history view"
read -r when at <<<"$(python3 -c 'import sys, time
t = int(sys.argv[1]) // 10**9 - 3600
print(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)), t * 10**9)' "$T0")"
keys J
wait_for "jump to time:"
keys C-u "$when" Enter
clock=${when:11:8}
wait_for "history around $clock, 1,000 lines"
wait_for "Loki's limit: 500 lines a query"
assert_screen_lacks "following {service"

step "the lines of that second are on the screen, each once"
python3 - "$T0" "$at" >"$TEST_TMP/second" <<'PY'
import sys
t0, at = int(sys.argv[1]), int(sys.argv[2])
begin = t0 - 7200 * 10**9
for i in range(20000):
    ts = begin + i * 5 * 10**8
    if at <= ts < at + 10**9:
        for s in ("arch-a", "arch-b", "arch-c"):
            print("seq=%d stream=%s" % (i, s))
PY
[ "$(wc -l <"$TEST_TMP/second")" -eq 6 ] ||
	fail "expected 6 lines in the second"
while read -r l; do
	[ "$(body | grep -c -- "$l\$")" -eq 1 ] ||
		fail "\"$l\" is on the screen $(body | grep -c -- "$l\$") times"
done <"$TEST_TMP/second"
contiguous || fail "the history view skips or doubles a line"

step "the requests: backward before the moment, forward after, within the limit"
requests >"$TEST_TMP/req"
python3 - "$TEST_TMP/req" "$at" <<'PY' || fail "$(cat "$TEST_TMP/req")"
import json, sys
at = int(sys.argv[2])
hour = 3600 * 10**9
reqs = [json.loads(l) for l in open(sys.argv[1])]
back = [q for q in reqs if q["direction"] == "backward" and int(q["end"]) == at]
fwd = [q for q in reqs if q["direction"] == "forward" and int(q["start"]) == at]
assert back and fwd, "no history requests: %d" % len(reqs)
# Following already met Loki's limit: the history keeps to it.
assert [q["limit"] for q in back] == ["500"], back
assert [q["limit"] for q in fwd] == ["500"], fwd
assert all(int(q["start"]) == at - hour for q in back), back
# An hour on, but never past the present (less Loki's delay).
assert all(at + hour - 120 * 10**9 < int(q["end"]) <= at + hour
           for q in fwd), fwd
PY
MARK=$(requests | wc -l)

step "past the top, older lines are fetched; across the seam none is missing"
keys g
keys k
eventually held_between 1495 1500 ||
	fail "no older page came: $(title)"
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do keys k; done
contiguous || fail "the seam of the older page skips or doubles a line"
requests | grep -q '"direction": "backward"' ||
	fail "no backward request for the older page"

step "past the bottom, newer lines are fetched; again none is missing"
before=$(held)
for _ in $(seq 1 60); do
	[ "$(held)" = "$before" ] || break
	keys NPage
	sleep 0.1
done
eventually held_between $((before + 495)) $((before + 500)) ||
	fail "no newer page came, or more than one: $(title)"
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 \
    25 26 27 28 29 30; do keys j; done
contiguous || fail "the seam of the newer page skips or doubles a line"

step "G: back to the live follow, which went on underneath"
keys G
wait_for "following {service=\"checkout\"}"
assert_screen_lacks "history around"
sleep 3
contiguous || fail "the live lines skip or double"
newest=$(body | grep -o 'seq=[0-9]* stream=arch-a' | tail -1 | tr -dc 0-9)
expect=$(python3 -c 'import sys, time
print((time.time_ns() - int(sys.argv[1]) + 7200 * 10**9) // (5 * 10**8))' "$T0")
[ $((expect - newest)) -lt 30 ] ||
	fail "the newest line shown is seq=$newest, the fake is at $expect"

step "a Loki that fails is named in the history's title"
control '{"fail": 50, "status": 500}'
keys J
wait_for "jump to time:"
keys C-u "$when" Enter
wait_for "history around $clock, 0 lines"
wait_for "Loki: "
title | grep -q "500" || fail "the title does not name the failure: $(title)"
stop_tmux

step "the demo holds its whole incident: J Enter goes to the alert's start"
start_sitrep 80 24 --demo
wait_for "CheckoutHighError"
# The logs take the selected alert's service (and start) once the
# selection rests: J offers that start from then on.
anchored() {
	keys 4 J
	screen_has "jump to time: 20" && return 0
	keys Escape 1
	sleep 0.5
	return 1
}
eventually anchored || fail "J does not offer the alert's start"
keys Enter z
wait_for "history around "
wait_for " lines  (G follows live)"
held_between 1000 2000 || fail "the demo's history holds $(held) lines"
screen | grep -q "checkout-7f9c6d-.. ERROR " ||
	fail "no error of checkout around the alert's start"
keys G
wait_for "following {env=\"demo\"}"
pass
