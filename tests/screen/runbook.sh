#!/bin/bash
# runbook.sh: CheckoutHighErrorRate fires. The engineer presses b on it:
# sitrep shows the runbook command and the alert it will get, y runs it in
# the action terminal with the alert's labels and annotations in its
# environment, the runbook asks a question and the engineer answers it
# there (after a detour to the console with Ctrl-] and back with t). An
# alert without a runbook command offers its runbook link: o opens it with
# the configured opener, c copies it with OSC 52. ! opens a shell with the
# selected deploy in its environment. Every run is in the audit log.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

T=$TEST_TMP
# The confirmation shows the runbook's command line, which must fit on one
# screen line: reach the fakes through a short path in the temp dir, the
# sources may be deep down (make distcheck builds in sitrep-*/_build/sub).
ln -s "$SRCDIR/tests/fakes" "$T/fakes" || fail "cannot link $SRCDIR/tests/fakes"
FAKES=$T/fakes
cat >"$T/config" <<EOF
[sitrep]
audit_log = $T/audit.log
open_command = sh '$FAKES/opener' \$url
osc52 = yes

[runbook "CheckoutHighErrorRate"]
command = sh '$FAKES/runbook-echo' \$alertname --service=\$service

; replaced by the demo, but its token's variable stays a secret
[pagerduty]
token_env = SITREP_TEST_TOKEN
EOF

# audit N: the Nth line of the audit log as "event action exit target".
audit() {
	python3 - "$T/audit.log" "$1" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
j = json.loads(lines[int(sys.argv[2]) - 1])
print(j["event"], j["action"], j.get("exit", "-"), j["target"])
EOF
}

step "The demo incident is on screen, CheckoutHighErrorRate selected"
start_sitrep 120 40 FAKE_LOG="$T/env.log" SHELL=/bin/sh \
    SITREP_TEST_TOKEN=tok-s3cret-42 --demo --config "$T/config"
wait_for "CheckoutHighError"

step "b shows the runbook command and the alert it will get"
keys b
wait_for "Run the runbook CheckoutHighErrorRate?"
assert_screen_has "runbook-echo CheckoutHighErrorRate --service=checkout"
assert_screen_has "SITREP_ALERT_ALERTNAME=CheckoutHighErrorRate"
assert_screen_has "y runs it, Esc cancels"
[ ! -e "$T/env.log" ] || fail "the runbook ran before y"

step "y runs it: the alert is in its environment"
keys y
wait_for "who is on call?"
assert_screen_has "args: CheckoutHighErrorRate --service=checkout"
assert_screen_has "alert=CheckoutHighErrorRate service=checkout severity=critical"
grep -qx "SITREP_ALERT_ALERTNAME=CheckoutHighErrorRate" "$T/env.log" ||
	fail "no alertname label: $(cat "$T/env.log")"
grep -qx "SITREP_ALERT_ENV=demo" "$T/env.log" || fail "no env label"
grep -qx "SITREP_SERVICE=checkout" "$T/env.log" || fail "no SITREP_SERVICE"
# The demo alert has a "severity" label too: the child gets one
# SITREP_ALERT_SEVERITY, the console's own.
[ "$(grep -c '^SITREP_ALERT_SEVERITY=' "$T/env.log")" = 1 ] ||
	fail "SITREP_ALERT_SEVERITY is set more than once"
grep -q "^SITREP_ANNOTATION_SUMMARY=." "$T/env.log" ||
	fail "no summary annotation"
grep -q "^SITREP_RUNBOOK_URL=https://runbooks.example.com/" "$T/env.log" ||
	fail "no runbook URL"
grep -q "tok-s3cret-42" "$T/env.log" && fail "the runbook got the token"

step "Ctrl-] goes back to the console, t to the runbook's question"
# Keys typed within a moment of the y are typeahead and dropped.
sleep 0.5
keys C-]
keys Tab
wait_for "▶2 SLO burn"
keys t
keys -l "maria"
keys Enter
wait_for "hello, maria"
wait_for "exited 3 after"
[ "$(audit 1)" = "start runbook - CheckoutHighErrorRate demo/demo-1" ] ||
	fail "audit line 1: $(audit 1)"
[ "$(audit 2)" = "end runbook 3 CheckoutHighErrorRate demo/demo-1" ] ||
	fail "audit line 2: $(audit 2)"

step "q closes the ended terminal"
keys q
wait_gone "exited 3 after"

step "An alert without a runbook command offers its link"
keys 1 j b
wait_for "Runbook for "
wait_for "o opens it, c copies it, Esc cancels"
keys o
TIMEOUT=5 eventually test -s "$T/env.log.open" || fail "the opener did not run"
grep -q "^https://runbooks.example.com/" "$T/env.log.open" ||
	fail "the opener got $(cat "$T/env.log.open")"
sleep 0.5
keys b
wait_for "o opens it, c copies it"
keys c
wait_for "runbook link copied (OSC 52)"
sleep 0.5

step "! opens a shell with the selected deploy in its environment"
keys 3 '!'
wait_for "shell for checkout v2.14.0"
sleep 0.5
keys -l 'echo "svc=$SITREP_SERVICE back to $SITREP_DEPLOY_PREVIOUS_REVISION"'
keys Enter
wait_for "svc=checkout back to 9f8e7d6"
keys -l "seq 1 60"
keys Enter
wait_for "60"
keys -l "exit 5"
keys Enter
wait_for "exited 5 after"

step "what scrolled away is kept: g goes back to the start, G returns"
screen | grep -qx 1 && fail "line 1 is still on the screen"
keys g
wait_for "lines back]"
screen | grep -qx 1 || fail "the scrollback does not reach line 1"
keys G
wait_gone "lines back]"
[ "$(audit 4)" = "end shell 5 checkout v2.14.0" ] ||
	fail "audit line 4: $(audit 4)"
grep -q "tok-s3cret-42" "$T/audit.log" && fail "the audit log has the token"
pass
