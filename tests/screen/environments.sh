#!/bin/bash
# environments.sh: one console over three environments. prod, staging and
# dev each have an Alertmanager (stand-ins with 3, 2 and 1 firing alerts)
# and prod and staging a deploy of checkout. The header lists the three
# with their firing alerts (prod with its mark), every row says its
# environment while all are shown; E shows one environment in every pane,
# then the next, then all again; a key bound to "environment staging"
# goes straight there. Rolling back checkout in protected prod wants the
# service's name typed, in staging a y. `sitrep --environment dev` starts
# there; at 80x24 the header still names the one shown. The snapshot says
# every record's environment and --environment keeps one. The Timeline
# view (H) shows the environment shown, or all with a column naming each;
# `sitrep timeline` gives every event its environment (a line written
# before events named theirs belongs to [sitrep]'s), and --environment
# keeps one.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

T=$TEST_TMP
# am NAME N: a stand-in Alertmanager with N alerts, fingerprints NAME-i.
am() {
	stand_in "$1" "$SRCDIR/tests/fakes/bulk_alertmanager.py" "$2" "$1"
}
am prod 3
am staging 2
am dev 1

NOW=$(date +%s)
for env in prod staging; do
	printf '{"service":"checkout","version":"v-%s","revision":"a1b2c3d","previous_revision":"9f8e7d6","at":%s,"author":"maria"}\n' \
		"$env" "$((NOW - 600))" >"$T/deploys-$env.jsonl"
done

cat >"$T/config" <<EOF
[sitrep]
environment = prod
refresh = 1h
audit_log = $T/audit.log

[alertmanager "am-prod"]
url = http://127.0.0.1:$PORT_prod

[alertmanager "am-staging"]
url = http://127.0.0.1:$PORT_staging
environment = staging

[alertmanager "am-dev"]
url = http://127.0.0.1:$PORT_dev
environment = dev

[deploys "deploys-prod"]
command = cat '$T/deploys-prod.jsonl'

[deploys "deploys-staging"]
command = cat '$T/deploys-staging.jsonl'
environment = staging

[rollback "*"]
command = sh '$SRCDIR/tests/fakes/fake-kubectl' rollout undo deployment/\$service -n \$environment

[environment "prod"]
protect = yes
mark = !

[keys]
F2 = environment staging
EOF

step "The snapshot gives every record its environment; --environment keeps one"
"$SITREP" snapshot --json --config "$T/config" >"$T/snap.json" 2>"$T/err" ||
	fail "snapshot failed: $(cat "$T/err")"
got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(sorted((a["environment"], a["id"]) for a in d["alerts"]))
print(sorted((x["environment"], x["version"]) for x in d["deploys"]))
print(sorted((s["name"], s["environment"]) for s in d["sources"]))
print([(e["name"], e["firing"], e["shown"]) for e in d["environments"]])
' "$T/snap.json")
[ "$got" = "[('dev', 'dev-0'), ('prod', 'prod-0'), ('prod', 'prod-1'), ('prod', 'prod-2'), ('staging', 'staging-0'), ('staging', 'staging-1')]
[('prod', 'v-prod'), ('staging', 'v-staging')]
[('am-dev', 'dev'), ('am-prod', 'prod'), ('am-staging', 'staging'), ('deploys-prod', 'prod'), ('deploys-staging', 'staging')]
[('prod', 3, True), ('staging', 2, True), ('dev', 1, True)]" ] || fail "the snapshot says: $got"
"$SITREP" snapshot --json --environment staging --config "$T/config" >"$T/snap.json" 2>"$T/err" ||
	fail "snapshot --environment failed: $(cat "$T/err")"
got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["environment_shown"], sorted(a["id"] for a in d["alerts"]),
      [x["version"] for x in d["deploys"]],
      [(e["name"], e["firing"], e["shown"]) for e in d["environments"]])
