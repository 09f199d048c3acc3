#!/bin/bash
# cli.sh: sitrep from a script's point of view, no terminal involved. A
# newcomer with no config is told how to start; --help and --version
# answer; mistakes on the command line exit 2; `snapshot --json` prints a
# document a program can rely on (the same for the same --seed); and
# `check-config` names FILE:LINE for every problem, exit 2, without a
# single escape sequence in its output.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

command -v python3 >/dev/null 2>&1 ||
	fail "python3 is needed to read the JSON snapshot"

# run ARGS...: sitrep with no terminal at all; its exit status, stdout
# and stderr are left in $status, $TEST_TMP/out and $TEST_TMP/err.
run() {
	"$SITREP" "$@" </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	status=$?
}

show_output() {
	echo "--- stdout"
	cat "$TEST_TMP/out"
	echo "--- stderr"
	cat "$TEST_TMP/err"
}

expect_status() {
	[ "$status" -eq "$1" ] ||
		{ show_output; fail "exit status $status, not $1"; }
}

expect_out_has() {
	grep -qF -- "$1" "$TEST_TMP/out" ||
		{ show_output; fail "stdout lacks \"$1\""; }
}

expect_err_has() {
	grep -qF -- "$1" "$TEST_TMP/err" ||
		{ show_output; fail "stderr lacks \"$1\""; }
}

expect_out_empty() {
	[ ! -s "$TEST_TMP/out" ] || { show_output; fail "stdout is not empty"; }
}

# Plain text: a config mistake must not touch the terminal.
expect_no_escapes() {
	! grep -q $'\033' "$TEST_TMP/out" "$TEST_TMP/err" ||
		{ show_output; fail "escape sequences in the output"; }
}

# A config file in the current directory, so that messages name it short.
mkdir "$TEST_TMP/work" && cd "$TEST_TMP/work" || fail "no work dir"
config() {
	cat >"$1"
}

step "A newcomer runs sitrep with no config: told where and about --demo"
run
expect_status 2
expect_err_has "no configuration at $XDG_CONFIG_HOME/sitrep/config"
expect_err_has "sitrep --demo"
expect_out_empty
expect_no_escapes

step "without XDG_CONFIG_HOME the config is looked for in ~/.config"
XDG_CONFIG_HOME= run
expect_status 2
expect_err_has "no configuration at $HOME/.config/sitrep/config"

step "--help tells about snapshot, check-config and report, exit 0"
run --help
expect_status 0
expect_out_has "sitrep snapshot"
expect_out_has "sitrep check-config"
expect_out_has "sitrep report"
expect_out_has "--demo"

step "--version prints the version configure knows"
version=$(sed -n 's/^AC_INIT(\[sitrep\], *\[\([^]]*\)\].*/\1/p' \
	"$SRCDIR/configure.ac")
[ -n "$version" ] || fail "no version in configure.ac"
run --version
expect_status 0
[ "$(cat "$TEST_TMP/out")" = "sitrep $version" ] ||
	fail "--version printed \"$(cat "$TEST_TMP/out")\", not \"sitrep $version\""

step "command-line mistakes exit 2 with the usage or a reason"
run --no-such-option
expect_status 2
expect_err_has "usage: sitrep"
expect_out_empty
run --demo --seed twelve
expect_status 2
expect_err_has "--seed wants a number"
run --demo extra-word
expect_status 2
expect_err_has "unexpected argument \"extra-word\""
run --demo --json
expect_status 2
expect_err_has "--json goes with snapshot"

step "the console refuses to run without a terminal, plainly"
run --demo
expect_status 2
expect_err_has "not a terminal"
expect_out_empty
expect_no_escapes
"$SITREP" --demo </dev/null 2>"$TEST_TMP/err" | cat >"$TEST_TMP/out"
[ "${PIPESTATUS[0]}" -eq 2 ] || fail "sitrep --demo | cat did not exit 2"
expect_err_has "not a terminal"
expect_out_empty

