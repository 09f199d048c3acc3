#!/bin/bash
# alertmanager.sh: alerts from a real Alertmanager (Debian's
# prometheus-alertmanager), started here on 127.0.0.1 behind a Mimir-style
# prefix (/alertmanager), with no clustering. Three alerts are posted;
# `sitrep snapshot --json` shows each with the right service (the service
# label, else job), severity, summary, runbook and dashboard. Then the
# on-call engineer silences the checkout alert from the console: she sees
# the exact matchers before confirming, Alertmanager then holds a silence
# with those matchers, her name and comment, and the pane shows the alert
# silenced. From the alert's detail view she expires the silence again.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/alerts_lib.sh"
need_tmux
need_python

. "$SRCDIR/tests/integration/am_lib.sh"

step "Alertmanager starts on 127.0.0.1 under the prefix /alertmanager"
start_am 'route:
  receiver: blackhole
receivers:
  - name: blackhole'

step "Three alerts are firing"
starts=$(date -u -d '-20 min' +%Y-%m-%dT%H:%M:%SZ)
am_api POST /alerts '[
 {"labels": {"alertname": "CheckoutHighErrorRate", "service": "checkout",
   "severity": "critical", "env": "test", "job": "checkout-api"},
  "annotations": {"summary": "5xx ratio 1.6% over 5m",
   "description": "checkout returns errors",
   "runbook_url": "https://runbooks.example.test/checkout-5xx",
   "dashboard": "https://grafana.example.test/d/checkout"},
  "startsAt": "'"$starts"'"},
 {"labels": {"alertname": "NodeDiskFilling", "job": "node",
   "instance": "db-1:9100", "severity": "warning"},
  "annotations": {"summary": "disk 91% full"}},
 {"labels": {"alertname": "BackupLate", "service": "backup",
   "severity": "info"}}
]' >/dev/null || fail "cannot post alerts"

cat >"$TEST_TMP/config" <<EOF
[sitrep]
environment = test
refresh = 1h

[alertmanager]
url = $AM_URL
header = X-Scope-OrgID: team-a
user = maria@example.com
EOF

step "The snapshot shows each alert's service, severity and links"
"$SITREP" snapshot --json --config "$TEST_TMP/config" >"$TEST_TMP/snap.json" \
	2>"$TEST_TMP/err" || fail "snapshot failed: $(cat "$TEST_TMP/err")"
got=$(json '[(a["labels"]["alertname"], a["service"], a["severity"], a["status"]) for a in d["alerts"]]' <"$TEST_TMP/snap.json")
[ "$got" = '[["CheckoutHighErrorRate", "checkout", "critical", "triggered"], ["NodeDiskFilling", "node", "warning", "triggered"], ["BackupLate", "backup", "info", "triggered"]]' ] ||
	fail "unexpected alerts: $got"
