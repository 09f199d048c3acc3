/* prometheus_parse.c: the Prometheus HTTP API's answers, parsed. Every
 * function here is pure (no I/O, no clock), so that unit tests and fuzzers
 * feed it documented bodies and garbage alike. The envelope is
 *   {"status":"success","data":{"resultType":"vector","result":[...]},
 *    "warnings":[...]}
 * or {"status":"error","errorType":"bad_data","error":"..."}. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/jsonutil.h"
#include "backends/prometheus_parse.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#define PROM_ERROR_MAX	400	/* bytes of an outside message we repeat */

bool
prom_parse_value(const char *s, double *v)
{
	char	*end;

	if (s == NULL || *s == '\0')
		return (false);
	if (strcmp(s, "NaN") == 0) {
		*v = NAN;
		return (true);
	}
	if (strcmp(s, "+Inf") == 0 || strcmp(s, "Inf") == 0) {
		*v = INFINITY;
		return (true);
	}
	if (strcmp(s, "-Inf") == 0) {
		*v = -INFINITY;
		return (true);
	}
	/* strtod would also take "nan", "infinity" and hex: Prometheus writes
	 * none of those, so they are garbage here. */
	if (strspn(s, "+-0123456789.eE") != strlen(s))
		return (false);
	errno = 0;
	*v = strtod(s, &end);
	return (end != s && *end == '\0' && errno != ERANGE);
}

bool
prom_parse_time(const char *s, double *t)
{
	int64_t	 ns;
	char	*end;

	if (s == NULL || *s == '\0')
		return (false);
	if (strspn(s, "0123456789.") == strlen(s)) {
		errno = 0;
		*t = strtod(s, &end);
		return (end != s && *end == '\0' && errno == 0 &&
		    isfinite(*t));
	}
	if (!time_parse_iso(s, &ns))
		return (false);
	*t = (double)ns / 1e9;
	return (true);
}

static void
prom_series_free(struct prom_series *ps)
{
	kvlist_free(&ps->labels);
	free(ps->t);
	free(ps->v);
}

void
prom_result_free(struct prom_result *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		prom_series_free(&r->series[i]);
	free(r->series);
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	memset(r, 0, sizeof *r);
}

/* [ <unix time>, "<value>" ] */
static bool
prom_point(json_t *p, double *t, double *v)
{
	json_t	*jt, *jv;

	if (!json_is_array(p) || json_array_size(p) != 2)
		return (false);
	jt = json_array_get(p, 0);
	jv = json_array_get(p, 1);
	if (!json_is_number(jt) || !json_is_string(jv))
		return (false);
	*t = json_number_value(jt);
	return (prom_parse_value(json_string_value(jv), v));
}

static bool
prom_labels(json_t *metric, struct kvlist *l)
{
	const char	*k;
	json_t		*v;

	if (metric == NULL)
		return (true);	/* scalar-like series carry none */
	if (!json_is_object(metric))
		return (false);
	json_object_foreach(metric, k, v) {
		if (!json_is_string(v))
			return (false);
		kvlist_add(l, k, json_string_value(v));
	}
	return (true);
}

static bool
prom_matrix_points(json_t *values, struct prom_series *ps)
{
	size_t	i, n;

	if (!json_is_array(values))
		return (false);
	n = json_array_size(values);
	ps->t = xcalloc(n > 0 ? n : 1, sizeof *ps->t);
	ps->v = xcalloc(n > 0 ? n : 1, sizeof *ps->v);
	for (i = 0; i < n; i++) {
		if (!prom_point(json_array_get(values, i), &ps->t[i],
		    &ps->v[i]))
			return (false);
	}
	ps->n = n;
	return (true);
}

static bool
prom_one_series(json_t *item, enum prom_kind kind, struct prom_series *ps)
{
	double	t;

	ps->value = NAN;
	if (!json_is_object(item) ||
	    !prom_labels(json_object_get(item, "metric"), &ps->labels))
		return (false);
	if (kind == PROM_VECTOR)
		return (prom_point(json_object_get(item, "value"), &t,
		    &ps->value));
	return (prom_matrix_points(json_object_get(item, "values"), ps));
}

static bool
prom_series_list(json_t *result, enum prom_kind kind, struct prom_result *r)
{
	size_t	i, n;

	if (!json_is_array(result))
		return (false);
	n = json_array_size(result);
	r->series = xcalloc(n > 0 ? n : 1, sizeof *r->series);
	for (i = 0; i < n; i++) {
		r->n = i + 1;
		if (!prom_one_series(json_array_get(result, i), kind,
		    &r->series[i]))
			return (false);
	}
	return (true);
}