' "$T/snap.json")
[ "$got" = "staging ['staging-0', 'staging-1'] ['v-staging'] [('prod', 3, False), ('staging', 2, True), ('dev', 1, False)]" ] ||
	fail "snapshot --environment staging says: $got"
"$SITREP" snapshot --environment qa --config "$T/config" >/dev/null 2>"$T/err"
[ $? = 2 ] || fail "an unknown environment is not a usage error"
grep -qF 'sitrep: no source is in environment "qa"; the environments: prod, staging, dev, all' "$T/err" ||
	fail "the error does not list the environments: $(cat "$T/err")"

step "200x50: the header lists the three with their firing alerts"
start_sitrep 200 50 FAKE_LOG="$T/argv.log" --config "$T/config"
wait_for "sitrep all: prod! 3 staging 2 dev 1 |"
wait_for "6 open"

step "Every row says its environment while all are shown"
TIMEOUT=10 eventually eval 'screen | grep -E "HighErrorRate" | grep -q " staging "' ||
	fail "no alert row says staging"
[ "$(screen | grep -c 'HighErrorRate')" = 6 ] || fail "not six alert rows"
declare -A WANT=([prod]=3 [staging]=2 [dev]=1)
for env in prod staging dev; do
	[ "$(screen | grep 'HighErrorRate' | grep -c " $env HighErrorRate")" = "${WANT[$env]}" ] ||
		fail "the rows of $env are not marked so"
done
screen | grep -F "v-staging" | grep -q " staging " ||
	fail "the staging deploy's row does not say staging"

step "E shows prod alone in every pane; the header brackets it"
keys E
wait_for "sitrep [prod! 3] staging 2 dev 1 |"
wait_for "3 open"
assert_screen_lacks "v-staging"
assert_screen_has "v-prod"
[ "$(screen | grep -c 'HighErrorRate')" = 3 ] || fail "not three prod rows"
screen | grep 'HighErrorRate' | grep -q " prod HighErrorRate" &&
	fail "with one environment shown the rows still carry its name"

step "Rolling back checkout in protected prod wants its name typed"
keys 3
wait_for "v-prod"
keys r
wait_for "prod is protected: type checkout to roll it back:"
keys Escape
wait_gone "prod is protected"

step "E again: staging; its rollback asks y/N"
keys E
wait_for "sitrep prod! 3 [staging 2] dev 1 |"
wait_for "v-staging"
assert_screen_lacks "v-prod"
keys r
wait_for "y rolls back, Esc cancels"
assert_screen_lacks "is protected"
keys Escape

step "E: dev; E: all again"
keys E
wait_for "prod! 3 staging 2 [dev 1] |"
keys E
wait_for "sitrep all: prod! 3 staging 2 dev 1 |"
keys 1
wait_for "6 open"

step ":environment with an unknown name lists those there are"
keys :
keys -l "environment qa"
keys Enter
wait_for 'no source is in environment "qa"; the environments: prod, staging, dev, all'

step "A key bound to \"environment staging\" goes straight there"
keys F2
wait_for "sitrep prod! 3 [staging 2] dev 1 |"
wait_for "2 open"

step "H with staging shown: staging's timeline alone"
keys H
wait_for "Timeline of staging"
wait_for "am-staging/staging-1"
assert_screen_has "am-staging/staging-0"
assert_screen_lacks "am-prod/"
assert_screen_lacks "am-dev/"
keys Escape
wait_gone "Timeline of"

step "H with all shown: every environment's, each row naming its own"
keys E
wait_for "[dev 1] |"
keys E
wait_for "sitrep all: prod! 3 staging 2 dev 1 |"
keys H
wait_for "Timeline of every environment"
wait_for "am-dev/dev-0"
assert_screen_has "event               environment service"
screen | grep "am-prod/prod-2" | grep -q " prod " ||
	fail "the prod alert's row does not say prod"
screen | grep "am-staging/staging-0" | grep -q " staging " ||
	fail "the staging alert's row does not say staging"