step "snapshot --demo --json prints the whole state as JSON"
run snapshot --demo --json
expect_status 0
cp "$TEST_TMP/out" "$TEST_TMP/seed1.json"
python3 - "$TEST_TMP/seed1.json" <<'EOF'
import json, re, sys

doc = json.load(open(sys.argv[1]))
problems = []

def need(ok, what):
    if not ok:
        problems.append(what)

windows = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]
iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

need(doc.get("sitrep") == 1, "sitrep is not 1")
need(doc.get("environment") == "demo", "environment is not demo")
need(iso.match(doc.get("generated_at") or ""), "generated_at is not ISO 8601")
need(doc["sources"] and doc["sources"][0]["ok"] is True,
     "the demo source is not ok")

alert_keys = {"source", "id", "service", "severity", "status", "title",
              "started_at", "url", "runbook_url", "labels"}
need(len(doc["alerts"]) == 4, "not 4 alerts")
for a in doc["alerts"]:
    need(alert_keys <= a.keys(), "alert %s lacks %s" %
         (a.get("id"), alert_keys - a.keys()))
    need(isinstance(a.get("labels"), dict), "labels are not an object")
    need(iso.match(a.get("started_at") or ""), "started_at is not ISO 8601")
need(any(a["title"].startswith("CheckoutHighErrorRate") and
         a["severity"] == "critical" for a in doc["alerts"]),
     "no critical CheckoutHighErrorRate alert")

slos = {s["name"]: s for s in doc["slos"]}
for s in doc["slos"]:
    need(list(s["burn_rates"]) == windows,
         "%s burn_rates windows are %s" % (s["name"], list(s["burn_rates"])))
checkout = slos.get("checkout-availability")
need(checkout is not None, "no checkout-availability SLO")
if checkout:
    need(checkout["alert"] == "page", "checkout-availability does not page")
    need(all(isinstance(v, float) and v > 0
             for v in checkout["burn_rates"].values()),
         "checkout-availability lacks burn rates")
    need(isinstance(checkout["error_budget_remaining"], float),
         "checkout-availability has no budget")
quiet = slos.get("inventory-availability")
need(quiet is not None, "no inventory-availability SLO")
if quiet:
    # No traffic is not zero burn: unknown is null, never 0.
    need(all(v is None for v in quiet["burn_rates"].values()),
         "the no-traffic SLO has burn rates")
    need(quiet["error_budget_remaining"] is None,
         "the no-traffic SLO has a budget")
    need(quiet["alert"] is None, "the no-traffic SLO alerts")

suspects = [d for d in doc["deploys"] if d["suspect"] is True]
need([(d["service"], d["version"]) for d in suspects] ==
     [("checkout", "v2.14.0")], "the suspect deploys are %s" % suspects)
need(all(d["suspect"] is False for d in doc["deploys"] if d not in suspects),
     "suspect is not a boolean")

need(len(doc["logs"]) > 0, "no logs")
for l in doc["logs"]:
    need(set(l) == {"ts", "labels", "environment", "line"},
         "a log line has %s" % set(l))
    need(l["environment"] == "demo", "a log line's environment is %s" %
         l["environment"])
    need(isinstance(l["ts"], str) and l["ts"].isdigit(),
         "ts is not a string of nanoseconds")

for p in sorted(set(problems)):
    print("snapshot:", p)
sys.exit(1 if problems else 0)
EOF
[ $? -eq 0 ] || fail "the snapshot JSON is not as documented"

step "the same --seed gives the same incident; another seed other logs"
run snapshot --demo --json --seed 7
expect_status 0
cp "$TEST_TMP/out" "$TEST_TMP/seed7a.json"
run snapshot --demo --json --seed 7
cp "$TEST_TMP/out" "$TEST_TMP/seed7b.json"
run snapshot --demo --json --seed 8
cp "$TEST_TMP/out" "$TEST_TMP/seed8.json"
python3 - "$TEST_TMP"/seed7a.json "$TEST_TMP"/seed7b.json \
	"$TEST_TMP"/seed8.json <<'EOF'
import json, sys

