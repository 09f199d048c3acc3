/* keymap.c: key names in both directions, the list of bindings, and the rc
 * parser ("bind", "unbind") that reads the compiled-in defaults and the
 * user's overrides alike. <curses.h> is here for the KEY_* values only; no
 * curses function is called. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"
#include "core/xalloc.h"
#include "keymaps/keymap.h"

#define KEYMAP_GLOBAL	"global"
#define KEYMAP_NFKEYS	12		/* F1 to F12 have names */

/* The tables an rc file may name: global, one per pane, the overlays and
 * the action terminal. */
const char *const keymap_tables[] = {
	KEYMAP_GLOBAL, "alerts", "slo", "deploys", "logs", "detail", "help",
	"term"
};
const size_t keymap_ntables = sizeof keymap_tables / sizeof keymap_tables[0];

struct keymap_name {
	const char	*name;
	int		 key;
};

/* The first entry for a key is its canonical name, the way people write
 * it ("S-Tab", "PgDn"); later ones are aliases accepted on input, the
 * curses names of older configs among them ("BTab", "NPage"). F1 to F12
 * and C- keys are built, not listed. */
static const struct keymap_name keymap_names[] = {
	{ "Enter",	'\r' },
	{ "Tab",	'\t' },
	{ "S-Tab",	KEYMAP_KEYCODE(KEY_BTAB) },
	{ "BTab",	KEYMAP_KEYCODE(KEY_BTAB) },
	{ "Esc",	'\033' },
	{ "Escape",	'\033' },
	{ "Space",	' ' },
	{ "Backspace",	KEYMAP_KEYCODE(KEY_BACKSPACE) },
	{ "BSpace",	KEYMAP_KEYCODE(KEY_BACKSPACE) },
	{ "Up",		KEYMAP_KEYCODE(KEY_UP) },
	{ "Down",	KEYMAP_KEYCODE(KEY_DOWN) },
	{ "Left",	KEYMAP_KEYCODE(KEY_LEFT) },
	{ "Right",	KEYMAP_KEYCODE(KEY_RIGHT) },
	{ "Home",	KEYMAP_KEYCODE(KEY_HOME) },
	{ "End",	KEYMAP_KEYCODE(KEY_END) },
	{ "PgUp",	KEYMAP_KEYCODE(KEY_PPAGE) },
	{ "PageUp",	KEYMAP_KEYCODE(KEY_PPAGE) },
	{ "PPage",	KEYMAP_KEYCODE(KEY_PPAGE) },
	{ "PgDn",	KEYMAP_KEYCODE(KEY_NPAGE) },
	{ "PageDown",	KEYMAP_KEYCODE(KEY_NPAGE) },
	{ "NPage",	KEYMAP_KEYCODE(KEY_NPAGE) },
	{ "S-PgUp",	KEYMAP_KEYCODE(KEY_SPREVIOUS) },
	{ "S-PageUp",	KEYMAP_KEYCODE(KEY_SPREVIOUS) },
	{ "SPPage",	KEYMAP_KEYCODE(KEY_SPREVIOUS) },
	{ "S-PgDn",	KEYMAP_KEYCODE(KEY_SNEXT) },
	{ "S-PageDown",	KEYMAP_KEYCODE(KEY_SNEXT) },
	{ "SNPage",	KEYMAP_KEYCODE(KEY_SNEXT) },
	{ "Insert",	KEYMAP_KEYCODE(KEY_IC) },
	{ "IC",		KEYMAP_KEYCODE(KEY_IC) },
	{ "Delete",	KEYMAP_KEYCODE(KEY_DC) },
	{ "DC",		KEYMAP_KEYCODE(KEY_DC) },
};
#define KEYMAP_NNAMES	(sizeof keymap_names / sizeof keymap_names[0])

/* Control characters by code: C-@ is 0, C-a is 1 ... C-_ is 31. */
static const char keymap_ctrl_chars[] = "@abcdefghijklmnopqrstuvwxyz[\\]^_";

/* One word of an rc line: its raw extent (the command is stored as
 * written) and its value with the quotes taken off. */
struct rc_word {
	const char	*start;
	const char	*end;
	char		*value;
	bool		 quoted;
};

struct rc_line {
	struct rc_word	*v;
	size_t		 n;
};

