/* test_docs.c: someone learns the keys from sitrep(1) or from the help
 * screen (?), and both must say what the code does (STYLE.md rule 3: the
 * help screen and the man page's key table come from the command tables).
 * Every command of every table (tui/commands.c, each pane's in views/,
 * the action terminal's in views/term.c) has an entry in the KEYS section of
 * sitrep(1) that gives its help text and its default keys, or says it has
 * none; and the help overlay lists every default binding with the help of
 * its command. A command added to a table without its man entry, or a key
 * moved without the man page, fails here. */
#include "config.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/model.h"
#include "core/sbuf.h"
#include "core/xalloc.h"
#include "keymaps/keymap.h"
#include "tui/app.h"
#include "tui/commands.h"
#include "tui/help.h"
#include "core/loop.h"
#include "views/draw.h"
#include "views/term.h"
#include "views/view.h"

/* --- the command tables -------------------------------------------------- */

struct table_cmd {
	const struct command	*c;
	const char		*table;	/* the table it is in */
};

static struct table_cmd	*all;
static size_t		 nall;

static void
add_command(const struct command *c, const char *table)
{
	all = xreallocarray(all, nall + 1, sizeof *all);
	all[nall].c = c;
	all[nall].table = table;
	nall++;
}

/* Every table command_find() searches, in its order. */
static void
collect_commands(void)
{
	const struct command	*c;
	size_t			 i;

	nall = 0;
	for (i = 0; i < ncommands; i++)
		add_command(&commands[i], "global");
	for (c = term_commands; c->name != NULL; c++)
		add_command(c, "term");
	for (i = 0; i < view_count; i++) {
		for (c = view_all[i]->commands; c != NULL && c->name != NULL;
		    c++)
			add_command(c, view_all[i]->name);
	}
}

/* --- sitrep(1) as text --------------------------------------------------- */

static char *
man_path(void)
{
	const char	*srcdir = getenv("SRCDIR");
	const char	*file = __FILE__, *tail = "tests/unit/test_docs.c";
	size_t		 flen = strlen(file), tlen = strlen(tail);

	if (srcdir != NULL && *srcdir != '\0')
		return (xasprintf("%s/man/sitrep.1", srcdir));
	if (flen >= tlen && strcmp(file + flen - tlen, tail) == 0)
		return (xasprintf("%.*sman/sitrep.1", (int)(flen - tlen),
		    file));
	return (xstrdup("man/sitrep.1"));
}

static char *
read_all(const char *path)
{
	struct sbuf	 sb;
	FILE		*f;
	char		 buf[4096];
	size_t		 n;

	if ((f = fopen(path, "r")) == NULL)
		fail_msg("cannot read %s (set SRCDIR to the sources)", path);
	sbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_add(&sb, buf, n);
	fclose(f);
	return (sbuf_steal(&sb));
}

/* The roff escapes the page uses, as a reader sees them. */
static const struct {
	const char	*roff, *text;
} escapes[] = {
	{ "\\-", "-" }, { "\\&", "" }, { "\\e", "\\" }, { "\\(dq", "\"" },
	{ "\\(aq", "'" }, { "\\(lq", "\"" }, { "\\(rq", "\"" },
	{ "\\(ti", "~" }, { "\\(em", "-" }, { "\\(mu", "x" }, { "\\~", " " },
	{ "\\ ", " " }, { "\\fB", "" }, { "\\fI", "" }, { "\\fR", "" },
	{ "\\fP", "" },
};

static void
add_unescaped(struct sbuf *out, const char *s, size_t len)
{
	size_t	i, k, n;

	for (i = 0; i < len; i++) {
		for (k = 0; k < sizeof escapes / sizeof escapes[0]; k++) {
			n = strlen(escapes[k].roff);
			if (i + n <= len &&
			    strncmp(s + i, escapes[k].roff, n) == 0)
				break;
		}
		if (k < sizeof escapes / sizeof escapes[0]) {
			sbuf_adds(out, escapes[k].text);
			i += strlen(escapes[k].roff) - 1;
		} else if (strncmp(s + i, "\\[", 2) == 0 &&
		    strchr(s + i, ']') != NULL) {
			sbuf_adds(out, "?");	/* a named glyph */
			i = (size_t)(strchr(s + i, ']') - s);
		} else
			sbuf_add(out, s + i, 1);
	}
}

