#!/bin/bash
# pagerduty_contract.sh: every request sitrep's PagerDuty client makes is
# checked against PagerDuty's own OpenAPI document. Prism ($PRISM, by
# default node_modules/.bin/prism from `npm ci` at the top of the sources)
# mocks $CONTRACTS/pagerduty-openapiv3.json (configure's --with-contracts,
# by default the contracts beside the source tree where it is developed;
# without the document the test is skipped, 77) on 127.0.0.1 with --errors,
# so a request that breaks the contract (a missing From, a bad body, a
# wrong header) is answered 4xx. tests/integration/pd_drive sends the list
# and the change events of the last day, an incident's alerts, notes and
# related change events, its log entries (limit and offset, as the
# document pages them), acknowledge, resolve, note, snooze, reassign,
# escalate and a status update (POST .../status_updates with From)
# through the real backend; each must succeed, Prism must log no
# violation, and the client must parse Prism's examples into the incident
# and the deploys the document describes. Then `sitrep snapshot --json`
# does the same through the program. The token shows nowhere.
#
# One quirk of the document is mended in a copy: /change_events declares
# `since` and `until` with "pattern": "YYYY-MM-DDThh:mm:ssZ", a placeholder
# that no real timestamp matches as a regular expression (Prism rejects
# "2026-11-26T14:32:05Z" with it). The copy drops exactly those two
# patterns; "format": "date-time" still checks the value. And the
# document's own example answer of /incidents/{id}/log_entries matches
# none of the seventeen log entry schemas of its "oneOf" (Prism answers
# 500 to the valid request), so in the copy an entry of that answer is
# any object; the request, its limit and offset, is checked as written.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/alerts_lib.sh"
need_python
command -v node >/dev/null 2>&1 || skip "node is not installed"

PRISM=${PRISM:-$SRCDIR/node_modules/.bin/prism}
SPEC=${PAGERDUTY_OPENAPI:-${CONTRACTS:+$CONTRACTS/pagerduty-openapiv3.json}}
DRIVE=${PD_DRIVE:-$(dirname "$SITREP")/tests/integration/pd_drive}
[ -n "$SPEC" ] && [ -r "$SPEC" ] ||
	skip "PagerDuty's OpenAPI document is not here (${SPEC:-configure found none}): ./configure --with-contracts=DIR to check the requests against it"
[ -x "$PRISM" ] ||
	fail "Prism is missing: $PRISM (run \`npm ci\` in the sources, or configure PRISM=...)"
[ -x "$DRIVE" ] || fail "pd_drive is not built: $DRIVE"

step "A copy of the document without the placeholder patterns of since/until"
python3 - "$SPEC" "$TEST_TMP/openapi.json" <<'PY' || fail "cannot mend the document"
import json, sys
doc = json.load(open(sys.argv[1]))
mended = []
for name in ("change_since", "change_until"):
    schema = doc["components"]["parameters"][name]["schema"]
    assert schema.pop("pattern") == "YYYY-MM-DDThh:mm:ssZ", name
    assert schema["format"] == "date-time", name
    mended.append(name)
entries = doc["paths"]["/incidents/{id}/log_entries"]["get"]["responses"]["200"]
items = entries["content"]["application/json"]["schema"]["allOf"][1]["properties"]["log_entries"]["items"]
assert len(items.pop("oneOf")) == 17, "log entry schemas"
items["type"] = "object"
left = json.dumps(doc).count('"YYYY-MM-DDThh:mm:ssZ"')
assert left == 0, "%d placeholder patterns left" % left
json.dump(doc, open(sys.argv[2], "w"))
PY
SPEC=$TEST_TMP/openapi.json

PRISM_PID=
stop_prism() {
	[ -n "$PRISM_PID" ] && kill "$PRISM_PID" 2>/dev/null
	[ -n "$PRISM_PID" ] && wait "$PRISM_PID" 2>/dev/null
	PRISM_PID=
}
trap 'stop_prism; cleanup' EXIT

prism_listening() {
	grep -q "Prism is listening" "$TEST_TMP/prism.log"
}

step "Prism mocks PagerDuty's OpenAPI document on 127.0.0.1"
for try in 1 2 3; do
	PORT=$(free_port)
	"$PRISM" mock -h 127.0.0.1 -p "$PORT" --errors "$SPEC" \
		>"$TEST_TMP/prism.log" 2>&1 </dev/null &
	PRISM_PID=$!
	TIMEOUT=60 eventually prism_listening && break
	stop_prism
done
prism_listening || fail "Prism did not start: $(tail -5 "$TEST_TMP/prism.log")"
URL=http://127.0.0.1:$PORT

TOKEN=contract-token-7c1d9e
step "The client sends each request and parses each answer"
PD_TOKEN=$TOKEN "$DRIVE" "$URL" >"$TEST_TMP/drive.out" 2>&1 ||
	fail "a request broke the contract:
$(cat "$TEST_TMP/drive.out")
--- Prism:
$(grep -F "✖" "$TEST_TMP/prism.log" | tail -20)"
cat "$TEST_TMP/drive.out"
for want in "ok list" "ok changes" "ok details" "acknowledged PT4KHLK (HTTP 200)" \
    "resolved PT4KHLK (HTTP 200)" "note added to PT4KHLK (HTTP 200)" \
    "snoozed PT4KHLK (HTTP 201)" "reassigned PT4KHLK to PXPGF42 (HTTP 200)" \
    "reassigned PT4KHLK to 2 (HTTP 200)" "ok log entries" \
    "log Q02JTSNZWHSEKV|trigger_log_entry|Triggered through the API|My Mail Service|1446855260" \
    "status update posted on PT4KHLK (HTTP 200)"; do
	grep -qF -- "$want" "$TEST_TMP/drive.out" || fail "no \"$want\""
