# find_sitrep.sh: sourced by the shell benchmarks; sets SITREP to the binary
# to measure: $SITREP if set, else the README's build (build/sitrep), else
# _build-bench/sitrep, the same order as ptyrun.py. Exits 2 if none.
# $0 is the benchmark that sources this file (POSIX sh has no BASH_SOURCE).
bench_dir=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SITREP:-}" ]; then
	for p in "$bench_dir/../build" "$bench_dir/../_build-bench"; do
		if [ -x "$p/sitrep" ]; then
			SITREP=$(cd "$p" && pwd)/sitrep
			break
		fi
	done
fi
[ -n "${SITREP:-}" ] && [ -x "$SITREP" ] ||
	{ echo "$(basename "$0"): no sitrep binary: set SITREP" >&2; exit 2; }
export SITREP
