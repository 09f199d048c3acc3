#!/bin/bash
# fault_matrix.sh: the "Hardening" fault matrix. Each HTTP source
# (Prometheus, Alertmanager, Loki, PagerDuty) meets each fault in turn while
# the other three answer well, all played by tests/fakes/fault_server.py on
# 127.0.0.1 (a path per source and fault; "refused" is a port where nothing
# listens). The faults: refused, a reset mid-body, never an answer, 1 byte
# a second, a body over the cap, nginx's HTML error page, 429 with a huge and
# with a sane Retry-After, 500, bytes that are not UTF-8, JSON nested
# 100,000 deep, a 401 that repeats the credentials. Every source sends a
# token (Alertmanager the same secret as a Basic password), with a 2 s
# timeout so that the silent faults show quickly.
#
# Every one of the 48 cells runs through `sitrep snapshot --json --follow
# 3s` (6s for the answers over the body cap; the four sources of a fault
# at once): only the faulty source is not
# ok, with a reason (bad UTF-8 fails nothing), the exit status says so, and
# its requests stay under a bound. A subset runs through the console in
# tmux, each fault at least once, each source at least three times (the 401
# on all four): the header says the faulty source is failing and the others
# ok, only the faulty source's panes say "no data" in their titles, Tab
# moves the focus marker within a second while the fault goes on (two
# presses of three; each within five), the faulty path gets at most a bound
# of requests in four seconds, and q then ends the console with status 0.
# Running the whole matrix in tmux would take minutes per build; the
# snapshot shares the sources, the scheduler and the HTTP client with the
# console.
#
# No stderr holds a sanitizer's report. Last, the token, and every base64
# form of it (at each of the three alignments, standard and URL-safe
# alphabets), appears in none of what sitrep wrote: the screens, the
# snapshots' JSON and stderr, the console's stderr and sitrep.log.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/alerts_lib.sh"
need_tmux
need_python

. "$SRCDIR/tests/integration/fault_lib.sh"
start_fault_server
DEAD=$(free_port)

TOKEN=mAtr1x-T0KEN-9c2e7b
write_secret "$TEST_TMP/token" "$TOKEN"
OUT=$TEST_TMP/out
mkdir -p "$OUT"

# MATRIX_FAULTS and MATRIX_CELLS (e.g. "loki.big") narrow a run by hand.
SOURCES="prom am loki pd"
FAULTS=${MATRIX_FAULTS-refused rst hang slow big html retry sane429 e500 badutf8 deep echo401}
declare -A NAME=([prom]=prometheus [am]=alertmanager [loki]=loki
    [pd]=pagerduty)
# Requests a source may send to the faulty path in the snapshot's 3 s and
# in the console's 4 s. A refresh is 9 requests for Prometheus (7 windows,
# the budget, the sparklines), 2 for PagerDuty (incidents, change events),
# 1 for Alertmanager; Loki halves its page after a body over the cap and
# asks again, down to one line (13 requests a refresh), then backs off.
# Refreshes are every 2 s, less often after failures. A loop would send
# hundreds.
declare -A BOUND=([prom]=27 [am]=3 [loki]=27 [pd]=6)

# url SRC FAULTY FAULT TAG: the url of SRC when FAULTY has FAULT.
url() {
	if [ "$1" != "$2" ]; then
		echo "$BASE/ok/$1"
	elif [ "$3" = refused ]; then
		echo "http://127.0.0.1:$DEAD/$4"
	else
		echo "$BASE/$3/$4"
	fi
}

# conf FAULTY FAULT TAG: a config with every source, FAULTY on FAULT.
conf() {
	cat <<EOF
[sitrep]
refresh = 2s

[prometheus]
url = $(url prom "$1" "$2" "$3")
token_file = $TEST_TMP/token
timeout = 2s

[slo "checkout"]
objective = 99.9
error_ratio = sum(rate(e[\$window])) / sum(rate(t[\$window]))

[alertmanager]
url = $(url am "$1" "$2" "$3")
username = alice
password_file = $TEST_TMP/token
timeout = 2s

[loki]
url = $(url loki "$1" "$2" "$3")
query = {job="x"}
token_file = $TEST_TMP/token
timeout = 2s

[pagerduty]
url = $(url pd "$1" "$2" "$3")
token_file = $TEST_TMP/token
timeout = 2s
EOF
}

