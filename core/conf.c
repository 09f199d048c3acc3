/* conf.c: the INI configuration. libinih splits "key = value" lines and
 * strips comments; this file feeds it the text line by line (so that every
 * entry knows its line), parses the section headers itself ([type] and
 * [type "name"], which inih cannot tell apart or report), keeps repeated keys
 * in order, and formats every problem as "file:line: message". */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <math.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/conf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

/* Longest line accepted, newline excluded: a PromQL expression fits. */
#define CONFIG_MAX_LINE		65536
/* Larger files are not configuration. */
#define CONFIG_MAX_FILE		(16 * 1024 * 1024)

/* The state of one parse, shared by the reader and the handler. */
struct parse {
	struct config	*cfg;
	const char	*text;
	size_t		 len;
	size_t		 pos;
	int		 line;		/* line of text[pos] */
	int		 cur_line;	/* line inih is working on */
	bool		 at_bol;
	ssize_t		 section;	/* index into cfg->sections, -1: none */
	bool		 skipping;	/* after a bad header: drop its keys */
};

/* inih's run-time settings (Debian's build), saved around a parse. */
struct knobs {
	bool	 multiline;
	bool	 bom;
	bool	 inline_comments;
	bool	 use_stack;
	bool	 allow_realloc;
	bool	 stop_on_first_error;
	bool	 no_value;
	int	 max_line;
	int	 initial_alloc;
	char	*start_prefixes;
	char	*inline_prefixes;
};

static void
knobs_save(struct knobs *k)
{
	k->multiline = ini_allow_multiline;
	k->bom = ini_allow_bom;
	k->inline_comments = ini_allow_inline_comments;
	k->use_stack = ini_use_stack;
	k->allow_realloc = ini_allow_realloc;
	k->stop_on_first_error = ini_stop_on_first_error;
	k->no_value = ini_allow_no_value;
	k->max_line = ini_max_line;
	k->initial_alloc = ini_initial_alloc;
	k->start_prefixes = ini_start_comment_prefixes;
	k->inline_prefixes = ini_inline_comment_prefixes;
}

static void
knobs_restore(const struct knobs *k)
{
	ini_allow_multiline = k->multiline;
	ini_allow_bom = k->bom;
	ini_allow_inline_comments = k->inline_comments;
	ini_use_stack = k->use_stack;
	ini_allow_realloc = k->allow_realloc;
	ini_stop_on_first_error = k->stop_on_first_error;
	ini_allow_no_value = k->no_value;
	ini_max_line = k->max_line;
	ini_initial_alloc = k->initial_alloc;
	ini_start_comment_prefixes = k->start_prefixes;
	ini_inline_comment_prefixes = k->inline_prefixes;
}

/*
 * Indented lines are ordinary lines (no multi-line values: a repeated key is
 * written again), " ;" starts a comment, and the line buffer is on the heap
 * and grows up to CONFIG_MAX_LINE. The BOM is skipped by the reader.
 */
static void
knobs_set(void)
{
	ini_allow_multiline = false;
	ini_allow_bom = false;
	ini_allow_inline_comments = true;
	ini_inline_comment_prefixes = (char *)";";
	ini_start_comment_prefixes = (char *)";#";
	ini_use_stack = false;
	ini_allow_realloc = true;
	ini_initial_alloc = 1024;
	ini_max_line = CONFIG_MAX_LINE + 3;	/* '\r', '\n' and '\0' */
	ini_stop_on_first_error = false;
	ini_allow_no_value = false;
}

void
config_error(struct config *cfg, int line, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *s;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (line > 0)
		s = xasprintf("%s:%d: %s", cfg->path ? cfg->path : "config",
		    line, msg);
	else
		s = xasprintf("%s: %s", cfg->path ? cfg->path : "config", msg);
	free(msg);
	cfg->errors = xreallocarray(cfg->errors, cfg->nerrors + 1,
	    sizeof *cfg->errors);
	cfg->errors[cfg->nerrors++] = s;
}

