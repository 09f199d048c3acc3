#!/bin/bash
# deploy_command.sh: a team plugs its deploy tool into sitrep with
# `[deploys] command = ...`, a program that prints one JSON object per
# deploy and line. Good lines show up newest first; a bad line is named by
# its number and skipped; a command that hangs is killed (with what it
# started) after its timeout; a command that fails has its stderr shown,
# in `sitrep snapshot` and in the console's header; and the window that
# makes a deploy a suspect is the user's to choose.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"

FAKES=$SRCDIR/tests/fakes
CFG=$TEST_TMP/config
NOW=$(date +%s)

# json EXPR: evaluate a Python expression over the snapshot in $OUT (as j).
json() {
	python3 -c 'import json, sys; j = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$OUT" "$1"
}

snapshot() {
	OUT=$TEST_TMP/out.json
	ERR=$TEST_TMP/err.txt
	STATUS=0
	"$SITREP" snapshot --json --config "$CFG" >"$OUT" 2>"$ERR" || STATUS=$?
}

step "A deploy command prints two good lines and two bad ones"
cat >"$TEST_TMP/deploys.jsonl" <<EOF
{"service":"checkout","version":"v2.14.0","revision":"a1b2c3d","previous_revision":"9f8e7d6","at":$((NOW - 600)),"author":"maria","url":"https://ci.example.com/1","environment":"prod"}
kubectl: warning: this line is not JSON
{"version":"v9","at":$((NOW - 60))}
{"service":"search","version":"v1.8.3","at":"$(date -u -d @$((NOW - 120)) +%Y-%m-%dT%H:%M:%SZ)","author":"sam"}
EOF
cat >"$CFG" <<EOF
[deploys]
command = cat '$TEST_TMP/deploys.jsonl'
EOF
snapshot
[ "$STATUS" = 0 ] || fail "snapshot exited $STATUS: $(cat "$ERR")"
[ "$(json 'len(j["deploys"])')" = 2 ] || fail "not two deploys: $(cat "$OUT")"
[ "$(json 'j["deploys"][0]["service"]')" = search ] ||
	fail "the newest deploy is not first"
[ "$(json 'j["deploys"][1]["previous_revision"]')" = 9f8e7d6 ] ||
	fail "checkout lost its previous revision"
[ "$(json 'j["deploys"][1]["environment"]')" = prod ] ||
	fail "checkout lost its environment"
warning=$(json 'j["sources"][0]["warning"]')
[[ $warning == *"line 2: not JSON"* ]] || fail "line 2 is not named: $warning"
[[ $warning == *'line 3: no "service"'* ]] ||
	fail "line 3 is not named: $warning"
[[ $warning == *"2 bad lines skipped"* ]] || fail "no count: $warning"

step "A deploy command whose every line is bad: nothing shown, each named"
# Under the sanitizer build this once aborted (qsort of no deploys), and
# "at": 1e300 was a double cast to a time_t it does not fit.
cat >"$TEST_TMP/bad.jsonl" <<EOF
{"service":"checkout","at":1e300}
{"service":"search","at":-1e300}
{"service":"payments","at":1e18}
not json at all
EOF
cat >"$CFG" <<EOF
[deploys]
command = cat '$TEST_TMP/bad.jsonl'
EOF
snapshot
[ "$STATUS" = 0 ] || fail "snapshot exited $STATUS: $(cat "$ERR")"
[ "$(json 'len(j["deploys"])')" = 0 ] ||
	fail "deploys from bad lines: $(cat "$OUT")"
warning=$(json 'j["sources"][0]["warning"]')
for n in 1 2 3 4; do
	[[ $warning == *"line $n: "* ]] || fail "line $n is not named: $warning"
done
[[ $warning == *"4 bad lines skipped"* ]] || fail "no count: $warning"
printf 'kubectl: error: not JSON\n[]\n' >"$TEST_TMP/bad.jsonl"
snapshot
[ "$STATUS" = 0 ] || fail "snapshot exited $STATUS: $(cat "$ERR")"
[ "$(json 'len(j["deploys"])')" = 0 ] || fail "deploys from nothing"

