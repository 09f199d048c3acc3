#!/bin/bash
# logs_environments.sh: the Logs pane over two environments' Lokis. prod
# and staging each have a Loki (two stand-ins whose lines say which one
# sent them: stream=prod-... and stream=staging-...), dev has only an
# Alertmanager. With all shown, the pane holds both Lokis' lines, each row
# saying its environment, in time order across the two (the histories
# merged, then each line in when both Lokis have come past it); E shows
# prod alone: staging's lines go
# and its Loki is asked nothing more; E again shows staging's lines alone,
# loaded anew; dev says it has no log source; all brings both back. The
# snapshot gives every line the environment of the Loki it came from, and
# --environment keeps one. At 80x24 --environment staging starts there.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

T=$TEST_TMP
stand_in lprod "$SRCDIR/tests/fakes/fake_loki.py" --scenario services --name prod-
stand_in lstaging "$SRCDIR/tests/fakes/fake_loki.py" --scenario services \
	--name staging-
stand_in amdev "$SRCDIR/tests/fakes/bulk_alertmanager.py" 1 dev

# requests NAME: how many requests that Loki stand-in has seen.
requests() {
	local port

	eval "port=\$PORT_$1"
	python3 -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(
    "http://127.0.0.1:%s/fake/stats" % sys.argv[1]))["requests"])' "$port"
}

cat >"$T/config" <<EOF
[sitrep]
environment = prod
refresh = 1h

[loki "loki-prod"]
url = http://127.0.0.1:$PORT_lprod
query = {service="checkout"}
lookback = 1m

[loki "loki-staging"]
url = http://127.0.0.1:$PORT_lstaging
environment = staging
query = {service="checkout"}
lookback = 1m

[alertmanager "am-dev"]
url = http://127.0.0.1:$PORT_amdev
environment = dev
EOF

step "The snapshot: each line has its Loki's environment, in time order"
"$SITREP" snapshot --json --follow 3s --config "$T/config" >"$T/snap.json" \
	2>"$T/err" || fail "snapshot failed: $(cat "$T/err")"
