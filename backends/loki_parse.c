/*
 * loki_parse.c: Loki's answers, bytes in, entries or a reason out. No I/O,
 * no globals: unit tests and the pipeline benchmark call these directly.
 *
 * A query_range answer is a list of streams, each with its labels and its
 * values ["<ns>", "<line>"] (a third element, structured metadata, is
 * ignored). The parser flattens them into one array sorted oldest first:
 * Loki sorts each stream but not across streams. Each entry gets a 64-bit
 * identity hash of its stream and its text, which the follower uses to tell
 * a line it has seen at the edge timestamp from a new one. Lines point into
 * the jansson document (no copy here); the ring copies them once.
 *
 * The LogQL helpers put a service name (outside data: an alert's label)
 * into the query template so that it can only ever be a string literal.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "backends/jsonutil.h"
#include "backends/loki_parse.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#define LOKI_REASON_MAX	200
#define LOKI_WARNINGS_MAX 8	/* kept of an answer's warnings: a hostile
				 * one could send millions */
#define LOKI_COUNT_MAX	9007199254740992.0	/* 2^53: counts stay exact */

/* --- hashing ------------------------------------------------------------- */

static uint64_t
loki_rotl(uint64_t x, int r)
{
	return ((x << r) | (x >> (64 - r)));
}

static uint64_t
loki_fmix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (h);
}

/* Eight bytes at a time (murmur3's mixing): lines are hashed at pipeline
 * speed, and only identity within one timestamp depends on it. */
static uint64_t
loki_hash(uint64_t seed, const char *s, size_t len)
{
	uint64_t	h = seed ^ (len * 0x9e3779b97f4a7c15ULL), k;
	unsigned char	tail[8];

	while (len >= 8) {
		memcpy(&k, s, 8);
		k *= 0x87c37b91114253d5ULL;
		k = loki_rotl(k, 31) * 0x4cf5ad432745937fULL;
		h ^= k;
		h = loki_rotl(h, 27) * 5 + 0x52dce729;
		s += 8;
		len -= 8;
	}
	if (len > 0) {
		memset(tail, 0, sizeof tail);
		memcpy(tail, s, len);
		memcpy(&k, tail, 8);
		k *= 0x87c37b91114253d5ULL;
		k = loki_rotl(k, 31) * 0x4cf5ad432745937fULL;
		h ^= k;
	}
	return (loki_fmix(h));
}

/* --- small helpers --------------------------------------------------------- */

/* The valid UTF-8 sequence length at s, or 0. */
static size_t
loki_utf8_len(const unsigned char *s, size_t len)
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

static json_t *
loki_load(const char *body, size_t len, char **error)
{
	json_error_t	 jerr;
	json_t		*root;

	root = jsonu_load(body, len, JSON_ALLOW_NUL, &jerr);
	if (root == NULL) {
		if (len == 0)
			*error = xstrdup("empty answer");
		else if (json_error_code(&jerr) == json_error_premature_end_of_input)
			*error = xstrdup("bad JSON: the answer was cut short");
		else
			*error = xasprintf("bad JSON: %s at byte %d", jerr.text,
			    jerr.position);
		return (NULL);
	}
	if (!json_is_object(root)) {
		*error = xstrdup("bad answer: not a JSON object");
		json_decref(root);
		return (NULL);
	}
	return (root);
}

/* The error message of a JSON error answer, if it is one. */
static const char *
loki_json_message(json_t *root)
{
	const char	*s;

	if ((s = json_string_value(json_object_get(root, "error"))) != NULL)
		return (s);
	return (json_string_value(json_object_get(root, "message")));
}

char *
loki_error_reason(long status, const char *body, size_t len)
{
	json_t		*root;
	const char	*msg;
	char		*out, *line;
	size_t		 n;

	while (len > 0 && isspace((unsigned char)*body)) {
		body++;
		len--;
	}
	if (len == 0)
		return (status > 0 ? xasprintf("HTTP %ld", status) :
		    xstrdup("empty answer"));
	if (*body == '<')
		return (xasprintf("HTTP %ld (not a Loki answer)", status));
	if (*body == '{' &&
	    (root = jsonu_load(body, len, JSON_ALLOW_NUL, NULL)) != NULL) {
		msg = loki_json_message(root);
		out = msg == NULL ? xasprintf("HTTP %ld", status) :
		    loki_error_reason(status, msg, strlen(msg));
		json_decref(root);
		return (out);
	}
	/* The first line, within len: the body need not end in a NUL. */
	for (n = 0; n < len && body[n] != '\r' && body[n] != '\n'; n++)
		;
	line = utf8_shorten(body, n, LOKI_REASON_MAX);
	out = status >= 400 ? xasprintf("HTTP %ld: %s", status, line) :
	    xstrdup(line);
	free(line);
	return (out);
}

