/*
 * loki_scan.c: the fast path for query_range answers (see loki_scan.h).
 *
 * A flood brings query_range answers of thousands of lines, and jansson
 * builds a tree of them (an allocation per string, per array) only for the
 * parser to walk it once. This scanner reads the one shape that matters, a
 * successful "streams" answer, straight into an arena: strings are decoded
 * once, entries point into it. Anything else, or anything odd (an escape it
 * does not know, invalid UTF-8, a control character, nesting past 64), and
 * it gives up: the jansson path then parses the body and says what is
 * wrong. So it never has to be right about errors, only about the shape.
 *
 * What it takes, it must take exactly as jansson does (the differential
 * test, tests/unit/test_loki_hostile.c, holds it to that): numbers and
 * literals by JSON's grammar, and jansson's own refusals (an integer past
 * int64, a real past double, a NUL in a key) refused; a key repeated in an
 * object it reads (jansson keeps the last) is given up on rather than
 * merged; every array grows with its own count and capacity together.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "backends/loki_result.h"
#include "backends/loki_scan.h"
#include "core/utf8.h"
#include "core/xalloc.h"

/* The valid UTF-8 sequence length at s, or 0. */
static size_t
scan_utf8_len(const unsigned char *s, size_t len)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		need, i;

	if (s[0] < 0x80)
		return (1);
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return (0);
	need = s[0] < 0xe0 ? 1 : s[0] < 0xf0 ? 2 : 3;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	for (i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi)
			return (0);
		lo = 0x80;
		hi = 0xbf;
	}
	return (need + 1);
}

#define SCAN_DEPTH	64

struct scan {
	const unsigned char	*p, *end;
	char			*arena;
	size_t			 used, cap;
	struct loki_result	*r;
	enum loki_direction	 dir;
	size_t			 ecap, scap;
	const char		*type;		/* resultType, if seen */
	unsigned		 seen_root, seen_data;	/* SEEN_* */
};

/* Members that may come once: jansson keeps the last of repeated keys. */
#define SEEN_STATUS	0x01
#define SEEN_DATA	0x02
#define SEEN_WARNINGS	0x04
#define SEEN_TYPE	0x08
#define SEEN_RESULT	0x10
#define SEEN_STREAM	0x20
#define SEEN_VALUES	0x40

/* First time for this member? */
static bool
scan_once(unsigned *seen, unsigned bit)
{
	if (*seen & bit)
		return (false);
	*seen |= bit;
	return (true);
}

static void
scan_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' ||
	    *s->p == '\r' || *s->p == '\t'))
		s->p++;
}

static bool
scan_char(struct scan *s, unsigned char c)
{
	scan_ws(s);
	if (s->p >= s->end || *s->p != c)
		return (false);
	s->p++;
	return (true);
}

/* Four hex digits at p. */
static bool
scan_hex4(const unsigned char *p, const unsigned char *end, uint32_t *v)
{
	int	i;

	if (end - p < 4)
		return (false);
	*v = 0;
	for (i = 0; i < 4; i++) {
		*v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			*v |= p[i] - '0';
		else if ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'f')
			*v |= (p[i] | 0x20) - 'a' + 10;
		else
			return (false);
	}
	return (true);
}

/* \uXXXX (and its low surrogate) at p, the backslash. */
static bool
scan_unicode(struct scan *s, char *out, size_t *n)
{
	uint32_t	cp, lo;

	if (!scan_hex4(s->p + 2, s->end, &cp))
		return (false);
	s->p += 6;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return (false);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' ||
		    !scan_hex4(s->p + 2, s->end, &lo) || lo < 0xdc00 ||
		    lo > 0xdfff)
			return (false);
		s->p += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	*n = utf8_encode(out, cp);
	return (true);
}

static bool
scan_escape(struct scan *s, char *out, size_t *n)
{
	static const char	from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char		*k;

	if (s->p + 1 >= s->end)
		return (false);
	if (s->p[1] == 'u')
		return (scan_unicode(s, out, n));
	if ((k = memchr(from, s->p[1], sizeof from - 1)) == NULL)
		return (false);
	out[0] = to[k - from];
	*n = 1;
	s->p += 2;
	return (true);
}