done

step "Prism saw every kind of request and found no violation"
sed -n '/Prism is listening/,$p' "$TEST_TMP/prism.log" >"$TEST_TMP/requests.log"
for want in "get /incidents " "get /change_events " \
    "get /incidents/PT4KHLK/alerts " "get /incidents/PT4KHLK/notes " \
    "get /incidents/PT4KHLK/related_change_events " "put /incidents/PT4KHLK " \
    "post /incidents/PT4KHLK/notes " "post /incidents/PT4KHLK/snooze " \
    "get /incidents/PT4KHLK/log_entries " \
    "post /incidents/PT4KHLK/status_updates "; do
	grep -qF -- "[HTTP SERVER] $want" "$TEST_TMP/requests.log" ||
		fail "Prism never saw \"$want\""
done
[ "$(grep -cF "put /incidents/PT4KHLK " "$TEST_TMP/requests.log")" = 4 ] ||
	fail "expected four PUTs (ack, resolve, reassign, escalate)"
if grep -qF "✖" "$TEST_TMP/requests.log"; then
	fail "Prism found violations: $(grep -F "✖" "$TEST_TMP/requests.log")"
fi
passed=$(grep -cF "[VALIDATOR] ✔  success" "$TEST_TMP/requests.log")
received=$(grep -cF "Request received" "$TEST_TMP/requests.log")
[ "$passed" = "$received" ] && [ "$received" -ge 13 ] ||
	fail "$received requests, $passed passed validation"

step "The document's example incident is parsed as the document says"
grep -qxF "incident PT4KHLK|error|resolved|My Mail Service|The server is on fire.|https://subdomain.pagerduty.com/incidents/PT4KHLK|1444167042|-" \
	"$TEST_TMP/drive.out" || fail "the example incident was misread"
for want in "detail priority: P2" "detail urgency: high" \
    "detail escalation_policy: Another Escalation Policy" \
    "customKey: Server is on fire!" \
    "Earline Greenholt: Firefighters are on the scene."; do
	grep -qF -- "$want" "$TEST_TMP/drive.out" || fail "no \"$want\""
done

step "The document's change events are deploys, and related changes a section"
for want in \
    "deploy 01BBYA6PEVW6A852BUO6QYUE7O|PEYSGRV|2|acme-build-pipeline-tool-default-i-9999|1594975378|https://acme.pagerduty.dev/build/2" \
    "deploy 01BBYA6PDIXPL8KO1HPIUL9CZN|PEYSGRV|1|acme-build-pipeline-tool-default-i-9999|1594971778|https://acme.pagerduty.dev/build/1" \
    "section related changes (2)" "correlation: most recent" \
    "correlation: related service" "link: https://acme.pagerduty.dev/build/2"; do
	grep -qF -- "$want" "$TEST_TMP/drive.out" || fail "no \"$want\""
done
# Sections come in a fixed order, whichever answer arrives first.
[ "$(grep -o "section [a-z ]*" "$TEST_TMP/drive.out" | tr '\n' ,)" = \
  "section alerts ,section notes ,section related changes ," ] ||
	fail "sections out of order: $(grep "section " "$TEST_TMP/drive.out")"

step "sitrep snapshot --json reads the same incident through the program"
write_secret "$TEST_TMP/token" "$TOKEN"
cat >"$TEST_TMP/config" <<EOF
[pagerduty]
url = $URL
token_file = $TEST_TMP/token
from = ic@example.com
teams = PQ9K7I8
EOF
changes_before=$(grep -cF "get /change_events " "$TEST_TMP/prism.log")
"$SITREP" snapshot --json --config "$TEST_TMP/config" >"$TEST_TMP/snap.json" \
	2>"$TEST_TMP/snap.err" || fail "snapshot failed: $(cat "$TEST_TMP/snap.err")"
[ "$(json '[(a["id"], a["service"], a["severity"], a["url"]) for a in d["alerts"]]' <"$TEST_TMP/snap.json")" = \
  '[["PT4KHLK", "My Mail Service", "error", "https://subdomain.pagerduty.com/incidents/PT4KHLK"]]' ] ||
	fail "snapshot: $(cat "$TEST_TMP/snap.json")"
# No services named: every change event of the team, none suspect (the
# document's incident is from 2015, its change events from 2020).
[ "$(json '[(e["source"], e["id"], e["service"], e["version"], e["suspect"]) for e in d["deploys"]]' <"$TEST_TMP/snap.json")" = \
  '[["pagerduty", "01BBYA6PEVW6A852BUO6QYUE7O", "PEYSGRV", "2", false], ["pagerduty", "01BBYA6PDIXPL8KO1HPIUL9CZN", "PEYSGRV", "1", false]]' ] ||
	fail "snapshot deploys: $(json 'd["deploys"]' <"$TEST_TMP/snap.json")"
[ "$(json 'd["sources"][0]["warning"]' <"$TEST_TMP/snap.json")" = None ] ||
	fail "a warning: $(json 'd["sources"][0]' <"$TEST_TMP/snap.json")"
[ "$(grep -cF "get /change_events " "$TEST_TMP/prism.log")" = \
  $((changes_before + 1)) ] || fail "snapshot did not ask for change events once"

step "The token is in no output"
if grep -rqF -- "$TOKEN" "$TEST_TMP/drive.out" "$TEST_TMP/snap.json" \
    "$TEST_TMP/snap.err" "$HOME" 2>/dev/null; then
	fail "the token leaked"
fi
pass
