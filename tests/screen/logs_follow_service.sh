#!/bin/bash
# logs_follow_service.sh: the incident commander moves through the alerts
# and the logs follow: the [loki] query is {service="$service"}, and the
# service of the selected alert (or deploy) fills it in. The Logs pane says
# what it follows ("following {service=\"inventory\"}") and shows that
# service's lines. Then, in the Logs pane, J offers the selected alert's
# start and jumps there: the first line logged after the alert fired.
# The alerts and deploys come from the built-in demo; the logs from a fake
# Loki.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
. "$SRCDIR/tests/integration/loki_lib.sh"

start_fake --scenario keys --scenario services
loki_config <<'EOF2'
query = {service="$service"}
lookback = 3h

[demo]
frozen = yes
logs_per_second = 0
EOF2

logs_title() {
	screen | grep -F "4 Logs"
}

step "the first alert (checkout) is selected: the logs follow checkout"
start_sitrep 120 40 --config "$CONFIG"
wait_for "CheckoutHighError"
wait_for 'following {service="checkout"}'
wait_for "stream=checkout-0"

step "the engineer selects the inventory alert: the logs follow inventory"
keys G
wait_for "InventoryDiskUsage"
wait_for 'following {service="inventory"}'
wait_for "stream=inventory-0"
assert_screen_lacks "stream=checkout-0"
# The prefix leaves out what the query already says.
assert_screen_lacks "inventory-0 inventory"

step "moving to the Deploys pane follows the selected deploy's service"
keys 3
wait_for 'following {service="checkout"}'
keys j
wait_for 'following {service="search"}'

step "back on the first alert, in the Logs pane J offers its start"
keys 1 g
wait_for 'following {service="checkout"}'
keys 4
wait_for "4 Logs"
keys J
eventually screen_has "jump to time: 20" ||
	fail "the prompt does not offer the alert's start"
offered=$(screen | sed -n 's/.*jump to time: \([0-9T:Z-]*\).*/\1/p' | tail -1)
keys Enter
wait_for "PAUSED"

step "the selected line is the first one at or after the alert's start"
python3 - "$offered" "$(screen)" <<'PY' || fail "the jump went elsewhere"
import calendar, re, sys, time
start = calendar.timegm(time.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ"))
rows = [r for r in sys.argv[2].splitlines()
        if re.match(r"^\d\d:\d\d:\d\d\.\d{3} ", r)]
first = rows[0]
hms = first[:8]
want = time.strftime("%H:%M:%S", time.gmtime(start))
# Old lines come every 10 s: the first is within 10 s after the start.
t = calendar.timegm(time.strptime(time.strftime("%Y-%m-%d ", time.gmtime(
    start)) + hms, "%Y-%m-%d %H:%M:%S"))
print("alert start", want, "first line", first)
sys.exit(0 if 0 <= t - start <= 10 and "stream=old" in first else 1)
PY
pass
