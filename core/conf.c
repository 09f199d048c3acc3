/* conf.c: the INI configuration. libinih splits "key = value" lines and
 * strips comments; this file feeds it the text line by line (so that every
 * entry knows its line), parses the section headers itself ([type] and
 * [type "name"], which inih cannot tell apart or report), keeps repeated keys
 * in order, and formats every problem as "file:line: message". It also
 * reads the files an `include = PATTERN` line names (glob, relative to the
 * including file) where the line stands, and gives the sections of a type
 * the keys of its [defaults "type"] that they do not set themselves.
 *
 * A line number is a location: the file's index in cfg->files times
 * CONFIG_FILE_SPAN plus the line in that file (0 for the first file, so
 * that a config without includes has plain line numbers). */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <ini.h>
#include <limits.h>
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
/* Locations: lines of a file below 2^25 (a file under 16 MiB has fewer),
 * at most 64 files (the first and 63 included), includes 8 deep. */
#define CONFIG_FILE_SHIFT	25
#define CONFIG_FILE_SPAN	(1 << CONFIG_FILE_SHIFT)
#define CONFIG_MAX_FILES	64
#define CONFIG_MAX_DEPTH	8

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
	int		 base;		/* this file's location base */
	const char	*dir;		/* its directory (includes), or NULL */
	int		 depth;		/* includes deep */
};

static bool	parse_text(struct config *, const char *, int, const char *,
		    int);
static void	parse_include(struct parse *, const char *);

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

int
config_line_of(int loc)
{
	return (loc > 0 ? loc & (CONFIG_FILE_SPAN - 1) : loc);
}

const char *
config_file_of(const struct config *cfg, int loc)
{
	size_t	i = loc > 0 ? (size_t)loc >> CONFIG_FILE_SHIFT : 0;

	if (i > 0 && i < cfg->nfiles)
		return (cfg->files[i]);
	return (cfg->path != NULL ? cfg->path : "config");
}

char *
config_where(const struct config *cfg, int loc)
{
	return (xasprintf("%s:%d", config_file_of(cfg, loc),
	    config_line_of(loc)));
}

void
config_error(struct config *cfg, int line, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *s;

	const char *file = config_file_of(cfg, line);
	int	 loc = line;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	line = config_line_of(line);
	if (line > 0)
		s = xasprintf("%s:%d: %s", file, line, msg);
	else
		s = xasprintf("%s: %s", file, msg);
	free(msg);
	cfg->errors = xreallocarray(cfg->errors, cfg->nerrors + 1,
	    sizeof *cfg->errors);
	cfg->errlocs = xreallocarray(cfg->errlocs, cfg->nerrors + 1,
	    sizeof *cfg->errlocs);
	cfg->errors[cfg->nerrors] = s;
	cfg->errlocs[cfg->nerrors++] = loc;
}

/* A location as one number that sorts by file, then line (0 for one
 * that names no line). */
static long
error_key(int loc)
{
	return (loc > 0 ? (long)loc : 0);
}