checkout='[a for a in d["alerts"] if a["labels"]["alertname"] == "CheckoutHighErrorRate"][0]'
[ "$(json "$checkout[\"title\"]" <"$TEST_TMP/snap.json")" = "CheckoutHighErrorRate: 5xx ratio 1.6% over 5m" ] ||
	fail "title: $(json "$checkout[\"title\"]" <"$TEST_TMP/snap.json")"
[ "$(json "$checkout[\"runbook_url\"]" <"$TEST_TMP/snap.json")" = "https://runbooks.example.test/checkout-5xx" ] ||
	fail "no runbook"
[ "$(json "$checkout[\"dashboard_url\"]" <"$TEST_TMP/snap.json")" = "https://grafana.example.test/d/checkout" ] ||
	fail "no dashboard"
[ "$(json "$checkout[\"started_at\"]" <"$TEST_TMP/snap.json")" = "$starts" ] ||
	fail "startsAt not kept"
fp=$(json "$checkout[\"id\"]" <"$TEST_TMP/snap.json")
[ "$(am_api GET /alerts | json "[a['fingerprint'] for a in d if a['labels']['alertname'] == 'CheckoutHighErrorRate'][0]")" = "$fp" ] ||
	fail "the id is not the fingerprint"

step "She opens the console; the checkout alert is selected"
start_sitrep 120 40 --config "$TEST_TMP/config"
wait_for "CheckoutHighErrorRate: 5xx ratio"
screen | grep -F "CheckoutHighErrorRate" | grep -q "trig" || fail "not triggered"

step "s asks how long (1h offered) and why"
keys s
wait_for "silence for: 1h"
keys Enter
wait_for "comment:"
keys -l "rolling back checkout v2.14.0"
keys Enter

step "The silence is shown, matchers and all, before she confirms"
wait_for "New silence in alertmanager"
assert_screen_has 'alertname="CheckoutHighErrorRate"'
assert_screen_has 'service="checkout"'
assert_screen_has 'env="test"'
assert_screen_has 'job="checkout-api"'
assert_screen_has 'severity="critical"'
assert_screen_has "create this silence for CheckoutHighErrorRate? [y/N]"
[ "$(am_api GET /silences | json 'len(d)')" = 0 ] ||
	fail "a silence exists before she confirmed"
keys y
wait_for "silenced CheckoutHighErrorRate for 1h as maria@example.com: silence "

step "Alertmanager holds exactly that silence"
silences=$(am_api GET /silences)
[ "$(echo "$silences" | json 'len(d)')" = 1 ] || fail "silences: $silences"
matchers=$(echo "$silences" | json 'sorted((m["name"], m["value"], m["isRegex"], m.get("isEqual", True)) for m in d[0]["matchers"])')
[ "$matchers" = '[["alertname", "CheckoutHighErrorRate", false, true], ["env", "test", false, true], ["job", "checkout-api", false, true], ["service", "checkout", false, true], ["severity", "critical", false, true]]' ] ||
	fail "matchers: $matchers"
[ "$(echo "$silences" | json 'd[0]["createdBy"]')" = maria@example.com ] ||
	fail "createdBy: $(echo "$silences" | json 'd[0]["createdBy"]')"
[ "$(echo "$silences" | json 'd[0]["comment"]')" = "rolling back checkout v2.14.0" ] ||
	fail "comment: $(echo "$silences" | json 'd[0]["comment"]')"
[ "$(echo "$silences" | json 'd[0]["status"]["state"]')" = active ] || fail "not active"
python3 - "$silences" <<'EOF' || fail "the silence does not last about an hour"
import datetime, json, sys
s = json.loads(sys.argv[1])[0]
f = lambda t: datetime.datetime.fromisoformat(t.replace("Z", "+00:00"))
d = (f(s["endsAt"]) - f(s["startsAt"])).total_seconds()
sys.exit(0 if 3590 <= d <= 3610 else 1)
EOF
sid=$(echo "$silences" | json 'd[0]["id"]')
assert_screen_has "silence $sid"

step "The alert shows as silenced, in the pane and in Alertmanager"
TIMEOUT=5 eventually eval 'screen | grep -F "CheckoutHighErrorRate" | grep -q "sil"' ||
	fail "the row does not say sil"
[ "$(am_api GET /alerts | json "[a['status']['silencedBy'] for a in d if a['fingerprint'] == '$fp'][0]")" = "[\"$sid\"]" ] ||
	fail "Alertmanager does not see it silenced"
"$SITREP" snapshot --json --config "$TEST_TMP/config" >"$TEST_TMP/snap.json" 2>/dev/null
[ "$(json "$checkout[\"status\"]" <"$TEST_TMP/snap.json")" = silenced ] ||
	fail "the snapshot does not say silenced"
[ "$(json "$checkout[\"details\"][\"silenced_by\"]" <"$TEST_TMP/snap.json")" = "$sid" ] ||
	fail "the snapshot does not say by which silence"

step "s again on a silenced alert while one is running is refused"
keys s
wait_for "silence for: 1h"
keys Escape
wait_gone "silence for:"

step "From its detail view, u expires the silence after a y/N"
keys Enter
wait_for "silenced_by: $sid"
keys u
wait_for "expire silence ${sid:0:8}? it silences 1 alert [y/N]"
keys y
wait_for "expired silence $sid (HTTP 200)"
[ "$(am_api GET /silences | json 'd[0]["status"]["state"]')" = expired ] ||
	fail "the silence is not expired"
keys Escape
TIMEOUT=5 eventually eval 'screen | grep -F "CheckoutHighErrorRate" | grep -q "trig"' ||
	fail "the row does not say trig again"
pass
