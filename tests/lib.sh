# lib.sh: what the script tests share. A test sources this file, then
# tells its story: start sitrep in a tmux of a given size, press keys, wait
# for what a person would see, check the screen.
#
# Each test gets its own temp dir holding a clean HOME and XDG dirs (so no
# user config is ever read) and the socket of its own tmux server (never
# the user's). Both go away when the test exits, however it exits.
#
# Waiting is by state, never by sleeping a fixed time: wait_for polls the
# screen until the text is there or a generous timeout passes.
#
# make check exports SITREP (the built program) and SRCDIR (the sources).
# Exit status, as automake reads it: 0 pass, 1 fail, 77 skip.

# shellcheck shell=bash

SRCDIR=${SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
if [ -z "$SITREP" ]; then
	echo "SITREP is not set: run the tests with make check" >&2
	exit 1
fi

TEST_NAME=$(basename "$0" .sh)
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-test-$TEST_NAME.XXXXXX") ||
	exit 1
TMUX_SOCKET=		# set by start_in_tmux: one server per start
TMUX_STARTS=0
TIMEOUT=${TIMEOUT:-30}		# seconds any wait may take: a loaded CI
				# machine is slow, and waiting costs nothing

# A clean, predictable world for the program and for our own tools (wc -L
# measures display width, which needs a UTF-8 locale).
export HOME=$TEST_TMP/home
export XDG_CONFIG_HOME=$HOME/.config XDG_STATE_HOME=$HOME/.local/state
export XDG_CACHE_HOME=$HOME/.cache XDG_DATA_HOME=$HOME/.local/share
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" \
	"$XDG_DATA_HOME"
unset TMUX TMUX_PANE NO_COLOR ESCDELAY
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC

cleanup() {
	local sock

	for sock in "$TEST_TMP"/tmux.*.sock; do
		[ -S "$sock" ] && tmux -S "$sock" kill-server 2>/dev/null
	done
	rm -rf "$TEST_TMP"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# --- telling the story -------------------------------------------------

step() {
	echo "--- $*"
}

pass() {
	echo "PASS: $TEST_NAME"
	exit 0
}

# Say what went wrong and show the screen as it was.
fail() {
	echo "FAIL: $TEST_NAME: $*"
	if tmux_running; then
		echo "--- the screen ($(pane_format '#{pane_width}x#{pane_height}'))"
		screen | sed 's/^/|/'
		echo "--- end of the screen"
	fi
	exit 1
}

skip() {
	echo "SKIP: $TEST_NAME: $*"
	exit 77
}

need_tmux() {
	command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
}

# --- the terminal ------------------------------------------------------

t() {
	tmux -S "$TMUX_SOCKET" "$@"
}

tmux_running() {
	[ -n "$TMUX_SOCKET" ] && [ -S "$TMUX_SOCKET" ] &&
		t has-session -t sitrep 2>/dev/null
}

# start_in_tmux COLS ROWS COMMAND [ARGS...]: run COMMAND (no shell) in a
# fresh tmux server of that size, the previous one stopped. The pane stays
# after COMMAND ends, so that its last screen can still be read.
start_in_tmux() {
	local cols=$1 rows=$2

	shift 2
	stop_tmux
	TMUX_STARTS=$((TMUX_STARTS + 1))
	TMUX_SOCKET=$TEST_TMP/tmux.$TMUX_STARTS.sock
	printf 'set -g remain-on-exit on\nset -g status off\n' \
		>"$TEST_TMP/tmux.conf"
	t -f "$TEST_TMP/tmux.conf" new-session -d -s sitrep \
		-x "$cols" -y "$rows" -- "$@" ||
		fail "cannot start tmux"
}

# start_sitrep COLS ROWS [NAME=VALUE...] [ARGS...]: run sitrep ARGS in a
# COLSxROWS xterm; NAME=VALUE words add to its environment. A test may set
# SITREP_VIA to a command (an array) that runs sitrep for it, e.g. a shell.
SITREP_VIA=()
start_sitrep() {
	local cols=$1 rows=$2
	local -a env=(TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
	    "HOME=$HOME" "XDG_CONFIG_HOME=$XDG_CONFIG_HOME")

	shift 2
	while [ $# -gt 0 ] && [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; do
		env+=("$1")
		shift
	done
	start_in_tmux "$cols" "$rows" env "${env[@]}" "${SITREP_VIA[@]}" \
		"$SITREP" "$@"
}

# The screen as text; "screen -e" keeps the attributes as SGR sequences.
screen() {
	t capture-pane -p "$@" -t sitrep
}

# Row N of the screen, counting from 0.
screen_row() {
	screen | sed -n "$(($1 + 1))p"
}

pane_format() {
	t display-message -p -t sitrep "$1"
}

keys() {
	t send-keys -t sitrep "$@"
}

resize() {
	t resize-window -t sitrep -x "$1" -y "$2"
}

# eventually COMMAND...: true as soon as COMMAND succeeds, false when the
# timeout passes first.
eventually() {
	local deadline=$((SECONDS + TIMEOUT))

	while ! "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

screen_has() {
	screen | grep -qF -- "$1"
}

screen_lacks() {
	! screen_has "$1"
}

wait_for() {
	TIMEOUT=${2:-$TIMEOUT} eventually screen_has "$1" ||
		fail "\"$1\" did not appear within ${2:-$TIMEOUT}s"
}

wait_gone() {
	TIMEOUT=${2:-$TIMEOUT} eventually screen_lacks "$1" ||
		fail "\"$1\" was still there after ${2:-$TIMEOUT}s"
}

assert_screen_has() {
	screen_has "$1" || fail "the screen lacks \"$1\""
}

assert_screen_lacks() {
	screen_lacks "$1" || fail "the screen shows \"$1\""
}

# The display column (from 0) where TEXT starts in LINE, or -1.
column_of() {
	local text=$1 line=$2 before

	case $line in
	*"$text"*) ;;
	*) echo -1; return ;;
	esac
	before=${line%%"$text"*}
	printf '%s' "$before" | wc -L
}

# The SGR parameters of `screen -e`, replayed from the top: is row N in
# reverse video where its text begins? That is how a selected row looks,
# and, without colour, the focused pane's title.
row_is_reverse() {
	screen -e | awk -v want="$1" '
		function sgr(s,   p, n, i, c) {
			n = split(s, p, ";")
			if (n == 0)
				rev = 0
			for (i = 1; i <= n; i++) {
				if (p[i] == "" || p[i] == 0 || p[i] == 27)
					rev = 0
				else if (p[i] == 7)
					rev = 1
				else if (p[i] == 38 || p[i] == 48)
					i += p[i + 1] == 5 ? 2 : 4
			}
		}
		NR - 1 == want {
			while (match($0, /^\033\[[0-9;]*m/)) {
				sgr(substr($0, 3, RLENGTH - 3))
				$0 = substr($0, RLENGTH + 1)
			}
			found = 1
			exit
		}
		{
			while (match($0, /\033\[[0-9;]*m/)) {
				sgr(substr($0, RSTART + 2, RLENGTH - 3))
				$0 = substr($0, RSTART + RLENGTH)
			}
		}
		END { exit !(found && rev) }'
}

# reverse_row FROM TO: the first of those rows (from 0) in reverse video,
# the selected one.
reverse_row() {
	local r

	for r in $(seq "$1" "$2"); do
		if row_is_reverse "$r"; then
			screen_row "$r"
			return
		fi
	done
}

# Does the screen use colour anywhere (foreground or background, 8, 16,
# 256 or direct colours)? The default colours (39, 49) do not count.
screen_uses_colour() {
	screen -e | grep -o $'\033\[[0-9;]*m' | tr -d '\033[m' | awk -F';' '
		{
			for (i = 1; i <= NF; i++) {
				p = $i + 0
				if ((p >= 30 && p <= 38) || (p >= 40 && p <= 48) ||
				    (p >= 90 && p <= 97) || (p >= 100 && p <= 107))
					colour = 1
			}
		}
		END { exit !colour }'
}

# attr_at ROW TEXT CODE: is SGR attribute CODE (1 bold, 2 dim, 4 underline,
# 7 reverse; 30-37 a foreground colour, 31 red, 36 cyan) in force where
# TEXT begins on ROW of `screen -e`? The SGR sequences are replayed from
# the top of the screen, as a terminal would.
attr_at() {
	screen -e | awk -v want="$1" -v text="$2" -v code="$3" '
		function sgr(s,   p, n, i, c) {
			n = split(s, p, ";")
			if (n == 0)
				delete on
			for (i = 1; i <= n; i++) {
				if (p[i] == "" || p[i] == 0) {
					delete on
				} else if (p[i] == 38 || p[i] == 48) {
					i += p[i + 1] == 5 ? 2 : 4
				} else if (p[i] >= 21 && p[i] <= 29) {
					delete on[p[i] == 22 ? 1 : p[i] - 20]
					if (p[i] == 22)
						delete on[2]
				} else if (p[i] >= 30 && p[i] <= 39) {
					for (c = 30; c <= 37; c++)
						delete on[c]
					if (p[i] != 39)
						on[p[i] + 0] = 1
				} else
					on[p[i] + 0] = 1
			}
		}
		function replay(s) {
			while (match(s, /\033\[[0-9;]*m/)) {
				sgr(substr(s, RSTART + 2, RLENGTH - 3))
				s = substr(s, RSTART + RLENGTH)
			}
		}
		NR - 1 == want {
			at = index($0, text)
			if (at == 0)
				exit 2
			replay(substr($0, 1, at - 1))
			found = 1
			exit
		}
		{ replay($0) }
		END { exit !(found && (code in on)) }'
}

# The row (from 0) where TEXT first appears, or -1.
row_of() {
	screen | awk -v t="$1" 'index($0, t) { print NR - 1; found = 1; exit }
		END { if (!found) print -1 }'
}

# tmux knows the status once it has reaped the process, which may be a
# little after the pane closed. tmux reaps on SIGCHLD, and Debian's tmux is
# built with libutempter, which sets SIGCHLD to its default (discard) while
# its helper removes the closed pane's utmp record: a program that ends in
# that moment stays a zombie and the pane never gets a status (tmux issue
# 311). So once the pane is dead, nudge the server with a SIGCHLD of our
# own; tmux then reaps whatever has ended.
pane_status_known() {
	[ -n "$(pane_format '#{pane_dead_status}#{pane_dead_signal}')" ] &&
		return 0
	[ "$(pane_format '#{pane_dead}')" = 1 ] &&
		kill -CHLD "$(pane_format '#{pid}')" 2>/dev/null
	return 1
}

# How the program started in the pane ended: its exit status, or
# "signal N" when a signal killed it.
exit_status() {
	local signal='#{pane_dead_signal}' status='#{pane_dead_status}'

	eventually pane_status_known ||
		fail "the program did not end within ${TIMEOUT}s"
	pane_format "#{?pane_dead_signal,signal $signal,$status}"
}

stop_tmux() {
	tmux_running && t kill-server 2>/dev/null
	return 0
}

# stand_in NAME SCRIPT ARGS...: a Python stand-in (tests/fakes) that prints
# its ephemeral port first and serves until its stdin closes; the test
# holds the write end, so it ends with the test. Sets PORT_NAME.
stand_in() {
	local name=$1 fd

	shift
	mkfifo "$TEST_TMP/$name.in"
	python3 "$@" <"$TEST_TMP/$name.in" >"$TEST_TMP/$name.port" \
		2>"$TEST_TMP/$name.err" &
	exec {fd}>"$TEST_TMP/$name.in"
	TIMEOUT=10 eventually test -s "$TEST_TMP/$name.port" ||
		fail "the $name stand-in did not start: $(cat "$TEST_TMP/$name.err")"
	eval "PORT_$name=\$(head -1 \"\$TEST_TMP/\$name.port\")"
}