void
config_sort_errors(struct config *cfg)
{
	size_t	 i, j;
	char	*s;
	int	 loc;

	/* Insertion sort: stable, and the list is short and mostly in
	 * order already. */
	for (i = 1; i < cfg->nerrors; i++) {
		s = cfg->errors[i];
		loc = cfg->errlocs[i];
		for (j = i; j > 0 &&
		    error_key(cfg->errlocs[j - 1]) > error_key(loc); j--) {
			cfg->errors[j] = cfg->errors[j - 1];
			cfg->errlocs[j] = cfg->errlocs[j - 1];
		}
		cfg->errors[j] = s;
		cfg->errlocs[j] = loc;
	}
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
	char		*type, *name, *label, *where;
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
		if (config_file_of(cfg, cfg->sections[i].line) ==
		    config_file_of(cfg, p->cur_line))
			where = xasprintf("line %d",
			    config_line_of(cfg->sections[i].line));
		else
			where = config_where(cfg, cfg->sections[i].line);
		config_error(cfg, p->cur_line,
		    "duplicate section %s (first at %s)", label, where);
		free(where);
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
		p->cur_line = p->base + p->line;
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

	if (p->skipping && strcmp(key, "include") != 0)
		return (1);
	if (p->section < 0 && strcmp(key, "include") != 0) {
		config_error(p->cfg, p->cur_line,
		    "\"%s\" is outside any section", key);
		return (1);
	}
	if (*key == '\0') {
		config_error(p->cfg, p->cur_line, "missing key before '='");
		return (1);
	}
	if (strcmp(key, "include") == 0) {
		parse_include(p, value);
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

/* Parse one file's text as file number `file` of cfg->files. */
static bool
parse_text(struct config *cfg, const char *text, int file, const char *dir,
    int depth)
{
	struct parse	 p;
	struct knobs	 saved;
	size_t		 nerrors = cfg->nerrors;
	int		 rc;

	memset(&p, 0, sizeof p);
	p.cfg = cfg;
	p.text = text;
	p.len = strlen(text);
	p.line = 1;
	p.at_bol = true;
	p.section = -1;
	p.base = file << CONFIG_FILE_SHIFT;
	p.dir = dir;
	p.depth = depth;
	if (strncmp(text, "\xef\xbb\xbf", 3) == 0)
		p.pos = 3;

	knobs_save(&saved);
	knobs_set();
	rc = ini_parse_stream(parse_reader, &p, parse_handler, &p);
	knobs_restore(&saved);

	if (rc == -2)
		fatal("out of memory parsing %s", config_file_of(cfg, p.base));
	if (rc != 0 && cfg->nerrors == nerrors)
		config_error(cfg, p.base + rc, "syntax error");
	return (cfg->nerrors == nerrors);
}

bool
config_parse_string(struct config *cfg, const char *path, const char *text)
{
	size_t	nerrors = cfg->nerrors;

	if (path != NULL)
		xstrset(&cfg->path, path);
	parse_text(cfg, text, 0, NULL, 0);
	config_apply_defaults(cfg);
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

/* Read a file whole; NULL with an error at loc if it cannot be. */
static char *
load_text(struct config *cfg, const char *path, int loc)
{
	char	*text;
	int	 fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		config_error(cfg, loc, "%s%s%s", loc != 0 ? path : "",
		    loc != 0 ? ": " : "", strerror(errno));
		return (NULL);
	}
	text = read_file(fd);
	saved = errno;
	close(fd);
	if (text == NULL) {
		config_error(cfg, loc, "%s%s%s", loc != 0 ? path : "",
		    loc != 0 ? ": " : "", saved == EILSEQ ?
		    "a NUL byte: not a text file" : strerror(saved));
	}
	return (text);
}

/* The directory part of path (heap): "." for a bare name. */
static char *
dir_of(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return (xstrdup("."));
	if (slash == path)
		return (xstrdup("/"));
	return (xstrndup(path, slash - path));
}

/* Note a file read (its name for messages, its real path against loops);
 * its index, or -1 (said why at loc) when it cannot be read again. */
static int
file_add(struct config *cfg, const char *path, int loc)
{
	char	 real[PATH_MAX];
	size_t	 i;

	if (realpath(path, real) == NULL)
		snprintf(real, sizeof real, "%s", path);
	for (i = 0; i < cfg->nfiles; i++) {
		if (strcmp(cfg->real[i], real) == 0) {
			config_error(cfg, loc, "include: %s is read already",
			    path);
			return (-1);
		}
	}
	if (cfg->nfiles >= CONFIG_MAX_FILES) {
		config_error(cfg, loc, "include: more than %d files",
		    CONFIG_MAX_FILES);
		return (-1);
	}
	cfg->files = xreallocarray(cfg->files, cfg->nfiles + 1,
	    sizeof *cfg->files);
	cfg->real = xreallocarray(cfg->real, cfg->nfiles + 1,
	    sizeof *cfg->real);
	cfg->files[cfg->nfiles] = xstrdup(path);
	cfg->real[cfg->nfiles] = xstrdup(real);
	return ((int)cfg->nfiles++);
}

/* include = PATTERN: every file it matches, in order, read here. A
 * pattern without wildcards must match; one with them may match none. */
static void
parse_include(struct parse *p, const char *value)
{
	struct config	*cfg = p->cfg;
	glob_t		 g;
	char		*pattern, *text, *dir;
	size_t		 i;
	int		 loc = p->cur_line, rc, file;

	if (p->dir == NULL) {
		config_error(cfg, loc, "include works only in a file");
		return;
	}
	if (*value == '\0') {
		config_error(cfg, loc, "include: which file?");
		return;
	}
	if (p->depth >= CONFIG_MAX_DEPTH) {
		config_error(cfg, loc, "include: more than %d deep",
		    CONFIG_MAX_DEPTH);
		return;
	}
	pattern = *value == '/' ? xstrdup(value) :
	    xasprintf("%s/%s", p->dir, value);
	memset(&g, 0, sizeof g);
	rc = glob(pattern, GLOB_ERR, NULL, &g);
	if (rc == GLOB_NOMATCH) {
		if (strpbrk(value, "*?[") == NULL)
			config_error(cfg, loc, "include: %s: %s", pattern,
			    strerror(ENOENT));
	} else if (rc != 0)
		config_error(cfg, loc, "include: %s: cannot list it",
		    pattern);
	for (i = 0; rc == 0 && i < g.gl_pathc; i++) {
		if ((file = file_add(cfg, g.gl_pathv[i], loc)) < 0)
			continue;
		if ((text = load_text(cfg, g.gl_pathv[i], loc)) == NULL)
			continue;
		dir = dir_of(g.gl_pathv[i]);
		parse_text(cfg, text, file, dir, p->depth + 1);
		free(dir);
		free(text);
	}
	globfree(&g);
	free(pattern);
}

bool
config_load(struct config *cfg, const char *path)
{
	char	*text, *dir;
	size_t	 nerrors = cfg->nerrors;
	int	 file;

	xstrset(&cfg->path, path);
	if ((text = load_text(cfg, path, 0)) == NULL)
		return (false);
	if ((file = file_add(cfg, path, 0)) != 0) {
		free(text);
		return (false);
	}
	dir = dir_of(path);
	parse_text(cfg, text, file, dir, 0);
	free(dir);
	free(text);
	config_apply_defaults(cfg);
	return (cfg->nerrors == nerrors);
}

static bool
entries_have(const struct config_entry *v, size_t n, const char *key)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].key, key) == 0)
			return (true);
	}
	return (false);
}

