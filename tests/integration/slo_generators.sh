#!/bin/bash
# slo_generators.sh: sitrep's page and ticket for Sloth's and Pyrra's SLOs
# are the generators' own. A real Prometheus (Debian's 2.42) holds the
# series that the real generated rule files record
# (tests/fixtures/slo-generators/: Pyrra's seven SLOs of its rules_test.go,
# 7, 14 and 28 days; Sloth's examples and test outputs, 28 and 30 days, and
# in a second set its 7-day custom windows), with burns planted per SLO
# (tests/integration/slo_gen_data.py).
#
# First without the alerting rules: sitrep evaluates the generators'
# conditions itself, and for every SLO its `alert` and `pending` in
# `snapshot --json` equal what Prometheus computes from the rules' own
# expressions at the same instant (held over the rule's for: is firing,
# held only now is pending). Then with the alerting rules loaded: sitrep
# reports Prometheus' own state of them, pending included, first while
# Pyrra's for: runs and again once one has fired.
#
# Nothing but 127.0.0.1 is contacted.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"

command -v prometheus >/dev/null 2>&1 ||
	skip "prometheus is not installed (apt-get install prometheus)"
command -v promtool >/dev/null 2>&1 || fail "promtool is missing"
python3 -c 'import yaml' 2>/dev/null ||
	skip "python3-yaml is not installed (apt-get install python3-yaml)"

HELPER=$SRCDIR/tests/integration/slo_gen_data.py
WORK=$TEST_TMP/slogen
mkdir -p "$WORK" && cd "$WORK" || fail "no work dir"

PROM_PID=
trap '[ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null; cleanup' EXIT

# start SET [--rules]: sets PORT and PROM_PID.
start() {
	local out

	out=$(python3 "$HELPER" start "$WORK/$1" "${@:2}") ||
		fail "prometheus did not start: $(tail -5 "$WORK/$1/prometheus.log")"
	read -r PORT PROM_PID <<<"$out"
}

stop() {
	kill "$PROM_PID" 2>/dev/null
	while kill -0 "$PROM_PID" 2>/dev/null; do sleep 0.1; done
	PROM_PID=
}

# snap [TIME]: sitrep snapshot --json against PORT into snap.json.
snap() {
	{
		echo "[prometheus]"
		echo "url = http://127.0.0.1:$PORT"
		echo "discover = sloth, pyrra"
		[ -n "${1:-}" ] && echo "time = $1"
	} >"$WORK/sitrep.conf"
	"$SITREP" snapshot --json --config "$WORK/sitrep.conf" </dev/null \
	    >"$WORK/snap.json" 2>"$WORK/snap.err" ||
		fail "snapshot failed: $(cat "$WORK/snap.err")"
}

# agree WANT.json [VERDICT]: every SLO's alert and pending in snap.json
# are WANT's; each is found once; VERDICT (rules/evaluated) where given.
agree() {
	python3 - "$WORK/snap.json" "$1" "${2:-}" <<'EOF' ||
import json, sys
d = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))
want = want.get("slos", want)
verdict = sys.argv[3]
got = {}
for s in d["slos"]:
    assert s["name"] not in got, "%s twice" % s["name"]
    got[s["name"]] = s
bad = []
for name, w in sorted(want.items()):
    if name not in got:
        bad.append("%s: not shown" % name)
        continue
    s = got[name]
    if (s["alert"], s.get("pending")) != (w["alert"], w["pending"]):
        bad.append("%s: sitrep alert=%s pending=%s (%s), the generator's "
                   "alert=%s pending=%s" % (name, s["alert"], s.get("pending"),
                   s["condition"], w["alert"], w["pending"]))
extra = set(got) - set(want)
assert not extra, "SLOs nobody recorded: %s" % extra
assert not bad, "\n  ".join(["disagreements:"] + bad)
if verdict == "rules":
    # Sloth's 28d svc01-slo02 has its alerts off in the file: no rule.
    for name, s in got.items():
        want_v = "evaluated" if name == "svc01-slo02" else "rules"
        assert s["verdict"] == want_v, (name, s["verdict"])
elif verdict:
    for name, s in got.items():
        assert s["verdict"] == verdict, (name, s["verdict"])
        assert "not loaded" in s["verdict_note"], s["verdict_note"]
print("%d SLOs agree" % len(want))
EOF
	fail "sitrep's verdicts are not the generators' ($1)"
}

NOW=$(( $(date +%s) / 60 * 60 ))
for set in a b; do
	python3 "$HELPER" write "$WORK/$set" "$set" --now "$NOW" ||
		fail "cannot write the data of set $set"
done