char *
config_section_label(const char *type, const char *name)
{
	if (name == NULL)
		return (xasprintf("[%s]", type));
	return (xasprintf("[%s \"%s\"]", type, name));
}

static bool
section_same(const struct config_section *s, const char *type,
    const char *name)
{
	if (strcmp(s->type, type) != 0)
		return (false);
	if (s->name == NULL || name == NULL)
		return (s->name == name);
	return (strcmp(s->name, name) == 0);
}

static int
is_blank(int c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f');
}

static int
is_type_char(int c)
{
	return (isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.');
}

static const char *
skip_blanks(const char *s, const char *e)
{
	while (s < e && is_blank((unsigned char)*s))
		s++;
	return (s);
}

/*
 * The quoted name of a section header, from just after the opening quote:
 * \" and \\ are escapes. Sets *end past the closing quote; NULL if there is
 * none.
 */
static char *
section_quoted(const char *s, const char *e, const char **end)
{
	char	*name, *out;

	name = out = xmalloc(e - s + 1);
	for (; s < e; s++) {
		if (*s == '"') {
			*out = '\0';
			*end = s + 1;
			return (name);
		}
		if (*s == '\\' && s + 1 < e && (s[1] == '"' || s[1] == '\\'))
			s++;
		*out++ = *s;
	}
	free(name);
	return (NULL);
}

/*
 * Parse "[type]" or "[type \"name\"]" in s..e (s at the '['). Returns a
 * reason on error.
 */
static const char *
section_parse(const char *s, const char *e, char **type, char **name)
{
	const char	*q, *t;

	*type = *name = NULL;
	t = q = skip_blanks(s + 1, e);
	while (q < e && is_type_char((unsigned char)*q))
		q++;
	if (q == t) {
		if (q == e)
			return ("missing ']' at the end of the section header");
		return (*q == ']' ? "empty section header" :
		    "bad section type");
	}
	*type = xstrndup(t, q - t);
	t = q;
	q = skip_blanks(q, e);
	if (q < e && *q == '"') {
		if ((*name = section_quoted(q + 1, e, &q)) == NULL)
			return ("missing '\"' after the section name");
		if (**name == '\0')
			return ("empty section name");
		q = skip_blanks(q, e);
	} else if (q < e && *q != ']')
		return (q == t ? "bad character in section type" :
		    "section name must be in double quotes");
	if (q == e)
		return ("missing ']' at the end of the section header");
	if (*q != ']')
		return ("unexpected text after the section name");
	q = skip_blanks(q + 1, e);
	if (q < e && *q != ';' && *q != '#')
		return ("unexpected text after ']'");
	return (NULL);
}

static void
section_add(struct parse *p, char *type, char *name)
{
	struct config		*cfg = p->cfg;
	struct config_section	*s;

	cfg->sections = xreallocarray(cfg->sections, cfg->nsections + 1,
	    sizeof *cfg->sections);
	s = &cfg->sections[cfg->nsections];
	memset(s, 0, sizeof *s);
	s->type = type;
	s->name = name;
	s->line = p->cur_line;
	p->section = cfg->nsections++;
	p->skipping = false;
}

/* A section header line: start a section, or say what is wrong with it. */
static void
section_line(struct parse *p, const char *s, const char *e)
{
	struct config	*cfg = p->cfg;
	const char	*why;
	char		*type, *name, *label;
	size_t		 i;

	p->section = -1;
	p->skipping = true;
	if ((why = section_parse(s, e, &type, &name)) != NULL) {
		config_error(cfg, p->cur_line, "%s", why);
		goto fail;
	}
	for (i = 0; i < cfg->nsections; i++) {
		if (!section_same(&cfg->sections[i], type, name))
			continue;
		label = config_section_label(type, name);
		config_error(cfg, p->cur_line,
		    "duplicate section %s (first at line %d)", label,
		    cfg->sections[i].line);
		free(label);
		goto fail;
	}
	section_add(p, type, name);
	return;
fail:
	free(type);
	free(name);
}

/*
 * Whether inih will find a '=' or ':' before a comment on this line, as its
 * find_chars_or_comment() does; otherwise it drops the line with no way to
 * say which, so the reader reports it instead.
 */
static bool
line_has_separator(const char *s, const char *e)
{
	bool	 was_space = false;

	for (; s < e; s++) {
		if (*s == '=' || *s == ':')
			return (true);
		if (was_space && *s == ';')
			return (false);
		was_space = isspace((unsigned char)*s);
	}
	return (false);
}

/*
 * Look at a whole line before inih does: returns true to hand it over as it
 * is, false if it was dealt with here (a section header, an error) and inih
 * gets an empty line instead.
 */
static bool
line_check(struct parse *p, const char *s, const char *e)
{
	if (e - s > CONFIG_MAX_LINE) {
		config_error(p->cfg, p->cur_line,
		    "line too long (more than %d bytes)", CONFIG_MAX_LINE);
		return (false);
	}
	while (s < e && isspace((unsigned char)*s))
		s++;
	if (s == e || *s == ';' || *s == '#')
		return (true);
	if (*s == '[') {
		section_line(p, s, e);
		return (false);
	}
	if (!line_has_separator(s, e)) {
		config_error(p->cfg, p->cur_line, "expected \"key = value\"");
		return (false);
	}
	return (true);
}

/*
 * inih's fgets: one line, or as much of it as fits. inih calls again for the
 * rest of a long line, so the line number moves only with the newlines
 * actually handed over.
 */
static char *
parse_reader(char *str, int num, void *stream)
{
	struct parse	*p = stream;
	const char	*s, *nl;
	size_t		 n, linelen;

	if (p->pos >= p->len || num < 2)
		return (NULL);
	s = p->text + p->pos;
	nl = memchr(s, '\n', p->len - p->pos);
	linelen = (nl != NULL) ? (size_t)(nl - s) : p->len - p->pos;
	if (p->at_bol) {
		p->cur_line = p->line;
		if (!line_check(p, s, s + linelen)) {
			p->pos += linelen + (nl != NULL);
			p->line += (nl != NULL);
			memcpy(str, "\n", 2);	/* num >= 2: inih asks for lines */
			return (str);
		}
	}
	n = linelen + (nl != NULL);
	if (n > (size_t)num - 1)
		n = num - 1;
	memcpy(str, s, n);
	str[n] = '\0';
	p->pos += n;
	p->at_bol = (n > 0 && str[n - 1] == '\n');
	if (p->at_bol)
		p->line++;
	return (str);
}

static int
parse_handler(void *user, const char *section, const char *key,
    const char *value)
{
	struct parse		*p = user;
	struct config_section	*s;
	struct config_entry	*e;

	if (p->skipping)
		return (1);
	if (p->section < 0) {
		config_error(p->cfg, p->cur_line,
		    "\"%s\" is outside any section", key);
		return (1);
	}
	if (*key == '\0') {
		config_error(p->cfg, p->cur_line, "missing key before '='");
		return (1);
	}
	s = &p->cfg->sections[p->section];
	s->entries = xreallocarray(s->entries, s->nentries + 1,
	    sizeof *s->entries);
	e = &s->entries[s->nentries++];
	e->key = xstrdup(key);
	e->value = xstrdup(value);
	e->line = p->cur_line;
	e->used = false;
	return (1);
}

bool
config_parse_string(struct config *cfg, const char *path, const char *text)
{
	struct parse	 p;
	struct knobs	 saved;
	size_t		 nerrors = cfg->nerrors;
	int		 rc;

	if (path != NULL)
		xstrset(&cfg->path, path);
	memset(&p, 0, sizeof p);
	p.cfg = cfg;
	p.text = text;
	p.len = strlen(text);
	p.line = 1;
	p.at_bol = true;
	p.section = -1;
	if (strncmp(text, "\xef\xbb\xbf", 3) == 0)
		p.pos = 3;

	knobs_save(&saved);
	knobs_set();
	rc = ini_parse_stream(parse_reader, &p, parse_handler, &p);
	knobs_restore(&saved);

	if (rc == -2)
		fatal("out of memory parsing %s", cfg->path);
	if (rc != 0 && cfg->nerrors == nerrors)
		config_error(cfg, rc, "syntax error");
	return (cfg->nerrors == nerrors);
}

/* The whole file as a string; NULL with errno set. */
static char *
read_file(int fd)
{
	char	*buf = NULL;
	size_t	 len = 0, size = 0;
	ssize_t	 n;

	for (;;) {
		if (len + 1 >= size) {
			if (size >= CONFIG_MAX_FILE) {
				free(buf);
				errno = EFBIG;
				return (NULL);
			}
			size = (size == 0) ? 8192 : size * 2;
			buf = xrealloc(buf, size);
		}
		n = read(fd, buf + len, size - len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			free(buf);
			return (NULL);
		}
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len) != NULL) {
		free(buf);
		errno = EILSEQ;
		return (NULL);
	}
	return (buf);
}