/* A string, decoded into the arena (NUL-terminated): *out, *len. */
static bool
scan_string(struct scan *s, const char **out, size_t *len)
{
	char			*o;
	const unsigned char	*run;
	size_t			 n;

	if (!scan_char(s, '"'))
		return (false);
	o = s->arena + s->used;
	for (;;) {
		run = s->p;
		while (s->p < s->end && *s->p >= 0x20 && *s->p != '"' &&
		    *s->p != '\\' && *s->p < 0x80)
			s->p++;
		memcpy(o, run, (size_t)(s->p - run));
		o += s->p - run;
		if (s->p >= s->end || *s->p < 0x20)
			return (false);
		if (*s->p == '"')
			break;
		if (*s->p == '\\') {
			if (!scan_escape(s, o, &n))
				return (false);
			o += n;
			continue;
		}
		if ((n = scan_utf8_len(s->p, (size_t)(s->end - s->p))) == 0)
			return (false);
		memcpy(o, s->p, n);
		o += n;
		s->p += n;
	}
	s->p++;
	*o = '\0';
	*out = s->arena + s->used;
	*len = (size_t)(o - *out);
	s->used += *len + 1;
	return (true);
}

/* An object's key and its colon. jansson refuses a key holding a NUL, and
 * keys are then compared as C strings. */
static bool
scan_key(struct scan *s, const char **k)
{
	size_t	n;

	return (scan_string(s, k, &n) && strlen(*k) == n && scan_char(s, ':'));
}

/* true, false or null: the word, whole. */
static bool
scan_word(struct scan *s, const char *w)
{
	size_t	n = strlen(w);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
		return (false);
	s->p += n;
	return (true);
}

static bool
scan_digit(const struct scan *s, const unsigned char *p)
{
	return (p < s->end && *p >= '0' && *p <= '9');
}

/*
 * A number by JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 * jansson refuses an integer past int64 and a real past double: this
 * takes integers of up to 18 digits and reals under 1e300, and gives up on
 * the rest (jansson then decides).
 */
static bool
scan_number(struct scan *s)
{
	const unsigned char	*p = s->p;
	long			 digits = 0, exp = 0, esign = 1;
	bool			 real = false;

	if (p < s->end && *p == '-')
		p++;
	if (!scan_digit(s, p))
		return (false);
	if (*p == '0')
		p++;
	else {
		for (; scan_digit(s, p); p++)
			digits++;
	}
	if (p < s->end && *p == '.') {
		real = true;
		if (!scan_digit(s, ++p))
			return (false);
		while (scan_digit(s, p))
			p++;
	}
	if (p < s->end && (*p == 'e' || *p == 'E')) {
		real = true;
		p++;
		if (p < s->end && (*p == '+' || *p == '-'))
			esign = *p++ == '-' ? -1 : 1;
		if (!scan_digit(s, p))
			return (false);
		for (; scan_digit(s, p); p++) {
			if (exp < 100000)
				exp = exp * 10 + (*p - '0');
		}
	}
	if (!real && digits > 18)
		return (false);
	if (real && digits + esign * exp > 300)
		return (false);
	s->p = p;
	return (true);
}

static bool	scan_skip(struct scan *, int);

static bool
scan_skip_list(struct scan *s, unsigned char close, int depth)
{
	const char	*k;

	s->p++;
	if (scan_char(s, close))
		return (true);
	do {
		if (close == '}' && !scan_key(s, &k))
			return (false);
		if (!scan_skip(s, depth + 1))
			return (false);
	} while (scan_char(s, ','));
	return (scan_char(s, close));
}

/* Step over any value. */
static bool
scan_skip(struct scan *s, int depth)
{
	const char	*str;
	size_t		 n;

	scan_ws(s);
	if (s->p >= s->end || depth > SCAN_DEPTH)
		return (false);
	switch (*s->p) {
	case '"':
		return (scan_string(s, &str, &n));
	case '{':
		return (scan_skip_list(s, '}', depth));
	case '[':
		return (scan_skip_list(s, ']', depth));
	case 't':
		return (scan_word(s, "true"));
	case 'f':
		return (scan_word(s, "false"));
	case 'n':
		return (scan_word(s, "null"));
	default:
		return (scan_number(s));
	}
}

