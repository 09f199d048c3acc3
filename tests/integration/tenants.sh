#!/bin/bash
# tenants.sh: sitrep behind the gateways of multi-tenant engines, as
# sitrep.conf(5) configures them. A stand-in gateway
# (tests/fakes/tenant_gateway.py) checks what Mimir's, Cortex's and Loki's
# check: the path prefix and X-Scope-OrgID on every request, refusing
# either missing as they do. Behind it: a real Alertmanager (Mimir's
# Alertmanager at /alertmanager), a Prometheus stand-in (Mimir/Cortex at
# /prometheus) and two fake Lokis, one per tenant, queried together with
# `tenant = a|b`: each line comes labelled with its __tenant_id__, in the
# snapshot and in the logs pane (where the label's value leads the line).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/alerts_lib.sh"
need_tmux
need_python

AM=${ALERTMANAGER:-$(command -v prometheus-alertmanager || echo /usr/bin/prometheus-alertmanager)}
[ -x "$AM" ] || fail "prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)"

PIDS=()
stop_all() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
}
trap 'stop_all; cleanup' EXIT

# serve NAME SCRIPT ARGS...: a Python server that prints its port first
# and ends when its stdin closes; its port in PORT_NAME.
serve() {
	local name=$1 script=$2 fd
	shift 2
	mkfifo "$TEST_TMP/$name.in"
	python3 "$script" "$@" <"$TEST_TMP/$name.in" >"$TEST_TMP/$name.port" \
		2>"$TEST_TMP/$name.err" &
	PIDS+=("$!")
	exec {fd}>"$TEST_TMP/$name.in"
	TIMEOUT=10 eventually test -s "$TEST_TMP/$name.port" ||
		fail "$name did not start: $(cat "$TEST_TMP/$name.err")"
	eval "PORT_$name=\$(head -1 \"\$TEST_TMP/\$name.port\")"
}

# seen GATEWAY: what the gateway was asked (JSON).
seen() {
	python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' \
		"http://127.0.0.1:$1/gateway/requests"
}

step "A real Alertmanager, a Prometheus stand-in and two Lokis start on 127.0.0.1"
cat >"$TEST_TMP/am.yml" <<'EOF'
route:
  receiver: blackhole
receivers:
  - name: blackhole
EOF
AM_PORT=$(free_port)
"$AM" --config.file="$TEST_TMP/am.yml" --storage.path="$TEST_TMP/am-data" \
	--web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= \
	>"$TEST_TMP/am.log" 2>&1 </dev/null &
PIDS+=("$!")
TIMEOUT=15 eventually python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
	"http://127.0.0.1:$AM_PORT/-/ready" 2>/dev/null ||
	fail "Alertmanager did not start: $(tail -5 "$TEST_TMP/am.log")"
python3 - "http://127.0.0.1:$AM_PORT/api/v2/alerts" <<'EOF' || fail "cannot post alerts"
import json, sys, urllib.request
body = json.dumps([{"labels": {"alertname": "TenantAlert", "service": "checkout",
                               "severity": "critical"},
                    "annotations": {"summary": "team-a's alert"}}]).encode()
urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=body,
    method="POST", headers={"Content-Type": "application/json"}), timeout=5)
EOF
# prom_fake's "warnings" mode answers every query (empty, with warnings).
mkfifo "$TEST_TMP/prom.in"
python3 "$SRCDIR/tests/fakes/prom_fake.py" warnings >"$TEST_TMP/prom.port" \
	2>"$TEST_TMP/prom.err" &
PIDS+=("$!")
TIMEOUT=10 eventually test -s "$TEST_TMP/prom.port" || fail "prom_fake did not start"
PROM_PORT=$(head -1 "$TEST_TMP/prom.port")
serve loki_a "$SRCDIR/tests/fakes/fake_loki.py" --scenario services
serve loki_b "$SRCDIR/tests/fakes/fake_loki.py" --scenario history

step "Gateways: Mimir's for Alertmanager and Prometheus, Loki's for two tenants"
serve gw_am "$SRCDIR/tests/fakes/tenant_gateway.py" --prefix /alertmanager \
	--tenant "team-a=http://127.0.0.1:$AM_PORT"
serve gw_prom "$SRCDIR/tests/fakes/tenant_gateway.py" --prefix /prometheus \
	--tenant "team-a=http://127.0.0.1:$PROM_PORT"
serve gw_loki "$SRCDIR/tests/fakes/tenant_gateway.py" --prefix "" \
	--tenant "a=http://127.0.0.1:$PORT_loki_a" --tenant "b=http://127.0.0.1:$PORT_loki_b"

