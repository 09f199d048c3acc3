#!/bin/bash
# alerts_hostile.sh: incidents whose titles and fields were written by an
# attacker (escape sequences that retitle the terminal, clear the screen or
# move the cursor; C0 and C1 controls; a bidi override; invalid UTF-8
# escaped in JSON; a 100 KB title) reach the console from a fake PagerDuty.
# The engineer sees them drawn visibly and clipped, the screen keeps its
# layout, the terminal's title is untouched, the detail view opens and the
# console still answers; the plain snapshot carries no control byte. At
# 80x24 a title that runs on breaks between words, even when the row's
# only blank is near its start.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$SRCDIR/tests/integration/alerts_lib.sh"
need_tmux
need_python

TOKEN=hostile-test-token
write_secret "$TEST_TMP/token" "$TOKEN"
python3 - "$TEST_TMP/incidents.json" <<'EOF'
import json, sys
big = "A" * 50 + "\u00e9" * 25000 + "\x1b[2J" * 10000 + "END-OF-BIG"
incidents = [
    {"id": "PHOST1", "title": "\x1b]0;pwned\x07retitle \x1b[2J\x1b[Hclear",
     "service": "svc\x1b[31mred", "urgency": "high",
     "created_at": "2026-01-01T00:00:00Z"},
    {"id": "PHOST2", "title": "c0 \x01\x08\x0d\x0a c1 \u009b31m bidi \u202eevil",
     "service": "tab\there", "urgency": "high",
     "created_at": "2026-01-01T00:01:00Z"},
    {"id": "PHOST3", "title": big, "service": "big", "urgency": "high",
     "created_at": "2026-01-01T00:02:00Z"},
    {"id": "PHOST4", "title": "plain after the storm", "service": "calm",
     "urgency": "low", "created_at": "2026-01-01T00:03:00Z"},
]
json.dump(incidents, open(sys.argv[1], "w"))
EOF
start_fake_pd --incidents "$TEST_TMP/incidents.json" --token "$TOKEN"
cat >"$TEST_TMP/config" <<EOF
[sitrep]
environment = hostile
refresh = 1h

[pagerduty]
url = $FAKE_URL
token_file = $TEST_TMP/token
from = ic@example.com
EOF

step "The console opens on hostile incidents and keeps its layout"
start_sitrep 100 30 --config "$TEST_TMP/config"
wait_for "plain after the storm"
[ "$(screen_row 0 | cut -c1-13)" = " sitrep hosti" ] ||
	fail "the header moved: $(screen_row 0)"
assert_screen_has "1 Alerts"
assert_screen_has "4 Logs"
[ "$(pane_format '#{pane_title}')" != pwned ] || fail "the terminal was retitled"

step "Escape sequences and controls are drawn visibly, not obeyed"
keys z
wait_for "SOURCE"
assert_screen_has "^[]0;pwned"
assert_screen_has "svc^[[31mred"
assert_screen_has "<U+202E>"
assert_screen_has "<9b>"
screen | grep -F "PHOST" && fail "ids are not titles"
row=$(screen | grep -F "c0 ^A")
[ -n "$row" ] || fail "C0 controls not shown as ^A"

step "The 100 KB title runs over the pane's empty rows, then an ellipsis"
row=$(screen | grep -F "AAAAAAAAAA")
[ -n "$row" ] || fail "the long title is not shown"
row=$(screen | sed -n '/AAAAAAAAAA/,/calm/p' | grep -F "éééé" | tail -1)
case $row in *…*) ;; *) fail "no ellipsis: $row" ;; esac
screen | grep -q "^▲  trig .* calm " || fail "the next alert lost its row"
[ "$(screen | wc -l)" -le 30 ] || fail "the screen grew"

step "Its detail view opens, wraps, and closes; the console still answers"
keys j j
keys Enter
wait_for "started:"
wait_for "alerts (1)"
assert_screen_has "éééééé"
keys G
keys Escape
wait_gone "started:"
keys j
keys Enter
wait_for "started:"
assert_screen_has "plain after the storm"
keys Escape
wait_gone "started:"
keys q
status=$(exit_status)
[ "$status" = 0 ] || fail "the console did not quit cleanly (exit status $status)"

step "80x24: a title that runs on breaks between words, even after a short one"
# The row holds a blank only near its start ("DB "): the break is there,
# not inside the long word after it, which is cut after its parts.
python3 - "$TEST_TMP/wrap.json" <<'EOF'
import json, sys
json.dump([{"id": "PWRAP1", "title": "DB " + "replica-lag-on-" * 2 +
    "primary-7 over five minutes", "service": "db", "urgency": "high",
    "created_at": "2026-01-01T00:00:00Z"}], open(sys.argv[1], "w"))
EOF
start_fake_pd --incidents "$TEST_TMP/wrap.json" --token "$TOKEN"
sed "s|^url = .*|url = $FAKE_URL|" "$TEST_TMP/config" >"$TEST_TMP/wrap.conf"
start_sitrep 80 24 --config "$TEST_TMP/wrap.conf"
wait_for "over five"
r=$(row_of "DB ")
[ "$r" -gt 0 ] || fail "no row with the title"
first=$(screen_row "$r")
first=${first%%│*}
first=${first%"${first##*[! ]}"}
[[ $first == *" DB" ]] ||
	fail "the first row does not end between words: $(screen_row "$r") / $(screen_row $((r + 1)))"
[[ $(screen_row $((r + 1))) =~ ^\ {27}replica-lag-on-\ +│ ]] ||
	fail "the long word does not start the next row: $(screen_row $((r + 1)))"
keys q

step "The plain snapshot carries no control byte"
"$SITREP" snapshot --config "$TEST_TMP/config" >"$TEST_TMP/snap.txt" 2>&1 ||
	fail "snapshot failed: $(cat "$TEST_TMP/snap.txt")"
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$TEST_TMP/snap.txt"; then
	fail "a control byte reached the snapshot"
fi
grep -qF "^[]0;pwned" "$TEST_TMP/snap.txt" || fail "the title is not shown visibly"
pass
