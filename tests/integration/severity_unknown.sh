#!/bin/bash
# severity_unknown.sh: a real Alertmanager (Debian's) fires alerts whose
# severity sitrep does not know: severity=pageteam (as Sloth's own example
# has it) and one with no severity at all, beside a critical and a warning
# one. The header counts every firing alert: the unknown ones under their
# own symbol (?), ranked after error by default, after info when the
# config says so; the sum of the header's counts is the Alerts pane's
# "open" count, at 80x24 and 200x50.
# An alert that resolves while its silence prompt is open closes the
# prompt, naming it.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/alerts_lib.sh"
need_tmux
need_python

AM=${ALERTMANAGER:-$(command -v prometheus-alertmanager || echo /usr/bin/prometheus-alertmanager)}
[ -x "$AM" ] || fail "prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)"

AM_PID=
stop_am() {
	[ -n "$AM_PID" ] && kill "$AM_PID" 2>/dev/null
	[ -n "$AM_PID" ] && wait "$AM_PID" 2>/dev/null
	AM_PID=
}
trap 'stop_am; cleanup' EXIT

am_ready() {
	python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
		"$AM_URL/-/ready" 2>/dev/null
}

am_post_alerts() {
	python3 - "$AM_URL/api/v2/alerts" "$1" <<'EOF'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(),
                             method="POST",
                             headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=5).read()
EOF
}

step "Alertmanager starts on 127.0.0.1"
printf 'route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n' \
	>"$TEST_TMP/am.yml"
for try in 1 2 3; do
	PORT=$(free_port)
	AM_URL=http://127.0.0.1:$PORT
	"$AM" --config.file="$TEST_TMP/am.yml" --storage.path="$TEST_TMP/am-data" \
		--web.listen-address="127.0.0.1:$PORT" \
		--cluster.listen-address= >"$TEST_TMP/am.log" 2>&1 </dev/null &
	AM_PID=$!
	TIMEOUT=15 eventually am_ready && break
	stop_am
done
am_ready || fail "Alertmanager did not start: $(tail -5 "$TEST_TMP/am.log")"

step "Four alerts fire: critical, pageteam, no severity, warning"
am_post_alerts '[
 {"labels": {"alertname": "CheckoutDown", "service": "checkout",
   "severity": "critical"}},
 {"labels": {"alertname": "SLOBurnPage", "service": "search",
   "severity": "pageteam"}},
 {"labels": {"alertname": "Unlabelled", "service": "batch"}},
 {"labels": {"alertname": "DiskFilling", "service": "db",
   "severity": "warning"}}
]' || fail "cannot post alerts"

write_config() {
	cat >"$TEST_TMP/config" <<EOF
[sitrep]
$1

[alertmanager]
url = $AM_URL
refresh = 1s
EOF
}

# The header's counts ("‼1 ?2 ▲1") and their sum; the pane's open count.
header_counts() {
	screen_row 0 | awk -F'|' '{ print $2 }' | sed 's/^ *//; s/ *$//'
}
header_sum() {
	header_counts | tr ' ' '\n' | sed 's/^[^0-9]*//' |
		awk '{ s += $1 } END { print s + 0 }'
}
pane_open() {
	screen | sed -n 's/.*1 Alerts  \([0-9]*\) open.*/\1/p' | head -1
}

for size in "80 24 xterm-256color" "200 50 tmux-256color"; do
	set -- $size
	step "${1}x$2 $3: by default the unknown rank after error"
	write_config ""
	start_sitrep "$1" "$2" "TERM=$3" --config "$TEST_TMP/config"
	wait_for "1 Alerts  4 open"
	[ "$(header_counts)" = "‼1 ?2 ▲1" ] ||
		fail "the header counts \"$(header_counts)\", not \"‼1 ?2 ▲1\""
	[ "$(header_sum)" = "$(pane_open)" ] ||
		fail "the header counts $(header_sum), the pane $(pane_open)"
	assert_screen_lacks "no alerts firing"
	# In the pane the unknown ones come after the critical one, before
	# the warning, each marked ?.
	c=$(row_of CheckoutDown) p=$(row_of SLOBurnPage)
	u=$(row_of Unlabelled) w=$(row_of DiskFilling)
	[ "$c" -ge 0 ] && [ "$c" -lt "$p" ] && [ "$p" -lt "$w" ] &&
		[ "$u" -lt "$w" ] && [ "$c" -lt "$u" ] ||
		fail "rows: critical $c, pageteam $p, none $u, warning $w"
	[ "$(screen_row "$p" | cut -c1)" = "?" ] ||
		fail "the pageteam row is not marked ?"
	[ "$(screen_row "$u" | cut -c1)" = "?" ] ||
		fail "the row without severity is not marked ?"

	step "${1}x$2: unknown_severity_after = info ranks them last"
	write_config "unknown_severity_after = info"
	start_sitrep "$1" "$2" "TERM=$3" --config "$TEST_TMP/config"
	wait_for "1 Alerts  4 open"
	[ "$(header_counts)" = "‼1 ▲1 ?2" ] ||
		fail "the header counts \"$(header_counts)\", not \"‼1 ▲1 ?2\""
	[ "$(row_of DiskFilling)" -lt "$(row_of SLOBurnPage)" ] ||
		fail "the warning is not above the unknown ones"
done

step "an alert resolves while its silence prompt is open: closed, and said"
# Issue 12: what a prompt or question is about is an item; when it goes,
# so does the prompt, naming it, and nothing is sent.
ends=$(date -u -d '+6 sec' +%Y-%m-%dT%H:%M:%SZ)
am_post_alerts '[{"labels": {"alertname": "BriefBlip", "service": "edge",
   "severity": "critical"}, "endsAt": "'"$ends"'"}]' ||
	fail "cannot post the brief alert"
write_config ""
start_sitrep 120 40 --config "$TEST_TMP/config"
wait_for "BriefBlip"
keys 1
r=$(row_of "BriefBlip")
top=$(row_of "CheckoutDown")
for ((i = top; i < r; i++)); do keys j; done
keys s
wait_for "silence for:"
wait_for "silence for cancelled: alert " 30
assert_screen_has "is gone"
assert_screen_lacks "silence for:"
keys -l 2h
keys Enter
sleep 1
assert_screen_lacks "comment:"

step "check-config names a word that is not a severity"
write_config "unknown_severity_after = pageteam"
out=$("$SITREP" check-config --config "$TEST_TMP/config" 2>&1) &&
	fail "check-config accepted unknown_severity_after = pageteam"
[[ $out == *'config:2: unknown_severity_after: "pageteam" is not critical, error, warning or info'* ]] ||
	fail "check-config said: $out"
pass