bool
loki_parse_max_entries(const char *msg, long *max)
{
	const char	*p, *open;
	char		*end;
	long		 asked, m;

	if (msg == NULL ||
	    (p = strstr(msg, "max entries limit per query exceeded")) == NULL)
		return (false);
	if ((open = strrchr(p, '(')) == NULL)
		return (false);
	errno = 0;
	asked = strtol(open + 1, &end, 10);
	while (*end == ' ')
		end++;
	if (*end != '>' || errno != 0)
		return (false);
	m = strtol(end + 1, &end, 10);
	if (*end != ')' || errno != 0 || m <= 0 || asked <= m)
		return (false);
	*max = m;
	return (true);
}

/*
 * The envelope shared by every answer: a non-2xx status or a JSON body
 * with status "error" is a reason; otherwise the "data" member.
 */
static json_t *
loki_envelope(const char *body, size_t len, long status, json_t **rootp,
    char **error)
{
	json_t		*root, *data;
	const char	*st, *msg;

	*rootp = NULL;
	if (status != 0 && (status < 200 || status > 299)) {
		*error = loki_error_reason(status, body, len);
		return (NULL);
	}
	if ((root = loki_load(body, len, error)) == NULL)
		return (NULL);
	st = json_string_value(json_object_get(root, "status"));
	if (st != NULL && strcmp(st, "success") != 0) {
		msg = loki_json_message(root);
		*error = msg != NULL ? utf8_shorten(msg, strlen(msg),
		    LOKI_REASON_MAX) : xasprintf("status \"%s\"", st);
		json_decref(root);
		return (NULL);
	}
	if ((data = json_object_get(root, "data")) == NULL) {
		*error = xstrdup("bad answer: no \"data\"");
		json_decref(root);
		return (NULL);
	}
	*rootp = root;
	return (data);
}

/* --- labels ---------------------------------------------------------------- */

/* A Go-quoted string, as LogQL writes label values. */
static void
loki_quote(struct sbuf *sb, const char *s)
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		c;

	sbuf_addc(sb, '"');
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			sbuf_addc(sb, '\\');
			sbuf_addc(sb, (char)c);
		} else if (c == '\n')
			sbuf_adds(sb, "\\n");
		else if (c == '\r')
			sbuf_adds(sb, "\\r");
		else if (c == '\t')
			sbuf_adds(sb, "\\t");
		else if (c < 0x20 || c == 0x7f) {
			sbuf_adds(sb, "\\x");
			sbuf_addc(sb, hex[c >> 4]);
			sbuf_addc(sb, hex[c & 0xf]);
		} else
			sbuf_addc(sb, (char)c);
	}
	sbuf_addc(sb, '"');
}

struct loki_kv {
	const char	*k, *v;
};

static int
loki_kv_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct loki_kv *)a)->k,
	    ((const struct loki_kv *)b)->k));
}

/* {k="v", k2="v2"}, keys sorted, so that one stream reads one way. */
static char *
loki_labels_string(struct loki_kv *kv, size_t n)
{
	struct sbuf	sb;
	size_t		i;

	if (n == 0)
		return (xstrdup("{}"));
	qsort(kv, n, sizeof *kv, loki_kv_cmp);
	sbuf_init(&sb);
	sbuf_addc(&sb, '{');
	for (i = 0; i < n; i++) {
		if (i > 0)
			sbuf_adds(&sb, ", ");
		sbuf_adds(&sb, kv[i].k);
		sbuf_addc(&sb, '=');
		loki_quote(&sb, kv[i].v);
	}
	sbuf_addc(&sb, '}');
	return (sbuf_steal(&sb));
}

