#!/bin/bash
# read_only.sh: a seat on the bridge that looks and does not act. Every
# source is configured against a stand-in on 127.0.0.1 that records each
# request (the stateful PagerDuty fake; one written here that answers as
# Alertmanager, Prometheus and Loki), deploys come from a command,
# rollbacks, runbooks and the shell are commands that would leave a mark
# if they ever started, and the config says read_only = yes. The
# header says READ-ONLY; every key that changes the world, the defaults
# and the ones the user bound in [keys], is refused with one line on the
# status line; at the end not one write request left, not one child
# started, and the audit log was never written. Started with --write the
# same seat acts (so the counting sees writes when there are some);
# --read-only makes a seat read-only whatever the config says.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/alerts_lib.sh"
need_tmux
need_python

TOKEN=pd-read-only-token
write_secret "$TEST_TMP/token" "$TOKEN"
NOW=$(date +%s)
iso() {
	date -u -d "@$((NOW - $1))" +%Y-%m-%dT%H:%M:%SZ
}

cat >"$TEST_TMP/incidents.json" <<EOF
[
 {"id": "P0001", "title": "Checkout 5xx above 1%", "service": "checkout",
  "service_id": "PSVC1", "urgency": "high", "created_at": "$(iso 1800)"}
]
EOF
cat >"$TEST_TMP/changes.json" <<EOF
[
 {"id": "C0001", "service_id": "PSVC1", "service": "checkout",
  "version": "v2.14.0", "author": "maria", "timestamp": "$(iso 2160)"}
]
EOF

# Alertmanager, Prometheus and Loki in one: it serves one alert (silenced,
# so that expiring its silence can be tried), empty query answers, and
# writes every request it gets to a file.
cat >"$TEST_TMP/am.py" <<'EOF'
import json, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
LOG = open(sys.argv[1], "a", buffering=1)
ALERT = [{"fingerprint": "f1", "startsAt": "2026-11-26T14:00:00.000Z",
          "endsAt": "2030-01-01T00:00:00.000Z",
          "updatedAt": "2026-11-26T14:00:00.000Z",
          "status": {"state": "suppressed", "silencedBy": ["s-1"],
                     "inhibitedBy": []},
          "receivers": [{"name": "team"}],
          "labels": {"alertname": "DiskFull", "service": "inventory",
                     "severity": "warning"},
          "annotations": {"summary": "disk 91% full"}}]
class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        LOG.write("%s %s\n" % (self.command, self.path))
        if self.path.startswith("/api/v2/alerts"):
            answer = ALERT
        elif self.path.startswith("/api/v1/"):
            answer = {"status": "success",
                      "data": {"resultType": "vector", "result": []}}
        elif self.path.startswith("/loki/api/v1/query_range"):
            answer = {"status": "success",
                      "data": {"resultType": "streams", "result": []}}
        elif self.path.startswith("/loki/"):
            answer = {"status": "success",
                      "data": {"resultType": "vector", "result": []}}
        else:
            answer = []
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = do_PUT = do_DELETE = answer
s = ThreadingHTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
threading.Thread(target=s.serve_forever, daemon=True).start()
sys.stdin.read()
EOF
mkfifo "$TEST_TMP/am.in"
python3 "$TEST_TMP/am.py" "$TEST_TMP/am.log" <"$TEST_TMP/am.in" \
	>"$TEST_TMP/am.port" 2>"$TEST_TMP/am.err" &
exec {AM_FD}>"$TEST_TMP/am.in"
TIMEOUT=10 eventually test -s "$TEST_TMP/am.port" ||
	fail "the Alertmanager stand-in did not start: $(cat "$TEST_TMP/am.err")"
read -r AM_PORT <"$TEST_TMP/am.port"

# Every command sitrep could start leaves a mark if it ever runs.
cat >"$TEST_TMP/child" <<EOF
#!/bin/sh
echo "\$0 \$*" >>"$TEST_TMP/children"
EOF
chmod +x "$TEST_TMP/child"
# The deploy source's command only reads: it prints one deploy.
cat >"$TEST_TMP/deploys" <<EOF
#!/bin/sh
echo '{"service": "payments", "version": "v3.2.1", "revision": "r2", "previous_revision": "r1", "at": $(($(date +%s) - 600))}'
EOF
chmod +x "$TEST_TMP/deploys"

start_fake_pd --incidents "$TEST_TMP/incidents.json" \
	--changes "$TEST_TMP/changes.json" --token "$TOKEN"

# config READ_ONLY: the seat's config.
config() {
	cat >"$TEST_TMP/config" <<EOF
[sitrep]
environment = bridge
refresh = 1h
read_only = $1
audit_log = $TEST_TMP/audit.log
osc52 = yes

[pagerduty]
url = $FAKE_URL
token_file = $TEST_TMP/token
from = ic@example.com
services = PSVC1

[alertmanager]
url = http://127.0.0.1:$AM_PORT

[prometheus]
url = http://127.0.0.1:$AM_PORT

[slo "checkout"]
objective = 99.9
error_ratio = sum(rate(e[\$window])) / sum(rate(t[\$window]))

[loki]
url = http://127.0.0.1:$AM_PORT
query = {service="\$service"}

[deploys]
command = $TEST_TMP/deploys

[rollback "*"]
command = $TEST_TMP/child rollback \$service

[runbook "CheckoutHighErrorRate"]
command = $TEST_TMP/child runbook

[runbook "DiskFull"]
command = $TEST_TMP/child runbook

[keys]
F4 = shell
F7 = status-update

[keys "alerts"]
F2 = acknowledge
F3 = resolve
C-n = note

[keys "deploys"]
F6 = rollback
EOF
}

