#!/bin/sh
# run-all.sh: every benchmark in bench/, one after the other: about nine
# minutes for the console's own (idle, first frame, terminal bytes), then
# the log flood, and the Prometheus one (four minutes more) if Prometheus is
# installed. Builds nothing: the binary is $SITREP, else ../build/sitrep,
# else _build-bench/sitrep (paths from the top of the source tree); the C
# benchmarks (alerts_parse, log_pipeline) run if `make bench/NAME` built
# them beside that binary. Prints the machine first so that a saved log
# says where it ran. Never fails on a number; it fails only if one of the
# console's own benchmarks cannot run at all.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/find_sitrep.sh"
export PYTHONDONTWRITEBYTECODE=1	# no bench/__pycache__ in the tree

echo "== machine"
echo "nproc: $(nproc)"
echo "cpu: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "memory: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' \
	/proc/meminfo)"
echo "kernel: $(uname -sr)"
echo "debian: $(cat /etc/debian_version 2>/dev/null || echo '?')"
echo "compiler: $(${CC:-cc} --version | head -n 1)"
echo "sitrep: $SITREP ($("$SITREP" --version))"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)" \
	"(other work on the machine skews the numbers)"
echo
echo "== idle.sh"
"$here/idle.sh"
echo
echo "== first_frame.py"
python3 "$here/first_frame.py"
echo
echo "== term_bytes.py (--demo, 50 lines/s)"
python3 "$here/term_bytes.py"
echo
echo "== term_bytes.py --rate 5 (one line per paint)"
python3 "$here/term_bytes.py" --rate 5
echo
# built C benchmarks: NAME
built() {
	echo "== $1"
	b="$(dirname "$SITREP")/bench/$1"
	if [ -x "$b" ]; then
		"$b" || echo "($1: exit status $?)"
	else
		echo "skipped: build it with \`make bench/$1\` beside $SITREP"
	fi
	echo
}
built alerts_parse
built am_replicas
built log_pipeline
echo "== log_flood.py"
python3 "$here/log_flood.py" || echo "(log_flood.py: exit status $?)"
echo
echo "== am_replicas.py"
python3 "$here/am_replicas.py" || echo "(am_replicas.py: exit status $?)"
echo
echo "== loop_stall.py"
python3 "$here/loop_stall.py" || echo "(loop_stall.py: exit status $?)"
echo
echo "== prometheus_requests.py"
if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
	python3 "$here/prometheus_requests.py" ||
		echo "(prometheus_requests.py: exit status $?)"
else
	echo "skipped: needs prometheus and promtool (Debian: prometheus)"
fi
echo
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
