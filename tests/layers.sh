#!/bin/sh
# layers.sh: the tree's floors, checked from its #include lines. From the
# top: tui/ (entry points and the console), views/ (panes and widgets),
# actions/ (writes, plans, the audit's running side), backends/ (sources),
# core/ and keymaps/ (runtime and pure modules). A file may include its own
# floor and the floors below it, never one above; and no chain of includes
# between modules (a .c/.h pair) may come back to where it started.
set -eu
cd "${SRCDIR:-.}"

rank() {
	case $1 in
	tui/*) echo 5 ;;
	views/*) echo 4 ;;
	actions/*) echo 3 ;;
	backends/*) echo 2 ;;
	core/* | keymaps/*) echo 1 ;;
	*) echo 0 ;;
	esac
}

edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
bad=0
for f in core/*.[ch] keymaps/*.[ch] backends/*.[ch] actions/*.[ch] \
    views/*.[ch] tui/*.[ch]; do
	[ -f "$f" ] || continue
	from=$(rank "$f")
	for inc in $(sed -n 's/^#include "\([a-z]*\/[^"]*\)"/\1/p' "$f"); do
		to=$(rank "$inc")
		if [ "$to" -gt "$from" ]; then
			echo "layers: $f includes $inc, a floor above it" >&2
			bad=1
		fi
		# Module to module: "views/ui" -> "views/ask".
		a=${f%.[ch]}
		b=${inc%.h}
		[ "$a" = "$b" ] || echo "$a $b" >>"$edges"
	done
done

# A circle is a strongly connected part of the module graph: tsort names
# the modules it cannot order.
if ! sort -u "$edges" | tsort >/dev/null 2>"$edges.err"; then
	echo "layers: include circle among modules:" >&2
	grep -v '^tsort: -: input contains a loop:' "$edges.err" |
	    sed 's/^tsort: /  /' >&2
	bad=1
fi
rm -f "$edges.err"
[ "$bad" -eq 0 ] && echo "layers: every include points down; no circle"
exit "$bad"