static char *
loki_format_labels(json_t *obj)
{
	struct loki_kv	*kv;
	const char	*k;
	json_t		*v;
	size_t		 n = 0;
	char		*out;

	if (!json_is_object(obj) || json_object_size(obj) == 0)
		return (xstrdup("{}"));
	kv = xcalloc(json_object_size(obj), sizeof *kv);
	json_object_foreach(obj, k, v) {
		kv[n].k = k;
		kv[n++].v = json_is_string(v) ? json_string_value(v) : "";
	}
	out = loki_labels_string(kv, n);
	free(kv);
	return (out);
}

/* --- streams --------------------------------------------------------------- */

static int
loki_entry_cmp(const void *va, const void *vb)
{
	const struct loki_entry	*a = va, *b = vb;

	if (a->ts != b->ts)
		return (a->ts < b->ts ? -1 : 1);
	if (a->rank != b->rank)
		return (a->rank < b->rank ? -1 : 1);
	if (a->pos != b->pos)
		return (a->pos < b->pos ? -1 : 1);
	return (0);
}

static bool
loki_sorted(const struct loki_entry *v, size_t n)
{
	size_t	i;

	for (i = 1; i < n; i++) {
		if (loki_entry_cmp(&v[i - 1], &v[i]) > 0)
			return (false);
	}
	return (true);
}

static size_t
loki_count_values(json_t *result)
{
	size_t	 i, n = 0;
	json_t	*s;

	json_array_foreach(result, i, s)
		n += json_array_size(json_object_get(s, "values"));
	return (n);
}

/* "<ns>": decimal digits within int64 (time_parse_ns), and nothing after
 * them, a NUL (\u0000) included: both paths read timestamps here. */
static bool
loki_parse_ts(const char *s, size_t len, int64_t *ts)
{
	return (s != NULL && strlen(s) == len && time_parse_ns(s, ts));
}

static bool
loki_json_ts(json_t *v, int64_t *ts)
{
	return (json_is_string(v) && loki_parse_ts(json_string_value(v),
	    json_string_length(v), ts));
}

/* One ["<ns>", "<line>"] value; false (with a reason) if malformed. */
static bool
loki_add_value(struct loki_result *r, json_t *val, uint32_t stream,
    uint32_t pos, char **error)
{
	struct loki_entry	*e;
	json_t			*jts, *jline;

	jts = json_array_get(val, 0);
	jline = json_array_get(val, 1);
	if (!json_is_string(jts) || !json_is_string(jline)) {
		*error = xstrdup("bad answer: a value is not [\"<ns>\", "
		    "\"<line>\"]");
		return (false);
	}
	e = &r->entries[r->n];
	if (!loki_json_ts(jts, &e->ts)) {
		*error = xasprintf("bad answer: timestamp \"%.40s\" is not "
		    "nanoseconds", json_string_value(jts));
		return (false);
	}
	e->line = json_string_value(jline);
	e->len = json_string_length(jline);
	e->stream = stream;
	e->pos = pos;
	e->rank = 0;
	e->hash = loki_hash(r->streams[stream].hash, e->line, e->len);
	r->n++;
	return (true);
}

static bool
loki_add_stream(struct loki_result *r, json_t *s, enum loki_direction dir,
    char **error)
{
	struct loki_stream	*st;
	json_t			*values, *val;
	size_t			 i, nv;
	uint32_t		 idx = (uint32_t)r->nstreams;

	if (!json_is_object(s)) {
		*error = xstrdup("bad answer: a stream is not an object");
		return (false);
	}
	st = &r->streams[r->nstreams++];
	st->labels = loki_format_labels(json_object_get(s, "stream"));
	st->hash = loki_hash(0x5bd1e995, st->labels, strlen(st->labels));
	values = json_object_get(s, "values");
	if (values != NULL && !json_is_array(values)) {
		*error = xstrdup("bad answer: \"values\" is not a list");
		return (false);
	}
	nv = json_array_size(values);
	json_array_foreach(values, i, val) {
		if (!loki_add_value(r, val, idx, (uint32_t)(dir == LOKI_FORWARD ?
		    i : nv - 1 - i), error))
			return (false);
	}
	return (true);
}

static void
loki_warnings(struct loki_result *r, json_t *root)
{
	json_t	*w = json_object_get(root, "warnings"), *item;
	size_t	 i;

	json_array_foreach(w, i, item) {
		if (!json_is_string(item) || r->nwarnings >= LOKI_WARNINGS_MAX)
			continue;
		r->warnings = xreallocarray(r->warnings, r->nwarnings + 1,
		    sizeof *r->warnings);
		r->warnings[r->nwarnings++] = utf8_shorten(
		    json_string_value(item), json_string_length(item),
		    LOKI_REASON_MAX);
	}
}

