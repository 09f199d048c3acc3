/*
 * logfields.c: logfmt and flat JSON lines recognized in one pass (see
 * logfields.h). Nothing is copied or allocated: a field is four offsets
 * into the line. Escapes are checked while scanning and undone only when a
 * caller asks for a key or value (logfields_key, logfields_value).
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "core/logfields.h"
#include "core/sbuf.h"
#include "core/utf8.h"

/* Nesting of a JSON value kept as written ({"a":{"b":[...]}}): deeper is
 * not a log line but an attack on the scanner. */
#define LOGFIELDS_DEPTH		64

static const char *const time_keys[] = { "ts", "time", "timestamp",
	"@timestamp", "t", NULL };
static const char *const level_keys[] = { "level", "lvl", "severity",
	"loglevel", "log.level", "levelname", NULL };
static const char *const msg_keys[] = { "msg", "message", "log.message",
	"event", NULL };

static bool
lf_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

static void
lf_add(struct logfields *f, size_t ko, size_t kl, unsigned kflags,
    size_t vo, size_t vl, unsigned flags)
{
	struct logfield	*x;

	if (f->n == LOGFIELDS_MAX) {
		f->more++;
		return;
	}
	x = &f->v[f->n++];
	x->koff = (uint32_t)ko;
	x->klen = (uint32_t)kl;
	x->kflags = (uint8_t)kflags;
	x->voff = (uint32_t)vo;
	x->vlen = (uint32_t)vl;
	x->flags = (uint8_t)flags;
}

static bool
lf_named(const char *s, const struct logfield *x, const char *const *names)
{
	size_t	i;

	if (x->kflags & LOGFIELD_ESCAPED)
		return (false);
	for (i = 0; names[i] != NULL; i++) {
		if (strlen(names[i]) == x->klen &&
		    strncasecmp(s + x->koff, names[i], x->klen) == 0)
			return (true);
	}
	return (false);
}

/* The first field of each role. */
static void
lf_roles(struct logfields *f, const char *s)
{
	size_t	i;

	f->time = f->level = f->msg = -1;
	for (i = 0; i < f->n; i++) {
		if (f->v[i].flags & LOGFIELD_BARE)
			continue;
		if (f->time < 0 && lf_named(s, &f->v[i], time_keys))
			f->time = (int)i;
		else if (f->level < 0 && lf_named(s, &f->v[i], level_keys))
			f->level = (int)i;
		else if (f->msg < 0 && lf_named(s, &f->v[i], msg_keys) &&
		    !(f->v[i].flags & LOGFIELD_RAW))
			f->msg = (int)i;
	}
}

static void
lf_plain(struct logfields *f)
{
	f->kind = LOGFIELDS_PLAIN;
	f->n = f->more = 0;
	f->time = f->level = f->msg = -1;
}

/* --- JSON ----------------------------------------------------------------- */

static bool
lf_hex4(const char *s, size_t len, size_t i)
{
	size_t	k;

	if (i + 4 > len)
		return (false);
	for (k = i; k < i + 4; k++) {
		if (!((s[k] >= '0' && s[k] <= '9') ||
		    (s[k] >= 'a' && s[k] <= 'f') ||
		    (s[k] >= 'A' && s[k] <= 'F')))
			return (false);
	}
	return (true);
}

/* A JSON string from the opening quote at *i; *i ends past the closing
 * one. Escapes are checked; raw control characters are refused, as JSON
 * does. */
static bool
lf_json_string(const char *s, size_t len, size_t *i, size_t *off,
    size_t *slen, unsigned *flags)
{
	size_t	k = *i + 1;

	*flags = LOGFIELD_QUOTED;
	*off = k;
	while (k < len && s[k] != '"') {
		if ((unsigned char)s[k] < 0x20)
			return (false);
		if (s[k] != '\\') {
			k++;
			continue;
		}
		*flags |= LOGFIELD_ESCAPED;
		if (k + 1 >= len)
			return (false);
		if (s[k + 1] == 'u') {
			if (!lf_hex4(s, len, k + 2))
				return (false);
			k += 6;
		} else if (strchr("\"\\/bfnrt", s[k + 1]) != NULL &&
		    s[k + 1] != '\0')
			k += 2;
		else
			return (false);
	}
	if (k >= len)
		return (false);
	*slen = k - *off;
	*i = k + 1;
	return (true);
}