int
keymap_key_canonical(int key)
{
	switch (key) {
	case '\n':
	case KEYMAP_KEYCODE(KEY_ENTER):
		return ('\r');
	case '\b':
	case 0x7f:
		return (KEYMAP_KEYCODE(KEY_BACKSPACE));
	case KEYMAP_KEYCODE(KEY_FIND):
		return (KEYMAP_KEYCODE(KEY_HOME));
	case KEYMAP_KEYCODE(KEY_SELECT):
		return (KEYMAP_KEYCODE(KEY_END));
	}
	return (key);
}

/* Decode exactly one well-formed UTF-8 code point that makes up all of s;
 * -1 otherwise (overlong forms, surrogates and stray bytes included). */
static int
keymap_utf8_one(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	int			 cp, min, n, i;

	if (u[0] < 0x80) {
		n = 0;
		cp = u[0];
		min = 0;
	} else if ((u[0] & 0xe0) == 0xc0) {
		n = 1;
		cp = u[0] & 0x1f;
		min = 0x80;
	} else if ((u[0] & 0xf0) == 0xe0) {
		n = 2;
		cp = u[0] & 0x0f;
		min = 0x800;
	} else if ((u[0] & 0xf8) == 0xf0) {
		n = 3;
		cp = u[0] & 0x07;
		min = 0x10000;
	} else
		return (-1);
	for (i = 1; i <= n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return (-1);
		cp = (cp << 6) | (u[i] & 0x3f);
	}
	if (u[n + 1] != '\0' || cp < min || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return (-1);
	return (cp);
}

/* A character that stands for itself: not a C0 or C1 control. */
static bool
keymap_printable(int cp)
{
	return (cp >= 0x20 && cp != 0x7f && (cp < 0x80 || cp > 0x9f) &&
	    cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff));
}

/* The part after "C-": a letter (either case), one of @[\]^_?, or Space. */
static int
keymap_parse_ctrl(const char *s)
{
	const char	*p;

	if (strcasecmp(s, "Space") == 0)
		return (0);
	if (s[0] == '\0' || s[1] != '\0')
		return (-1);
	if (s[0] >= 'A' && s[0] <= 'Z')
		return (s[0] - 'A' + 1);
	if (s[0] == '?')
		return (0x7f);
	if ((p = strchr(keymap_ctrl_chars, s[0])) == NULL)
		return (-1);
	return ((int)(p - keymap_ctrl_chars));
}

/* "F1" to "F12", without leading zeros. */
static int
keymap_parse_fkey(const char *s)
{
	char	*end;
	long	 n;

	if ((s[0] != 'F' && s[0] != 'f') || s[1] < '1' || s[1] > '9')
		return (-1);
	n = strtol(s + 1, &end, 10);
	if (*end != '\0' || n > KEYMAP_NFKEYS)
		return (-1);
	return (KEYMAP_KEYCODE(KEY_F(n)));
}

int
keymap_key_parse(const char *s)
{
	size_t	i;
	int	key;

	if (s == NULL || *s == '\0')
		return (-1);
	if ((key = keymap_utf8_one(s)) != -1)
		return (keymap_printable(key) ? keymap_key_canonical(key) : -1);
	if (strncasecmp(s, "C-", 2) == 0 &&
	    (key = keymap_parse_ctrl(s + 2)) != -1)
		return (keymap_key_canonical(key));
	if ((key = keymap_parse_fkey(s)) != -1)
		return (key);
	for (i = 0; i < KEYMAP_NNAMES; i++) {
		if (strcasecmp(s, keymap_names[i].name) == 0)
			return (keymap_names[i].key);
	}
	return (-1);
}

const char *
keymap_key_name(int key)
{
	static char	buf[16];
	size_t		i;
	int		fn;

	key = keymap_key_canonical(key);
	for (i = 0; i < KEYMAP_NNAMES; i++) {
		if (keymap_names[i].key == key)
			return (keymap_names[i].name);
	}
	if (KEYMAP_IS_KEYCODE(key)) {
		fn = (key & ~KEYMAP_KEYCODE_FLAG) - KEY_F0;
		if (fn < 1 || fn > KEYMAP_NFKEYS)
			return ("Unknown");
		snprintf(buf, sizeof buf, "F%d", fn);
		return (buf);
	}
	if (key == 0)
		return ("C-Space");
	if (key > 0 && key < 0x20) {
		snprintf(buf, sizeof buf, "C-%c", keymap_ctrl_chars[key]);
		return (buf);
	}
	if (!keymap_printable(key))
		return ("Unknown");
	buf[utf8_encode(buf, (uint32_t)key)] = '\0';
	return (buf);
}

