#!/bin/bash
# logs_fields.sh: the on-call engineer reads checkout's logs, message
# first. At 200x50 and at 80x24, a logfmt line and a JSON line are shown
# as level, message, then their other fields (the line's own ts left to
# the clock), a plain line and an almost-JSON line as they came, hostile
# bytes in a field visibly; the pod is never cut and the label every line
# shares (env=prod) is said once, in the title; v shows the raw line. The
# filter prompt takes label and field matchers (pod=~"checkout-.*",
# level!=info) beside regexes, and names a mistake's column. From a line's
# detail, which lists every field on its own line, = keeps the lines of
# its trace id. The title counts the search's matches ("3 matches", "match
# 2 of 3"); h highlights the search and a typed regex in styles that do
# not rely on colour. S narrows the query to the line's pod; U widens it.
# At 80 columns a search match past the right edge shows on its row.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
need_tmux
. "$SRCDIR/tests/integration/loki_lib.sh"

start_fake --scenario fields
loki_config <<'EOF2'
query = {service=~"checkout|payments"}
EOF2

title() {
	screen_row 1
}

body() {
	screen | sed -n '3,$p' | sed '$d'
}

# The screen row (from 0) holding TEXT.
row_with() {
	screen | grep -F -- "$1" | head -1
}

CLOCK='[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9]'

layout() {
	local cols=$1

	step "${cols} columns: level, message, then the other fields"
	row_with "payment authorization" |
		grep -q "^$CLOCK checkout-7f9c6d-x2 *ERROR payment authoriz" ||
		fail "the logfmt row is \"$(row_with "payment authorization")\""
	row_with "slow query" |
		grep -q "^$CLOCK checkout-7f9c6d-kq *WARN  slow query on" ||
		fail "the JSON row is \"$(row_with "slow query")\""
	row_with "GET /healthz" |
		grep -q "^$CLOCK checkout-7f9c6d-p7 *GET /healthz 200 took" ||
		fail "the plain row is \"$(row_with "GET /healthz")\""
	assert_screen_has '{"level":"error","msg":"almost json",'
	assert_screen_lacks "ts=2026-12-02T04:51:19Z"
	title | grep -q "env=prod" ||
		fail "the shared label is not in the title"
	body | grep -q "prod" && fail "env=prod is said on the rows"
	return 0
}

step "the engineer opens the console at 200x50 and zooms the Logs pane"
start_sitrep 200 50 --config "$CONFIG"
keys 4 z
wait_for "payment authorization failed"
wait_for "stream=payments-0"
layout 200
row_with "payment authorization" | grep -q \
    "502 trace_id=4c6e08142bd52bb4 latency_ms=812 path=/api/v1/orders" ||
	fail "the other fields do not follow the message"
assert_screen_has "INFO  café ^[[31m red user={\"id\":7}"
assert_screen_has 'ERROR title ^[]0;pwned^G after evil=^[[2J trace_id='

step "v shows the lines as Loki sent them, and back"
keys v
wait_for "ts=2026-12-02T04:51:19Z level=error msg=\"payment"
keys v
wait_gone "ts=2026-12-02T04:51:19Z"

step "label and field matchers in the filter prompt"
keys f 'pod=~"checkout-.*"' Enter
wait_for '+pod=~"checkout-.*"'
wait_gone "stream=payments-0"
keys x 'level!=error' Enter
wait_for '+pod=~"checkout-.*" -level!="error"'
# The almost-JSON line has no level field: level!=error hides it too.
[ "$(body | grep -c "$CLOCK")" -eq 2 ] ||
	fail "not the two error lines: $(body)"
# Every line shown is x2's now: the pod is said once, in the title.
title | grep -q "pod=checkout-7f9c6d-x2" ||
	fail "the pod all lines share is not in the title"
keys f 'level="x' Enter
wait_for 'column 7: the quote opened here is not closed'
keys c
wait_for "stream=payments-0"

step "the detail lists every field; = keeps the lines of its trace id"
keys / 'authorization' Enter
keys Enter
wait_for "trace_id: 4c6e08142bd52bb4"
assert_screen_has "level: error"
assert_screen_has "msg: payment authorization failed: upstream payments"
assert_screen_has "latency_ms: 812"
keys =
wait_for '+trace_id="4c6e08142bd52bb4"'
[ "$(body | grep -c "$CLOCK")" -eq 2 ] ||
	fail "not the trace's two lines: $(body)"
assert_screen_has "slow query on orders"
keys c F

step "the title counts the search's matches and says which is selected"
keys / 'orders' Enter
wait_for "/orders match 3 of 3"
keys n
wait_for "/orders match 2 of 3"
keys F
wait_for "/orders 3 matches"

step "h highlights the search and a typed regex, each its own style"
keys h
wait_for "highlight (PCRE2): orders"
keys Enter
wait_for "*orders"
keys h C-u 'order placed' Enter
wait_for "*orders  *order placed"
# Styles, not colours alone: bold underline for the first, reverse for the
# second (the search's own style comes over the first where they meet).
screen -e | grep -F 'slow query' | grep -q $'\e\\[[0-9;]*4[0-9;]*m' ||
	fail "the first highlight is not underlined"
screen -e | grep -F 'order placed' | grep -q $'\e\\[[0-9;]*7[0-9;]*m' ||
	fail "the second highlight is not in reverse"
keys C
wait_gone "*order placed"

step "S narrows the query to the line's pod; U widens it again"
keys / 'slow query' Enter
keys S
wait_for 'narrow the query to: pod="checkout-7f9c6d-kq"'
keys Enter
wait_for 'following {service=~"checkout|payments", pod="checkout-7f9c6d-kq"}'
wait_for "narrowed (U widens)"
wait_gone "stream=payments-0"
keys U
wait_for 'following {service=~"checkout|payments"}  '
wait_for "stream=payments-0"

step "at 80x24 the pod and the message still show"
keys c g
resize 80 24
wait_for "payment authorization"
layout 80

step "a search match past the right edge is brought into view on its row"
assert_screen_lacks "latency_ms=812"
keys / 'latency_ms=812' Enter
wait_for "latency_ms=812"
pass
