#!/bin/bash
# am_replicas.sh: two real Alertmanagers (Debian's prometheus-alertmanager)
# clustered on 127.0.0.1 with --cluster.peer, named as replicas of one
# source (`url` twice). The same 30 alerts are posted to both, as
# Prometheus does; sitrep shows each once, the same set as `amtool alert
# query` finds on each replica. A silence made from the console is written
# to one replica alone, gossiped to the other, and the alert shows once,
# silenced. With the first replica stopped, the alerts stay and the header
# names the replica that fails; the source stays healthy. A third
# Alertmanager, alone, is another environment (staging) holding two of the
# same alerts: they are rows of their own, under staging, and
# `--environment staging` shows them alone.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/alerts_lib.sh"
need_tmux
need_python

AM=${ALERTMANAGER:-$(command -v prometheus-alertmanager || echo /usr/bin/prometheus-alertmanager)}
AMTOOL=${AMTOOL:-$(command -v amtool || echo /usr/bin/amtool)}
[ -x "$AM" ] || fail "prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)"
[ -x "$AMTOOL" ] || fail "amtool is not installed (it comes with prometheus-alertmanager)"

PIDS=()
stop_all() {
	local p
	for p in "${PIDS[@]}"; do
		[ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	PIDS=()
}
trap 'stop_all; cleanup' EXIT

ready() {
	python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
		"$1/-/ready" 2>/dev/null
}

# api URL METHOD PATH [JSON]: Alertmanager's API v2, printing the answer.
api() {
	python3 - "$2" "$1/api/v2$3" "${4:-}" <<'EOF'
import sys, urllib.request
method, url, body = sys.argv[1], sys.argv[2], sys.argv[3]
req = urllib.request.Request(url, data=body.encode() if body else None,
                             method=method,
                             headers={"Content-Type": "application/json"})
sys.stdout.write(urllib.request.urlopen(req, timeout=5).read().decode())
EOF
}

cat >"$TEST_TMP/am.yml" <<'EOF'
route:
  receiver: blackhole
receivers:
  - name: blackhole
EOF

# start_am N [PEER]: replica N on free ports; its URL in URL_N, its
# cluster address in CLUSTER_N, its pid in PIDS[N].
start_am() {
	local n=$1 peer=${2:-} try port cport url
	for try in 1 2 3; do
		port=$(free_port)
		cport=$(free_port)
		url=http://127.0.0.1:$port
		"$AM" --config.file="$TEST_TMP/am.yml" --storage.path="$TEST_TMP/am$n" \
			--web.listen-address="127.0.0.1:$port" \
			--cluster.listen-address="127.0.0.1:$cport" \
			--cluster.advertise-address="127.0.0.1:$cport" \
			${peer:+--cluster.peer="$peer"} \
			>"$TEST_TMP/am$n.log" 2>&1 </dev/null &
		PIDS[n]=$!
		TIMEOUT=15 eventually ready "$url" && break
		kill "${PIDS[n]}" 2>/dev/null
		wait "${PIDS[n]}" 2>/dev/null
		PIDS[n]=
	done
	ready "$url" || fail "Alertmanager $n did not start: $(tail -5 "$TEST_TMP/am$n.log")"
	eval "URL_$n=\$url; CLUSTER_$n=127.0.0.1:\$cport; PORT_$n=\$port"
}

step "Two Alertmanager replicas start on 127.0.0.1 and join one cluster"
start_am 1
start_am 2 "$CLUSTER_1"
members() { api "$1" GET /status | json 'len(d["cluster"]["peers"])'; }
TIMEOUT=20 eventually eval '[ "$(members "$URL_1")" = 2 ]' ||
	fail "the replicas did not join: $(api "$URL_1" GET /status)"

step "A third Alertmanager, not in the cluster, for staging"
start_am 3

step "The same 30 alerts are posted to both, as Prometheus does"
alerts=$(python3 - <<'EOF'
import json
sev = ["critical", "warning", "info"]
print(json.dumps([{"labels": {"alertname": "Replica%02d" % i,
                              "service": "svc%d" % (i % 5),
                              "severity": sev[i % 3]},
                   "annotations": {"summary": "number %d" % i}}
                  for i in range(30)]))
EOF
)
api "$URL_1" POST /alerts "$alerts" >/dev/null || fail "cannot post to replica 1"
api "$URL_2" POST /alerts "$alerts" >/dev/null || fail "cannot post to replica 2"
api "$URL_3" POST /alerts "$(echo "$alerts" | json 'd[:2]')" >/dev/null ||
	fail "cannot post to staging"

cat >"$TEST_TMP/config" <<EOF
[sitrep]
environment = prod
refresh = 2s

[alertmanager "prod"]
url = $URL_1
url = $URL_2
user = maria@example.com

[alertmanager "staging"]
url = $URL_3
environment = staging
EOF

step "The snapshot shows each alert once, the set amtool finds on each replica"
"$SITREP" snapshot --json --config "$TEST_TMP/config" >"$TEST_TMP/snap.json" \
	2>"$TEST_TMP/err" || fail "snapshot failed: $(cat "$TEST_TMP/err")"
[ "$(json '[len([a for a in d["alerts"] if a["environment"] == e]) for e in ("prod", "staging")]' <"$TEST_TMP/snap.json")" = "[30, 2]" ] ||
	fail "not 30 prod rows and 2 staging: $(json '[(a["environment"], a["title"]) for a in d["alerts"]]' <"$TEST_TMP/snap.json")"
[ "$(json 'sorted(a["environment"] for a in d["alerts"] if a["title"] == "Replica00: number 0")' <"$TEST_TMP/snap.json")" = '["prod", "staging"]' ] ||
	fail "the same alert in two environments is not two rows"
ours=$(json 'sorted(a["id"] for a in d["alerts"] if a["environment"] == "prod")' <"$TEST_TMP/snap.json")
for n in 1 2; do
	eval "url=\$URL_$n"
	theirs=$("$AMTOOL" --alertmanager.url="$url" alert query -o json |
		json 'sorted(a["fingerprint"] for a in d)')
	[ "$ours" = "$theirs" ] || fail "replica $n has other alerts: $theirs, sitrep: $ours"
done
[ "$(json 'd["sources"][0]["ok"]' <"$TEST_TMP/snap.json")" = True ] ||
	fail "the source is not healthy"
[ "$(json 'd["sources"][0]["warning"]' <"$TEST_TMP/snap.json")" = None ] ||
	fail "a warning with both replicas up: $(json 'd["sources"][0]["warning"]' <"$TEST_TMP/snap.json")"
"$SITREP" snapshot --json --environment staging --config "$TEST_TMP/config" \
	>"$TEST_TMP/stg.json" 2>"$TEST_TMP/err" || fail "snapshot --environment failed: $(cat "$TEST_TMP/err")"
[ "$(json 'sorted(a["id"] for a in d["alerts"])' <"$TEST_TMP/stg.json")" = \
	"$("$AMTOOL" --alertmanager.url="$URL_3" alert query -o json | json 'sorted(a["fingerprint"] for a in d)')" ] ||
	fail "staging alone is not what amtool finds there: $(json 'd["alerts"]' <"$TEST_TMP/stg.json")"

step "In the console each alert is shown once; the first one is silenced"
start_sitrep 120 40 --environment prod --config "$TEST_TMP/config"
wait_for "Replica00: number 0"
wait_for "sitrep [prod 30] staging 2 |"
for i in 00 13 29; do
	[ "$(screen | grep -c "Replica$i: number")" -le 1 ] || fail "Replica$i shown twice"
done
assert_screen_has "30 open"
keys s
wait_for "silence for: 1h"
keys Enter
wait_for "comment:"
keys -l "replica test"
keys Enter
wait_for "create this silence for Replica"
keys y
wait_for "silenced Replica"
# The write went to one replica, which the message names.
wait_for "via 127.0.0.1:$PORT_1"

step "The silence is written once and gossiped: both replicas hold that one"
sil=$(api "$URL_1" GET /silences)
sid=$(echo "$sil" | json '[s["id"] for s in d if s["comment"] == "replica test"]')
[ "$(echo "$sid" | json 'len(d)')" = 1 ] || fail "replica 1 silences: $sil"
name=$(echo "$sil" | json '[m["value"] for m in d[0]["matchers"] if m["name"] == "alertname"][0]')
TIMEOUT=15 eventually eval '[ "$(api "$URL_2" GET /silences | json "[s[\"id\"] for s in d]")" = "$sid" ]' ||
	fail "replica 2 does not hold exactly that silence: $(api "$URL_2" GET /silences)"

step "The alert shows once, silenced (the pane zoomed: all 30 rows fit)"
keys z
wait_for "Replica29: number"
TIMEOUT=15 eventually eval 'screen | grep -F "$name: number" | grep -q "sil"' ||
	fail "the row of $name does not say sil"
[ "$(screen | grep -c "$name: number")" = 1 ] || fail "$name shown twice after the silence"
"$SITREP" snapshot --json --config "$TEST_TMP/config" >"$TEST_TMP/snap.json" 2>/dev/null
[ "$(json "[a[\"status\"] for a in d[\"alerts\"] if a[\"title\"].startswith(\"$name:\")]" <"$TEST_TMP/snap.json")" = '["silenced"]' ] ||
	fail "the snapshot does not show $name once, silenced"

step "Replica 1 stops: the alerts stay, the header warns and the title names it"
kill "${PIDS[1]}"
wait "${PIDS[1]}" 2>/dev/null
PIDS[1]=
wait_for "replica 127.0.0.1:$PORT_1 failing: connection refused"
assert_screen_has "prod: replica 127.0.0.1:$PORT_1 failing"
screen_row 0 | grep -qF "prod warning: 127.0.0.1:$PORT_1 down" ||
	fail "the header does not name the replica down: $(screen_row 0)"
assert_screen_has "29 open, 29 unacknowledged, 1 silenced"
"$SITREP" snapshot --json --environment prod --config "$TEST_TMP/config" >"$TEST_TMP/snap.json" \
	2>"$TEST_TMP/err" || fail "snapshot failed: $(cat "$TEST_TMP/err")"
[ "$(json 'len(d["alerts"])' <"$TEST_TMP/snap.json")" = 30 ] ||
	fail "not 30 alerts from the one replica left"
[ "$(json 'd["sources"][0]["ok"]' <"$TEST_TMP/snap.json")" = True ] ||
	fail "the source is not healthy with one replica up"
json 'd["sources"][0]["warning"]' <"$TEST_TMP/snap.json" |
	grep -qF "replica 127.0.0.1:$PORT_1 failing: connection refused" ||
	fail "the snapshot does not name the replica: $(json 'd["sources"][0]' <"$TEST_TMP/snap.json")"
[ "$(json 'd["sources"][0]["replicas_down"]' <"$TEST_TMP/snap.json")" = "127.0.0.1:$PORT_1" ] ||
	fail "the snapshot's replicas_down: $(json 'd["sources"][0]' <"$TEST_TMP/snap.json")"

step "A silence now goes to the replica that answers"
keys j j
keys s
wait_for "silence for: 1h"
keys Enter
wait_for "comment:"
keys -l "second"
keys Enter
wait_for "create this silence for Replica"
keys y
wait_for "via 127.0.0.1:$PORT_2"
[ "$(api "$URL_2" GET /silences | json 'len([s for s in d if s["comment"] == "second"])')" = 1 ] ||
	fail "replica 2 does not hold the second silence"
pass