/* A number, literal, object or array as written, from *i. */
static bool
lf_json_raw(const char *s, size_t len, size_t *i)
{
	size_t		k = *i, off, sl;
	unsigned	fl;
	int		depth = 0;

	if (s[k] != '{' && s[k] != '[') {
		while (k < len && (s[k] == '-' || s[k] == '+' || s[k] == '.' ||
		    (s[k] >= '0' && s[k] <= '9') || (s[k] >= 'a' &&
		    s[k] <= 'z') || s[k] == 'E'))
			k++;
		if (k == *i)
			return (false);
		*i = k;
		return (true);
	}
	while (k < len) {
		if (s[k] == '"') {
			if (!lf_json_string(s, len, &k, &off, &sl, &fl))
				return (false);
			continue;
		}
		if (s[k] == '{' || s[k] == '[') {
			if (++depth > LOGFIELDS_DEPTH)
				return (false);
		} else if (s[k] == '}' || s[k] == ']') {
			if (--depth == 0) {
				*i = k + 1;
				return (true);
			}
		}
		k++;
	}
	return (false);
}

static size_t
lf_skip_space(const char *s, size_t len, size_t i)
{
	while (i < len && lf_space(s[i]))
		i++;
	return (i);
}

static bool
lf_json(const char *s, size_t len, struct logfields *f)
{
	size_t		i = lf_skip_space(s, len, 0), ko, kl, vo, vl;
	unsigned	kfl, vfl;

	if (i >= len || s[i] != '{')
		return (false);
	i = lf_skip_space(s, len, i + 1);
	if (i < len && s[i] == '}')
		goto end;
	for (;;) {
		if (i >= len || s[i] != '"' ||
		    !lf_json_string(s, len, &i, &ko, &kl, &kfl))
			return (false);
		i = lf_skip_space(s, len, i);
		if (i >= len || s[i] != ':')
			return (false);
		i = lf_skip_space(s, len, i + 1);
		if (i >= len)
			return (false);
		if (s[i] == '"') {
			if (!lf_json_string(s, len, &i, &vo, &vl, &vfl))
				return (false);
		} else {
			vo = i;
			if (!lf_json_raw(s, len, &i))
				return (false);
			vl = i - vo;
			vfl = LOGFIELD_RAW;
		}
		lf_add(f, ko, kl, kfl & LOGFIELD_ESCAPED, vo, vl, vfl);
		i = lf_skip_space(s, len, i);
		if (i < len && s[i] == ',') {
			i = lf_skip_space(s, len, i + 1);
			continue;
		}
		if (i < len && s[i] == '}')
			break;
		return (false);
	}
end:
	i = lf_skip_space(s, len, i + 1);
	if (i != len)
		return (false);	/* text after the object: almost JSON */
	f->kind = LOGFIELDS_JSON;
	return (true);
}

/* --- logfmt --------------------------------------------------------------- */

static bool
lf_key_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c == '@')
		return (true);
	return (!first && ((c >= '0' && c <= '9') || c == '.' || c == '-' ||
	    c == '/' || c == ':'));
}

static bool
lf_keyword(const char *k, size_t len)
{
	size_t	i;

	if (len == 0 || !lf_key_char(k[0], true))
		return (false);
	for (i = 1; i < len; i++) {
		if (!lf_key_char(k[i], false))
			return (false);
	}
	return (true);
}

/* A quoted logfmt value from the quote at *i: Go's strconv escapes, any
 * backslash taking the byte after it. */
