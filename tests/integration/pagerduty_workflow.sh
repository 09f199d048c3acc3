#!/bin/bash
# pagerduty_workflow.sh: the incident commander works PagerDuty incidents
# from the console, against a stateful fake PagerDuty
# (tests/fakes/fake_pagerduty.py) on 127.0.0.1. CI sent PagerDuty a change
# event six minutes before the checkout incident: the Deploys pane flags
# that deploy as suspect, the incident's row and detail name it, and the
# detail lists the incident's related changes. She acknowledges the worst
# incident and sees it acknowledged at once (the refresh timer is an hour
# away), resolves it and sees it leave; filters to another, adds a note,
# reads the incident's alerts and notes, snoozes it, reassigns it; presses
# acknowledge twice in a hurry and sends one request. PagerDuty then rate
# limits (429 with ratelimit-reset): the header says so and nothing is sent
# until the reset; a 500 and a garbage body show as source errors, change
# events failing as a note in the Deploys pane. Without the console:
# listing follows every page; change events failing is a warning, not a
# failed refresh, and `change_events = no` stops asking; a wrong token is
# "token rejected" and the token is nowhere in what sitrep prints or logs.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/alerts_lib.sh"
need_tmux
need_python

TOKEN=pd-test-token-5ecret
write_secret "$TEST_TMP/token" "$TOKEN"

# iso SECONDS_AGO: that moment in PagerDuty's form. One "now" for all, so
# that the gaps between fixtures are exact whatever second each is made in.
NOW=$(date +%s)
iso() {
	date -u -d "@$((NOW - $1))" +%Y-%m-%dT%H:%M:%SZ
}

# The checkout incident began half an hour ago, the inventory one ten
# minutes ago (so that checkout stays on top when both are acknowledged).
cat >"$TEST_TMP/incidents.json" <<EOF
[
 {"id": "P0001", "title": "Checkout 5xx above 1%", "service": "checkout",
  "service_id": "PSVC1", "urgency": "high",
  "created_at": "$(iso 1800)"},
 {"id": "P0002", "title": "Payments latency p99 2s", "service": "payments",
  "service_id": "PSVC3", "urgency": "low",
  "created_at": "2026-01-01T00:05:00Z"},
 {"id": "P0003", "title": "Inventory disk 91% full", "service": "inventory",
  "service_id": "PSVC2", "urgency": "high", "status": "acknowledged",
  "created_at": "$(iso 600)"},
 {"id": "P0004", "title": "Not one of ours", "service": "other",
  "service_id": "POTHER", "urgency": "high"}
]
EOF

# What CI told PagerDuty: checkout v2.14.0 six minutes before the incident;
# inventory three hours ago (no incident follows it); a service nobody
# watches; and a deploy older than a day.
cat >"$TEST_TMP/changes.json" <<EOF
[
 {"id": "C0001", "service_id": "PSVC1", "service": "checkout",
  "version": "v2.14.0", "author": "maria", "timestamp": "$(iso 2160)"},
 {"id": "C0002", "service_id": "POTHER", "service": "other",
  "version": "v9.9.9", "timestamp": "$(iso 600)"},
 {"id": "C0003", "service_id": "PSVC2", "service": "inventory",
  "version": "v0.9.13", "timestamp": "$(iso 10800)"},
 {"id": "C0004", "service_id": "PSVC2", "service": "inventory",
  "version": "v0.9.12", "timestamp": "$(iso 108000)"}
]
EOF

# config URL [TOKEN_FILE]: the test's config file.
config() {
	cat >"$TEST_TMP/config" <<EOF
[sitrep]
environment = test
refresh = 1h

[pagerduty]
url = $1
token_file = ${2:-$TEST_TMP/token}
from = ic@example.com
services = PSVC1, PSVC2, PSVC3
EOF
}

# The requests the fake saw that match a Python condition on "e".
requests() {
	fake_get /_log | json "[e for e in d if $1]"
}

count_requests() {
	fake_get /_log | json "len([e for e in d if $1])"
}

