# deploys_lib.sh: what the tests of the Deploys pane's selection share, on
# top of tests/lib.sh: a deploy command whose answer the test rewrites
# (deploys SERVICE...), a count of its runs, and a rollback through
# tests/fakes/fake-kubectl that logs its argv to $T/argv.log.
# shellcheck shell=bash

T=$TEST_TMP
NOW=$(date +%s)

# deploys SERVICE... : the deploy command's next answer, newest first.
deploys() {
	python3 - "$T/deploys.jsonl.new" "$NOW" "$@" <<'PY'
import json, sys
path, now, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
ages = {"notifications": 5, "checkout": 900, "search": 7200}
vers = {"notifications": "v1.4.0", "checkout": "v2.14.0", "search": "v1.8.3"}
with open(path, "w") as f:
    for n in names:
        f.write(json.dumps({"id": n + "-" + vers[n], "service": n,
            "version": vers[n], "revision": "r-" + n,
            "previous_revision": "prev-" + n, "at": now - ages[n],
            "author": "maria"}) + "\n")
PY
	mv "$T/deploys.jsonl.new" "$T/deploys.jsonl"
}

printf '%s\n' "echo run >>'$T/listed'" "cat '$T/deploys.jsonl'" \
	>"$T/deploys.sh"
cat >"$T/config" <<CONF
[sitrep]
environment = staging
audit_log = $T/audit.log

[deploys]
command = sh '$T/deploys.sh'
refresh = 1s

[rollback "*"]
command = sh '$SRCDIR/tests/fakes/fake-kubectl' rollout undo deployment/\$service --to-revision=\$previous_revision
CONF

listed() {
	if [ -e "$T/listed" ]; then wc -l <"$T/listed"; else echo 0; fi
}

listed_at_least() {
	[ "$(listed)" -ge "$1" ]
}

# The deploy command has run twice since now: what it printed is shown.
wait_listed_twice() {
	local want=$(($(listed) + 2))

	eventually listed_at_least "$want" ||
		fail "the deploy command did not run again"
	sleep 0.3	# a frame (100 ms) and the time to draw it
}

runs() {
	grep -c '^run ' "$T/argv.log" 2>/dev/null || echo 0
}