static bool
lf_logfmt_quoted(const char *s, size_t len, size_t *i, size_t *off,
    size_t *vlen, unsigned *flags)
{
	size_t	k = *i + 1;

	*flags = LOGFIELD_QUOTED;
	*off = k;
	while (k < len && s[k] != '"') {
		if (s[k] == '\\') {
			*flags |= LOGFIELD_ESCAPED;
			if (++k >= len)
				return (false);
		}
		k++;
	}
	if (k >= len)
		return (false);
	*vlen = k - *off;
	*i = k + 1;
	return (true);
}

static bool
lf_logfmt(const char *s, size_t len, struct logfields *f)
{
	size_t		i = 0, ko, kl, vo, vl, pairs = 0, bare = 0;
	unsigned	fl;

	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= len)
			break;
		ko = i;
		while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '=' &&
		    s[i] != '"')
			i++;
		if (i < len && s[i] == '"')
			return (false);		/* a quote inside a word */
		if (i == ko)
			return (false);		/* "=value" */
		if (i >= len || s[i] != '=') {
			/* A word alone: a bare key. */
			lf_add(f, ko, i - ko, 0, i, 0, LOGFIELD_BARE);
			bare++;
			continue;
		}
		kl = i - ko;
		if (!lf_keyword(s + ko, kl))
			bare++;			/* "a?b=c": not a key */
		i++;				/* the '=' */
		if (i < len && s[i] == '"') {
			if (!lf_logfmt_quoted(s, len, &i, &vo, &vl, &fl))
				return (false);
			if (i < len && s[i] != ' ' && s[i] != '\t')
				return (false);
		} else {
			vo = i;
			while (i < len && s[i] != ' ' && s[i] != '\t')
				i++;
			vl = i - vo;
			fl = 0;
		}
		lf_add(f, ko, kl, 0, vo, vl, fl);
		pairs++;
	}
	/* Prose with an a=b in it is prose: most words must be pairs. */
	if (pairs == 0 || pairs < bare)
		return (false);
	f->kind = LOGFIELDS_LOGFMT;
	return (true);
}

bool
logfields_parse(const char *s, size_t len, struct logfields *f)
{
	size_t	i;

	lf_plain(f);
	if (len > UINT32_MAX)
		return (false);
	i = lf_skip_space(s, len, 0);
	if (i < len && s[i] == '{') {
		if (!lf_json(s, len, f)) {
			lf_plain(f);
			return (false);
		}
	} else if (!lf_logfmt(s, len, f)) {
		lf_plain(f);
		return (false);
	}
	lf_roles(f, s);
	return (true);
}

/* --- reading a field ------------------------------------------------- */

static unsigned
lf_hexval(const char *p)
{
	unsigned	v = 0;
	int		k;

	for (k = 0; k < 4; k++) {
		v <<= 4;
		if (p[k] >= '0' && p[k] <= '9')
			v |= (unsigned)(p[k] - '0');
		else if (p[k] >= 'a' && p[k] <= 'f')
			v |= (unsigned)(p[k] - 'a' + 10);
		else
			v |= (unsigned)(p[k] - 'A' + 10);
	}
	return (v);
}

/* Undo escapes of s[0..len) into sb. \uXXXX pairs make one character; a
 * lone surrogate becomes U+FFFD. Unknown escapes (logfmt) stay as they
 * are. */
