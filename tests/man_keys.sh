#!/bin/bash
# man_keys.sh: someone reads sitrep(1) to learn the keys. Every command
# that a default key runs (keymaps/default.keys) must be in the man page's
# KEYS section, so that nothing the keys do is left unexplained.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"

KEYS_FILE=$SRCDIR/keymaps/default.keys
MAN_PAGE=$SRCDIR/man/sitrep.1

# The command of every "bind" line, read by the rc rules of
# keymaps/keymap.c: blanks separate words; single quotes are literal;
# in double quotes \" and \\ are escapes; a # where a word would start
# begins a comment; options (-T TABLE, -TTABLE, --) come before the key.
bound_commands() {
	awk '
	function split_rc(s, w,   n, i, c, q, word, inword) {
		n = 0; q = ""; word = ""; inword = 0
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (q == "" && (c == " " || c == "\t" || c == "\r")) {
				if (inword) { w[++n] = word; word = ""; inword = 0 }
				continue
			}
			if (q == "" && !inword && c == "#")
				break
			inword = 1
			if (q == "" && (c == "\047" || c == "\"")) { q = c; continue }
			if (q != "" && c == q) { q = ""; continue }
			if (q == "\"" && c == "\\" && i < length(s) &&
			    (substr(s, i + 1, 1) == "\"" ||
			    substr(s, i + 1, 1) == "\\")) {
				i++
				c = substr(s, i, 1)
			}
			word = word c
		}
		if (inword)
			w[++n] = word
		return n
	}
	{
		delete w
		n = split_rc($0, w)
		if (n == 0 || w[1] != "bind")
			next
		for (i = 2; i <= n && w[i] ~ /^-./; i++) {
			if (w[i] == "--") { i++; break }
			if (w[i] == "-T") i++
		}
		# w[i] is the key, w[i + 1] the command, then its arguments.
		if (i + 1 <= n && w[i + 1] != "none")
			print w[i + 1]
	}' "$KEYS_FILE" | sort -u
}

# The KEYS section of the man page as plain text: roff escapes for
# hyphens and fonts taken out ("focus\-next" is focus-next).
keys_section() {
	awk '
		/^\.S[Hh] / {
			name = $0
			sub(/^\.S[Hh] +/, "", name)
			gsub(/"/, "", name)
			inside = (name == "KEYS")
			next
		}
		inside' "$MAN_PAGE" |
	sed -e 's/\\-/-/g' -e 's/\\(hy/-/g' -e 's/\\&//g' \
	    -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\f\[[^]]*\]//g'
}

mentions() {
	grep -Eq "(^|[^A-Za-z0-9_-])$1([^A-Za-z0-9_-]|\$)"
}

step "the default bindings name their commands"
commands=$(bound_commands)
[ -n "$commands" ] || fail "no bind lines found in $KEYS_FILE"
for c in focus-next quit help; do
	grep -qx -- "$c" <<<"$commands" ||
		fail "the parser missed \"$c\" in $KEYS_FILE"
done
echo "bound commands:" $commands

step "sitrep(1) has a KEYS section"
[ -f "$MAN_PAGE" ] || fail "there is no $MAN_PAGE"
section=$(keys_section)
if [ -z "$section" ]; then
	echo "the sections of sitrep(1) are:"
	grep '^\.S[Hh] ' "$MAN_PAGE" | sed 's/^/  /'
	fail "sitrep(1) has no KEYS section"
fi

step "the KEYS section names every bound command"
missing=
for c in $commands; do
	mentions "$c" <<<"$section" || missing="$missing $c"
done
[ -z "$missing" ] ||
	fail "the KEYS section of sitrep(1) does not name:$missing"
pass