/* A value ["<ns>", "<line>", ...]; anything after the line is skipped. */
static bool
scan_value(struct scan *s, uint32_t stream, uint32_t pos)
{
	struct loki_result	*r = s->r;
	struct loki_entry	*e;
	const char		*ts;
	size_t			 n;

	if (r->n == s->ecap) {
		s->ecap = s->ecap == 0 ? 1024 : s->ecap * 2;
		r->entries = xreallocarray(r->entries, s->ecap,
		    sizeof *r->entries);
	}
	e = &r->entries[r->n];
	if (!scan_char(s, '[') || !scan_string(s, &ts, &n) ||
	    !loki_result_ts(ts, n, &e->ts) || !scan_char(s, ',') ||
	    !scan_string(s, &e->line, &e->len))
		return (false);
	while (scan_char(s, ',')) {
		if (!scan_skip(s, 2))
			return (false);
	}
	if (!scan_char(s, ']'))
		return (false);
	e->stream = stream;
	e->pos = pos;
	e->rank = 0;
	r->n++;
	return (true);
}

static bool
scan_values(struct scan *s, uint32_t stream)
{
	uint32_t	pos = 0;

	if (!scan_char(s, '['))
		return (false);
	if (scan_char(s, ']'))
		return (true);
	do {
		if (!scan_value(s, stream, pos++))
			return (false);
	} while (scan_char(s, ','));
	return (scan_char(s, ']'));
}

/* A stream's labels, sorted by name. */
struct scan_labels {
	struct loki_kv	*kv;
	size_t		 n, cap;
};

/* {"name": "value", ...}: string values only; a name twice (jansson keeps
 * the last, and the labels would read otherwise) is given up on. */
static bool
scan_labels(struct scan *s, struct scan_labels *l)
{
	const char	*k, *v;
	size_t		 vl, i;

	if (!scan_char(s, '{'))
		return (false);
	if (scan_char(s, '}'))
		return (true);
	do {
		if (!scan_key(s, &k) || !scan_string(s, &v, &vl))
			return (false);
		if (l->n == l->cap) {
			l->cap = l->cap == 0 ? 8 : l->cap * 2;
			l->kv = xreallocarray(l->kv, l->cap, sizeof *l->kv);
		}
		l->kv[l->n].k = k;
		l->kv[l->n++].v = v;
	} while (scan_char(s, ','));
	if (!scan_char(s, '}'))
		return (false);
	qsort(l->kv, l->n, sizeof *l->kv, loki_result_kv_cmp);
	for (i = 1; i < l->n; i++) {
		if (strcmp(l->kv[i - 1].k, l->kv[i].k) == 0)
			return (false);
	}
	return (true);
}

/* The stream's entries, numbered forward whatever the answer's order. */
static void
scan_finish_stream(struct scan *s, size_t first, uint32_t idx)
{
	struct loki_result	*r = s->r;
	struct loki_stream	*st = &r->streams[idx];
	size_t			 i, nv = r->n - first;

	for (i = first; i < r->n; i++) {
		if (s->dir == LOKI_BACKWARD)
			r->entries[i].pos = (uint32_t)(nv - 1 -
			    r->entries[i].pos);
		r->entries[i].hash = loki_result_hash(st->hash, r->entries[i].line,
		    r->entries[i].len);
	}
}

/* One member of a stream object. */
static bool
scan_stream_member(struct scan *s, const char *key, unsigned *seen,
    struct scan_labels *l, uint32_t idx)
{
	if (strcmp(key, "stream") == 0)
		return (scan_once(seen, SEEN_STREAM) && scan_labels(s, l));
	if (strcmp(key, "values") == 0)
		return (scan_once(seen, SEEN_VALUES) && scan_values(s, idx));
	return (scan_skip(s, 3));
}

static bool
scan_stream(struct scan *s)
{
	struct loki_result	*r = s->r;
	struct scan_labels	 l;
	const char		*key;
	size_t			 first = r->n;
	uint32_t		 idx = (uint32_t)r->nstreams;
	unsigned		 seen = 0;
	bool			 ok = true;

	if (!scan_char(s, '{'))
		return (false);
	if (r->nstreams == s->scap) {
		s->scap = s->scap == 0 ? 16 : s->scap * 2;
		r->streams = xreallocarray(r->streams, s->scap,
		    sizeof *r->streams);
	}
	r->streams[idx].labels = NULL;
	r->nstreams++;
	memset(&l, 0, sizeof l);
	if (!scan_char(s, '}')) {
		do {
			ok = scan_key(s, &key) &&
			    scan_stream_member(s, key, &seen, &l, idx);
		} while (ok && scan_char(s, ','));
		ok = ok && scan_char(s, '}');
	}
	r->streams[idx].labels = loki_result_labels(l.kv, ok ? l.n : 0);
	r->streams[idx].hash = loki_result_hash(0x5bd1e995, r->streams[idx].labels,
	    strlen(r->streams[idx].labels));
	free(l.kv);
	if (ok)
		scan_finish_stream(s, first, idx);
	return (ok);
}