void
logfields_unescape(const char *s, size_t len, struct sbuf *sb)
{
	size_t		i = 0;
	char		buf[8];
	unsigned	cp, lo;
	const char	*e;

	while (i < len) {
		if (s[i] != '\\' || i + 1 >= len) {
			e = memchr(s + i, '\\', len - i);
			if (e == NULL || e == s + len - 1)
				e = s + len;
			sbuf_add(sb, s + i, (size_t)(e - (s + i)));
			i = (size_t)(e - s);
			if (i == len - 1 && s[i] == '\\') {
				sbuf_addc(sb, '\\');
				i++;
			}
			continue;
		}
		switch (s[i + 1]) {
		case 'n': sbuf_addc(sb, '\n'); break;
		case 't': sbuf_addc(sb, '\t'); break;
		case 'r': sbuf_addc(sb, '\r'); break;
		case 'b': sbuf_addc(sb, '\b'); break;
		case 'f': sbuf_addc(sb, '\f'); break;
		case '"': case '\\': case '/': sbuf_addc(sb, s[i + 1]); break;
		case 'u':
			if (!lf_hex4(s, len, i + 2)) {
				sbuf_add(sb, s + i, 2);
				break;
			}
			cp = lf_hexval(s + i + 2);
			i += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && i + 2 + 6 <= len &&
			    s[i + 2] == '\\' && s[i + 3] == 'u' &&
			    lf_hex4(s, len, i + 4) &&
			    (lo = lf_hexval(s + i + 4)) >= 0xdc00 &&
			    lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 6;
			} else if (cp >= 0xd800 && cp < 0xe000)
				cp = 0xfffd;
			sbuf_add(sb, buf, utf8_encode(buf, cp));
			break;
		default:
			sbuf_add(sb, s + i, 2);
			break;
		}
		i += 2;
	}
}

void
logfields_key(const struct logfields *f, const char *s, size_t i,
    struct sbuf *sb)
{
	const struct logfield	*x = &f->v[i];

	if (x->kflags & LOGFIELD_ESCAPED)
		logfields_unescape(s + x->koff, x->klen, sb);
	else
		sbuf_add(sb, s + x->koff, x->klen);
}

void
logfields_value(const struct logfields *f, const char *s, size_t i,
    struct sbuf *sb)
{
	const struct logfield	*x = &f->v[i];

	if (x->flags & LOGFIELD_ESCAPED)
		logfields_unescape(s + x->voff, x->vlen, sb);
	else
		sbuf_add(sb, s + x->voff, x->vlen);
}

bool
logfields_key_is(const struct logfields *f, const char *s, size_t i,
    const char *key)
{
	const struct logfield	*x = &f->v[i];
	struct sbuf		 sb;
	bool			 same;

	if (!(x->kflags & LOGFIELD_ESCAPED))
		return (strlen(key) == x->klen &&
		    memcmp(s + x->koff, key, x->klen) == 0);
	sbuf_init(&sb);
	logfields_unescape(s + x->koff, x->klen, &sb);
	same = sb.len == strlen(key) && memcmp(sb.s, key, sb.len) == 0;
	sbuf_free(&sb);
	return (same);
}

int
logfields_find(const struct logfields *f, const char *s, const char *key)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		if (!(f->v[i].flags & LOGFIELD_BARE) &&
		    logfields_key_is(f, s, i, key))
			return ((int)i);
	}
	return (-1);
}

const char *
logfields_level_word(const char *v, size_t len)
{
	static const struct {
		const char	*name, *word;
	} map[] = {
		{ "error", "ERROR" }, { "err", "ERROR" }, { "e", "ERROR" },
		{ "eror", "ERROR" },
		{ "warn", "WARN" }, { "warning", "WARN" }, { "w", "WARN" },
		{ "info", "INFO" }, { "information", "INFO" },
		{ "informational", "INFO" }, { "i", "INFO" },
		{ "notice", "INFO" },
		{ "debug", "DEBUG" }, { "dbg", "DEBUG" }, { "d", "DEBUG" },
		{ "trace", "TRACE" }, { "t", "TRACE" },
		{ "fatal", "FATAL" }, { "panic", "FATAL" },
		{ "critical", "FATAL" }, { "crit", "FATAL" },
		{ "emerg", "FATAL" }, { "alert", "FATAL" },
	};
	size_t	i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (strlen(map[i].name) == len &&
		    strncasecmp(v, map[i].name, len) == 0)
			return (map[i].word);
	}
	return (NULL);
}