static int
loki_rank_cmp(const void *a, const void *b, void *arg)
{
	const struct loki_stream	*st = arg;

	return (strcmp(st[*(const uint32_t *)a].labels,
	    st[*(const uint32_t *)b].labels));
}

/* Each entry's rank: where its stream's labels sort among the answer's. */
static void
loki_rank(struct loki_result *r)
{
	uint32_t	*order, *rank;
	size_t		 i;

	if (r->nstreams < 2)
		return;
	order = xcalloc(r->nstreams, sizeof *order);
	rank = xcalloc(r->nstreams, sizeof *rank);
	for (i = 0; i < r->nstreams; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, r->nstreams, sizeof *order, loki_rank_cmp, r->streams);
	for (i = 0; i < r->nstreams; i++)
		rank[order[i]] = (uint32_t)i;
	for (i = 0; i < r->n; i++)
		r->entries[i].rank = rank[r->entries[i].stream];
	free(order);
	free(rank);
}

/* Fill r from a list of streams; the document stays with r. */
static bool
loki_fill_streams(struct loki_result *r, json_t *result,
    enum loki_direction dir, char **error)
{
	json_t	*s;
	size_t	 i;

	r->streams = xcalloc(json_array_size(result) + 1, sizeof *r->streams);
	r->entries = xreallocarray(NULL, loki_count_values(result) + 1,
	    sizeof *r->entries);
	json_array_foreach(result, i, s) {
		if (!loki_add_stream(r, s, dir, error))
			return (false);
	}
	loki_rank(r);
	if (!loki_sorted(r->entries, r->n))
		qsort(r->entries, r->n, sizeof *r->entries, loki_entry_cmp);
	return (true);
}