alert_row() {
	screen | grep -F -- "$1"
}

row_has() {
	alert_row "$1" | grep -qF -- "$2"
}

step "PagerDuty has four open incidents, three on the services watched"
start_fake_pd --incidents "$TEST_TMP/incidents.json" \
	--changes "$TEST_TMP/changes.json" --token "$TOKEN"
config "$FAKE_URL"

step "Listing follows every page: five incidents, two per page"
start_fake_pd --generate 5 --page-max 2 --token "$TOKEN"
PAGED_URL=$FAKE_URL
config "$PAGED_URL"
"$SITREP" snapshot --json --config "$TEST_TMP/config" >"$TEST_TMP/paged.json" ||
	fail "snapshot of the paged fake failed"
[ "$(json 'len(d["alerts"])' <"$TEST_TMP/paged.json")" = 5 ] ||
	fail "expected 5 incidents over 3 pages: $(cat "$TEST_TMP/paged.json")"
offsets=$(fake_get /_log | json '[e["query"]["offset"][0] for e in d if e["path"] == "/incidents"]')
[ "$offsets" = '["0", "2", "4"]' ] || fail "pages asked for: $offsets"
fake_get /_log | json '[e["query"] for e in d][0]' | grep -q '"statuses\[\]": \["triggered", "acknowledged"\]' ||
	fail "the list must ask for triggered and acknowledged incidents"

step "max_incidents cuts a long list short, and says so"
echo "max_incidents = 3" >>"$TEST_TMP/config"
"$SITREP" snapshot --json --config "$TEST_TMP/config" >"$TEST_TMP/paged.json" ||
	fail "snapshot of the paged fake failed"
[ "$(json 'len(d["alerts"])' <"$TEST_TMP/paged.json")" = 3 ] ||
	fail "expected 3 incidents: $(cat "$TEST_TMP/paged.json")"
[ "$(json 'd["sources"][0]["warning"]' <"$TEST_TMP/paged.json")" = \
  "showing the first 3 incidents" ] || fail "no warning about the cut"

step "The snapshot shows each incident's urgency, status, service and link"
start_fake_pd --incidents "$TEST_TMP/incidents.json" \
	--changes "$TEST_TMP/changes.json" --token "$TOKEN"
config "$FAKE_URL"
"$SITREP" snapshot --json --config "$TEST_TMP/config" >"$TEST_TMP/snap.json" ||
	fail "snapshot failed"
[ "$(json '[(a["id"], a["severity"], a["status"], a["service"]) for a in d["alerts"]]' <"$TEST_TMP/snap.json")" = \
  '[["P0001", "critical", "triggered", "checkout"], ["P0003", "critical", "acknowledged", "inventory"], ["P0002", "warning", "triggered", "payments"]]' ] ||
	fail "unexpected incidents: $(json '[(a["id"], a["severity"], a["status"], a["service"]) for a in d["alerts"]]' <"$TEST_TMP/snap.json")"
[ "$(json 'd["alerts"][0]["url"]' <"$TEST_TMP/snap.json")" = \
  "https://fake.pagerduty.test/incidents/P0001" ] || fail "no html_url"

step "The change event six minutes before the checkout incident is suspect"
[ "$(json '[(e["id"], e["service"], e["version"], e["author"], e["suspect"]) for e in d["deploys"]]' <"$TEST_TMP/snap.json")" = \
  '[["C0001", "checkout", "v2.14.0", "maria", true], ["C0003", "inventory", "v0.9.13", "fake-ci", false]]' ] ||
	fail "unexpected deploys: $(json 'd["deploys"]' <"$TEST_TMP/snap.json")"
[ "$(json '[(a["id"], a["suspect_deploy"]) for a in d["alerts"]]' <"$TEST_TMP/snap.json")" = \
  '[["P0001", "checkout v2.14.0"], ["P0003", null], ["P0002", null]]' ] ||
	fail "the checkout incident does not name its suspect deploy"
