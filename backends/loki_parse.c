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
 * This is the jansson path; backends/loki_scan.c reads the common case
 * faster and hands anything it does not take to it.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "backends/jsonutil.h"
#include "backends/loki_parse.h"
#include "backends/loki_query.h"
#include "backends/loki_scan.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#define LOKI_COUNT_MAX	9007199254740992.0	/* 2^53: counts stay exact */

/* --- small helpers --------------------------------------------------------- */

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
	out = loki_result_labels(kv, n);
	free(kv);
	return (out);
}

/* --- streams --------------------------------------------------------------- */

static size_t
loki_count_values(json_t *result)
{
	size_t	 i, n = 0;
	json_t	*s;

	json_array_foreach(result, i, s)
		n += json_array_size(json_object_get(s, "values"));
	return (n);
}

static bool
loki_json_ts(json_t *v, int64_t *ts)
{
	return (json_is_string(v) && loki_result_ts(json_string_value(v),
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
	e->hash = loki_result_hash(r->streams[stream].hash, e->line, e->len);
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
	st->hash = loki_result_hash(0x5bd1e995, st->labels, strlen(st->labels));
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
	loki_result_order(r);
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
