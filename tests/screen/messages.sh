#!/bin/bash
# messages.sh: every message a user's key causes reads the same way: what
# was asked, the verb first, then what became of it (sitrep(1), KEYS). The
# incident commander works PagerDuty incidents (tests/fakes/
# fake_pagerduty.py) with no [loki] section, at 80x24 and 200x50:
# - the Logs pane says no log source is configured and where to add one,
#   not "no log lines yet";
# - a duration that is not one: "snooze P0001: "9y" is not a duration ...";
# - an empty note: "add a note to P0001: nothing added, the note was empty";
# - PagerDuty gone: "acknowledge P0001 failed: connection refused", never
#   "acknowledged P0001 failed";
# - in the demo, whose alerts take no action: "acknowledge demo-1: not
#   possible on demo alerts".
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/alerts_lib.sh"
need_tmux
need_python

cat >"$TEST_TMP/incidents.json" <<EOF
[
 {"id": "P0001", "title": "Checkout 5xx above 1%", "service": "checkout",
  "service_id": "PSVC1", "urgency": "high",
  "created_at": "$(date -u -d '-30 min' +%Y-%m-%dT%H:%M:%SZ)"}
]
EOF
write_secret "$TEST_TMP/token" "test-token"

# The fake PagerDuty, ours to stop (the tmux server inherits its stdin's
# other end, so closing ours would not end it).
PD_FD=
PD_PID=
start_pd() {
	rm -f "$TEST_TMP/pd.in" "$TEST_TMP/pd.port"
	mkfifo "$TEST_TMP/pd.in"
	python3 "$SRCDIR/tests/fakes/fake_pagerduty.py" \
		--incidents "$TEST_TMP/incidents.json" <"$TEST_TMP/pd.in" \
		>"$TEST_TMP/pd.port" 2>"$TEST_TMP/pd.err" &
	PD_PID=$!
	exec {PD_FD}>"$TEST_TMP/pd.in"
	TIMEOUT=10 eventually test -s "$TEST_TMP/pd.port" ||
		fail "the PagerDuty fake did not start: $(cat "$TEST_TMP/pd.err")"
	cat >"$TEST_TMP/config" <<EOF
[sitrep]
environment = test
refresh = 1h

[pagerduty]
url = http://127.0.0.1:$(head -1 "$TEST_TMP/pd.port")
token_file = $TEST_TMP/token
from = ic@example.com
services = PSVC1
EOF
}

stop_pd() {
	kill "$PD_PID" 2>/dev/null
	wait "$PD_PID" 2>/dev/null
	exec {PD_FD}>&-
	PD_PID=
}
trap 'stop_pd; cleanup' EXIT

check_messages() {
	local cols=$1 rows=$2 term=$3

	step "At ${cols}x${rows}: PagerDuty and no [loki] section"
	start_pd
	start_sitrep "$cols" "$rows" "TERM=$term" --config "$TEST_TMP/config"
	wait_for "Checkout 5xx above"

	step "the Logs pane says there is no log source and where to add one"
	wait_for "no log source configured: add a [loki] section to"
	assert_screen_lacks "no log lines yet"
	[ "$cols" -lt 200 ] || assert_screen_has "section to $TEST_TMP/config"

	step "a config under HOME is named from ~, and fits 80 columns"
	mkdir -p "$HOME/.config/sitrep"
	cp "$TEST_TMP/config" "$HOME/.config/sitrep/config"
	start_sitrep "$cols" "$rows" "TERM=$term"
	wait_for "no log source configured: add a [loki] section to ~/.config/sitrep/config"

	step "a duration that is none says what was asked first"
	keys Z
	wait_for "snooze P0001 for:"
	keys C-u "9y" Enter
	wait_for "snooze P0001: \"9y\" is not a duration from 1s to 7d"

	step "an empty note says nothing was added, to what"
	keys m
	wait_for "note on P0001:"
	keys Enter
	wait_for "add a note to P0001: nothing added, the note was empty"

	step "with PagerDuty gone, the verb and then the failure"
	stop_pd
	keys a
	wait_for "acknowledge P0001 failed: connection refused"
	assert_screen_lacks "acknowledged P0001 failed"

	step "what the demo's alerts cannot do is said the same way"
	start_sitrep "$cols" "$rows" "TERM=$term" --demo
	wait_for "CheckoutHighError"
	keys g Z
	wait_for "snooze demo-1: not possible on demo alerts"
}

check_messages 80 24 tmux-256color
check_messages 200 50 xterm-256color
pass