def timeless(path):
    """The snapshot without the fields that say when it was taken."""
    doc = json.load(open(path))
    del doc["generated_at"]
    for s in doc["sources"]:
        del s["fetched_at"]
    for a in doc["alerts"]:
        del a["started_at"]
    for d in doc["deploys"]:
        del d["at"]
    for l in doc["logs"]:
        del l["ts"]
    return doc

a, b, other = (timeless(p) for p in sys.argv[1:])
ok = True
for key in ("alerts", "slos", "deploys", "logs"):
    if a[key] != b[key]:
        print("seed 7 twice: the %s differ" % key)
        ok = False
if [l["line"] for l in a["logs"]] == [l["line"] for l in other["logs"]]:
    print("seeds 7 and 8 give the same log lines")
    ok = False
sys.exit(0 if ok else 1)
EOF
[ $? -eq 0 ] || fail "--seed does not decide the demo"

step "snapshot without --json prints text for people"
run snapshot --demo
expect_status 0
expect_out_has "ALERTS (4)"
expect_out_has "checkout-availability"
expect_out_has "SUSPECT checkout v2.14.0"
expect_no_escapes

step "check-config passes a good file: FILE: ok (N sources)"
config good.conf <<'EOF'
# a small but complete config
[sitrep]
environment = staging
refresh = 30s

[demo]
seed = 3

[keys]
Q = quit
EOF
run check-config --config good.conf
expect_status 0
[ "$(cat "$TEST_TMP/out")" = "good.conf: ok (1 source)" ] ||
	{ show_output; fail "check-config did not say good.conf is ok"; }

step "report with no SLO source says so and exits 1, not an empty report"
config noslo.conf <<'EOF'
[deploys]
command = true
EOF
run report --config noslo.conf
expect_status 1
expect_err_has "sitrep: report: no SLO source: add a [prometheus] section"