keys Escape
stop_tmux

step "sitrep timeline: each event's environment; --environment keeps one"
TLF=$XDG_STATE_HOME/sitrep/timeline-prod.jsonl
# A line from before events named their environment: [sitrep]'s.
printf '{"t":1000,"clock":"sitrep","kind":"note","key":"old-note","text":"written before environments"}\n' >>"$TLF"
"$SITREP" timeline --config "$T/config" --environment staging \
    >"$T/tl.txt" 2>"$T/err" || fail "timeline --environment: $(cat "$T/err")"
[ "$(grep -c 'fired' "$T/tl.txt")" = 2 ] && ! grep -q 'am-prod/\|am-dev/\|written before' "$T/tl.txt" ||
	fail "timeline --environment staging gave: $(cat "$T/tl.txt")"
"$SITREP" timeline --config "$T/config" --environment prod >"$T/tl.txt" ||
	fail "timeline --environment prod failed"
grep -q 'written before environments' "$T/tl.txt" &&
    [ "$(grep -c 'am-prod/' "$T/tl.txt")" = 3 ] &&
    ! grep -q 'am-staging/' "$T/tl.txt" ||
	fail "timeline --environment prod gave: $(cat "$T/tl.txt")"
"$SITREP" timeline --config "$T/config" >"$T/tl.txt" || fail "timeline failed"
grep 'am-dev/dev-0' "$T/tl.txt" | grep -q ' dev  ' &&
    grep 'written before' "$T/tl.txt" | grep -q ' prod  ' ||
	fail "timeline does not name each event's environment: $(cat "$T/tl.txt")"
"$SITREP" timeline --config "$T/config" --format markdown --environment dev \
    >"$T/tl.md" || fail "markdown failed"
head -1 "$T/tl.md" | grep -qx '## Timeline of dev' &&
    [ "$(grep -c '^| .* | am-dev' "$T/tl.md")" = 0 ] &&
    grep -q 'HighErrorRate.*\[am-dev/dev-0\] |$' "$T/tl.md" ||
	fail "the markdown of dev: $(cat "$T/tl.md")"
"$SITREP" timeline --config "$T/config" --format json >"$T/tl.json" ||
	fail "json failed"
got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(sorted(set((e["environment"], e.get("incident", "").split("/")[0]) for e in d["events"] if e["kind"] == "alert.firing")))
print([e["environment"] for e in d["events"] if e["key"] == "old-note"])
' "$T/tl.json")
[ "$got" = "[('dev', 'am-dev'), ('prod', 'am-prod'), ('staging', 'am-staging')]
['prod']" ] || fail "the JSON events say: $got"
"$SITREP" timeline --config "$T/config" --environment qa >/dev/null 2>"$T/err"
[ $? = 2 ] || fail "an unknown environment is not a usage error"
grep -qF 'environment "qa"; the environments: prod, staging, dev, all' "$T/err" ||
	fail "the error does not list the environments: $(cat "$T/err")"

step "80x24: --environment dev starts there, the header says so"
start_sitrep 80 24 --environment dev --config "$T/config"
wait_for "[dev 1]"
wait_for "1 open"
wait_for "prod! 3 staging 2 [dev 1]"
keys E
wait_for "all: prod! 3 staging 2 dev 1 |"
wait_for "6 open"
# Every row still says whose, at 80 columns.
for env in prod staging dev; do
	[ "$(screen | grep -c " $env HighErr")" = "${WANT[$env]}" ] ||
		fail "80x24: the rows of $env are not marked so: $(screen | grep HighErr)"
done
# The deploys too: the tag goes before the author and the lead do. The
# version says the environment too here: the tag must come after the age.
for env in prod staging; do
	screen | grep -F "v-$env" | grep -qE "m ${env:0:4}[^ ]* +checkout" ||
		fail "80x24: the $env deploy's row does not say $env: $(screen | grep -F checkout)"
done
pass