step "Without the alerting rules, set a (Pyrra 7/14/28d, Sloth 28/30d): sitrep evaluates the generators' own conditions and agrees with them"
start a
python3 "$HELPER" oracle "$PORT" a "$NOW" >"$WORK/oracle-a.json" ||
	fail "cannot compute the generators' alerts"
snap "$NOW"
agree "$WORK/oracle-a.json" evaluated
# The cases that sitrep used to get wrong are among them.
python3 - "$WORK/snap.json" <<'EOF' || fail "a known case is not as the generator has it"
import json, sys
d = {s["name"]: s for s in json.load(open(sys.argv[1]))["slos"]}
op = d["monitoring-prometheus-operator-errors"]      # Pyrra, 14 days
assert op["alert"] is None and op["condition"] is None, op
assert [op["windows"][k] for k in ("5m", "30m", "1h", "2h", "6h", "1d",
    "3d")] == ["3m", "15m", "30m", "1h", "3h", "12h", "2d"], op["windows"]
assert [(c["short"], c["long"], c["factor"], c["for_s"])
        for c in op["conditions"]] == [("3m", "30m", 14, 60),
        ("15m", "3h", 7, 480), ("1h", "12h", 2, 1800),
        ("3h", "2d", 1, 5400)], op["conditions"]
assert d["apiserver-write-response-errors"]["alert"] is None
# 6.5x for ten hours on 28 days: Pyrra warns, it does not page.
assert d["monitoring-http-errors"]["alert"] == "ticket"
# EMPTY IN of a 7-day Pyrra SLO divides by its 1h30m, not its 15m.
assert d["monitoring-grpc-latency"]["time_to_exhaustion_window"] == "1h30m"
# Under 1x over a rolling window the budget never runs out.
assert d["up-targets"]["time_to_exhaustion_s"] is None or \
    d["up-targets"]["time_to_exhaustion_s"] == float("inf"), d["up-targets"]
EOF
stop

step "Without the alerting rules, set b (Sloth's 7-day custom windows): the same"
start b
python3 "$HELPER" oracle "$PORT" b "$NOW" >"$WORK/oracle-b.json" ||
	fail "cannot compute the generators' alerts"
snap "$NOW"
agree "$WORK/oracle-b.json" evaluated
python3 - "$WORK/snap.json" <<'EOF' || fail "Sloth's 7-day SLOs are not as Sloth has them"
import json, sys
d = {s["name"]: s for s in json.load(open(sys.argv[1]))["slos"]}
s = d["svc01-slo1"]
assert [c["factor"] for c in s["conditions"]] == [13.44, 3.5, 1.4, 0.98], \
    s["conditions"]
assert s["alert"] == "ticket", s
# Traffic, but never an error series: say that, not "no traffic".
assert d["svc01-slo02"]["no_data"] == "no error series recorded", d["svc01-slo02"]
EOF
stop

step "With the alerting rules loaded: sitrep shows Prometheus' own state, pending included"
start a --rules
# states: what Prometheus says now, once every rule has been evaluated.
states() {
	python3 "$HELPER" states "$PORT" a >"$WORK/states.json" &&
		python3 -c 'import json,sys; sys.exit(not json.load(open(sys.argv[1]))["evaluated"])' "$WORK/states.json"
}
TIMEOUT=30 eventually states || fail "Prometheus never evaluated the rules"
# Compare at a moment when no rule changed state around the snapshot.
compare_live() {
	local i

	for i in 1 2 3 4 5; do
		states || continue
		cp "$WORK/states.json" "$WORK/before.json"
		snap
		states || continue
		cmp -s "$WORK/before.json" "$WORK/states.json" && break
	done
	agree "$WORK/states.json" rules
}
compare_live
python3 - "$WORK/snap.json" <<'EOF' || fail "no SLO is pending while Pyrra's for: runs"
import json, sys
d = {s["name"]: s for s in json.load(open(sys.argv[1]))["slos"]}
# 20x for days, but Prometheus has just started: for: 2m is running.
assert any(s["pending"] == "page" for s in d.values()), \
    [(s["name"], s["alert"], s["pending"]) for s in d.values()]
assert "pending" in d["monitoring-http-latency"]["verdict_note"]
EOF

step "Once Pyrra's 2m for: has run, its page fires, and sitrep says so"
fired() {
	states && python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["slos"]["monitoring-grpc-errors"]["alert"] != "page")' "$WORK/states.json"
}
TIMEOUT=200 eventually fired || fail "Pyrra's page never fired"
compare_live
python3 -c 'import json,sys; d={s["name"]: s for s in json.load(open(sys.argv[1]))["slos"]}; sys.exit(d["monitoring-grpc-errors"]["alert"] != "page")' "$WORK/snap.json" ||
	fail "sitrep does not page for the rule that fired"
stop

pass