/* --- the fast path ---------------------------------------------------------
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
		if ((n = loki_utf8_len(s->p, (size_t)(s->end - s->p))) == 0)
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
	    !loki_parse_ts(ts, n, &e->ts) || !scan_char(s, ',') ||
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
	qsort(l->kv, l->n, sizeof *l->kv, loki_kv_cmp);
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
		r->entries[i].hash = loki_hash(st->hash, r->entries[i].line,
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
	r->streams[idx].labels = loki_labels_string(l.kv, ok ? l.n : 0);
	r->streams[idx].hash = loki_hash(0x5bd1e995, r->streams[idx].labels,
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
	loki_rank(r);
	if (!loki_sorted(r->entries, r->n))
		qsort(r->entries, r->n, sizeof *r->entries, loki_entry_cmp);
	return (true);
}

static const char *
loki_result_type_error(const char *type)
{
	if (strcmp(type, "matrix") == 0)
		return ("the query returns a matrix (a metric query such as "
		    "rate(...)): the logs pane needs a log query such as "
		    "{service=\"checkout\"}");
	if (strcmp(type, "vector") == 0 || strcmp(type, "scalar") == 0)
		return ("the query returns numbers (a metric query): the logs "
		    "pane needs a log query such as {service=\"checkout\"}");
	return (NULL);
}

bool
loki_parse_query_range(const char *body, size_t len, long status,
    enum loki_direction dir, struct loki_result *r, char **error)
{
	*error = NULL;
	if ((status == 0 || (status >= 200 && status <= 299)) &&
	    loki_scan_query_range(body, len, dir, r))
		return (true);
	return (loki_parse_query_range_json(body, len, status, dir, r, error));
}

bool
loki_parse_query_range_json(const char *body, size_t len, long status,
    enum loki_direction dir, struct loki_result *r, char **error)
{
	json_t		*root, *data, *result;
	const char	*type, *why;

	*error = NULL;
	memset(r, 0, sizeof *r);
	if ((data = loki_envelope(body, len, status, &root, error)) == NULL)
		return (false);
	type = json_string_value(json_object_get(data, "resultType"));
	result = json_object_get(data, "result");
	if (type == NULL || !json_is_array(result)) {
		*error = xstrdup("bad answer: no resultType and result");
		json_decref(root);
		return (false);
	}
	if (strcmp(type, "streams") != 0) {
		why = loki_result_type_error(type);
		*error = why != NULL ? xstrdup(why) :
		    xasprintf("bad answer: unknown resultType \"%.20s\"", type);
		json_decref(root);
		return (false);
	}
	r->doc = root;
	loki_warnings(r, root);
	if (!loki_fill_streams(r, result, dir, error)) {
		loki_result_free(r);
		return (false);
	}
	return (true);
}

static bool
loki_fill_dropped(struct loki_result *r, json_t *dropped, char **error)
{
	json_t	*d;
	size_t	 i;

	r->dropped = xcalloc(json_array_size(dropped) + 1, sizeof *r->dropped);
	json_array_foreach(dropped, i, d) {
		struct loki_dropped *x = &r->dropped[r->ndropped];

		if (!loki_json_ts(json_object_get(d, "timestamp"), &x->ts)) {
			*error = xstrdup("bad frame: a dropped entry has no "
			    "timestamp");
			return (false);
		}
		x->labels = loki_format_labels(json_object_get(d, "labels"));
		r->ndropped++;
	}
	return (true);
}

bool
loki_parse_tail(const char *body, size_t len, struct loki_result *r,
    char **error)
{
	json_t	*root, *streams, *dropped;

	memset(r, 0, sizeof *r);
	*error = NULL;
	if ((root = loki_load(body, len, error)) == NULL)
		return (false);
	r->doc = root;
	streams = json_object_get(root, "streams");
	dropped = json_object_get(root, "dropped_entries");
	if ((streams != NULL && !json_is_array(streams)) ||
	    (dropped != NULL && !json_is_array(dropped))) {
		*error = xstrdup("bad frame: streams and dropped_entries must "
		    "be lists");
		loki_result_free(r);
		return (false);
	}
	if (!loki_fill_streams(r, streams, LOKI_FORWARD, error) ||
	    !loki_fill_dropped(r, dropped, error)) {
		loki_result_free(r);
		return (false);
	}
	return (true);
}

void
loki_result_free(struct loki_result *r)
{
	size_t	i;

	for (i = 0; i < r->nstreams; i++)
		free(r->streams[i].labels);
	free(r->streams);
	free(r->entries);
	for (i = 0; i < r->ndropped; i++)
		free(r->dropped[i].labels);
	free(r->dropped);
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	if (r->doc != NULL)
		json_decref(r->doc);
	free(r->arena);
	memset(r, 0, sizeof *r);
}

/* --- counts and labels ------------------------------------------------------ */

static bool
loki_sample(json_t *value, double *v)
{
	const char	*s = json_string_value(json_array_get(value, 1));
	char		*end;

	if (s == NULL || !isdigit((unsigned char)*s))
		return (false);
	errno = 0;
	*v = strtod(s, &end);
	/* A count of lines: a number a uint64 holds exactly, not inf, NaN,
	 * negative or hexadecimal. */
	return (*end == '\0' && errno == 0 && *v >= 0 &&
	    *v <= LOKI_COUNT_MAX && strpbrk(s, "xX") == NULL);
}

bool
loki_parse_count(const char *body, size_t len, long status, double *count,
    char **error)
{
	json_t		*root, *data, *result, *item;
	const char	*type;
	double		 v, sum = 0;
	size_t		 i;

	*error = NULL;
	if ((data = loki_envelope(body, len, status, &root, error)) == NULL)
		return (false);
	type = json_string_value(json_object_get(data, "resultType"));
	result = json_object_get(data, "result");
	if (type != NULL && strcmp(type, "scalar") == 0 &&
	    loki_sample(result, &sum)) {
		json_decref(root);
		*count = sum;
		return (true);
	}
	if (type == NULL || strcmp(type, "vector") != 0 ||
	    !json_is_array(result)) {
		*error = xasprintf("bad answer: expected a vector, got %.20s",
		    type != NULL ? type : "nothing");
		json_decref(root);
		return (false);
	}
	json_array_foreach(result, i, item) {
		if (!loki_sample(json_object_get(item, "value"), &v)) {
			*error = xstrdup("bad answer: a sample is not "
			    "[<time>, \"<value>\"]");
			json_decref(root);
			return (false);
		}
		sum += v;
	}
	json_decref(root);
	*count = sum < LOKI_COUNT_MAX ? sum : LOKI_COUNT_MAX;
	return (true);
}