step "sitrep.conf(5)'s example of environments passes check-config"
# The .EX block of the environment key: what a reader copies first.
awk '/^\.EX$/ { ex = 1; buf = ""; next }
	/^\.EE$/ { if (buf ~ /\[environment "prod"\]/ && buf ~ /\[loki/) printf "%s", buf; ex = 0; next }
	ex { gsub(/\\-/, "-"); buf = buf $0 "\n" }' \
	"$SRCDIR/man/sitrep.conf.5" >envs.conf
grep -q '^\[loki ' envs.conf || fail "no example of environments found in sitrep.conf(5)"
run check-config --config envs.conf
expect_status 0
expect_out_has "envs.conf: ok (4 sources)"

step "check-config reads \$XDG_CONFIG_HOME/sitrep/config by default"
mkdir -p "$XDG_CONFIG_HOME/sitrep"
cp good.conf "$XDG_CONFIG_HOME/sitrep/config"
run check-config
expect_status 0
expect_out_has "$XDG_CONFIG_HOME/sitrep/config: ok"
rm "$XDG_CONFIG_HOME/sitrep/config"

step "a bad value is named with its file and line"
config soon.conf <<'EOF'
[sitrep]
environment = staging
refresh = soon
EOF
run check-config --config soon.conf
expect_status 2
expect_err_has "sitrep: soon.conf:3: refresh: bad duration \"soon\""
expect_out_empty
expect_no_escapes

step "a line that is not key = value is named"
config noequals.conf <<'EOF'
[sitrep]
environment = staging

just some words
EOF
run check-config --config noequals.conf
expect_status 2
expect_err_has "sitrep: noequals.conf:4: "
expect_no_escapes

step "a missing include is one problem among the others, in line order"
config missing-include.conf <<'EOF'
[sitrep]
environment = staging
refrsh = 15s
include = conf.d/nothere.conf

[demo]
bogus = 1
EOF
run check-config --config missing-include.conf
expect_status 2
expect_err_has "sitrep: missing-include.conf:3: unknown key \"refrsh\" in [sitrep]"
expect_err_has "sitrep: missing-include.conf:4: include: ./conf.d/nothere.conf: No such file or directory"
expect_err_has "sitrep: missing-include.conf:7: unknown key \"bogus\" in [demo]"
[ "$(sed 's/^sitrep: missing-include.conf:\([0-9]*\):.*/\1/' "$TEST_TMP/err" |
    tr '\n' ' ')" = "3 4 7 " ] ||
	{ show_output; fail "the problems are not in line order"; }
expect_out_empty
expect_no_escapes
# An include that cannot be read (here a directory, which even root
# cannot read as a file) is the same: one problem of several.
mkdir -p adir.conf
config unreadable-include.conf <<'EOF'
[sitrep]
include = adir.conf
refrsh = 15s
EOF
run check-config --config unreadable-include.conf
expect_status 2
expect_err_has "sitrep: unreadable-include.conf:2: ./adir.conf: Is a directory"
expect_err_has "sitrep: unreadable-include.conf:3: unknown key \"refrsh\" in [sitrep]"

step "ten clusters in included files: each problem at its own file and line"
mkdir -p clusters.d
config clusters.d/eu.conf <<'EOF'
[alertmanager "eu"]
url = http://am-eu-0:9093
url = ftp://am-eu-1:9093
EOF
config clusters.d/us.conf <<'EOF'
[alertmanager "us"]
url = http://am-us:9093
refresh = soon
EOF
config clusters.conf <<'EOF'
include = clusters.d/*.conf
[sitrep]
environment = prod

[defaults "alertmanager"]
header = X-Scope-OrgID: team-a
usr = oncall
EOF
run check-config --config clusters.conf
expect_status 2
expect_err_has "sitrep: ./clusters.d/eu.conf:3: [alertmanager \"eu\"] url must start with http:// or https://"
expect_err_has "sitrep: ./clusters.d/us.conf:3: refresh: bad duration \"soon\""
expect_err_has "sitrep: clusters.conf:7: unknown key \"usr\" in [alertmanager \"eu\"]"
expect_no_escapes
config clusters.conf <<'EOF'
include = clusters.d/us.conf
[sitrep]
environment = prod
[defaults "alertmanager"]
header = X-Scope-OrgID: team-a
EOF
sed -i 's/^refresh = soon$/refresh = 30s/' clusters.d/us.conf
run check-config --config clusters.conf
expect_status 0
expect_out_has "clusters.conf: ok"

step "a missing file is named"
run check-config --config missing.conf
expect_status 2
expect_err_has "missing.conf"
expect_no_escapes

step "an unknown section is named with its line"
config grafana.conf <<'EOF'
[sitrep]
environment = staging

[grafana]
url = http://grafana:3000
EOF
run check-config --config grafana.conf
expect_status 2
expect_err_has "sitrep: grafana.conf:4: unknown section [grafana]"
expect_no_escapes

step "bad key bindings are named: an unknown command and an unknown key"
config keys.conf <<'EOF'
[demo]

[keys]
x = no-such-command
NoSuchKey = quit
EOF
run check-config --config keys.conf
expect_status 2
expect_err_has "sitrep: keys.conf:4: unknown command \"no-such-command\""
expect_err_has "sitrep: keys.conf:5: unknown key \"NoSuchKey\""
expect_out_empty
expect_no_escapes

step "the console reports them too, before it touches the terminal"
run --config keys.conf
expect_status 2
expect_err_has "sitrep: keys.conf:4: unknown command \"no-such-command\""
expect_err_has "sitrep: keys.conf:5: unknown key \"NoSuchKey\""
expect_no_escapes

step "every problem of a file is reported at once"
config many.conf <<'EOF'
[sitrep]
refresh = soon
[grafana]
[keys]
x = no-such-command
EOF
run check-config --config many.conf
expect_status 2
expect_err_has "many.conf:2: "
expect_err_has "many.conf:3: "
expect_err_has "many.conf:5: "
step "report --demo: every format, exit 0; its mistakes exit 2"
run report --demo
expect_status 0
expect_out_has "Error-budget report "
expect_out_has "checkout-availability: 99.9% over 30d: consumed "
expect_no_escapes
for fmt in markdown json csv html; do
	run report --demo --since 1d --format "$fmt"
	expect_status 0
done
expect_out_has "<svg xmlns=\"http://www.w3.org/2000/svg\""
run report --demo --format json --slo 'checkout-*'
expect_status 0
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert [s["name"] for s in j["slos"]] == ["checkout-availability"], j' \
    "$TEST_TMP/out" || fail "--slo checkout-* did not pick checkout"

step "report --demo: the demo's SLOs have a past over the whole period"
# A lead trying the report on the demo gets the budget at the start of the
# period (not unknown), the earlier episodes with the deploys that explain
# them, and a burndown drawn across the whole period; inventory, with no
# traffic, stays unknown. The end is the console's: checkout 62.7% left.
run report --demo
expect_status 0
expect_out_has "checkout-availability: 99.9% over 30d: consumed "
expect_out_has "-> 62.7%)"
grep -q "covers only" "$TEST_TMP/out" && fail "the report says its history is partial"
[ "$(grep -c "left - ->" "$TEST_TMP/out")" = 1 ] ||
	fail "a budget at the start is unknown: $(grep "left - ->" "$TEST_TMP/out")"
for since in 7d 30d; do
	run report --demo --since $since --format json
	expect_status 0
	python3 - "$TEST_TMP/out" "$since" <<'EOF' || fail "report --demo --since $since: no past"
import datetime, json, sys

j = json.load(open(sys.argv[1]))
def t(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").timestamp()
to = t(j["to"])
slos = {s["name"]: s for s in j["slos"]}
bad = []
for name, s in slos.items():
    if name == "inventory-availability":
        if s["budget_start"] is not None:
            bad.append("inventory, with no traffic, has a budget")
        continue
    if not isinstance(s["budget_start"], float):
        bad.append("%s: budget at the start %r" % (name, s["budget_start"]))
    if s["points_missing"] != 0:
        bad.append("%s: %d points missing" % (name, s["points_missing"]))
if abs(slos["checkout-availability"]["budget_end"] - 0.627) > 0.001:
    bad.append("checkout ends at %r" % slos["checkout-availability"]["budget_end"])
# An earlier episode, before the last day, that a deploy explains.
early = [(n, e) for n, s in slos.items() for e in s["episodes"]
         if t(e["end"]) < to - 86400 and
         any(c["kind"] == "deploy" for c in e["causes"])]
if not early:
    bad.append("no episode before the last day with a deploy as its cause")
if not any(n == "checkout-availability" and e["condition"] == "page" and
           any(c["name"] == "checkout v2.13.0" for c in e["causes"])
           for n, e in early):
    bad.append("checkout v2.13.0's page is not there")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
done
# The HTML's burndown of each SLO with traffic: a line from the left edge
# of the chart (x 60) to its right edge (x 780), a point every hour.
run report --demo --format html
expect_status 0
python3 - "$TEST_TMP/out" <<'EOF' || fail "the HTML burndowns do not span the period"
import re, sys

paths = re.findall(r'<path class="budget"[^>]* d="([^"]*)"', open(sys.argv[1]).read())
bad = []
if len(paths) != 5:
    bad.append("%d burndowns, not 5" % len(paths))
drawn = [p for p in paths if p.strip()]
if len(drawn) != 4:
    bad.append("%d burndowns drawn, not 4 (all but inventory)" % len(drawn))
for p in drawn:
    xs = [float(x) for x in re.findall(r"[ML]([0-9.]+),", p)]
    if p.count("M") != 1 or len(xs) < 150 or xs[0] > 60.5 or xs[-1] < 779.5:
        bad.append("a line of %d points from x %s to %s, %d pieces" %
                   (len(xs), xs[0], xs[-1], p.count("M")))
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF

run report --demo --since 7d --from 2026-11-01T00:00:00Z
expect_status 2
expect_err_has "not both"
run report --demo --format pdf
expect_status 2
expect_err_has "--format wants text, markdown, json, csv or html"
run report --demo --from 2026-11-02T00:00:00Z --to 2026-11-01T00:00:00Z
expect_status 2
expect_err_has "between 1h and 400d"
run snapshot --demo --slo x
expect_status 2
expect_err_has "go with report"
pass
