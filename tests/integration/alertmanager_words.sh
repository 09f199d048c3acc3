#!/bin/bash
# alertmanager_words.sh: what the console says about silences and
# inhibitions, against a real Alertmanager (tests/integration/am_lib.sh),
# at 80x24 and 200x50. ClusterDown inhibits the warnings of its cluster;
# ops-bot silenced every Checkout* alert with one regex silence.
# - the inhibited NodeDiskFilling's detail says "inhibited by ClusterDown",
#   not "silenced"; u on it says it is inhibited, and by ClusterDown,
#   rather than "<fingerprint> is not silenced";
# - u on a Checkout alert shows, before the y/N, both alerts the regex
#   silence holds (expiring it wakes both);
# - a new silence names who it is created by (createdBy), before and after
#   the y;
# - with Alertmanager gone, expiring reads "expire silence ID failed: ...":
#   the verb, then the failure.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/alerts_lib.sh"
need_tmux
need_python
. "$SRCDIR/tests/integration/am_lib.sh"

step "Alertmanager with an inhibit rule; five alerts; one regex silence"
start_am 'route:
  receiver: blackhole
receivers:
  - name: blackhole
inhibit_rules:
  - source_matchers: [alertname="ClusterDown"]
    target_matchers: [severity="warning"]
    equal: [cluster]'
am_api POST /alerts '[
 {"labels": {"alertname": "ClusterDown", "cluster": "eu", "severity": "critical"}},
 {"labels": {"alertname": "NodeDiskFilling", "cluster": "eu", "severity": "warning"},
  "annotations": {"summary": "disk 91% full"}},
 {"labels": {"alertname": "CheckoutHighErrorRate", "service": "checkout",
   "severity": "critical"}, "annotations": {"summary": "5xx ratio 1.6%"}},
 {"labels": {"alertname": "CheckoutLatency", "service": "checkout",
   "severity": "warning"}, "annotations": {"summary": "p99 2s"}},
 {"labels": {"alertname": "BackupLate", "service": "backup", "severity": "info"}}
]' >/dev/null || fail "cannot post alerts"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
later=$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)
sid=$(am_api POST /silences '{"matchers": [{"name": "alertname",
  "value": "Checkout.*", "isRegex": true, "isEqual": true}],
  "startsAt": "'"$now"'", "endsAt": "'"$later"'", "createdBy": "ops-bot",
  "comment": "checkout maintenance"}' | json 'd["silenceID"]') ||
	fail "cannot create the silence"
alerts=$(am_api GET /alerts)
fp() {
	echo "$alerts" | json "[a['fingerprint'] for a in d if a['labels']['alertname'] == '$1'][0]"
}
cluster_fp=$(fp ClusterDown)
disk_fp=$(fp NodeDiskFilling)
[ "$(echo "$alerts" | json "[a['status']['inhibitedBy'] for a in d if a['fingerprint'] == '$disk_fp'][0]")" = "[\"$cluster_fp\"]" ] ||
	fail "Alertmanager does not inhibit NodeDiskFilling: $alerts"

cat >"$TEST_TMP/config" <<EOF
[sitrep]
environment = test
refresh = 1h

[alertmanager]
url = $AM_URL
user = maria@example.com
EOF

# only ALERTNAME: filter the pane to that alert, which is then selected.
only() {
	keys f C-u
	wait_for "filter alerts"
	keys -l "$1"
	keys Enter
	wait_gone "filter alerts"
	wait_for "filter \""
}

check_words() {
	local cols=$1 rows=$2 last=$3

	step "At ${cols}x${rows}: u on an inhibited alert says by what"
	start_sitrep "$cols" "$rows" --config "$TEST_TMP/config"
	wait_for "NodeDiskFilling"
	only NodeDiskFilling
	keys Enter
	wait_for "inhibited_by: $cluster_fp"
	assert_screen_has "status: inhibited by ClusterDown ($cluster_fp)"
	keys u
	wait_for "expire silence: NodeDiskFilling is inhibited by ClusterDown, not silenced"
	assert_screen_lacks "$disk_fp is not silenced"
	keys Escape

	step "u on a Checkout alert lists both alerts the regex silence holds"
	keys Escape
	only CheckoutHighErrorRate
	keys Enter
	wait_for "silenced_by: $sid"
	keys u
	wait_for "Expire silence $sid in alertmanager"
	wait_for "expire silence ${sid:0:8}? it silences 2 alerts [y/N]"
	assert_screen_has "CheckoutHighErrorRate"
	assert_screen_has "CheckoutLatency"
	assert_screen_lacks "BackupLate"
	keys Escape
	wait_for "expire silence ${sid:0:8} cancelled: no silence expired"

	step "a new silence says who creates it, before and after the y"
	only BackupLate
	keys s
	wait_for "silence for: 1h"
	keys Enter
	wait_for "comment:"
	keys -l "backups move tonight"
	keys Enter
	wait_for "New silence in alertmanager"
	assert_screen_has "created by: maria@example.com"
	if [ "$last" != yes ]; then
		keys Escape
		wait_for "no silence created"
		return
	fi
	keys y
	wait_for "silenced BackupLate for 1h as maria@example.com: silence"

	step "Alertmanager goes away: expiring says the verb, then the failure"
	keys f C-u Enter
	only CheckoutLatency
	keys Enter
	wait_for "silenced_by: $sid"
	stop_am
	keys u
	wait_for "expire silence ${sid:0:8}? it silences 2 alerts [y/N]"
	keys y
	wait_for "expire silence $sid failed: "
	assert_screen_lacks "expired silence $sid failed"
}

check_words 80 24 no
check_words 200 50 yes
pass