# count KEY: requests the fault server has had on FAULT/TAG.
count() {
	python3 -c 'import json, sys, urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1])).get(sys.argv[2], 0))' \
		"$BASE/_count" "$1" || fail "cannot ask the fault server"
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

step "Every source against every fault: snapshot --json --follow 3s"
for fault in $FAULTS; do
	declare -A pids=()
	for src in $SOURCES; do
		cell=$src.$fault
		conf "$src" "$fault" "$src" >"$OUT/$cell.conf"
		# An answer always over the body cap takes Loki a few
		# smaller pages before it fails: 6 s, not 3, so that a slow
		# build (ASan on a busy machine) gets there too.
		follow=3s
		[ "$fault" = big ] && follow=6s
		timeout 60 "$SITREP" snapshot --json --follow "$follow" \
			--config "$OUT/$cell.conf" >"$OUT/$cell.json" \
			2>"$OUT/$cell.err" &
		pids[$src]=$!
	done
	for src in $SOURCES; do
		cell=$src.$fault
		wait "${pids[$src]}"
		status=$?
		want=1
		[ "$fault" = badutf8 ] && want=0
		[ "$status" -eq "$want" ] || { cat "$OUT/$cell.err";
			fail "$cell: snapshot ended with $status, not $want"; }
		n=$(count "$fault/$src")
		echo "$cell: $n requests"
		[ "$fault" = refused ] || [ "$n" -ge 1 ] ||
			fail "$cell: the faulty path was never asked"
		[ "$n" -le "${BOUND[$src]}" ] ||
			fail "$cell: $n requests in $follow (bound ${BOUND[$src]})"
		python3 - "$OUT/$cell.json" "${NAME[$src]}" "$fault" <<'EOF' ||
import json, sys
d = json.load(open(sys.argv[1]))
faulty, fault = sys.argv[2], sys.argv[3]
for s in d["sources"]:
    if s["name"] == faulty and fault != "badutf8":
        assert not s["ok"] and s["error"], s
        assert s["error"].isprintable(), s
    else:
        assert s["ok"] and s["error"] is None, s
if fault == "badutf8" and faulty in ("alertmanager", "pagerduty"):
    assert any("\ufffd" in a["title"] for a in d["alerts"]), d["alerts"]
EOF
			{ cat "$OUT/$cell.err"; fail "$cell: the JSON is wrong"; }
	done
done

# The console in tmux on a subset: each fault once, the 401 on every source.
CELLS=${MATRIX_CELLS-pd.refused prom.rst prom.hang am.slow loki.big am.html
pd.retry loki.sane429 prom.e500 loki.badutf8 pd.deep am.echo401 prom.echo401
loki.echo401 pd.echo401}
declare -A PANES=([prom]="slo" [am]="alerts" [loki]="logs"
    [pd]="alerts deploys")

# titles: each pane's title row, "pane|title" a line (Alerts and Deploys
# share a row, split at the rule).
titles() {
	screen | awk '
		function at(t,   i) { i = index($0, t); return i > 0 && i <= 5 }
		at("1 Alerts ") {
			n = index($0, "│")
			print "alerts|" substr($0, 1, n - 1)
			print "deploys|" substr($0, n)
		}
		at("2 SLO burn") { print "slo|" $0 }
		at("4 Logs") { print "logs|" $0 }'
}

# The row of the focus marker.
focus_row() {
	screen | awk 'index($0, "▶") == 1 { print NR; exit }'
}

# press_tab: Tab, then the ms until the marker has moved (or 5000).
press_tab() {
	local before start

	before=$(focus_row)
	start=$(now_ms)
	keys Tab
	while [ "$(focus_row)" = "$before" ]; do
		if [ $(($(now_ms) - start)) -ge 5000 ]; then
			echo 5000
			return
		fi
		sleep 0.02
	done
	echo $(($(now_ms) - start))
}

header_says() {
	local src other

	src=$1
	screen_row 0 | grep -qF "${NAME[$src]} failing" || return 1
	for other in $SOURCES; do
		[ "$other" = "$src" ] && continue
		screen_row 0 | grep -qF "${NAME[$other]} ok" || return 1
	done
}

header_all_ok() {
	local other

	for other in $SOURCES; do
		screen_row 0 | grep -qF "${NAME[$other]} ok" || return 1
	done
}

# The console's stderr goes to a file of the cell's.
SITREP_VIA=(bash -c 'exec "$0" "$@" 2>>"$ERRF"')
for cell in $CELLS; do
	src=${cell%%.*}
	fault=${cell#*.}
	tag=$src-tui
	step "The console: $src against $fault"
	conf "$src" "$fault" "$tag" >"$OUT/$cell.tui.conf"
	start_sitrep 160 40 "ERRF=$OUT/$cell.tui.err" \
		--config "$OUT/$cell.tui.conf"
	if [ "$fault" = badutf8 ]; then
		wait_for "disk � full � now"
		TIMEOUT=15 eventually header_all_ok ||
			fail "$cell: the header does not say every source is ok"
	else
		TIMEOUT=15 eventually header_says "$src" ||
			fail "$cell: the header does not say only ${NAME[$src]} fails"
	fi
	# Every pane has had an answer from its healthy sources.
	wait_for "stand-in"
	TIMEOUT=10 eventually test "$(titles | grep -c .)" -eq 4 ||
		fail "$cell: cannot find the four pane titles"
	titles >"$OUT/$cell.titles"
	for pane in alerts deploys slo logs; do
		fed=no
		[ "$fault" != badutf8 ] &&
			[[ " ${PANES[$src]} " == *" $pane "* ]] && fed=yes
		if grep "^$pane|" "$OUT/$cell.titles" |
		    grep -qE 'no data|stale|as of|failing'; then
			[ "$fed" = yes ] ||
				fail "$cell: the $pane pane shows a fault"
		else
			[ "$fed" = no ] ||
				fail "$cell: the $pane pane does not show the fault"
		fi
	done
	before=$(count "$fault/$tag")
	start=$(now_ms)
	slow=0
	times=
	for press in 1 2 3; do
		ms=$(press_tab)
		times="$times ${ms}ms"
		[ "$ms" -lt 5000 ] || fail "$cell: Tab changed nothing in 5 s"
		[ "$ms" -le 1000 ] || slow=$((slow + 1))
		sleep 0.5
	done
	[ "$slow" -le 1 ] ||
		fail "$cell: Tab took over a second twice:$times"
	left=$((4000 - ($(now_ms) - start)))
	[ "$left" -le 0 ] || sleep "$((left / 1000)).$(printf '%03d' $((left % 1000)))"
	after=$(count "$fault/$tag")
	echo "$cell: Tab seen in$times; $((after - before)) requests in 4 s"
	[ $((after - before)) -le "${BOUND[$src]}" ] ||
		fail "$cell: $((after - before)) requests in 4 s (bound ${BOUND[$src]})"
	if [ "$fault" = retry ]; then
		[ "$after" -eq "$before" ] ||
			fail "$cell: asked again within an hour"
	fi
	screen >"$OUT/$cell.screen"
	keys q
	status=$(exit_status)
	[ "$status" = 0 ] || fail "$cell: the console ended with $status"
	stop_tmux
done

step "No sanitizer or runtime error was reported"
if grep -l -E "Sanitizer|runtime error" "$OUT"/*.err; then
	fail "a sanitizer spoke (see the files above)"
fi

step "The token appears nowhere, nor any base64 of it"
LOG=$XDG_STATE_HOME/sitrep/sitrep.log
[ -s "$LOG" ] || fail "sitrep.log is empty"
case " $FAULTS $CELLS " in
*echo401*)
	grep -q "\[redacted\]" "$LOG" ||
		fail "sitrep.log does not say [redacted]" ;;
esac
python3 - "$TOKEN" "$LOG" "$OUT"/* <<'EOF' || fail "a credential leaked"
import base64, sys
token = sys.argv[1].encode()
needles = {token: "the token"}
for k in range(3):
    pad = b"\0" * k + token + b"\0\0"
    for enc, name in ((base64.b64encode, "base64"),
                      (base64.urlsafe_b64encode, "base64url")):
        e = enc(pad)
        # Only the groups made of the token's bytes alone.
        core = b"".join(e[4 * g:4 * g + 4] for g in range(len(pad) // 3)
                        if 3 * g >= k and 3 * g + 3 <= k + len(token))
        needles[core] = "%s at offset %d" % (name, k)
bad = 0
for path in sys.argv[2:]:
    if path.endswith(".conf"):
        continue
    data = open(path, "rb").read()
    for n, what in needles.items():
        if n in data:
            print("%s holds %s (%r)" % (path, what, n))
            bad = 1
sys.exit(bad)
EOF

pass