bool
loki_parse_labels(const char *body, size_t len, long status, char ***out,
    size_t *n, char **error)
{
	json_t	*root, *data, *item;
	size_t	 i;

	*out = NULL;
	*n = 0;
	*error = NULL;
	if ((data = loki_envelope(body, len, status, &root, error)) == NULL)
		return (false);
	if (!json_is_array(data)) {
		*error = xstrdup("bad answer: \"data\" is not a list");
		json_decref(root);
		return (false);
	}
	*out = xcalloc(json_array_size(data) + 1, sizeof **out);
	json_array_foreach(data, i, item) {
		if (json_is_string(item))
			(*out)[(*n)++] = xstrdup(json_string_value(item));
	}
	json_decref(root);
	return (true);
}

void
loki_labels_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* --- LogQL ------------------------------------------------------------------- */

static const char *
loki_service_ref(const char *p)
{
	if (strncmp(p, "$service", 8) == 0 &&
	    !(isalnum((unsigned char)p[8]) || p[8] == '_'))
		return (p + 8);
	if (strncmp(p, "${service}", 10) == 0)
		return (p + 10);
	return (NULL);
}

bool
loki_query_uses_service(const char *t)
{
	for (; t != NULL && *t != '\0'; t++) {
		if (*t == '$' && loki_service_ref(t) != NULL)
			return (true);
	}
	return (false);
}

/* Is the string literal opening at q the operand of a regex operator? */
static bool
loki_regex_context(const char *start, const char *q)
{
	while (q > start && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	return (q - start >= 2 && q[-1] == '~' &&
	    (q[-2] == '=' || q[-2] == '!' || q[-2] == '|'));
}

/* RE2 metacharacters escaped, so that a service matches only itself. */
static char *
loki_regex_escape(const char *s)
{
	struct sbuf	sb;

	sbuf_init(&sb);
	for (; *s != '\0'; s++) {
		if (strchr("\\.+*?()|[]{}^$", *s) != NULL)
			sbuf_addc(&sb, '\\');
		sbuf_addc(&sb, *s);
	}
	return (sbuf_steal(&sb));
}

/* The service as it must be written where it lands. */
static bool
loki_put_service(struct sbuf *sb, char quote, bool regex, const char *svc,
    char **error)
{
	char		*re = regex ? loki_regex_escape(svc) : NULL;
	const char	*v = re != NULL ? re : svc;
	struct sbuf	 q;

	if (quote == '`') {
		if (strchr(v, '`') != NULL) {
			*error = xstrdup("the service name contains a backquote, "
			    "which cannot go inside `...` in the query");
			free(re);
			return (false);
		}
		sbuf_adds(sb, v);
	} else {
		sbuf_init(&q);
		loki_quote(&q, v);
		if (quote == '"')
			sbuf_add(sb, q.s + 1, q.len - 2);
		else
			sbuf_add(sb, q.s, q.len);
		sbuf_free(&q);
	}
	free(re);
	return (true);
}

char *
loki_query_expand(const char *t, const char *svc, char **error)
{
	struct sbuf	 sb;
	const char	*p, *after, *open = NULL;
	char		 quote = 0;

	*error = NULL;
	sbuf_init(&sb);
	for (p = t; *p != '\0'; p++) {
		if (*p == '$' && (after = loki_service_ref(p)) != NULL) {
			if (svc == NULL) {
				*error = xstrdup("the query uses $service and no "
				    "service is selected");
				sbuf_free(&sb);
				return (NULL);
			}
			if (!loki_put_service(&sb, quote, quote != 0 &&
			    loki_regex_context(t, open), svc, error)) {
				sbuf_free(&sb);
				return (NULL);
			}
			p = after - 1;
			continue;
		}
		sbuf_addc(&sb, *p);
		if (quote == '"' && *p == '\\' && p[1] != '\0') {
			sbuf_addc(&sb, *++p);
			continue;
		}
		if (quote == 0 && (*p == '"' || *p == '`')) {
			quote = *p;
			open = p;
		} else if (quote != 0 && *p == quote)
			quote = 0;
	}
	return (sbuf_steal(&sb));
}

char *
loki_count_query(const char *q, int64_t range_ms)
{
	return (xasprintf("sum(count_over_time(%s [%lldms]))", q,
	    (long long)range_ms));
}