/* A scalar or string result is one point, with no labels. */
static bool
prom_scalar(json_t *result, enum prom_kind kind, struct prom_result *r)
{
	double	t;

	r->series = xcalloc(1, sizeof *r->series);
	r->n = 1;
	if (kind == PROM_STRING) {
		r->series[0].value = NAN;
		return (json_is_array(result) && json_array_size(result) == 2);
	}
	return (prom_point(result, &t, &r->series[0].value));
}

static bool
prom_data(json_t *data, struct prom_result *r)
{
	const char	*type;
	json_t		*result;

	if (!json_is_object(data))
		return (false);
	type = json_string_value(json_object_get(data, "resultType"));
	result = json_object_get(data, "result");
	if (type == NULL || result == NULL)
		return (false);
	if (strcmp(type, "vector") == 0)
		r->kind = PROM_VECTOR;
	else if (strcmp(type, "matrix") == 0)
		r->kind = PROM_MATRIX;
	else if (strcmp(type, "scalar") == 0)
		r->kind = PROM_SCALAR;
	else if (strcmp(type, "string") == 0)
		r->kind = PROM_STRING;
	else
		return (false);
	if (r->kind == PROM_SCALAR || r->kind == PROM_STRING)
		return (prom_scalar(result, r->kind, r));
	return (prom_series_list(result, r->kind, r));
}

/* Warnings (and the "infos" of newer servers) are kept, never fatal. */
static void
prom_warnings(json_t *root, const char *key, struct prom_result *r)
{
	json_t	*w, *item;
	size_t	 i;

	if ((w = json_object_get(root, key)) == NULL || !json_is_array(w))
		return;
	json_array_foreach(w, i, item) {
		if (!json_is_string(item))
			continue;
		r->warnings = xreallocarray(r->warnings, r->nwarnings + 1,
		    sizeof *r->warnings);
		r->warnings[r->nwarnings++] = utf8_shorten(
		    json_string_value(item), strlen(json_string_value(item)),
		    PROM_ERROR_MAX);
	}
}

/* {"status":"error","errorType":"bad_data","error":"..."} */
static char *
prom_error_body(json_t *root, long status)
{
	const char	*type, *msg;
	char		*s, *out;

	type = json_string_value(json_object_get(root, "errorType"));
	msg = json_string_value(json_object_get(root, "error"));
	if (msg == NULL)
		msg = "no reason given";
	if (type != NULL && *type != '\0')
		s = xasprintf("%s: %s", type, msg);
	else if (status != 0 && status != 200)
		s = xasprintf("HTTP %ld: %s", status, msg);
	else
		s = xstrdup(msg);
	out = utf8_shorten(s, strlen(s), PROM_ERROR_MAX);
	free(s);
	return (out);
}

static char *
prom_not_json(const json_error_t *je, size_t len, long status)
{
	if (status != 0 && (status < 200 || status > 299))
		return (xasprintf("HTTP %ld (not a Prometheus answer)",
		    status));
	if (len == 0)
		return (xstrdup("bad JSON: empty answer"));
	return (xasprintf("bad JSON: %s at byte %d", je->text, je->position));
}

bool
prom_parse_response(const char *body, size_t len, long status,
    struct prom_result *r, char **error)
{
	json_error_t	 je;
	json_t		*root;
	const char	*st;

	memset(r, 0, sizeof *r);
	*error = NULL;
	root = jsonu_load(body != NULL ? body : "", len, 0, &je);
	if (root == NULL) {
		*error = prom_not_json(&je, len, status);
		return (false);
	}
	st = json_string_value(json_object_get(root, "status"));
	if (st != NULL && strcmp(st, "error") == 0)
		*error = prom_error_body(root, status);
	else if (status != 0 && (status < 200 || status > 299))
		*error = xasprintf("HTTP %ld", status);
	else if (st == NULL || strcmp(st, "success") != 0 ||
	    !prom_data(json_object_get(root, "data"), r)) {
		prom_result_free(r);
		*error = xstrdup("not a Prometheus answer (no data.result)");
	}
	if (*error == NULL) {
		prom_warnings(root, "warnings", r);
		prom_warnings(root, "infos", r);
	}
	json_decref(root);
	if (*error != NULL)
		prom_result_free(r);
	return (*error == NULL);
}

/* --- /api/v1/rules ------------------------------------------------------ */

#define RULE_FOR_MAX	(3660.0 * 86400)	/* ten years, at most */

static void
prom_rule_free(struct prom_rule *r)
{
	size_t	i;

	free(r->group);
	free(r->name);
	free(r->query);
	kvlist_free(&r->labels);
	for (i = 0; i < r->nalerts; i++)
		kvlist_free(&r->alerts[i].labels);
	free(r->alerts);
	memset(r, 0, sizeof *r);
}