/* Index of the binding for key in table, or km->n if there is none. */
static size_t
keymap_index(const struct keymap *km, const char *table, int key)
{
	size_t	i;

	for (i = 0; i < km->n; i++) {
		if (km->v[i].key == key && strcmp(km->v[i].table, table) == 0)
			break;
	}
	return (i);
}

/* Remove one binding, keeping the others in the order they were made (the
 * help screen lists them in that order). */
static void
keymap_remove(struct keymap *km, size_t i)
{
	free(km->v[i].table);
	free(km->v[i].command);
	memmove(&km->v[i], &km->v[i + 1], (km->n - i - 1) * sizeof *km->v);
	km->n--;
}

void
keymap_bind(struct keymap *km, const char *table, int key,
    const char *command, int line)
{
	struct binding	*b;
	size_t		 i;

	if (table == NULL)
		table = KEYMAP_GLOBAL;
	key = keymap_key_canonical(key);
	i = keymap_index(km, table, key);
	if (command == NULL || strcmp(command, "none") == 0) {
		if (i != km->n)
			keymap_remove(km, i);
		return;
	}
	if (i == km->n) {
		km->v = xreallocarray(km->v, km->n + 1, sizeof *km->v);
		b = &km->v[km->n++];
		b->table = xstrdup(table);
		b->key = key;
		b->command = NULL;
	} else
		b = &km->v[i];
	xstrset(&b->command, command);
	b->line = line;
}

const char *
keymap_lookup(const struct keymap *km, const char *table, int key)
{
	size_t	i;

	key = keymap_key_canonical(key);
	if (table != NULL && (i = keymap_index(km, table, key)) != km->n)
		return (km->v[i].command);
	if ((i = keymap_index(km, KEYMAP_GLOBAL, key)) != km->n)
		return (km->v[i].command);
	return (NULL);
}

void
keymap_free(struct keymap *km)
{
	size_t	i;

	for (i = 0; i < km->n; i++) {
		free(km->v[i].table);
		free(km->v[i].command);
	}
	free(km->v);
	km->v = NULL;
	km->n = 0;
}

static bool
rc_blank(char c)
{
	return (c == ' ' || c == '\t' || c == '\r');
}

/* Read one word at *pp: it runs to a blank outside quotes. Single quotes
 * take everything literally; in double quotes \" and \\ are escapes.
 * False if a quote is left open. */
static bool
rc_read_word(const char **pp, const char *end, struct rc_line *rl)
{
	const char	*p = *pp;
	struct rc_word	*w;
	char		*out;
	char		 quote = '\0';

	rl->v = xreallocarray(rl->v, rl->n + 1, sizeof *rl->v);
	w = &rl->v[rl->n++];
	w->start = p;
	w->quoted = false;
	w->value = out = xmalloc((size_t)(end - p) + 1);
	for (; p < end; p++) {
		if (quote == '\0' && rc_blank(*p))
			break;
		if (quote == '\0' && (*p == '\'' || *p == '"')) {
			quote = *p;
			w->quoted = true;
			continue;
		}
		if (quote != '\0' && *p == quote) {
			quote = '\0';
			continue;
		}
		if (quote == '"' && *p == '\\' && p + 1 < end &&
		    (p[1] == '"' || p[1] == '\\'))
			p++;
		*out++ = *p;
	}
	*out = '\0';
	w->end = p;
	*pp = p;
	return (quote == '\0');
}

/* Split a line into words; a '#' where a word would start begins a
 * comment, so "a#b" is one word but "a #b" is a word and a comment. */
static bool
rc_split(const char *p, const char *end, struct rc_line *rl)
{
	for (;;) {
		while (p < end && rc_blank(*p))
			p++;
		if (p == end || *p == '#')
			return (true);
		if (!rc_read_word(&p, end, rl))
			return (false);
	}
}

static bool
rc_table_known(const char *table)
{
	size_t	i;

	for (i = 0; i < keymap_ntables; i++) {
		if (strcmp(table, keymap_tables[i]) == 0)
			return (true);
	}
	return (false);
}

/* Options after the directive: "-T table" or "-Ttable", "--" ends them.
 * A lone "-" or a quoted word is the key, not an option. */
