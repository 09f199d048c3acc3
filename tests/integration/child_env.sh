#!/bin/bash
# child_env.sh: a secret named by token_env or password_env never reaches
# a program sitrep starts. The deploy command runs beside a Prometheus whose
# token and an Alertmanager whose password come from the environment; both
# variables are set in sitrep's own environment, and neither may be in the
# deploy command's, nor in a token command's that runs while the config is
# read, before the sections that name them.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"

CFG=$TEST_TMP/config
ENVFILE=$TEST_TMP/deploy.env
NOW=$(date +%s)

# A token command, started while the config is read: it writes its
# environment to the file named by $1 and prints a token.
TOKENV=$TEST_TMP/token.env
cat >"$TEST_TMP/token-env" <<'SCRIPT'
#!/bin/sh
env >"$1"
echo tok-from-command
SCRIPT
chmod +x "$TEST_TMP/token-env"

# A port nothing listens on: the HTTP sources fail, the deploy command
# still runs.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# The deploy command: writes its environment to the file named by $0,
# then prints one deploy.
cat >"$TEST_TMP/deploys-env" <<'SCRIPT'
#!/bin/sh
env >"$1"
printf '{"service":"checkout","version":"v1","at":%s}\n' "$(date +%s)"
SCRIPT
chmod +x "$TEST_TMP/deploys-env"

# The token command's section comes first: the secrets named after it
# must be hidden from it all the same.
cat >"$CFG" <<CONF
[alertmanager "first"]
url = http://127.0.0.1:$PORT
token_command = '$TEST_TMP/token-env' '$TOKENV'
timeout = 1s

[prometheus]
url = http://127.0.0.1:$PORT
token_env = SITREP_TEST_PROM_TOKEN
discover = sloth
timeout = 1s

[alertmanager]
url = http://127.0.0.1:$PORT
username = sitrep
password_env = SITREP_TEST_AM_PASSWORD
timeout = 1s

[deploys]
command = '$TEST_TMP/deploys-env' '$ENVFILE'
CONF

step "snapshot runs the deploy command with the secrets in its own environment"
export SITREP_TEST_PROM_TOKEN=tok-prom-s3cret
export SITREP_TEST_AM_PASSWORD=pw-am-s3cret
export SITREP_TEST_PLAIN=visible
"$SITREP" snapshot --json --config "$CFG" >"$TEST_TMP/out.json" \
    2>"$TEST_TMP/err.txt" || true
[ -s "$ENVFILE" ] ||
	fail "the deploy command did not run: $(cat "$TEST_TMP/err.txt")"
grep -q '"checkout"' "$TEST_TMP/out.json" ||
	fail "the deploy did not arrive: $(cat "$TEST_TMP/out.json")"

step "the token command, read before the sections that name them, saw neither"
[ -s "$TOKENV" ] || fail "the token command did not run"
grep -q '^SITREP_TEST_PLAIN=visible$' "$TOKENV" ||
	fail "the token command lost the ordinary environment"
grep -q 'tok-prom-s3cret\|pw-am-s3cret' "$TOKENV" &&
	fail "the token command inherited a secret named later in the config"

step "the deploy command saw neither secret, and everything else"
grep -q '^SITREP_TEST_PLAIN=visible$' "$ENVFILE" ||
	fail "the ordinary environment was not passed"
grep -q 'SITREP_TEST_PROM_TOKEN\|tok-prom-s3cret' "$ENVFILE" &&
	fail "the deploy command inherited the Prometheus token"
grep -q 'SITREP_TEST_AM_PASSWORD\|pw-am-s3cret' "$ENVFILE" &&
	fail "the deploy command inherited the Alertmanager password"
pass
