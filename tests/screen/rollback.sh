#!/bin/bash
# rollback.sh: on the bridge call someone says "roll it back". The on-call
# engineer focuses the Deploys pane, presses r on the deploy and sees the
# exact command that will run, one argument a line; y runs it, once, in the
# action terminal, however often the keys were pressed and however often
# the list refreshed meanwhile. A service name full of shell syntax stays
# one argument and runs nothing. In a protected environment only typing
# the service name confirms. The audit log has both ends of every run. A
# deploy named like an option ("--namespace=kube-system") is refused before
# anything runs, unless the section says allow_dash_values = yes.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

T=$TEST_TMP
EVIL="api; touch $T/pwned \$(touch $T/pwned2) \`touch $T/pwned3\` 'q' \"d\""
NOW=$(date +%s)
python3 - "$T/deploys.jsonl" "$EVIL" "$NOW" <<'EOF'
import json, sys
path, evil, now = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, "w") as f:
    f.write(json.dumps({"service": evil, "version": "v7", "revision": "r7",
        "previous_revision": "rev-1", "at": now - 300, "author": "eve",
        "environment": "staging"}) + "\n")
    f.write(json.dumps({"service": "checkout", "version": "v2.14.0",
        "revision": "a1b2c3d", "previous_revision": "9f8e7d6",
        "at": now - 900, "author": "maria", "environment": "prod"}) + "\n")
EOF
cat >"$T/config" <<EOF
[sitrep]
environment = staging
audit_log = $T/audit.log
refresh = 1s

[deploys]
command = cat '$T/deploys.jsonl'

[rollback "*"]
command = sh '$SRCDIR/tests/fakes/fake-kubectl' rollout undo deployment/\$service --to-revision=\$previous_revision -n \$environment

[environment "prod"]
protect = yes
EOF

runs() {
	grep -c '^run ' "$T/argv.log" 2>/dev/null || echo 0
}

# audit N: the Nth line of the audit log as "event action exit".
audit() {
	python3 - "$T/audit.log" "$1" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
j = json.loads(lines[int(sys.argv[2]) - 1])
print(j["event"], j["action"], j.get("exit", "-"), j["environment"])
EOF
}

step "The engineer opens the console and focuses the Deploys pane"
start_sitrep 120 40 FAKE_LOG="$T/argv.log" FAKE_SLEEP=1 --config "$T/config"
wait_for "checkout"
keys 3

step "the deploy's detail already says what r would run"
keys Enter
wait_for "rollback (r)"
assert_screen_has "rev-1 -n staging"
keys Escape
wait_gone "rollback (r)"

step "r shows the exact argv, the hostile name as one argument"
keys r
wait_for "argv, one argument a line"
assert_screen_has "[3] undo"
assert_screen_has "[4] deployment/api; touch $T/pwned \$(touch $T/pwned2)"
assert_screen_has "[5] --to-revision=rev-1"
assert_screen_has "[7] staging"
assert_screen_has "Roll back api; touch"
assert_screen_has "y rolls back, Esc cancels"

step "a second r, and two refreshes, start nothing"
keys r
sleep 2.5
[ "$(runs)" = 0 ] || fail "something ran before y"
[ ! -e "$T/audit.log" ] || fail "the audit log has a line before y"
assert_screen_has "y rolls back, Esc cancels"

step "y y y runs it once, in the action terminal"
keys y y y
wait_for "rolling back (6 arguments)"
wait_for "exited 0 after"
[ "$(runs)" = 1 ] || fail "it ran $(runs) times"
printf '%s\n' "run argc=6" "arg<rollout>" "arg<undo>" \
	"arg<deployment/$EVIL>" "arg<--to-revision=rev-1>" "arg<-n>" \
	"arg<staging>" "end exit=0" >"$T/want"
diff -u "$T/want" "$T/argv.log" || fail "the fake got other arguments"
for f in pwned pwned2 pwned3; do
	[ ! -e "$T/$f" ] || fail "the service name ran a command ($f)"
done

step "the audit log has the start and the end with the exit status"
[ "$(wc -l <"$T/audit.log")" = 2 ] || fail "not two audit lines"
[ "$(audit 1)" = "start rollback - staging" ] || fail "line 1: $(audit 1)"
[ "$(audit 2)" = "end rollback 0 staging" ] || fail "line 2: $(audit 2)"
grep -q "\"deployment/api; touch $T/pwned" "$T/audit.log" ||
	fail "the audit log lacks the argv"
