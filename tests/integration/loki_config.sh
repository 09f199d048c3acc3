#!/bin/bash
# loki_config.sh: the engineer writes a [loki] section and highlight rules,
# and `sitrep check-config` points at each mistake by file and line: a
# missing url, a colour that does not exist (naming the ones that do), a
# regex PCRE2 cannot compile (with PCRE2's words and the offset), a key
# that means nothing. A good config passes.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"

CONFIG=$TEST_TMP/config

check() {
	"$SITREP" check-config --config "$CONFIG" >"$TEST_TMP/out" \
		2>"$TEST_TMP/err"
	STATUS=$?
}

expect_err() {
	grep -qF -- "$1" "$TEST_TMP/err" ||
		fail "stderr lacks \"$1\"; it is: $(cat "$TEST_TMP/err")"
}

step "a good [loki] section and two highlight rules pass"
cat >"$CONFIG" <<'EOF2'
[loki]
url = http://127.0.0.1:3100
tenant = team-a|team-b
query = {service="$service"} |= "level"
service = checkout
lookback = 15m
poll = 2s
delay = 2s
limit = 1000
max_limit = 5000
max_lag = 30s
ring_lines = 100000
ring_bytes = 67108864
colors = no

[highlight "errors"]
regex = ERROR|FATAL
colour = red bold

[highlight "request-ids"]
regex = req-[0-9a-f]{8}
colour = underline
EOF2
check
[ "$STATUS" -eq 0 ] || fail "check-config exited $STATUS: \
$(cat "$TEST_TMP/err")"

step "each mistake is named with its line"
cat >"$CONFIG" <<'EOF2'
[loki]
query = {service="$service"}
colours = sometimes
lookback = soon
window = 5m

[highlight "errors"]
regex = ERROR|FATAL
colour = pink

[highlight "ids"]
regex = req-([0-9a-f]
colour = red
EOF2
check
[ "$STATUS" -eq 2 ] || fail "check-config exited $STATUS, not 2"
expect_err "config:1: [loki] needs url = ..."
expect_err "config:3: colours: bad boolean \"sometimes\""
expect_err "config:4: lookback: bad duration \"soon\""
expect_err "config:5: unknown key \"window\" in [loki]"
expect_err "config:9: colour: unknown colour \"pink\" (use black, red, \
green, yellow, blue, magenta, cyan, white, bold, underline, reverse, dim, \
italic)"
expect_err "config:12: regex: missing closing parenthesis at offset 13"
pass