step "Without the tenant header the gateways refuse, and sitrep says so"
cat >"$TEST_TMP/bare.conf" <<EOF
[alertmanager "mimir"]
url = http://127.0.0.1:$PORT_gw_am/alertmanager
EOF
"$SITREP" snapshot --json --config "$TEST_TMP/bare.conf" >"$TEST_TMP/snap.json" 2>/dev/null
[ "$(json '(d["sources"][0]["ok"], d["sources"][0]["error"].startswith("credentials rejected (HTTP 401)"))' <"$TEST_TMP/snap.json")" = "(False, True)" ] ||
	fail "the gateway's refusal is not a failure: $(json 'd["sources"][0]' <"$TEST_TMP/snap.json")"

cat >"$TEST_TMP/config" <<EOF
[sitrep]
environment = prod
refresh = 1h

[alertmanager "mimir-am"]
url = http://127.0.0.1:$PORT_gw_am/alertmanager
header = X-Scope-OrgID: team-a

[prometheus "mimir"]
url = http://127.0.0.1:$PORT_gw_prom/prometheus
header = X-Scope-OrgID: team-a

[slo "checkout"]
service = checkout
objective = 99.9
error_ratio = sum(rate(errors[\$window])) / sum(rate(requests[\$window]))

[loki]
url = http://127.0.0.1:$PORT_gw_loki
tenant = a|b
query = {service=~".+"}
lookback = 30s
EOF

step "The snapshot: the alert through Mimir's prefix, the SLO, both tenants' lines"
"$SITREP" snapshot --json --follow 2s --config "$TEST_TMP/config" \
	>"$TEST_TMP/snap.json" 2>"$TEST_TMP/err" ||
	fail "snapshot failed: $(cat "$TEST_TMP/err")"
[ "$(json '[s["ok"] for s in d["sources"]]' <"$TEST_TMP/snap.json")" = "[true, true, true]" ] ||
	fail "sources: $(json 'd["sources"]' <"$TEST_TMP/snap.json")"
[ "$(json '[a["title"] for a in d["alerts"]]' <"$TEST_TMP/snap.json")" = '["TenantAlert: team-a'"'"'s alert"]' ] ||
	fail "alerts: $(json '[a["title"] for a in d["alerts"]]' <"$TEST_TMP/snap.json")"
[ "$(json '[s["name"] for s in d["slos"]]' <"$TEST_TMP/snap.json")" = '["checkout"]' ] ||
	fail "slos: $(json 'd["slos"]' <"$TEST_TMP/snap.json")"
tenants=$(json 'sorted(set(__import__("re").search(r"__tenant_id__=\"(\w+)\"", l["labels"]).group(1) for l in d["logs"]))' <"$TEST_TMP/snap.json") ||
	fail "a line without __tenant_id__: $(json 'd["logs"][:3]' <"$TEST_TMP/snap.json")"
[ "$tenants" = '["a", "b"]' ] || fail "tenants in the lines: $tenants"

step "Every request carried the prefix and the tenant header"
for gw in gw_am gw_prom gw_loki; do
	eval "port=\$PORT_$gw"
	seen "$port" >"$TEST_TMP/$gw.json"
	[ "$(json 'len(d) > 0' <"$TEST_TMP/$gw.json")" = True ] || fail "$gw saw nothing"
done
[ "$(json 'sorted(set((r["org"] or "-", r["status"], r["path"].split("?")[0].split("/")[1]) for r in d))' <"$TEST_TMP/gw_am.json")" = \
	'[["-", 401, "alertmanager"], ["team-a", 200, "alertmanager"]]' ] ||
	fail "Alertmanager gateway saw: $(cat "$TEST_TMP/gw_am.json")"
[ "$(json 'sorted(set((r["org"], r["status"], r["path"].split("/")[1]) for r in d))' <"$TEST_TMP/gw_prom.json")" = \
	'[["team-a", 200, "prometheus"]]' ] ||
	fail "Prometheus gateway saw: $(cat "$TEST_TMP/gw_prom.json")"
[ "$(json 'sorted(set((r["org"], r["status"]) for r in d))' <"$TEST_TMP/gw_loki.json")" = \
	'[["a|b", 200]]' ] ||
	fail "Loki gateway saw: $(cat "$TEST_TMP/gw_loki.json")"

step "In the logs pane each line says its tenant (the label's value first)"
start_sitrep 200 50 --config "$TEST_TMP/config"
wait_for "stream=payments-0"
TIMEOUT=20 eventually eval 'screen | grep -qE "^[0-9:.]+ a payments-0 " && screen | grep -qE "^[0-9:.]+ b now "' ||
	fail "the logs pane does not show both tenants"
pass