/* The words of a macro line, quotes honoured. */
static size_t
macro_args(const char *s, char ***argv)
{
	size_t	 n = 0;
	char	*word;
	size_t	 len;

	*argv = NULL;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if (*s == '"') {
			s++;
			len = strcspn(s, "\"");
		} else
			len = strcspn(s, " \t");
		word = xstrndup(s, len);
		s += len;
		if (*s == '"')
			s++;
		*argv = xreallocarray(*argv, n + 1, sizeof **argv);
		(*argv)[n++] = word;
	}
	return (n);
}

/* A line of the page as text: a font macro's words (the alternating
 * ones, .BR and the like, run together, as roff prints them), or a text
 * line. NULL for any other request, which ends a paragraph. */
static char *
roff_line_text(const char *line)
{
	static const char *const together[] = {
		"BR", "BI", "IB", "IR", "RB", "RI"
	};
	struct sbuf	  sb;
	char		**argv, name[8];
	size_t		  n, i, len;
	bool		  join = false;

	sbuf_init(&sb);
	if (*line != '.' && *line != '\'') {
		add_unescaped(&sb, line, strlen(line));
		return (sbuf_steal(&sb));
	}
	len = strcspn(line + 1, " \t");
	if (len >= sizeof name)
		return (NULL);
	memcpy(name, line + 1, len);
	name[len] = '\0';
	for (i = 0; i < sizeof together / sizeof together[0]; i++)
		join = join || strcmp(name, together[i]) == 0;
	if (!join && strcmp(name, "B") != 0 && strcmp(name, "I") != 0)
		return (NULL);
	n = macro_args(line + 1 + len, &argv);
	for (i = 0; i < n; i++) {
		if (i > 0 && !join)
			sbuf_adds(&sb, " ");
		add_unescaped(&sb, argv[i], strlen(argv[i]));
		free(argv[i]);
	}
	free(argv);
	return (sbuf_steal(&sb));
}

/* One .TP entry of the KEYS section: its tag and its paragraph, with
 * blanks squeezed to one space. */
struct entry {
	char	*name;		/* the tag's first word */
	char	*body;
};

static struct entry	*entries;
static size_t		 nentries;

static void
squeeze(char *s)
{
	char	*r, *w = s;
	bool	 blank = true;

	for (r = s; *r != '\0'; r++) {
		if (isspace((unsigned char)*r)) {
			if (!blank)
				*w++ = ' ';
			blank = true;
		} else {
			*w++ = *r;
			blank = false;
		}
	}
	if (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
}

static void
entry_end(struct sbuf *body)
{
	if (nentries == 0 || entries[nentries - 1].body != NULL)
		return;
	squeeze(body->s);
	entries[nentries - 1].body = sbuf_steal(body);
	sbuf_init(body);
}

static void
parse_keys_section(char *page)
{
	struct sbuf	 body;
	char		*line, *save = NULL, *text;
	bool		 inside = false, want_tag = false, in_entry = false;

	sbuf_init(&body);
	nentries = 0;
	for (line = strtok_r(page, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, ".\\\"", 3) == 0)
			continue;
		if (strncmp(line, ".SH", 3) == 0) {
			if (in_entry)
				entry_end(&body);
			in_entry = false;
			inside = strcmp(line, ".SH KEYS") == 0;
			continue;
		}
		if (!inside)
			continue;
		if (want_tag) {
			text = roff_line_text(line);
			assert_non_null(text);
			entries = xreallocarray(entries, nentries + 1,
			    sizeof *entries);
			entries[nentries].name = xstrndup(text, strcspn(text,
			    " "));
			entries[nentries].body = NULL;
			nentries++;
			free(text);
			want_tag = false;
			in_entry = true;
			continue;
		}
		if ((text = roff_line_text(line)) == NULL) {
			if (in_entry)
				entry_end(&body);
			in_entry = false;
			want_tag = strncmp(line, ".TP", 3) == 0;
			continue;
		}
		if (in_entry) {
			sbuf_adds(&body, text);
			sbuf_adds(&body, " ");
		}
		free(text);
	}
	if (in_entry)
		entry_end(&body);
	sbuf_free(&body);
}