[ "$(json 'd["sources"][0]["warning"]' <"$TEST_TMP/snap.json")" = None ] ||
	fail "a warning: $(json 'd["sources"][0]["warning"]' <"$TEST_TMP/snap.json")"
# One request for the last day, after the incidents.
[ "$(fake_get /_log | json '[e["path"] for e in d]')" = \
  '["/incidents", "/change_events"]' ] ||
	fail "requests: $(fake_get /_log | json '[e["path"] for e in d]')"
since=$(fake_get /_log | json '[e["query"]["since"][0] for e in d if e["path"] == "/change_events"][0]')
python3 -c '
import sys, time, calendar
since = calendar.timegm(time.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ"))
sys.exit(0 if abs(time.time() - 86400 - since) < 120 else 1)' "$since" ||
	fail "since=$since is not a day ago"

step "She starts the console; the refresh timer is an hour away"
start_sitrep 120 40 --config "$TEST_TMP/config"
wait_for "Checkout 5xx above 1%"
assert_screen_lacks "Not one of ours"
row_has "Checkout 5xx above 1%" "trig" || fail "P0001 is not triggered"

step "Deploys flags checkout v2.14.0 (⚑); the incident's row names it"
wait_for "v0.9.13"
screen | grep -Eq '│⚑ +[0-9]+m checkout +v2\.14\.0 +6m before' ||
	fail "no suspect (⚑) checkout v2.14.0 row in Deploys"
screen | grep -Eq '│ +[0-9]+h inventory +v0\.9\.13' ||
	fail "the inventory deploy is missing or flagged"
assert_screen_lacks "v9.9.9"
assert_screen_lacks "v0.9.12"
row_has "Checkout 5xx above 1%" "⚑ v2.14.0 Checkout 5xx above 1%" ||
	fail "the checkout row does not name the suspect deploy"

step "Enter shows the suspect deploy and the incident's related changes"
keys Enter
wait_for "related changes (1)"
assert_screen_has "suspect deploy: checkout v2.14.0 (6m before)"
assert_screen_has "(6m before): checkout v2.14.0 by maria: Deploy v2.14.0"
assert_screen_has "correlation: related service"
keys Escape
wait_gone "related changes (1)"

step "a acknowledges the selected incident; the row says so at once"
keys a
wait_for "acknowledged P0001 (HTTP 200)"
TIMEOUT=5 eventually row_has "Checkout 5xx above 1%" "ack" ||
	fail "the row did not turn to ack without waiting for the timer"
[ "$(count_requests 'e["method"] == "PUT" and e["from"] == "ic@example.com" and "acknowledged" in e["body"]')" = 1 ] ||
	fail "one PUT with From and status acknowledged expected: $(requests 'e["method"] == "PUT"')"
# The audit log (issue 6): one start and one end line, HTTP 200, no token.
python3 - "$XDG_STATE_HOME/sitrep/audit.log" <<'EOF' ||
import json, sys
acks = [json.loads(l) for l in open(sys.argv[1]) if '"action":"ack"' in l]
assert [a["event"] for a in acks] == ["start", "end"], acks
assert acks[0]["id"] == acks[1]["id"] and acks[1]["http_status"] == 200, acks
EOF
	fail "the audit log lacks the acknowledgement's two lines"
grep -q "$TOKEN" "$XDG_STATE_HOME/sitrep/audit.log" &&
	fail "the token is in the audit log"

step "R asks first; y resolves it and it leaves the list"
keys R
wait_for "resolve P0001"
assert_screen_has "[y/N]"
keys n
wait_for "resolve P0001 cancelled: not resolved"
assert_screen_has "Checkout 5xx above 1%"
keys R
wait_for "[y/N]"
keys y
wait_for "resolved P0001 (HTTP 200)"
wait_gone "Checkout 5xx above 1%" 5

step "f filters the pane to the payments incident; the title says so"
keys f
wait_for "filter alerts"
keys -l "payments"
keys Enter
wait_for 'filter "payments": 1 shown'
assert_screen_lacks "Inventory disk 91% full"
assert_screen_has "Payments latency p99 2s"

step "m adds a note typed on the status line"
keys m
wait_for "note on P0002:"
keys -l "Rolled back checkout; watching"
keys Enter
wait_for "note added to P0002 (HTTP 200)"
fake_get /_state | json '[i["_notes"][0]["content"] for i in d if i["id"] == "P0002"][0]' |
	grep -qx "Rolled back checkout; watching" || fail "the fake has no such note"

step "Enter shows the incident with its alerts and notes from PagerDuty"
keys Enter
wait_for "notes (1)"
assert_screen_has "Rolled back checkout; watching"
assert_screen_has "alerts (1)"
assert_screen_has "host: web-1"
assert_screen_has "https://fake.pagerduty.test/incidents/P0002"
keys Escape
wait_gone "notes (1)"

step "Z snoozes it for the hour offered"
keys Z
wait_for "snooze P0002 for: 1h"
keys Enter
wait_for "snoozed P0002 (HTTP 201)"
[ "$(fake_get /_state | json '[i["_snoozed"] for i in d if i["id"] == "P0002"][0]')" = 3600 ] ||
	fail "the fake was not asked to snooze for 3600s"

step "e reassigns it to a user"
keys e
wait_for "reassign P0002 to"
keys -l PUSER42
keys Enter
wait_for "reassigned P0002 to PUSER42 (HTTP 200)"
[ "$(fake_get /_state | json '[i["assignments"][0]["assignee"]["id"] for i in d if i["id"] == "P0002"][0]')" = PUSER42 ] ||
	fail "the fake has no such assignment"

step "An empty filter shows every incident again"
keys f
wait_for "filter alerts"
keys C-u Enter
wait_for "Inventory disk 91% full"
assert_screen_lacks 'filter "'

step "a pressed twice while PagerDuty is slow sends one request"
fake_control '{"write_delay": 2}'
keys Up Up Up
before=$(count_requests 'e["method"] == "PUT" and "acknowledged" in e["body"]')
keys a a
wait_for "already in progress"
wait_for "(HTTP 200)" 8
fake_control '{"write_delay": 0}'
sleep 1
after=$(count_requests 'e["method"] == "PUT" and "acknowledged" in e["body"]')
[ $((after - before)) = 1 ] || fail "$((after - before)) acknowledgements sent for one intent"

step "PagerDuty answers 429: the header says so and nothing is sent until the reset"
fake_control '{"fault": "429", "count": 1, "reset": 4}'
lists=$(count_requests 'e["path"] == "/incidents"')
keys C-r
wait_for "rate limited, retry in"
keys C-r
sleep 0.5
keys C-r
sleep 1
[ "$(count_requests 'e["path"] == "/incidents"')" = $((lists + 1)) ] ||
	fail "requests were sent while rate limited: $(requests 'e["path"] == "/incidents"')"
sleep 3.5
keys C-r
wait_for "pagerduty ok"
gap=$(fake_get /_log | json '[e["time"] for e in d if e["path"] == "/incidents"][-1] - [e["time"] for e in d if e["path"] == "/incidents" and e["status"] == 429][-1]')
python3 -c "import sys; sys.exit(0 if float('$gap') >= 3.9 else 1)" ||
	fail "the next list came ${gap}s after the 429 (reset was 4s)"

step "A 500 and a garbage body are source errors, the pane says how old it is"
fake_control '{"fault": "500", "count": 1}'
keys C-r
wait_for "HTTP 500"
assert_screen_has "Payments latency p99 2s"
fake_control '{"fault": "garbage", "count": 1}'
keys C-r
wait_for "bad JSON"
keys C-r
wait_for "pagerduty ok"

step "Change events failing: Deploys says so and keeps what it had"
fake_control '{"changes_fault": "500", "count": 1}'
keys C-r
wait_for "pagerduty: change events: HTTP 500"
# Not a failed refresh: the header names a warning, the pane says what.
assert_screen_has "pagerduty warning"
assert_screen_lacks "pagerduty failing"
assert_screen_has "v0.9.13"
keys C-r
wait_gone "change events: HTTP 500" 5
stop_tmux

step "The same errors make snapshot fail with the reason"
fake_control '{"fault": "500", "count": 1}'
"$SITREP" snapshot --config "$TEST_TMP/config" >/dev/null 2>"$TEST_TMP/err" &&
	fail "snapshot succeeded on a 500"
grep -q "HTTP 500" "$TEST_TMP/err" || fail "no HTTP 500 in: $(cat "$TEST_TMP/err")"
fake_control '{"fault": "garbage", "count": 1}'
"$SITREP" snapshot --config "$TEST_TMP/config" >/dev/null 2>"$TEST_TMP/err" &&
	fail "snapshot succeeded on garbage"
grep -q "bad JSON" "$TEST_TMP/err" || fail "no bad JSON in: $(cat "$TEST_TMP/err")"
fake_control '{"fault": "429", "count": 1, "reset": 30}'
"$SITREP" snapshot --config "$TEST_TMP/config" >/dev/null 2>"$TEST_TMP/err" &&
	fail "snapshot succeeded on a 429"
grep -q "rate limited, retry in 30s" "$TEST_TMP/err" ||
	fail "no rate limit in: $(cat "$TEST_TMP/err")"

step "Change events failing is a warning: the incidents still count"
start_fake_pd --incidents "$TEST_TMP/incidents.json" \
	--changes "$TEST_TMP/changes.json" --token "$TOKEN"
config "$FAKE_URL"
fake_control '{"changes_fault": "500", "count": 1}'
"$SITREP" snapshot --json --config "$TEST_TMP/config" >"$TEST_TMP/warn.json" \
	2>"$TEST_TMP/err" || fail "snapshot failed: $(cat "$TEST_TMP/err")"
[ "$(json '[d["sources"][0]["ok"], d["sources"][0]["warning"], len(d["alerts"])]' <"$TEST_TMP/warn.json")" = \
  '[true, "change events: HTTP 500: Internal Server Error", 3]' ] ||
	fail "not a warning: $(json 'd["sources"]' <"$TEST_TMP/warn.json")"

step "change_events = no: no such request, no deploys"
echo "change_events = no" >>"$TEST_TMP/config"
before=$(count_requests 'e["path"] == "/change_events"')
"$SITREP" snapshot --json --config "$TEST_TMP/config" >"$TEST_TMP/off.json" ||
	fail "snapshot failed with change_events = no"
[ "$(json 'len(d["deploys"])' <"$TEST_TMP/off.json")" = 0 ] ||
	fail "deploys without change events: $(json 'd["deploys"]' <"$TEST_TMP/off.json")"
[ "$(count_requests 'e["path"] == "/change_events"')" = "$before" ] ||
	fail "change events were asked for"

step "A wrong token is rejected, and no token shows anywhere"
write_secret "$TEST_TMP/wrong" "wrong-token-0451"
config "$FAKE_URL" "$TEST_TMP/wrong"
"$SITREP" snapshot --json --config "$TEST_TMP/config" >"$TEST_TMP/out" 2>"$TEST_TMP/err" &&
	fail "snapshot succeeded with a wrong token"
grep -q "token rejected (HTTP 401)" "$TEST_TMP/err" ||
	fail "no token rejected in: $(cat "$TEST_TMP/err")"
if grep -rqF -e "$TOKEN" -e "wrong-token-0451" "$TEST_TMP/out" "$TEST_TMP/err" \
    "$HOME/.local/state" 2>/dev/null; then
	fail "a token appears in sitrep's output or logs"
fi

step "A token file others may read is refused, as ssh does"
chmod 644 "$TEST_TMP/wrong"
"$SITREP" check-config --config "$TEST_TMP/config" 2>"$TEST_TMP/err" &&
	fail "check-config accepted a token file readable by others"
grep -q "too open" "$TEST_TMP/err" || fail "no reason given: $(cat "$TEST_TMP/err")"
pass