static bool
rc_options(const struct rc_line *rl, size_t *ip, const char **table,
    char **msg)
{
	const struct rc_word	*w;

	for (; *ip < rl->n; (*ip)++) {
		w = &rl->v[*ip];
		if (w->quoted || w->value[0] != '-' || w->value[1] == '\0')
			break;
		if (strcmp(w->value, "--") == 0) {
			(*ip)++;
			break;
		}
		if (strncmp(w->value, "-T", 2) != 0) {
			*msg = xasprintf("unknown option \"%s\"", w->value);
			return (false);
		}
		if (w->value[2] != '\0')
			*table = w->value + 2;
		else if (*ip + 1 < rl->n)
			*table = rl->v[++(*ip)].value;
		else {
			*msg = xstrdup("-T needs a table name");
			return (false);
		}
	}
	if (!rc_table_known(*table)) {
		*msg = xasprintf("unknown table \"%s\"", *table);
		return (false);
	}
	return (true);
}

/* "bind KEY COMMAND [ARGS...]" from word i on; a lone "none" unbinds. */
static bool
rc_bind(struct keymap *km, const struct rc_line *rl, size_t i,
    const char *table, int key, keymap_command_check check, int line,
    char **msg)
{
	const struct rc_word	*first = &rl->v[i], *last = &rl->v[rl->n - 1];
	char			*command;

	if (rl->n == i + 1 && strcmp(first->value, "none") == 0) {
		keymap_bind(km, table, key, NULL, line);
		return (true);
	}
	if (check != NULL && !check(first->value)) {
		*msg = xasprintf("unknown command \"%s\"", first->value);
		return (false);
	}
	command = xstrndup(first->start, (size_t)(last->end - first->start));
	keymap_bind(km, table, key, command, line);
	free(command);
	return (true);
}

/* Run one split line; on error *msg says why (without the line number). */
static bool
rc_run(struct keymap *km, const struct rc_line *rl,
    keymap_command_check check, int line, char **msg)
{
	const char	*directive, *table = KEYMAP_GLOBAL;
	size_t		 i = 1;
	int		 key;
	bool		 bind;

	if (rl->n == 0)
		return (true);
	directive = rl->v[0].value;
	if (!(bind = (strcmp(directive, "bind") == 0)) &&
	    strcmp(directive, "unbind") != 0) {
		*msg = xasprintf("unknown directive \"%s\"", directive);
		return (false);
	}
	if (!rc_options(rl, &i, &table, msg))
		return (false);
	if (i == rl->n) {
		*msg = xasprintf("%s needs a key%s", directive,
		    bind ? " and a command" : "");
		return (false);
	}
	if ((key = keymap_key_parse(rl->v[i].value)) == -1) {
		*msg = xasprintf("unknown key \"%s\"", rl->v[i].value);
		return (false);
	}
	if (bind && i + 1 == rl->n) {
		*msg = xasprintf("bind needs a command after \"%s\"",
		    rl->v[i].value);
		return (false);
	}
	if (bind)
		return (rc_bind(km, rl, i + 1, table, key, check, line, msg));
	if (i + 1 != rl->n) {
		*msg = xasprintf("unexpected \"%s\" after the key",
		    rl->v[i + 1].value);
		return (false);
	}
	keymap_bind(km, table, key, NULL, line);
	return (true);
}

static bool
rc_line(struct keymap *km, const char *p, const char *end,
    keymap_command_check check, int line, char **msg)
{
	struct rc_line	rl = { NULL, 0 };
	size_t		i;
	bool		ok;

	if (!rc_split(p, end, &rl)) {
		*msg = xstrdup("unterminated quote");
		ok = false;
	} else
		ok = rc_run(km, &rl, check, line, msg);
	for (i = 0; i < rl.n; i++)
		free(rl.v[i].value);
	free(rl.v);
	return (ok);
}

bool
keymap_load_rc(struct keymap *km, const char *text,
    keymap_command_check check, char **err)
{
	const char	*p, *eol;
	char		*msg = NULL;
	int		 line = 0;

	if (err != NULL)
		*err = NULL;
	for (p = text; p != NULL && *p != '\0'; p = eol + (*eol == '\n')) {
		line++;
		if ((eol = strchr(p, '\n')) == NULL)
			eol = p + strlen(p);
		if (!rc_line(km, p, eol, check, line, &msg)) {
			if (err != NULL)
				*err = xasprintf("%d: %s", line, msg);
			free(msg);
			return (false);
		}
	}
	return (true);
}