writes_to_pd() {
	fake_get /_log | json 'len([e for e in d if e["method"] != "GET"])'
}

# Requests that could change something: not a GET, and not a Prometheus
# query sent as a POST form (the API's documented way to read).
writes_to_am() {
	grep -v '^GET ' "$TEST_TMP/am.log" |
		grep -vcE '^POST /api/v1/query(_range)?$'
}

status_line() {
	screen | tail -n 1
}

# refused KEY WHAT: KEY is refused with the one line naming WHAT.
refused() {
	local what=$2

	keys Escape
	wait_gone "read-only seat:" 5 2>/dev/null || keys Escape
	keys "$1"
	TIMEOUT=10 eventually sh -c "tmux -S '$TMUX_SOCKET' capture-pane -p -t sitrep | tail -n 1 | grep -qF 'read-only seat: $what refused, nothing was sent'" ||
		fail "$1 was not refused as \"$what\": status line \"$(status_line)\""
	# Nothing opened: no prompt, no question, no plan shown.
	assert_screen_lacks "[y/N]"
	assert_screen_lacks "Roll back"
	assert_screen_lacks "note on"
}

step "read_only = yes: the header says READ-ONLY, in words"
config yes
SHELL=$TEST_TMP/child
export SHELL
start_sitrep 120 30 "SHELL=$TEST_TMP/child" --config "$TEST_TMP/config"
wait_for "Checkout 5xx"
wait_for "DiskFull"
wait_for "v2.14.0"
screen_row 0 | grep -qF "READ-ONLY" || fail "the header lacks READ-ONLY"

step "Every key that changes the world on an incident is refused"
keys 1
refused a acknowledge
refused R resolve
refused m note
refused Z snooze
refused e reassign
refused b runbook
step "... and the keys the user bound to those commands"
refused F2 acknowledge
refused F3 resolve
refused C-n note
refused F4 shell
refused '!' shell
refused P status-update
refused F7 status-update

step "Silencing the Alertmanager alert and expiring its silence are refused"
row=$(row_of "DiskFull")
[ "$row" -ge 0 ] || fail "no DiskFull row"
keys 1 g
while ! screen_row "$row" | grep -q "DiskFull" ||
	! row_is_reverse "$row"; do
	keys j
	[ $((++tries)) -lt 10 ] || fail "cannot select the DiskFull alert"
done
refused s silence
keys Enter
wait_for "silenced_by"
keys u
TIMEOUT=10 eventually sh -c "tmux -S '$TMUX_SOCKET' capture-pane -p -t sitrep | tail -n 1 | grep -qF 'read-only seat: expire-silence refused'" ||
	fail "u in the detail view was not refused: \"$(status_line)\""
keys Escape

step "Rolling back the suspect deploy is refused, bound or default key"
keys 3
refused r rollback
refused F6 rollback

step "Looking still works: focus, detail, help, refresh"
keys 1 g Enter
wait_for "Checkout 5xx above 1%"
keys Escape '?'
wait_for "sitrep help"
keys Escape F5
wait_for "refreshing"

step "Nothing left sitrep: no write request, no child, no audit line"
grep -qE "^(GET|POST) /api/v1/query" "$TEST_TMP/am.log" ||
	fail "Prometheus was never asked"
grep -q "^GET /loki/api/v1/" "$TEST_TMP/am.log" || fail "Loki was never asked"
[ "$(writes_to_pd)" = 0 ] || fail "PagerDuty got writes: $(fake_get /_log)"
[ "$(writes_to_am)" = 0 ] || fail "Alertmanager, Prometheus or Loki got writes: $(grep -v '^GET ' "$TEST_TMP/am.log")"
[ ! -e "$TEST_TMP/children" ] || fail "children started: $(cat "$TEST_TMP/children")"
[ ! -e "$TEST_TMP/audit.log" ] || fail "the audit log was written: $(cat "$TEST_TMP/audit.log")"
keys q


step "The 80x24 header still says READ-ONLY"
start_sitrep 80 24 --config "$TEST_TMP/config"
wait_for "Checkout 5xx"
screen_row 0 | grep -qF "READ-ONLY" || fail "the 80-column header lacks READ-ONLY"
keys q

step "--write acts on the same config: the acknowledgement is sent"
start_sitrep 120 30 --config "$TEST_TMP/config" --write
wait_for "Checkout 5xx"
screen_row 0 | grep -qF "READ-ONLY" && fail "--write still says READ-ONLY"
keys 1 a
eventually test "$(writes_to_pd)" = 1 ||
	fail "--write did not acknowledge: $(fake_get /_log)"
[ -s "$TEST_TMP/audit.log" ] || fail "the acknowledgement was not audited"
keys q

step "--read-only makes a seat read-only whatever the config says"
rm -f "$TEST_TMP/audit.log"
config no
start_sitrep 120 30 --config "$TEST_TMP/config" --read-only
wait_for "Checkout 5xx"
screen_row 0 | grep -qF "READ-ONLY" || fail "--read-only: no READ-ONLY"
refused R resolve
[ "$(writes_to_pd)" = 1 ] || fail "--read-only sent a write: $(fake_get /_log)"
[ ! -e "$TEST_TMP/audit.log" ] || fail "--read-only wrote the audit log"

step "--read-only and --write together are a usage error"
"$SITREP" --read-only --write --config "$TEST_TMP/config" 2>"$TEST_TMP/err"
[ $? = 2 ] || fail "--read-only --write did not exit 2"
grep -q "contradict" "$TEST_TMP/err" || fail "no reason given: $(cat "$TEST_TMP/err")"

pass