static bool
scan_result(struct scan *s)
{
	if (!scan_char(s, '['))
		return (false);
	if (scan_char(s, ']'))
		return (true);
	do {
		if (!scan_stream(s))
			return (false);
	} while (scan_char(s, ','));
	return (scan_char(s, ']'));
}

/* An object's members, each handed to fn (false from fn stops). */
static bool
scan_object(struct scan *s, bool (*fn)(struct scan *, const char *))
{
	const char	*key;

	if (!scan_char(s, '{'))
		return (false);
	if (scan_char(s, '}'))
		return (true);
	do {
		if (!scan_key(s, &key) || !fn(s, key))
			return (false);
	} while (scan_char(s, ','));
	return (scan_char(s, '}'));
}

static bool
scan_data_member(struct scan *s, const char *key)
{
	size_t	n;

	if (strcmp(key, "resultType") == 0)
		return (scan_once(&s->seen_data, SEEN_TYPE) &&
		    scan_string(s, &s->type, &n) && strlen(s->type) == n);
	if (strcmp(key, "result") == 0)
		return (scan_once(&s->seen_data, SEEN_RESULT) &&
		    scan_result(s));
	return (scan_skip(s, 2));
}

static bool
scan_warnings(struct scan *s)
{
	struct loki_result	*r = s->r;
	const char		*w;
	size_t			 n;

	if (!scan_char(s, '['))
		return (false);
	if (scan_char(s, ']'))
		return (true);
	do {
		if (!scan_string(s, &w, &n))
			return (false);
		if (r->nwarnings >= LOKI_WARNINGS_MAX)
			continue;
		r->warnings = xreallocarray(r->warnings, r->nwarnings + 1,
		    sizeof *r->warnings);
		r->warnings[r->nwarnings++] = utf8_shorten(w, n,
		    LOKI_REASON_MAX);
	} while (scan_char(s, ','));
	return (scan_char(s, ']'));
}

static bool
scan_root_member(struct scan *s, const char *key)
{
	const char	*v;
	size_t		 n;

	if (strcmp(key, "status") == 0)
		return (scan_once(&s->seen_root, SEEN_STATUS) &&
		    scan_string(s, &v, &n) && strcmp(v, "success") == 0);
	if (strcmp(key, "data") == 0)
		return (scan_once(&s->seen_root, SEEN_DATA) &&
		    scan_object(s, scan_data_member));
	if (strcmp(key, "warnings") == 0)
		return (scan_once(&s->seen_root, SEEN_WARNINGS) &&
		    scan_warnings(s));
	return (scan_skip(s, 1));
}

/* The fast path: true with r filled, or false with r empty (the caller
 * falls back to jansson). */
bool
loki_scan_query_range(const char *body, size_t len, enum loki_direction dir,
    struct loki_result *r)
{
	struct scan	s;

	memset(&s, 0, sizeof s);
	memset(r, 0, sizeof *r);
	if (len > SIZE_MAX / 2 - 16)
		return (false);
	s.p = (const unsigned char *)body;
	s.end = s.p + len;
	s.r = r;
	s.dir = dir;
	/* Decoded strings are never longer than their JSON, and each has a
	 * NUL where its JSON had two quotes. */
	s.cap = len + len / 2 + 16;
	s.arena = xmalloc(s.cap);
	r->arena = s.arena;
	if (!scan_object(&s, scan_root_member) || (scan_ws(&s), s.p != s.end) ||
	    s.type == NULL || strcmp(s.type, "streams") != 0 ||
	    !(s.seen_data & SEEN_RESULT)) {
		loki_result_free(r);
		return (false);
	}
	loki_result_order(r);
	return (true);
}