bool
config_load(struct config *cfg, const char *path)
{
	char	*text;
	int	 fd, saved;
	bool	 ok;

	xstrset(&cfg->path, path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		config_error(cfg, 0, "%s", strerror(errno));
		return (false);
	}
	text = read_file(fd);
	saved = errno;
	close(fd);
	if (text == NULL) {
		if (saved == EILSEQ)
			config_error(cfg, 0, "a NUL byte: not a text file");
		else
			config_error(cfg, 0, "%s", strerror(saved));
		return (false);
	}
	ok = config_parse_string(cfg, path, text);
	free(text);
	return (ok);
}

void
config_free(struct config *cfg)
{
	struct config_section	*s;
	size_t			 i, j;

	for (i = 0; i < cfg->nsections; i++) {
		s = &cfg->sections[i];
		for (j = 0; j < s->nentries; j++) {
			free(s->entries[j].key);
			free(s->entries[j].value);
		}
		free(s->entries);
		free(s->type);
		free(s->name);
	}
	free(cfg->sections);
	for (i = 0; i < cfg->nerrors; i++)
		free(cfg->errors[i]);
	free(cfg->errors);
	free(cfg->path);
	memset(cfg, 0, sizeof *cfg);
}

char *
config_default_path(void)
{
	const char	*dir;
	struct passwd	*pw;

	/* The XDG spec says to ignore a relative XDG_CONFIG_HOME. */
	dir = getenv("XDG_CONFIG_HOME");
	if (dir != NULL && *dir == '/')
		return (xasprintf("%s/sitrep/config", dir));
	dir = getenv("HOME");
	if (dir == NULL || *dir == '\0') {
		if ((pw = getpwuid(getuid())) == NULL)
			return (NULL);
		dir = pw->pw_dir;
	}
	return (xasprintf("%s/.config/sitrep/config", dir));
}