void
prom_rules_free(struct prom_rules *rs)
{
	size_t	i;

	for (i = 0; i < rs->n; i++)
		prom_rule_free(&rs->v[i]);
	free(rs->v);
	memset(rs, 0, sizeof *rs);
}

static enum prom_rule_state
prom_rule_state(json_t *j)
{
	const char	*s = json_string_value(j);

	if (s != NULL && strcmp(s, "firing") == 0)
		return (PROM_RULE_FIRING);
	if (s != NULL && strcmp(s, "pending") == 0)
		return (PROM_RULE_PENDING);
	return (PROM_RULE_INACTIVE);
}

/* Labels whose values are not all strings are dropped, not fatal. */
static void
prom_rule_labels(json_t *j, struct kvlist *l)
{
	if (json_is_object(j) && !prom_labels(j, l)) {
		kvlist_free(l);
		memset(l, 0, sizeof *l);
	}
}

static void
prom_rule_alerts(json_t *alerts, struct prom_rule *r)
{
	struct prom_rule_alert	*a;
	json_t			*item;
	double			 t;
	size_t			 i, n;

	if (!json_is_array(alerts) || (n = json_array_size(alerts)) == 0)
		return;
	r->alerts = xcalloc(n, sizeof *r->alerts);
	json_array_foreach(alerts, i, item) {
		if (!json_is_object(item))
			continue;
		a = &r->alerts[r->nalerts++];
		prom_rule_labels(json_object_get(item, "labels"), &a->labels);
		a->state = prom_rule_state(json_object_get(item, "state"));
		if (prom_parse_time(json_string_value(json_object_get(item,
		    "activeAt")), &t) && t > 0 && t < 1e11)
			a->active_at = t;
	}
}

static void
prom_rule_one(json_t *item, const char *group, struct prom_rules *rs)
{
	struct prom_rule	*r;
	const char		*type, *name, *query;
	json_t			*d;
	double			 secs;

	if (!json_is_object(item))
		return;
	type = json_string_value(json_object_get(item, "type"));
	name = json_string_value(json_object_get(item, "name"));
	query = json_string_value(json_object_get(item, "query"));
	if (type == NULL || strcmp(type, "alerting") != 0 || name == NULL)
		return;
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof *r);
	r->group = xstrdup(group != NULL ? group : "");
	r->name = xstrdup(name);
	r->query = xstrdup(query != NULL ? query : "");
	d = json_object_get(item, "duration");
	secs = json_is_number(d) ? json_number_value(d) : 0;
	if (isfinite(secs) && secs > 0)
		r->for_s = (long)(secs < RULE_FOR_MAX ? secs : RULE_FOR_MAX);
	prom_rule_labels(json_object_get(item, "labels"), &r->labels);
	r->state = prom_rule_state(json_object_get(item, "state"));
	prom_rule_alerts(json_object_get(item, "alerts"), r);
}

static bool
prom_rule_groups(json_t *data, struct prom_rules *rs)
{
	json_t		*groups, *g, *rules, *item;
	size_t		 i, j, total = 0;

	if (!json_is_object(data) ||
	    !json_is_array(groups = json_object_get(data, "groups")))
		return (false);
	json_array_foreach(groups, i, g) {
		rules = json_object_get(g, "rules");
		if (json_is_array(rules))
			total += json_array_size(rules);
	}
	rs->v = xcalloc(total > 0 ? total : 1, sizeof *rs->v);
	json_array_foreach(groups, i, g) {
		rules = json_object_get(g, "rules");
		if (!json_is_object(g) || !json_is_array(rules))
			continue;
		json_array_foreach(rules, j, item)
			prom_rule_one(item, json_string_value(
			    json_object_get(g, "name")), rs);
	}
	return (true);
}

bool
prom_parse_rules(const char *body, size_t len, long status,
    struct prom_rules *rs, char **error)
{
	json_error_t	 je;
	json_t		*root;
	const char	*st;

	memset(rs, 0, sizeof *rs);
	*error = NULL;
	root = jsonu_load(body != NULL ? body : "", len, 0, &je);
	if (root == NULL) {
		*error = prom_not_json(&je, len, status);
		return (false);
	}
	st = json_string_value(json_object_get(root, "status"));
	if (st != NULL && strcmp(st, "error") == 0)
		*error = prom_error_body(root, status);
	else if (status != 0 && (status < 200 || status > 299))
		*error = xasprintf("HTTP %ld", status);
	else if (st == NULL || strcmp(st, "success") != 0 ||
	    !prom_rule_groups(json_object_get(root, "data"), rs))
		*error = xstrdup("not a Prometheus answer (no data.groups)");
	json_decref(root);
	if (*error != NULL)
		prom_rules_free(rs);
	return (*error == NULL);
}