/* [defaults "TYPE"]: its keys to every [TYPE] section that does not set
 * them itself (a repeatable key set there replaces all of the defaults'),
 * each keeping the location of the line in [defaults]. */
void
config_apply_defaults(struct config *cfg)
{
	struct config_section	*d, *s;
	struct config_entry	*e;
	size_t			 i, j, k, own;

	for (i = 0; i < cfg->nsections; i++) {
		d = &cfg->sections[i];
		if (strcmp(d->type, "defaults") != 0 || d->claimed)
			continue;
		d->claimed = true;
		if (d->name == NULL) {
			config_error(cfg, d->line, "[defaults] needs the type "
			    "of the sections it serves: [defaults \"loki\"]");
			continue;
		}
		if (strcmp(d->name, "defaults") == 0) {
			config_error(cfg, d->line, "[defaults \"defaults\"] "
			    "serves nothing");
			continue;
		}
		for (j = 0; j < cfg->nsections; j++) {
			s = &cfg->sections[j];
			if (strcmp(s->type, d->name) != 0)
				continue;
			own = s->nentries;
			for (k = 0; k < d->nentries; k++) {
				if (entries_have(s->entries, own,
				    d->entries[k].key))
					continue;
				s->entries = xreallocarray(s->entries,
				    s->nentries + 1, sizeof *s->entries);
				e = &s->entries[s->nentries++];
				e->key = xstrdup(d->entries[k].key);
				e->value = xstrdup(d->entries[k].value);
				e->line = d->entries[k].line;
				e->used = false;
			}
		}
		for (k = 0; k < d->nentries; k++)
			d->entries[k].used = true;
	}
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
	free(cfg->errlocs);
	for (i = 0; i < cfg->nfiles; i++) {
		free(cfg->files[i]);
		free(cfg->real[i]);
	}
	free(cfg->files);
	free(cfg->real);
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