step "A deploy command that hangs is killed after its timeout"
cat >"$CFG" <<EOF
[deploys]
command = sh '$FAKES/deploys-hang' '$TEST_TMP/hang.pids'
timeout = 1s
EOF
start=$SECONDS
snapshot
[ "$STATUS" = 1 ] || fail "snapshot exited $STATUS, not 1"
[ $((SECONDS - start)) -lt 10 ] || fail "the timeout did not stop it"
grep -q "command timed out after 1s" "$ERR" ||
	fail "no timeout reason: $(cat "$ERR")"
for pid in $(cat "$TEST_TMP/hang.pids"); do
	eventually sh -c "! kill -0 $pid 2>/dev/null" ||
		fail "process $pid of the hung command is still alive"
done

step "A deploy command that fails has its stderr shown"
cat >"$CFG" <<EOF
[deploys]
command = sh '$FAKES/deploys-fail'
EOF
snapshot
[ "$STATUS" = 1 ] || fail "snapshot exited $STATUS, not 1"
grep -q "command exited 3: error: cannot reach cluster prod-eu-1: connection refused" \
	"$ERR" || fail "stderr not shown: $(cat "$ERR")"
[ "$(json 'len(j["deploys"])')" = 0 ] ||
	fail "a failed run's output was used"

step "A command that cannot run says why"
cat >"$CFG" <<EOF
[deploys]
command = /nonexistent/deploy-tool --json
EOF
snapshot
grep -q "exited 127: sitrep: cannot run /nonexistent/deploy-tool: No such file" \
	"$ERR" || fail "no reason: $(cat "$ERR")"

step "check-config names a broken command line"
printf '[deploys]\ncommand = kubectl "unbalanced\n' >"$CFG"
"$SITREP" check-config --config "$CFG" >/dev/null 2>"$ERR" &&
	fail "a broken command passed check-config"
grep -q "config:2: command: unterminated double quote" "$ERR" ||
	fail "not named: $(cat "$ERR")"

if command -v tmux >/dev/null 2>&1; then
	step "In the console the failing command's stderr is in the header"
	cat >"$CFG" <<EOF
[deploys]
command = sh '$FAKES/deploys-fail'
EOF
	start_sitrep 160 30 --config "$CFG"
	wait_for "error: cannot reach cluster prod-eu-1"
	stop_tmux

	step "and the bad lines are named in the Deploys pane's title"
	cat >"$CFG" <<EOF
[deploys]
command = cat '$TEST_TMP/deploys.jsonl'
EOF
	start_sitrep 200 30 --config "$CFG"
	wait_for "deploys: line 2: not JSON"
	assert_screen_has "search"
	stop_tmux
fi

step "The suspect window is the user's: 5m makes the demo's deploy innocent"
# The demo's checkout deploy comes six minutes before its alerts.
suspect() {
	python3 -c 'import json, sys; j = json.load(open(sys.argv[1]))
print([d["suspect"] for d in j["deploys"] if d["service"] == "checkout"][0],
    [a["suspect_deploy"] for a in j["alerts"] if a["service"] == "checkout"][0])' \
	    "$OUT"
}
OUT=$TEST_TMP/out.json
printf '[sitrep]\nsuspect_window = 5m\n' >"$CFG"
"$SITREP" snapshot --json --demo --config "$CFG" >"$OUT" 2>/dev/null
[ "$(suspect)" = "False None" ] ||
	fail "with a 5m window: $(suspect)"
printf '[sitrep]\nsuspect_window = 10m\n' >"$CFG"
"$SITREP" snapshot --json --demo --config "$CFG" >"$OUT" 2>/dev/null
[ "$(suspect)" = "True checkout v2.14.0" ] ||
	fail "with a 10m window: $(suspect)"
pass