static const struct entry *
entry_find(const char *name)
{
	size_t	i;

	for (i = 0; i < nentries; i++) {
		if (strcmp(entries[i].name, name) == 0)
			return (&entries[i]);
	}
	return (NULL);
}

static int
setup(void **state)
{
	char	*path, *page;

	collect_commands();
	path = man_path();
	page = read_all(path);
	parse_keys_section(page);
	free(page);
	free(path);
	return (nentries > 0 ? 0 : -1);
}

static int
teardown(void **state)
{
	size_t	i;

	for (i = 0; i < nentries; i++) {
		free(entries[i].name);
		free(entries[i].body);
	}
	free(entries);
	entries = NULL;
	nentries = 0;
	free(all);
	all = NULL;
	nall = 0;
	return (0);
}

/* --- matching ------------------------------------------------------------ */

/* Does text hold the help string (its first letter in either case)? */
static bool
says(const char *text, const char *help)
{
	const char	*p;

	for (p = text; (p = strstr(p, help + 1)) != NULL; p++) {
		if (p > text && tolower((unsigned char)p[-1]) ==
		    tolower((unsigned char)help[0]))
			return (true);
	}
	return (false);
}

static bool
word_char(char c)
{
	return (isalnum((unsigned char)c) || c == '-' || c == '_');
}

/* Is key in text as a word of its own ("n" in "Keys: n." but not in
 * "note"; "C-d" but not "C-d" inside "C-dx")? */
static bool
has_key(const char *text, const char *key)
{
	const char	*p;
	size_t		 n = strlen(key);

	for (p = text; (p = strstr(p, key)) != NULL; p++) {
		if ((p == text || !word_char(p[-1]) || !word_char(key[0])) &&
		    (!word_char(p[n]) || !word_char(key[n - 1])))
			return (true);
	}
	return (false);
}

/* A help line "  KEY [KEY...]  COMMAND  HELP" with this key among its
 * keys (the words before the first run of two blanks)? */
static bool
starts_with_key(const char *line, const char *key)
{
	const char	*end;
	size_t		 n = strlen(key);

	line += strspn(line, " ");
	if ((end = strstr(line, "  ")) == NULL)
		return (false);
	while (line < end) {
		size_t len = strcspn(line, " ");

		if (line + len > end)
			len = (size_t)(end - line);
		if (len == n && strncmp(line, key, n) == 0)
			return (true);
		line += len;
		line += strspn(line, " ");
	}
	return (false);
}

/* The "Keys: ..." sentence of an entry, or NULL. */
static char *
keys_clause(const char *body)
{
	const char	*p = strstr(body, "Keys:"), *end;

	if (p == NULL)
		return (NULL);
	p += 5;
	for (end = p; *end != '\0'; end++) {
		if (*end == '.' && (end[1] == ' ' || end[1] == '\0'))
			break;
	}
	return (xstrndup(p, (size_t)(end - p)));
}

/* The default bindings, as the console loads them. */
static void
default_keys(struct keymap *km)
{
	char	*err = NULL;

	memset(km, 0, sizeof *km);
	if (!keymap_load_rc(km, keymap_default_rc, command_exists, &err))
		fail_msg("the default bindings do not load: %s", err);
}

static bool
binding_runs(const struct binding *b, const char *name)
{
	size_t	len = strcspn(b->command, " \t");

	return (strlen(name) == len && strncmp(b->command, name, len) == 0);
}