struct config_section *
config_find(struct config *cfg, const char *type, const char *name)
{
	size_t	 i;

	for (i = 0; i < cfg->nsections; i++) {
		if (section_same(&cfg->sections[i], type, name)) {
			cfg->sections[i].claimed = true;
			return (&cfg->sections[i]);
		}
	}
	return (NULL);
}

const struct config_entry *
config_next(struct config_section *s, const char *key,
    const struct config_entry *prev)
{
	size_t	 i;

	if (s == NULL)
		return (NULL);
	s->claimed = true;
	i = (prev == NULL) ? 0 : (size_t)(prev - s->entries) + 1;
	for (; i < s->nentries; i++) {
		if (strcmp(s->entries[i].key, key) == 0) {
			s->entries[i].used = true;
			return (&s->entries[i]);
		}
	}
	return (NULL);
}

const struct config_entry *
config_get(struct config_section *s, const char *key)
{
	return (config_next(s, key, NULL));
}

const char *
config_str(struct config_section *s, const char *key, const char *def)
{
	const struct config_entry	*e;

	if ((e = config_get(s, key)) == NULL)
		return (def);
	return (e->value);
}

int64_t
config_duration_ms(struct config *cfg, struct config_section *s,
    const char *key, int64_t def)
{
	const struct config_entry	*e;
	int64_t				 ms;

	if ((e = config_get(s, key)) == NULL)
		return (def);
	if ((ms = duration_parse_ms(e->value)) < 0) {
		config_error(cfg, e->line,
		    "%s: bad duration \"%s\" (use 15s, 5m, 1h)", key, e->value);
		return (def);
	}
	return (ms);
}