[ "$(stat -c %a "$T/audit.log")" = 600 ] || fail "the audit log is not 0600"

step "q closes the ended terminal; r then Esc runs nothing"
keys q
wait_gone "exited 0 after"
keys r
wait_for "y rolls back, Esc cancels"
keys Escape
wait_for "rollback cancelled: nothing ran"
[ "$(runs)" = 1 ] || fail "Esc ran it"

step "r and y typed in one burst: the y was typed before the question"
keys -l "ry"
wait_for "y rolls back, Esc cancels"
sleep 1
[ "$(runs)" = 1 ] || fail "a y typed with the r ran it"
assert_screen_has "y rolls back, Esc cancels"
keys Escape
wait_for "rollback cancelled: nothing ran"

step "in protected prod only the typed service name confirms"
keys j r
wait_for "prod is protected: type checkout to roll it back:"
assert_screen_has "environment: prod (protected"
keys -l "checkou"
keys Enter
wait_for '"checkou" is not the service name; nothing ran'
[ "$(runs)" = 1 ] || fail "a wrong name ran it"
keys r
wait_for "prod is protected"
keys -l "checkout"
keys Enter
wait_for "rolling back (6 arguments)"

step "while it runs, another r is refused"
keys C-]
keys r
wait_for "rollback checkout v2.14.0 is running: one action at a time"
wait_for "exited 0 after"
[ "$(runs)" = 2 ] || fail "it ran $(runs) times"
grep -q '^arg<prod>$' "$T/argv.log" || fail "prod was not passed"
[ "$(wc -l <"$T/audit.log")" = 4 ] || fail "not four audit lines"
[ "$(audit 4)" = "end rollback 0 prod" ] || fail "line 4: $(audit 4)"
stop_tmux

step "with an audit log that cannot be written, nothing runs"
sed -i "s|^audit_log = .*|audit_log = /proc/sitrep-nowhere/audit.log|" \
    "$T/config"
start_sitrep 120 40 FAKE_LOG="$T/argv.log" --config "$T/config"
wait_for "checkout"
keys 3 r
wait_for "y rolls back"
keys y
wait_for "rollback not started: audit log /proc/sitrep-nowhere/audit.log"
sleep 1
[ "$(runs)" = 2 ] || fail "it ran without an audit log"
stop_tmux

step "a deploy named --namespace=kube-system is refused, not run as an option"
rm -f "$T/argv.log" "$T/audit.log"
python3 - "$T/deploys.jsonl" "$NOW" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"service": "--namespace=kube-system",
        "version": "v9", "revision": "r9", "previous_revision": "3",
        "at": int(sys.argv[2]) - 60, "author": "mallory"}) + "\n")
EOF
cat >"$T/config" <<EOF
[sitrep]
environment = staging
audit_log = $T/audit.log

[deploys]
command = cat '$T/deploys.jsonl'

[rollback "*"]
command = sh '$SRCDIR/tests/fakes/fake-kubectl' rollback \$service \$previous_revision
EOF
start_sitrep 160 40 FAKE_LOG="$T/argv.log" --config "$T/config"
wait_for "--namespace="
keys 3 r
wait_for 'roll back --namespace=kube-system: $service is "--namespace=kube-system"'
assert_screen_has "read as an option: refused"
assert_screen_lacks "y rolls back"
keys y
sleep 1
[ ! -e "$T/argv.log" ] || fail "fake-kubectl ran: $(cat "$T/argv.log")"
[ ! -e "$T/audit.log" ] || fail "the audit log has a line: $(cat "$T/audit.log")"
stop_tmux

step "allow_dash_values = yes in its section lets it through, one argument"
sed -i 's|^command = sh .*|&\nallow_dash_values = yes|' "$T/config"
start_sitrep 160 40 FAKE_LOG="$T/argv.log" --config "$T/config"
wait_for "--namespace="
keys 3 r
wait_for "y rolls back"
keys y
wait_for "exited 0 after"
grep -qx 'arg<--namespace=kube-system>' "$T/argv.log" ||
	fail "the value did not arrive as one argument"
pass
