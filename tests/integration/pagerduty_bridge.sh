#!/bin/bash
# pagerduty_bridge.sh: the incident commander works the bridge against a
# stateful PagerDuty (tests/fakes/fake_pagerduty.py). She opens the
# timeline narrowed to the incident: its log entries are fetched page by
# page (limit and offset, as PagerDuty pages them) and shown on
# PagerDuty's clock. She composes a status update, edits it in her
# $VISUAL (run in the action terminal, no shell), and posts it: PagerDuty
# gets POST /incidents/{id}/status_updates with From and the edited text.
# `sitrep timeline` lists the log entries, the post and the update.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/alerts_lib.sh"
need_tmux
need_python

TOKEN=pd-bridge-token-9f2
write_secret "$TEST_TMP/token" "$TOKEN"
NOW=$(date +%s)
cat >"$TEST_TMP/incidents.json" <<EOF
[
 {"id": "P0001", "title": "Checkout 5xx above 1%", "service": "checkout",
  "service_id": "PSVC1", "urgency": "high",
  "created_at": "$(date -u -d "@$((NOW - 1800))" +%Y-%m-%dT%H:%M:%SZ)"}
]
EOF
start_fake_pd --incidents "$TEST_TMP/incidents.json" --token "$TOKEN" \
	--log-entries 4 --page-max 2

cat >"$TEST_TMP/config" <<EOF
[sitrep]
environment = bridge
refresh = 1h

[pagerduty]
url = $FAKE_URL
token_file = $TEST_TMP/token
from = ic@example.com
services = PSVC1
EOF

# The editor: adds a line to the file it is given, as a person would.
cat >"$TEST_TMP/editor" <<'EOF'
#!/bin/sh
printf 'Edited in the editor.\n' >>"$1"
EOF
chmod +x "$TEST_TMP/editor"

step "The timeline narrowed to the incident fetches its log, every page"
start_sitrep 120 40 "VISUAL=$TEST_TMP/editor" --config "$TEST_TMP/config"
wait_for "Checkout 5xx above 1%"
keys 1 g H
wait_for "Timeline of bridge"
keys H
wait_for "incident pagerduty/P0001"
wait_for "Notified on-call 3 by SMS"
wait_for "Triggered through the API"
screen | grep "Notified on-call 0 by SMS" | grep -q " source " ||
	fail "log entries are not on PagerDuty's clock"
offsets=$(fake_get /_log | json '[(e["query"].get("limit", ["-"])[0], e["query"].get("offset", ["-"])[0]) for e in d if e["path"].endswith("/log_entries")]')
[ "$offsets" = '[["100", "0"], ["100", "2"], ["100", "4"]]' ] ||
	fail "log entry pages asked for: $offsets"
keys Escape

step "u composes a status update; v edits it in \$VISUAL"
keys P
wait_for "Status update on P0001"
assert_screen_has "Affected: checkout"
keys e
wait_for "s on the status line"
keys v
wait_for "Edited in the editor."
wait_for "p post"

step "p posts it to PagerDuty with From"
keys p
wait_for "status update posted on P0001 (HTTP 200)"
fake_get /_state | json 'd[0]["_status_updates"][0]["message"]' >"$TEST_TMP/msg"
grep -q "^Affected: checkout" "$TEST_TMP/msg" &&
	grep -q "^Edited in the editor.$" "$TEST_TMP/msg" ||
	fail "PagerDuty got: $(cat "$TEST_TMP/msg")"
[ "$(fake_get /_state | json 'd[0]["_status_updates"][0]["sender"]')" = \
  ic@example.com ] || fail "no From on the status update"
keys Escape
wait_for "status update posted on P0001"
keys q

step "sitrep timeline lists the log, the post and the update"
"$SITREP" timeline --config "$TEST_TMP/config" --incident P0001 \
	>"$TEST_TMP/out" || fail "sitrep timeline failed"
cat "$TEST_TMP/out"
grep -q "source incident log .*Triggered through the API by Fake CI" "$TEST_TMP/out" ||
	fail "no trigger entry"
[ "$(grep -c "Notified on-call . by SMS" "$TEST_TMP/out")" = 4 ] ||
	fail "not every notification"
grep -q "sitrep action ended .*status-update pagerduty/P0001 .*(HTTP 200)" "$TEST_TMP/out" ||
	fail "the post is not in the timeline"
grep -q "sitrep status update .*Edited in the editor." "$TEST_TMP/out" ||
	fail "the update is not in the timeline"

pass