double
config_number(struct config *cfg, struct config_section *s, const char *key,
    double def, double min, double max)
{
	const struct config_entry	*e;
	char				*end;
	double				 d;

	if ((e = config_get(s, key)) == NULL)
		return (def);
	errno = 0;
	d = strtod(e->value, &end);
	if (end == e->value || *end != '\0' || errno == ERANGE ||
	    !isfinite(d)) {
		config_error(cfg, e->line, "%s: bad number \"%s\"", key,
		    e->value);
		return (def);
	}
	if (d < min || d > max) {
		config_error(cfg, e->line, "%s: %s is out of range (%g to %g)",
		    key, e->value, min, max);
		return (def);
	}
	return (d);
}

bool
config_bool(struct config *cfg, struct config_section *s, const char *key,
    bool def)
{
	static const char *const	 yes[] = { "yes", "true", "on", "1" };
	static const char *const	 no[] = { "no", "false", "off", "0" };
	const struct config_entry	*e;
	size_t				 i;

	if ((e = config_get(s, key)) == NULL)
		return (def);
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(e->value, yes[i]) == 0)
			return (true);
		if (strcasecmp(e->value, no[i]) == 0)
			return (false);
	}
	config_error(cfg, e->line, "%s: bad boolean \"%s\" (use yes or no)",
	    key, e->value);
	return (def);
}

/* Append the comma-separated items of one value to the list. */
static void
list_split(const char *v, char ***list, size_t *n)
{
	const char	*item, *end;

	for (;;) {
		while (isspace((unsigned char)*v))
			v++;
		item = v;
		v += strcspn(v, ",");
		end = v;
		while (end > item && isspace((unsigned char)end[-1]))
			end--;
		if (end > item) {
			*list = xreallocarray(*list, *n + 2, sizeof **list);
			(*list)[(*n)++] = xstrndup(item, end - item);
			(*list)[*n] = NULL;
		}
		if (*v == '\0')
			break;
		v++;
	}
}

char **
config_list(struct config_section *s, const char *key, size_t *n)
{
	const struct config_entry	*e;
	char				**list = NULL;

	*n = 0;
	for (e = config_get(s, key); e != NULL; e = config_next(s, key, e))
		list_split(e->value, &list, n);
	if (list == NULL && config_get(s, key) != NULL)
		list = xcalloc(1, sizeof *list);
	return (list);
}

void
config_list_free(char **list, size_t n)
{
	size_t	 i;

	if (list == NULL)
		return;
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void
config_check_unused(struct config *cfg)
{
	struct config_section	*s;
	struct config_entry	*e;
	char			*label;
	size_t			 i, j;

	for (i = 0; i < cfg->nsections; i++) {
		s = &cfg->sections[i];
		if (!s->claimed)
			continue;
		label = config_section_label(s->type, s->name);
		for (j = 0; j < s->nentries; j++) {
			e = &s->entries[j];
			if (!e->used)
				config_error(cfg, e->line,
				    "unknown key \"%s\" in %s", e->key, label);
		}
		free(label);
	}
}
