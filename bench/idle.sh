#!/bin/sh
# idle.sh: idle CPU and wake-ups of the console (DESIGN.md budget: under 0.5%
# of a core when nothing changes).
#
# Runs sitrep at 80x24 in a private tmux server (tmux drains the output like
# a real terminal), lets it settle, then over DURATION seconds reads from
# /proc/PID/stat the CPU time used (utime + stime) and from /proc/PID/status
# the voluntary context switches (each one is a sleep in poll(), so about one
# per wake-up). The tick count has 1/CLK_TCK (10 ms) resolution, so the line
# also gives /proc/PID/schedstat's on-CPU nanoseconds (sitrep runs one
# thread here; the script says so if that changes). It also counts the
# bytes written to the terminal over the same time (tmux pipe-pane). Two
# runs:
#   frozen  [demo] frozen = yes, logs_per_second = 0, refresh = 15s: a source
#           that answers the same data every refresh, the log stream stopped
#   stream  plain --demo: logs at 50 lines/s, refresh every 2 s
# Prints numbers; never fails on them.
#
# usage: bench/idle.sh            (SITREP=path, SETTLE=5, DURATION=60)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/find_sitrep.sh"
SETTLE=${SETTLE:-5}
DURATION=${DURATION:-60}
command -v tmux >/dev/null || { echo "idle.sh: needs tmux" >&2; exit 2; }

tmp=$(mktemp -d)
sock="sitrep-bench-$$"
cleanup() {
	kill $! 2>/dev/null || true
	tmux -L "$sock" kill-server 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

printf '[demo]\nfrozen = yes\nlogs_per_second = 0\nrefresh = 15s\n' \
	>"$tmp/frozen.conf"
printf 'set -g default-terminal xterm-256color\nset -g status off\n' \
	>"$tmp/tmux.conf"

hz=$(getconf CLK_TCK)

# utime + stime in clock ticks
cpu_ticks() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# nanoseconds on a CPU, all threads
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat | awk '{ s += $1 } END { printf "%d", s }'
}

ctxt() {
	awk -v k="$2" '$1 == k ":" { print $2 }' "/proc/$1/status"
}

# measure NAME ARGS...: one run, one line of results
measure() {
	name=$1; shift
	tmux -L "$sock" -f "$tmp/tmux.conf" new-session -d -s bench -x 80 -y 24 \
		"LANG=C.UTF-8 exec $SITREP $*"
	pid=$(tmux -L "$sock" display-message -p -t bench '#{pane_pid}')
	sleep "$SETTLE" & wait $!	# so that a signal ends it at once
	[ "$(cat "/proc/$pid/comm")" = sitrep ] ||
		{ echo "idle.sh: sitrep did not start" >&2; exit 1; }
	ns0=$(cpu_ns "$pid"); c0=$(cpu_ticks "$pid")
	v0=$(ctxt "$pid" voluntary_ctxt_switches)
	n0=$(ctxt "$pid" nonvoluntary_ctxt_switches)
	tmux -L "$sock" pipe-pane -O -t bench "cat >'$tmp/out'"
	sleep "$DURATION" & wait $!
	ns1=$(cpu_ns "$pid"); c1=$(cpu_ticks "$pid")
	v1=$(ctxt "$pid" voluntary_ctxt_switches)
	n1=$(ctxt "$pid" nonvoluntary_ctxt_switches)
	rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status")
	thr=$(awk '$1 == "Threads:" { print $2 }' "/proc/$pid/status")
	tmux -L "$sock" pipe-pane -t bench
	tmux -L "$sock" kill-server
	out=$(wc -c <"$tmp/out")
	awk -v n="$name" -v c="$((c1 - c0))" -v hz="$hz" -v d="$DURATION" \
	    -v ns="$((ns1 - ns0))" -v v="$((v1 - v0))" -v nv="$((n1 - n0))" \
	    -v rss="$rss" -v thr="$thr" -v out="$out" 'BEGIN {
		printf "%-7s cpu %.3f%% of a core (stat: %d ms in %d s; " \
		    "schedstat: %.3f%%, %.1f ms)  wake-ups %.1f/s " \
		    "(%d voluntary, %d involuntary)  to the terminal " \
		    "%.0f B/s  rss %d KiB%s\n",
		    n, 100 * c / hz / d, 1000 * c / hz, d,
		    100 * ns / 1e9 / d, ns / 1e6, v / d, v, nv, out / d, rss,
		    thr == 1 ? "" : sprintf("  threads %d", thr)
	}'
}

echo "sitrep: $SITREP"
echo "80x24, settle ${SETTLE}s, measure ${DURATION}s;" \
	"budget: under 0.5% of a core"
measure frozen --config "$tmp/frozen.conf"
measure stream --demo