/* --- the stories --------------------------------------------------------- */

/* Every command a key can run is explained in KEYS, with the words of
 * its help text. */
static void
every_command_has_its_help_text_in_the_keys_section(void **state)
{
	const struct entry	*e;
	size_t			 i, bad = 0;

	assert_true(nall > ncommands);	/* the pane tables were found */
	for (i = 0; i < nall; i++) {
		const struct command *c = all[i].c;

		if ((e = entry_find(c->name)) == NULL) {
			print_message("sitrep(1) KEYS has no entry for %s "
			    "(%s table): \"%s\"\n", c->name, all[i].table,
			    c->help);
			bad++;
		} else if (!says(e->body, c->help)) {
			print_message("sitrep(1) KEYS, %s: does not say \"%s\""
			    "\n  it says: %s\n", c->name, c->help, e->body);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* Nothing in KEYS that no table has: a command that was removed or
 * renamed is taken out of the page too. */
static void
every_keys_entry_is_a_command(void **state)
{
	size_t	i, bad = 0;

	for (i = 0; i < nentries; i++) {
		if (!command_exists(entries[i].name)) {
			print_message("sitrep(1) KEYS describes %s, which no "
			    "command table has\n", entries[i].name);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* Each entry gives the command's default keys, as keymaps/default.keys
 * binds them and as [keys] spells them, or says that it has none. */
static void
every_default_key_is_in_its_entry(void **state)
{
	struct keymap		 km;
	const struct entry	*e;
	char			*clause;
	size_t			 i, j, bad = 0, nkeys;

	default_keys(&km);
	for (i = 0; i < nall; i++) {
		const char *name = all[i].c->name;

		if ((e = entry_find(name)) == NULL)
			continue;	/* reported above */
		clause = keys_clause(e->body);
		nkeys = 0;
		for (j = 0; j < km.n; j++) {
			const char *key;

			if (!binding_runs(&km.v[j], name))
				continue;
			nkeys++;
			key = keymap_key_name(km.v[j].key);
			if (clause == NULL || !has_key(clause, key)) {
				print_message("sitrep(1) KEYS, %s: \"Keys:\" "
				    "does not name %s (bound in %s)\n  it "
				    "says: %s\n", name, key, km.v[j].table,
				    e->body);
				bad++;
			}
		}
		if (nkeys == 0 && strstr(e->body, "No default key") == NULL) {
			print_message("sitrep(1) KEYS, %s: no key runs it by "
			    "default, and the entry should say \"No default "
			    "key.\"\n", name);
			bad++;
		}
		free(clause);
	}
	keymap_free(&km);
	assert_int_equal(bad, 0);
}

/* ? shows every default binding: its key, the command as bound and the
 * command's help, for every table a binding can be in. */
static const struct command *
docs_lookup(const char *name)
{
	return (command_find(name, NULL));
}

static void
the_help_overlay_lists_every_default_binding(void **state)
{
	struct model		 m;
	struct ui		 app;
	struct detail		 d;
	const struct command	*c;
	size_t			 i, j, bad = 0;
	char			*want;

	loop_init();
	model_init(&m, "test");
	app_init(&app, &m, NULL, NULL, 0);
	memset(&d, 0, sizeof d);
	help_build(&app, &d, docs_lookup);
	assert_non_null(d.title);
	for (i = 0; i < app.keys.n; i++) {
		const struct binding *b = &app.keys.v[i];

		c = command_find(b->command, NULL);
		assert_non_null(c);
		want = xasprintf("%s %s", keymap_key_name(b->key), b->command);
		for (j = 0; j < d.n; j++) {
			if (starts_with_key(d.lines[j].text,
			    keymap_key_name(b->key)) &&
			    has_key(d.lines[j].text, b->command) &&
			    strstr(d.lines[j].text, c->help) != NULL)
				break;
		}
		if (j == d.n) {
			print_message("the help overlay does not show \"%s\" "
			    "(%s table) with \"%s\"\n", want, b->table,
			    c->help);
			bad++;
		}
		free(want);
	}
	/* And so every command with a default key is on the help screen. */
	for (i = 0; i < nall; i++) {
		for (j = 0; j < app.keys.n; j++) {
			if (binding_runs(&app.keys.v[j], all[i].c->name))
				break;
		}
		if (j == app.keys.n)
			continue;	/* no default key: nothing to show */
		for (j = 0; j < d.n; j++) {
			if (has_key(d.lines[j].text, all[i].c->name) &&
			    strstr(d.lines[j].text, all[i].c->help) != NULL)
				break;
		}
		if (j == d.n) {
			print_message("the help overlay never shows %s\n",
			    all[i].c->name);
			bad++;
		}
	}
	detail_clear(&d);
	app_free(&app);
	model_free(&m);
	loop_free();
	assert_int_equal(bad, 0);
}

/* The help's line for a command in a table section: its keys column.
 * Sections are headed "Everywhere", "In the Logs pane ...". */
static const char *
help_line_of(const struct detail *d, const char *heading, const char *cmd)
{
	size_t	i;
	bool	inside = false;

	for (i = 0; i < d->n; i++) {
		const char *t = d->lines[i].text;

		if (d->lines[i].style == DRAW_BOLD) {
			inside = strncmp(t, heading, strlen(heading)) == 0;
			continue;
		}
		if (inside && has_key(t, cmd) && strstr(t, "  ") != NULL)
			return (t);
	}
	return (NULL);
}

static void
expect_keys(const struct detail *d, const char *heading, const char *cmd,
    const char *keys, size_t *bad)
{
	const char	*line = help_line_of(d, heading, cmd);
	size_t		 n = strlen(keys);

	if (line != NULL) {
		line += strspn(line, " ");
		if (strncmp(line, keys, n) == 0 && strncmp(line + n, "  ", 2)
		    == 0)
			return;
	}
	print_message("help, %s: %s should be on one line with the keys "
	    "\"%s\"; it is \"%s\"\n", heading, cmd, keys,
	    line != NULL ? line : "(missing)");
	(*bad)++;
}

/* The keys as people write them, aliases of one command on one line, in
 * the help and in sitrep(1): "j Down", "S-Tab", "PgDn C-d", never the
 * curses names (BTab, NPage). */
static void
the_help_groups_aliases_and_writes_keys_as_people_do(void **state)
{
	static const char *const curses_names[] = {
		"BTab", "NPage", "PPage", "SPPage", "SNPage", "BSpace",
		"Escape"
	};
	struct model	 m;
	struct ui	 app;
	struct detail	 d;
	size_t		 i, j, bad = 0;
	char		*clause;

	loop_init();
	model_init(&m, "test");
	app_init(&app, &m, NULL, NULL, 0);
	memset(&d, 0, sizeof d);
	help_build(&app, &d, docs_lookup);
	expect_keys(&d, "Everywhere", "down", "j Down", &bad);
	expect_keys(&d, "Everywhere", "up", "k Up", &bad);
	expect_keys(&d, "Everywhere", "page-down", "PgDn C-d", &bad);
	expect_keys(&d, "Everywhere", "page-up", "PgUp C-u", &bad);
	expect_keys(&d, "Everywhere", "focus-prev", "S-Tab", &bad);
	expect_keys(&d, "Everywhere", "close", "Esc", &bad);
	expect_keys(&d, "Everywhere", "refresh", "F5 C-r", &bad);
	expect_keys(&d, "In the action terminal", "term-scroll-up", "S-PgUp",
	    &bad);
	for (i = 0; i < d.n; i++) {
		for (j = 0; j < sizeof curses_names / sizeof curses_names[0];
		    j++) {
			if (!has_key(d.lines[i].text, curses_names[j]))
				continue;
			print_message("help: \"%s\" uses the curses name "
			    "%s\n", d.lines[i].text, curses_names[j]);
			bad++;
		}
	}
	for (i = 0; i < nentries; i++) {
		if ((clause = keys_clause(entries[i].body)) == NULL)
			continue;
		for (j = 0; j < sizeof curses_names / sizeof curses_names[0];
		    j++) {
			if (!has_key(clause, curses_names[j]))
				continue;
			print_message("sitrep(1) KEYS, %s: uses the curses "
			    "name %s\n", entries[i].name, curses_names[j]);
			bad++;
		}
		free(clause);
	}
	detail_clear(&d);
	app_free(&app);
	model_free(&m);
	loop_free();
	assert_int_equal(bad, 0);
}

/* Help opened from the Logs pane starts with the Logs pane's keys, and
 * from Alerts with the Alerts pane's. */
static void
the_help_starts_with_the_focused_panes_keys(void **state)
{
	static const struct {
		int		 focus;
		const char	*heading;
	} cases[] = {
		{ PANE_LOGS, "In the Logs pane (it has the focus)" },
		{ PANE_ALERTS, "In the Alerts pane (it has the focus)" },
		{ PANE_DEPLOYS, "In the Deploys pane (it has the focus)" },
	};
	struct model	 m;
	struct ui	 app;
	struct detail	 d;
	size_t		 i, k;

	loop_init();
	model_init(&m, "test");
	app_init(&app, &m, NULL, NULL, 0);
	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		app.focus = cases[k].focus;
		memset(&d, 0, sizeof d);
		help_build(&app, &d, docs_lookup);
		for (i = 0; i < d.n && d.lines[i].style != DRAW_BOLD; i++)
			;
		assert_true(i < d.n);
		assert_string_equal(d.lines[i].text, cases[k].heading);
		detail_clear(&d);
	}
	app_free(&app);
	model_free(&m);
	loop_free();
}

/* One key, one meaning: wherever a key is bound by default it does the
 * same thing. A few commands are one meaning under a pane's own name: the
 * help's search is the Logs pane's, and "show only what matches" is
 * filter-alerts in Alerts and filter-keep in Logs. A key whose meaning
 * depended on the pane would act differently from what the user learnt
 * elsewhere. */
static const char *
meaning(const char *command, char *buf, size_t len)
{
	static const char *const same[][2] = {
		{ "help-search", "search" },
		{ "help-search-next", "search-next" },
		{ "help-search-prev", "search-prev" },
		{ "filter-alerts", "filter-keep" },
	};
	size_t	n = strcspn(command, " \t"), i;

	snprintf(buf, len, "%.*s", (int)n, command);
	for (i = 0; i < sizeof same / sizeof same[0]; i++) {
		if (strcmp(buf, same[i][0]) == 0)
			snprintf(buf, len, "%s", same[i][1]);
	}
	return (buf);
}

static void
every_key_means_one_thing_wherever_it_is_bound(void **state)
{
	struct keymap	km;
	size_t		i, j, bad = 0;
	char		a[64], b[64];

	default_keys(&km);
	for (i = 0; i < km.n; i++) {
		for (j = i + 1; j < km.n; j++) {
			if (km.v[i].key != km.v[j].key)
				continue;
			meaning(km.v[i].command, a, sizeof a);
			meaning(km.v[j].command, b, sizeof b);
			if (strcmp(a, b) == 0)
				continue;
			print_message("%s means %s in %s but %s in %s\n",
			    keymap_key_name(km.v[i].key), km.v[i].command,
			    km.v[i].table, km.v[j].command, km.v[j].table);
			bad++;
		}
	}
	keymap_free(&km);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    every_command_has_its_help_text_in_the_keys_section),
		cmocka_unit_test(every_keys_entry_is_a_command),
		cmocka_unit_test(every_default_key_is_in_its_entry),
		cmocka_unit_test(the_help_overlay_lists_every_default_binding),
		cmocka_unit_test(
		    the_help_groups_aliases_and_writes_keys_as_people_do),
		cmocka_unit_test(the_help_starts_with_the_focused_panes_keys),
		cmocka_unit_test(
		    every_key_means_one_thing_wherever_it_is_bound),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