got=$(python3 -c '
import json, re, sys
d = json.load(open(sys.argv[1]))
lines = [l for l in d["logs"] if not l.get("marker")]
envs = {}
wrong = 0
for l in lines:
    m = re.search(r"stream=(prod|staging)-", l["line"])
    if m is None or m.group(1) != l["environment"]:
        wrong += 1
    envs[l["environment"]] = envs.get(l["environment"], 0) + 1
ts = [int(l["ts"]) for l in lines]
# The two Lokis poll on their own, and their histories load apart: no
# line is older than one before it all the same.
late = sum(1 for a, b in zip(ts, ts[1:]) if b < a)
print(sorted(envs), "wrong", wrong, "late", late, "many", len(lines) > 400)
' "$T/snap.json")
[ "$got" = "['prod', 'staging'] wrong 0 late 0 many True" ] ||
	fail "the snapshot's lines: $got"
"$SITREP" snapshot --json --follow 2s --environment staging \
	--config "$T/config" >"$T/snap.json" 2>"$T/err" ||
	fail "snapshot --environment failed: $(cat "$T/err")"
got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
lines = [l for l in d["logs"] if not l.get("marker")]
print(sorted({l["environment"] for l in lines}),
      sum("stream=prod-" in l["line"] for l in lines), len(lines) > 200)
' "$T/snap.json")
[ "$got" = "['staging'] 0 True" ] ||
	fail "snapshot --environment staging logs: $got"
got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print([(s["name"], s["ok"], s["idle"]) for s in d["sources"] if s["kind"] == "loki"])
' "$T/snap.json")
[ "$got" = "[('loki-prod', False, True), ('loki-staging', True, False)]" ] ||
	fail "snapshot --environment staging: the Lokis say $got"
# The text form, for pasting: which environment, and prod's Loki idle.
"$SITREP" snapshot --environment staging --config "$T/config" >"$T/snap.txt" \
	2>"$T/err" || fail "snapshot --environment (text) failed: $(cat "$T/err")"
[ "$(head -1 "$T/snap.txt")" = "environment: staging (of prod, staging, dev)" ] ||
	fail "the text snapshot's first line: $(head -1 "$T/snap.txt")"
grep -qxF "  loki-prod (loki): idle (its environment is not shown)" "$T/snap.txt" ||
	fail "the text snapshot does not say prod's Loki is idle: $(grep loki "$T/snap.txt")"

# rows TEXT: the Logs rows on screen holding TEXT.
rows() {
	screen | grep -F "stream=$1" || true
}

step "200x50, all shown: both Lokis' lines, each row says its environment"
start_sitrep 200 50 --config "$T/config"
wait_for "sitrep all: prod 0 staging 0 dev 1 |"
wait_for "stream=prod-checkout-0"
wait_for "stream=staging-checkout-0"
# The empty panes say what would fill them.
assert_screen_has "no SLO source: add a [prometheus] section"
assert_screen_has "no deploy source: add a [deploys] section"
TIMEOUT=10 eventually eval '[ "$(rows prod- | grep -Evc " prod  +(INFO|ERROR) ")" = 0 ]' ||
	fail "a prod line without its tag: $(rows prod- | head -3)"
TIMEOUT=10 eventually eval '[ "$(rows staging- | grep -Evc " staging +(INFO|ERROR) ")" = 0 ]' ||
	fail "a staging line without its tag: $(rows staging- | head -3)"
# The rows read in time order across the two, not a poll's worth of one
# and then the same seconds of the other.
sleep 3
times=$(screen | grep -E "stream=(prod|staging)-" | grep -Eo '^[0-9:.]{12}')
[ "$(printf '%s\n' "$times" | wc -l)" -gt 20 ] || fail "too few rows"
[ "$times" = "$(printf '%s\n' "$times" | sort)" ] ||
	fail "the rows are not in time order: $(printf '%s\n' "$times" | tr '\n' ' ')"

step "E: prod alone; staging's lines go and its Loki is asked nothing more"
keys E
wait_for "sitrep [prod 0] staging 0 dev 1 |"
wait_gone "stream=staging-"
wait_for "loki-staging idle"
wait_for "stream=prod-checkout-0"
rows prod- | grep -Eq " prod  +(INFO|ERROR) " &&
	fail "with one environment shown the rows still carry its name"
sleep 1
before=$(requests lstaging)
sleep 3
after=$(requests lstaging)
[ "$before" = "$after" ] ||
	fail "staging's Loki was asked $((after - before)) times while hidden"
# prod's Loki goes on being followed.
before=$(requests lprod)
TIMEOUT=10 eventually eval '[ "$(requests lprod)" -gt "$before" ]' ||
	fail "prod's Loki is not followed"

step "E: staging alone, its lines loaded again"
keys E
wait_for "sitrep prod 0 [staging 0] dev 1 |"
wait_gone "stream=prod-"
wait_for "stream=staging-checkout-0"

step "E: dev, which has no Loki, says so"
keys E
wait_for "prod 0 staging 0 [dev 1] |"
wait_for "no log source in dev"
assert_screen_lacks "stream=staging-"

step "E: all again, both"
keys E
wait_for "sitrep all: prod 0 staging 0 dev 1 |"
wait_for "stream=prod-checkout-0"
wait_for "stream=staging-checkout-0"

# which: the selected line's moment and identity, without its tag.
which() {
	reverse_row 1 48 | grep -Eo '^[0-9:.]{12}|seq=[0-9]+ stream=[a-z]+-' |
		tr '\n' ' '
}

step "The line selected stays selected as another environment's lines leave and come"
keys 4
keys k k k
for _ in 1 2 3 4; do
	reverse_row 1 48 | grep -q "stream=prod-" && break
	keys k
done
sel=$(which)
[[ $sel == *"stream=prod-"* ]] || fail "no prod line selected: $(reverse_row 1 48)"
keys E
wait_for "sitrep [prod 0] staging 0 dev 1 |"
wait_gone "stream=staging-"
[ "$(which)" = "$sel" ] || fail "after E the selection moved: \"$(which)\", was \"$sel\""
keys :
keys -l "environment all"
keys Enter
wait_for "sitrep all: prod 0 staging 0 dev 1 |"
TIMEOUT=15 wait_for "stream=staging-checkout-0"
[ "$(which)" = "$sel" ] ||
	fail "after :environment all the selection moved: \"$(which)\", was \"$sel\""
keys F
stop_tmux

step "80x24: --environment staging starts there"
start_sitrep 80 24 --environment staging --config "$T/config"
wait_for "[staging 0]"
wait_for "stream=staging-checkout-0"
assert_screen_lacks "stream=prod-"
pass
