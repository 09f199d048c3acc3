/* test_prometheus.c: what sitrep makes of Prometheus' answers, and the
 * PromQL it sends. The bodies are the shapes the Prometheus HTTP API
 * documents (docs/querying/api.md: the `up` vector and matrix examples, the
 * error envelope, warnings, values as strings such as "NaN" and "+Inf"),
 * plus what a broken link or a proxy really returns: a truncated body, an
 * HTML 502 page. Then the SLO records built from answers, for SLOs declared
 * in the config and for Sloth's and Pyrra's recording rules: burn = error
 * ratio / (1 - objective), no traffic is "no data" (never a burn of 0), the
 * budget left, and the conditions scaled to the SLO window. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/prometheus_parse.h"
#include "backends/prometheus_slo.h"
#include "core/model.h"
#include "core/sbuf.h"
#include "core/slomath.h"
#include "core/xalloc.h"

#define DAY	86400L

static void
assert_close(double got, double want, double rel)
{
	if (!(fabs(got - want) <= rel * fabs(want) + 1e-15))
		fail_msg("got %.17g, want %.17g (relative %g)", got, want, rel);
}

static void
parse_ok(const char *body, long status, struct prom_result *r)
{
	char	*error = NULL;

	if (!prom_parse_response(body, strlen(body), status, r, &error))
		fail_msg("parse failed: %s", error);
	assert_null(error);
}

/* The reason a body is refused. */
static char *
parse_fails(const char *body, long status)
{
	struct prom_result	 r;
	char			*error = NULL;

	assert_false(prom_parse_response(body, strlen(body), status, &r,
	    &error));
	assert_non_null(error);
	assert_int_equal(r.n, 0);
	assert_null(r.series);
	return (error);
}

/* --- the documented answers ---------------------------------------------- */

static const char doc_vector[] =
"{\n"
"   \"status\" : \"success\",\n"
"   \"data\" : {\n"
"      \"resultType\" : \"vector\",\n"
"      \"result\" : [\n"
"         {\n"
"            \"metric\" : {\n"
"               \"__name__\" : \"up\",\n"
"               \"job\" : \"prometheus\",\n"
"               \"instance\" : \"localhost:9090\"\n"
"            },\n"
"            \"value\": [ 1435781451.781, \"1\" ]\n"
"         },\n"
"         {\n"
"            \"metric\" : {\n"
"               \"__name__\" : \"up\",\n"
"               \"job\" : \"node\",\n"
"               \"instance\" : \"localhost:9100\"\n"
"            },\n"
"            \"value\" : [ 1435781451.781, \"0\" ]\n"
"         }\n"
"      ]\n"
"   }\n"
"}\n";

static const char doc_matrix[] =
"{\n"
"   \"status\" : \"success\",\n"
"   \"data\" : {\n"
"      \"resultType\" : \"matrix\",\n"
"      \"result\" : [\n"
"         {\n"
"            \"metric\" : {\n"
"               \"__name__\" : \"up\",\n"
"               \"job\" : \"prometheus\",\n"
"               \"instance\" : \"localhost:9090\"\n"
"            },\n"
"            \"values\" : [\n"
"               [ 1435781430.781, \"1\" ],\n"
"               [ 1435781445.781, \"1\" ],\n"
"               [ 1435781460.781, \"1\" ]\n"
"            ]\n"
"         },\n"
"         {\n"
"            \"metric\" : {\n"
"               \"__name__\" : \"up\",\n"
"               \"job\" : \"node\",\n"
"               \"instance\" : \"localhost:9091\"\n"
"            },\n"
"            \"values\" : [\n"
"               [ 1435781430.781, \"0\" ],\n"
"               [ 1435781445.781, \"0\" ],\n"
"               [ 1435781460.781, \"1\" ]\n"
"            ]\n"
"         }\n"
"      ]\n"
"   }\n"
"}\n";

static void
test_vector(void **state)
{
	struct prom_result	r;

	parse_ok(doc_vector, 200, &r);
	assert_int_equal(r.kind, PROM_VECTOR);
	assert_int_equal(r.n, 2);
	assert_string_equal(kvlist_get(&r.series[0].labels, "__name__"), "up");
	assert_string_equal(kvlist_get(&r.series[0].labels, "job"),
	    "prometheus");
	assert_string_equal(kvlist_get(&r.series[1].labels, "instance"),
	    "localhost:9100");
	assert_true(r.series[0].value == 1.0);
	assert_true(r.series[1].value == 0.0);
	assert_int_equal(r.nwarnings, 0);
	prom_result_free(&r);
}

static void
test_matrix(void **state)
{
	struct prom_result	r;

	parse_ok(doc_matrix, 200, &r);
	assert_int_equal(r.kind, PROM_MATRIX);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.series[1].n, 3);
	assert_close(r.series[1].t[0], 1435781430.781, 1e-15);
	assert_true(r.series[1].v[0] == 0.0 && r.series[1].v[2] == 1.0);
	assert_true(isnan(r.series[1].value));
	prom_result_free(&r);
}

static void
test_empty_result(void **state)
{
	struct prom_result	r;

	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"vector\",\"result\":[]}}", 200, &r);
	assert_int_equal(r.kind, PROM_VECTOR);
	assert_int_equal(r.n, 0);
	prom_result_free(&r);
}

static void
test_scalar(void **state)
{
	struct prom_result	r;

	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"scalar\",\"result\":[1435781451.781,\"0.25\"]}}", 200, &r);
	assert_int_equal(r.kind, PROM_SCALAR);
	assert_int_equal(r.n, 1);
	assert_true(r.series[0].value == 0.25);
	prom_result_free(&r);
}

/* JSON has no NaN or infinity: Prometheus sends them as strings. */
static void
test_special_values(void **state)
{
	struct prom_result	r;

	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
	    "\"result\":[{\"metric\":{\"a\":\"1\"},\"value\":[1,\"NaN\"]},"
	    "{\"metric\":{\"a\":\"2\"},\"value\":[1,\"+Inf\"]},"
	    "{\"metric\":{\"a\":\"3\"},\"value\":[1,\"-Inf\"]},"
	    "{\"metric\":{\"a\":\"4\"},\"value\":[1,\"1e-05\"]}]}}", 200, &r);
	assert_int_equal(r.n, 4);
	assert_true(isnan(r.series[0].value));
	assert_true(isinf(r.series[1].value) && r.series[1].value > 0);
	assert_true(isinf(r.series[2].value) && r.series[2].value < 0);
	assert_true(r.series[3].value == 1e-05);
	prom_result_free(&r);
}

static void
test_values(void **state)
{
	double	v;

	assert_true(prom_parse_value("0.5", &v) && v == 0.5);
	assert_true(prom_parse_value("-2", &v) && v == -2);
	assert_true(prom_parse_value("NaN", &v) && isnan(v));
	assert_false(prom_parse_value("nan", &v));
	assert_false(prom_parse_value("0x10", &v));
	assert_false(prom_parse_value("1.5abc", &v));
	assert_false(prom_parse_value("", &v));
	assert_false(prom_parse_value("1e999", &v));
}

static void
test_times(void **state)
{
	double	t;

	assert_true(prom_parse_time("1700000000", &t) && t == 1700000000.0);
	assert_true(prom_parse_time("1700000000.25", &t) &&
	    t == 1700000000.25);
	assert_true(prom_parse_time("2023-11-14T22:13:20Z", &t) &&
	    t == 1700000000.0);
	assert_true(prom_parse_time("2023-11-14T23:13:20+01:00", &t) &&
	    t == 1700000000.0);
	assert_false(prom_parse_time("yesterday", &t));
	assert_false(prom_parse_time("", &t));
	assert_false(prom_parse_time("-5", &t));
}

/* --- what goes wrong --------------------------------------------------- */

static void
test_error_body(void **state)
{
	char	*e;

	e = parse_fails("{\"status\":\"error\",\"errorType\":\"bad_data\","
	    "\"error\":\"invalid parameter \\\"query\\\": 1:96: parse error: "
	    "unexpected \\\",\\\"\"}", 400);
	assert_string_equal(e, "bad_data: invalid parameter \"query\": 1:96: "
	    "parse error: unexpected \",\"");
	free(e);
	e = parse_fails("{\"status\":\"error\",\"errorType\":\"timeout\","
	    "\"error\":\"query timed out in expression evaluation\"}", 503);
	assert_string_equal(e, "timeout: query timed out in expression "
	    "evaluation");
	free(e);
}

/* Bytes that are not UTF-8 in an answer become U+FFFD; the answer is read. */
static void
test_invalid_utf8_repaired(void **state)
{
	char	*e;

	e = parse_fails("{\"status\":\"error\",\"errorType\":\"bad_data\","
	    "\"error\":\"no metric \xe2\x80 named \xff\"}", 400);
	assert_string_equal(e, "bad_data: no metric \xef\xbf\xbd named "
	    "\xef\xbf\xbd");
	free(e);
}

static void
test_warnings_kept(void **state)
{
	struct prom_result	r;

	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
	    "\"result\":[]},\"warnings\":[\"store eu-1 unreachable\","
	    "\"partial data\"]}", 200, &r);
	assert_int_equal(r.nwarnings, 2);
	assert_string_equal(r.warnings[0], "store eu-1 unreachable");
	assert_string_equal(r.warnings[1], "partial data");
	prom_result_free(&r);
}

static void
test_truncated(void **state)
{
	char	*e, *cut;
	size_t	 len = strlen(doc_vector) / 2;

	cut = xstrndup(doc_vector, len);
	e = parse_fails(cut, 200);
	assert_true(strncmp(e, "bad JSON: ", 10) == 0);
	free(e);
	free(cut);
	e = parse_fails("", 200);
	assert_string_equal(e, "bad JSON: empty answer");
	free(e);
}

static void
test_html_502(void **state)
{
	char	*e;

	e = parse_fails("<html>\r\n<head><title>502 Bad Gateway</title>"
	    "</head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
	    "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", 502);
	assert_string_equal(e, "HTTP 502 (not a Prometheus answer)");
	free(e);
	/* The same page with a 200 is garbage in a success. */
	e = parse_fails("<html><body>hello</body></html>", 200);
	assert_true(strncmp(e, "bad JSON: ", 10) == 0);
	free(e);
}

static void
test_wrong_shapes(void **state)
{
	char	*e;

	e = parse_fails("{\"message\":\"internal\"}", 500);
	assert_string_equal(e, "HTTP 500");
	free(e);
	e = parse_fails("{\"status\":\"success\",\"data\":[]}", 200);
	assert_string_equal(e, "not a Prometheus answer (no data.result)");
	free(e);
	e = parse_fails("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"x\"]}]}}",
	    200);
	assert_string_equal(e, "not a Prometheus answer (no data.result)");
	free(e);
	e = parse_fails("[1,2]", 200);
	free(e);
}

static void
test_long_error_shortened(void **state)
{
	char	 big[2000], *body, *e;

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	body = xasprintf("{\"status\":\"error\",\"errorType\":\"execution\","
	    "\"error\":\"%s\"}", big);
	e = parse_fails(body, 422);
	assert_true(strlen(e) <= 403);
	assert_string_equal(e + strlen(e) - 3, "...");
	free(e);
	free(body);
}

/* --- PromQL ---------------------------------------------------------------- */

static void
test_durations(void **state)
{
	struct { long s; const char *want; } cases[] = {
		{ 300, "5m" }, { 3600, "1h" }, { 5400, "90m" }, { 86400, "1d" },
		{ 30 * DAY, "30d" }, { 28 * DAY, "28d" }, { 90, "90s" },
	};
	char	*s;
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = promql_duration(cases[i].s);
		assert_string_equal(s, cases[i].want);
		free(s);
	}
}

static void
test_expand_and_quote(void **state)
{
	char	*s;

	s = promql_expand("rate(a[$window]) / rate(b[$window])", "5m");
	assert_string_equal(s, "rate(a[5m]) / rate(b[5m])");
	free(s);
	s = promql_string("say \"hi\" \\ now");
	assert_string_equal(s, "\"say \\\"hi\\\" \\\\ now\"");
	free(s);
	s = promql_good_total("sum(rate(ok[$window]))", "sum(rate(all[$window]))");
	assert_string_equal(s, "1 - (sum(rate(ok[$window]))) / "
	    "(sum(rate(all[$window])))");
	free(s);
}

static struct prom_decl *
decls(size_t n, const char *const *names, const char *const *exprs)
{
	struct prom_decl	*d;
	const char		*dup;
	size_t			 i;

	d = xcalloc(n, sizeof *d);
	for (i = 0; i < n; i++) {
		d[i].name = xstrdup(names[i]);
		d[i].service = xasprintf("svc-%s", names[i]);
		d[i].objective = 99.9;
		d[i].window_s = 30 * DAY;
		d[i].error_ratio = xstrdup(exprs[i]);
	}
	assert_true(prom_decl_sort(d, n, &dup));
	return (d);
}

static void
decls_free(struct prom_decl *d, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		prom_decl_free(&d[i]);
	free(d);
}

/* Every declared SLO in one query: a union tagged by name. */
static void
test_union(void **state)
{
	static const char *const names[] = { "a", "b" };
	static const char *const exprs[] = {
		"sum(rate(x[$window]))", "sum(rate(y[$window])"	/* no ")" */
	};
	struct prom_decl	*d = decls(2, names, exprs);
	size_t			*spans;
	char			*q, *e;

	q = promql_declared(d, 2, "5m", &spans);
	assert_string_equal(q, "(label_replace((sum(rate(x[5m]))), "
	    "\"sitrep_slo\", \"a\", \"\", \"\") or label_replace((sum(rate("
	    "y[5m])), \"sitrep_slo\", \"b\", \"\", \"\"))");
	assert_int_equal(spans[0], 1);
	assert_int_equal(spans[2], spans[1] + strlen(" or "));
	/* What Prometheus 2.42 said about this very query. */
	e = promql_blame("invalid parameter \"query\": 1:97: parse error: "
	    "unexpected \",\"", d, 2, spans);
	assert_string_equal(e, "[slo \"b\"] error_ratio: parse error: "
	    "unexpected \",\"");
	free(e);
	/* And when the first one lacks its ")": 1:33. */
	e = promql_blame("invalid parameter \"query\": 1:33: parse error: "
	    "unexpected \",\"", d, 2, spans);
	assert_string_equal(e, "[slo \"a\"] error_ratio: parse error: "
	    "unexpected \",\"");
	free(e);
	e = promql_blame("query processing would load too many samples", d,
	    2, spans);
	assert_string_equal(e, "query processing would load too many samples");
	free(e);
	free(q);
	free(spans);
	/* window NULL: each SLO's own, for the budget. */
	d[1].window_s = 28 * DAY;
	q = promql_declared(d, 2, NULL, NULL);
	assert_non_null(strstr(q, "x[30d]"));
	assert_non_null(strstr(q, "y[28d]"));
	free(q);
	decls_free(d, 2);
}

/* A name is data: quotes and label_replace's $ expansion are escaped. */
static void
test_union_escapes_names(void **state)
{
	static const char *const names[] = { "say \"$1\"" };
	static const char *const exprs[] = { "e[$window]" };
	struct prom_decl	*d = decls(1, names, exprs);
	char			*q;

	q = promql_declared(d, 1, "1h", NULL);
	assert_string_equal(q, "label_replace((e[1h]), \"sitrep_slo\", "
	    "\"say \\\"$$1\\\"\", \"\", \"\")");
	free(q);
	decls_free(d, 1);
}

/* Four SLOs: ((a or b) or (c or d)), not a chain, which would cost
 * Prometheus quadratic time for thousands. */
static void
test_union_is_a_tree(void **state)
{
	static const char *const names[] = { "a", "b", "c", "d" };
	static const char *const exprs[] = { "A", "B", "C", "D" };
	struct prom_decl	*d = decls(4, names, exprs);
	char			*q;

	q = promql_declared(d, 4, "5m", NULL);
	assert_string_equal(q,
	    "((label_replace((A), \"sitrep_slo\", \"a\", \"\", \"\") or "
	    "label_replace((B), \"sitrep_slo\", \"b\", \"\", \"\")) or "
	    "(label_replace((C), \"sitrep_slo\", \"c\", \"\", \"\") or "
	    "label_replace((D), \"sitrep_slo\", \"d\", \"\", \"\")))");
	free(q);
	decls_free(d, 4);
}

static void
test_duplicate_names(void **state)
{
	struct prom_decl	 d[2];
	const char		*dup = NULL;

	memset(d, 0, sizeof d);
	d[0].name = "same";
	d[1].name = "same";
	assert_false(prom_decl_sort(d, 2, &dup));
	assert_string_equal(dup, "same");
}

/* --- declared SLOs from answers ------------------------------------------- */

/* A union answer: one series per name=value pair. */
static void
union_answer(struct prom_result *r, const char *pairs)
{
	struct sbuf	 sb;
	char		*copy = xstrdup(pairs), *tok, *save = NULL, *eq, *body;

	sbuf_init(&sb);
	for (tok = strtok_r(copy, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		eq = strchr(tok, '=');
		*eq = '\0';
		sbuf_addf(&sb, "%s{\"metric\":{\"sitrep_slo\":\"%s\"},"
		    "\"value\":[1700000000,\"%s\"]}", sb.len > 0 ? "," : "",
		    tok, eq + 1);
	}
	body = xasprintf("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"vector\",\"result\":[%s]}}", sb.s != NULL ? sb.s : "");
	parse_ok(body, 200, r);
	free(body);
	sbuf_free(&sb);
	free(copy);
}

static void
slos_free(struct slo *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		slo_free(&v[i]);
	free(v);
}

static void
test_declared_records(void **state)
{
	static const char *const names[] = { "steady", "burst", "idle",
	    "ghost" };
	static const char *const exprs[] = { "s[$window]", "b[$window]",
	    "i[$window]", "g[$window]" };
	static const char *const burst[W__COUNT] = { "0.1", "0.09", "0.049",
	    "0.024", "0.008", "0.002", "0.0007" };
	struct prom_decl	*d = decls(4, names, exprs);
	struct prom_result	 res[W__COUNT], budget;
	const struct prom_result *win[W__COUNT];
	struct prom_notes	 notes = { 0 };
	struct slo		*v, *s;
	char			 pairs[256];
	size_t			 n, k;

	for (k = 0; k < W__COUNT; k++) {
		/* idle answers NaN (0/0: no traffic); ghost is absent. */
		snprintf(pairs, sizeof pairs, "steady=0.01 burst=%s idle=NaN",
		    burst[k]);
		union_answer(&res[k], pairs);
		win[k] = &res[k];
	}
	union_answer(&budget, "steady=0.01 burst=0.0005 idle=NaN");
	n = prom_declared_slos(d, 4, win, &budget, NULL, &v, &notes);
	assert_int_equal(n, 4);
	assert_int_equal(notes.n, 0);

	/* Sorted by name: burst, ghost, idle, steady. */
	s = &v[3];
	assert_string_equal(s->name, "steady");
	assert_string_equal(s->service, "svc-steady");
	for (k = 0; k < W__COUNT; k++)
		assert_close(s->burn[k], 10.0, 1e-12);
	assert_close(s->budget_remaining, -9.0, 1e-12);
	assert_int_equal(s->alert, SLO_ALERT_PAGE);
	assert_string_equal(s->condition, "6h 10.0 & 30m 10.0 > 6");
	assert_non_null(strstr(s->query, "s[$window]"));

	s = &v[0];
	assert_string_equal(s->name, "burst");
	assert_close(s->burn[W_5M], 100.0, 1e-12);
	assert_close(s->burn[W_1H], 49.0, 1e-12);
	assert_close(s->burn[W_3D], 0.7, 1e-12);
	assert_close(s->budget_remaining, 0.5, 1e-12);
	assert_int_equal(s->alert, SLO_ALERT_PAGE);
	assert_string_equal(s->condition, "1h 49.0 & 5m 100.0 > 14.4");

	/* No traffic and no series alike: no data, never a burn of 0. */
	for (s = &v[1]; s <= &v[2]; s++) {
		for (k = 0; k < W__COUNT; k++)
			assert_true(isnan(s->burn[k]) &&
			    isnan(s->error_ratio[k]));
		assert_true(isnan(s->budget_remaining));
		assert_int_equal(s->alert, SLO_ALERT_NONE);
		assert_null(s->condition);
	}
	slos_free(v, n);
	for (k = 0; k < W__COUNT; k++)
		prom_result_free(&res[k]);
	prom_result_free(&budget);
	decls_free(d, 4);
}

/* The same burn pages a 30-day SLO and only tickets a 60-day one: the
 * workbook's thresholds scale with the window (14.4 x 60/30 = 28.8). */
static void
test_threshold_scaling(void **state)
{
	static const char *const names[] = { "long", "short" };
	static const char *const exprs[] = { "l[$window]", "s[$window]" };
	struct prom_decl	*d = decls(2, names, exprs);
	struct prom_result	 res;
	const struct prom_result *win[W__COUNT];
	struct prom_notes	 notes = { 0 };
	struct slo		*v;
	size_t			 k, n;

	d[0].window_s = 60 * DAY;
	union_answer(&res, "long=0.01 short=0.01");
	for (k = 0; k < W__COUNT; k++)
		win[k] = &res;
	n = prom_declared_slos(d, 2, win, NULL, NULL, &v, &notes);
	assert_int_equal(v[0].alert, SLO_ALERT_TICKET);
	assert_string_equal(v[0].condition, "1d 10.0 & 2h 10.0 > 6");
	assert_int_equal(v[1].alert, SLO_ALERT_PAGE);
	assert_true(isnan(v[0].budget_remaining));
	slos_free(v, n);
	prom_result_free(&res);
	decls_free(d, 2);
}

/* An expression that keeps labels returns several series: the worst. */
static void
test_declared_several_series(void **state)
{
	static const char *const names[] = { "routes" };
	static const char *const exprs[] = { "r[$window]" };
	struct prom_decl	*d = decls(1, names, exprs);
	struct prom_result	 res;
	const struct prom_result *win[W__COUNT];
	struct prom_notes	 notes = { 0 };
	struct slo		*v;
	char			*joined;
	size_t			 k, n;

	union_answer(&res, "routes=0.001 routes=NaN routes=0.004");
	for (k = 0; k < W__COUNT; k++)
		win[k] = &res;
	n = prom_declared_slos(d, 1, win, NULL, NULL, &v, &notes);
	assert_close(v[0].burn[W_5M], 4.0, 1e-12);
	joined = prom_notes_join(&notes);
	assert_string_equal(joined, "[slo \"routes\"]: the expression returns "
	    "several series; the worst is shown");
	free(joined);
	prom_notes_free(&notes);
	slos_free(v, n);
	prom_result_free(&res);
	decls_free(d, 1);
}

/* One query_range for every sparkline: points land on the grid as burn. */
static void
test_declared_spark(void **state)
{
	static const char *const names[] = { "a" };
	static const char *const exprs[] = { "a[$window]" };
	struct prom_decl	*d = decls(1, names, exprs);
	struct prom_result	 m, none;
	const struct prom_result *win[W__COUNT];
	struct prom_spark	 sp = { &m, 1000.0, 900.0, 4 };
	struct prom_notes	 notes = { 0 };
	struct slo		*v;
	size_t			 k, n;

	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
	    "\"result\":[{\"metric\":{\"sitrep_slo\":\"a\"},\"values\":["
	    "[1000,\"0\"],[1900,\"0.002\"],[3700,\"NaN\"]]},"
	    "{\"metric\":{\"other\":\"x\"},\"values\":[[1000,\"1\"]]}]}}", 200,
	    &m);
	union_answer(&none, "");
	for (k = 0; k < W__COUNT; k++)
		win[k] = &none;
	n = prom_declared_slos(d, 1, win, &none, &sp, &v, &notes);
	assert_int_equal(v[0].nspark, 4);
	assert_true(v[0].spark[0] == 0.0);	/* traffic, no errors: 0 */
	assert_close(v[0].spark[1], 2.0, 1e-12);
	assert_true(isnan(v[0].spark[2]));	/* a gap */
	assert_true(isnan(v[0].spark[3]));	/* NaN: no data */
	slos_free(v, n);
	prom_result_free(&m);
	prom_result_free(&none);
	decls_free(d, 1);
}

/* --- Sloth ---------------------------------------------------------------- */

#define SLOTH_ID(id) "\"sloth_id\":\"" id "\",\"sloth_service\":\"checkout\"," \
	"\"sloth_slo\":\"availability\""

static const char sloth_body[] =
"{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
"{\"metric\":{\"__name__\":\"slo:sli_error:ratio_rate5m\"," SLOTH_ID("co")
    ",\"sloth_window\":\"5m\"},\"value\":[1,\"0.02\"]},"
"{\"metric\":{\"__name__\":\"slo:sli_error:ratio_rate1h\"," SLOTH_ID("co")
    ",\"sloth_window\":\"1h\"},\"value\":[1,\"0.0155\"]},"
"{\"metric\":{\"__name__\":\"slo:sli_error:ratio_rate3d\"," SLOTH_ID("co")
    ",\"sloth_window\":\"3d\"},\"value\":[1,\"0.0001\"]},"
"{\"metric\":{\"__name__\":\"slo:sli_error:ratio_rate28d\"," SLOTH_ID("co")
    ",\"sloth_window\":\"28d\"},\"value\":[1,\"0.0004\"]},"
"{\"metric\":{\"__name__\":\"slo:objective:ratio\"," SLOTH_ID("co")
    "},\"value\":[1,\"0.999\"]},"
"{\"metric\":{\"__name__\":\"slo:time_period:days\"," SLOTH_ID("co")
    "},\"value\":[1,\"28\"]},"
/* Budget from Sloth's own series when there is one. */
"{\"metric\":{\"__name__\":\"slo:sli_error:ratio_rate5m\"," SLOTH_ID("pay")
    ",\"sloth_window\":\"5m\"},\"value\":[1,\"0.01\"]},"
"{\"metric\":{\"__name__\":\"slo:error_budget:ratio\"," SLOTH_ID("pay")
    "},\"value\":[1,\"0.01\"]},"
"{\"metric\":{\"__name__\":\"slo:period_error_budget_remaining:ratio\","
    SLOTH_ID("pay") "},\"value\":[1,\"0.75\"]},"
/* Traffic, but its errors never existed: Sloth records no ratio at all. */
"{\"metric\":{\"__name__\":\"slo:objective:ratio\"," SLOTH_ID("quiet")
    "},\"value\":[1,\"0.99\"]},"
/* No objective at all: skipped, and said so. */
"{\"metric\":{\"__name__\":\"slo:sli_error:ratio_rate5m\"," SLOTH_ID("odd")
    ",\"sloth_window\":\"5m\"},\"value\":[1,\"0.5\"]}"
"]}}";

static void
test_sloth(void **state)
{
	struct prom_result	 r, m;
	struct prom_spark	 sp = { &m, 0.0, 900.0, 2 };
	struct prom_notes	 notes = { 0 };
	struct slo		*v;
	char			*joined;
	size_t			 n, k;

	parse_ok(sloth_body, 200, &r);
	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
	    "\"result\":[{\"metric\":{\"__name__\":\"slo:sli_error:"
	    "ratio_rate1h\"," SLOTH_ID("co") ",\"sloth_window\":\"1h\"},"
	    "\"values\":[[0,\"0.001\"],[900,\"0.0155\"]]}]}}", 200, &m);
	n = prom_sloth_slos(&r, &sp, &v, &notes);
	assert_int_equal(n, 3);
	/* Sorted by name: co, pay, quiet. What is known is said. */
	assert_string_equal(v[2].name, "quiet");
	assert_string_equal(v[2].nodata, "no error series recorded");
	assert_null(v[0].nodata);
	assert_int_equal(v[0].verdict, SLO_VERDICT_EVALUATED);
	assert_non_null(strstr(v[0].verdict_note, "Sloth's Google 28d windows"));
	/* 28 days: Sloth's 13.44 on 1h and 5m, not the workbook's 14.4. */
	assert_string_equal(v[0].condition, "1h 15.5 & 5m 20.0 > 13.44");
	assert_string_equal(v[0].name, "co");
	assert_string_equal(v[0].service, "checkout");
	assert_close(v[0].objective, 99.9, 1e-12);
	assert_int_equal(v[0].window_seconds, 28 * DAY);
	assert_close(v[0].burn[W_5M], 20.0, 1e-9);
	assert_close(v[0].burn[W_1H], 15.5, 1e-9);
	assert_close(v[0].burn[W_3D], 0.1, 1e-9);
	assert_true(isnan(v[0].burn[W_30M]));
	/* No remaining-budget series: 1 - the period's mean burn. */
	assert_close(v[0].budget_remaining, 0.6, 1e-9);
	assert_int_equal(v[0].alert, SLO_ALERT_PAGE);
	assert_int_equal(v[0].nspark, 2);
	assert_close(v[0].spark[0], 1.0, 1e-9);
	assert_close(v[0].spark[1], 15.5, 1e-9);

	assert_string_equal(v[1].name, "pay");
	assert_close(v[1].objective, 99.0, 1e-12);
	assert_int_equal(v[1].window_seconds, 30 * DAY);
	assert_close(v[1].burn[W_5M], 1.0, 1e-9);
	assert_close(v[1].budget_remaining, 0.75, 1e-12);
	assert_null(v[1].spark);

	joined = prom_notes_join(&notes);
	assert_string_equal(joined, "sloth SLO odd: no slo:objective:ratio");
	free(joined);
	prom_notes_free(&notes);
	for (k = 0; k < n; k++)
		slo_free(&v[k]);
	free(v);
	prom_result_free(&r);
	prom_result_free(&m);
}

/* --- Pyrra ------------------------------------------------------------------ */

#define PYRRA(name, slo, v) "{\"metric\":{\"__name__\":\"" name "\"," \
	"\"slo\":\"" slo "\",\"job\":\"api\"},\"value\":[1,\"" v "\"]}"

static const char pyrra_body[] =
"{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
PYRRA("http_requests:burnrate5m", "api-28d", "0.02") ","
PYRRA("http_requests:burnrate30m", "api-28d", "0.01") ","
PYRRA("http_requests:burnrate1h", "api-28d", "0.01") ","
PYRRA("http_requests:burnrate2h", "api-28d", "0.005") ","
PYRRA("http_requests:burnrate6h", "api-28d", "0.004") ","
PYRRA("http_requests:burnrate1d", "api-28d", "0.001") ","
PYRRA("http_requests:burnrate4d", "api-28d", "0.0005") ","
PYRRA("pyrra_objective", "api-28d", "0.99") ","
PYRRA("pyrra_window", "api-28d", "2419200") ","
PYRRA("pyrra_availability", "api-28d", "0.995") ","
/* 30 days: Pyrra's windows come out odd; the window is inferred. */
PYRRA("grpc_requests:burnrate5m", "grpc-30d", "0.01") ","
PYRRA("grpc_requests:burnrate32m", "grpc-30d", "0.01") ","
PYRRA("grpc_requests:burnrate1h4m", "grpc-30d", "0.01") ","
PYRRA("grpc_requests:burnrate2h9m", "grpc-30d", "0.01") ","
PYRRA("grpc_requests:burnrate6h26m", "grpc-30d", "0.01") ","
PYRRA("grpc_requests:burnrate1d1h43m", "grpc-30d", "0.01") ","
PYRRA("grpc_requests:burnrate4d6h51m", "grpc-30d", "0.01") ","
PYRRA("pyrra_objective", "grpc-30d", "0.999") ","
/* Generic rules off: no objective. */
PYRRA("jobs:burnrate1h", "bare", "0.1")
"]}}";

static void
test_pyrra(void **state)
{
	struct prom_result	 r, m;
	struct prom_spark	 sp = { &m, 0.0, 900.0, 1 };
	struct prom_notes	 notes = { 0 };
	struct slo		*v;
	char			*sel, *joined;
	size_t			 n, k;

	parse_ok(pyrra_body, 200, &r);
	sel = promql_pyrra_spark(&r);
	assert_string_equal(sel, "{__name__=~\"grpc_requests:burnrate1h4m|"
	    "http_requests:burnrate1h|jobs:burnrate1h\",slo!=\"\"}");
	free(sel);
	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
	    "\"result\":[" "{\"metric\":{\"__name__\":\"http_requests:"
	    "burnrate1h\",\"slo\":\"api-28d\"},\"values\":[[0,\"0.02\"]]},"
	    "{\"metric\":{\"__name__\":\"http_requests:burnrate5m\","
	    "\"slo\":\"api-28d\"},\"values\":[[0,\"0.5\"]]}]}}", 200, &m);
	n = prom_pyrra_slos(&r, &sp, NULL, &v, &notes);
	assert_int_equal(n, 2);

	assert_string_equal(v[0].name, "api-28d");
	assert_string_equal(v[0].service, "api");
	assert_int_equal(v[0].window_seconds, 28 * DAY);
	assert_close(v[0].burn[W_5M], 2.0, 1e-9);
	assert_close(v[0].burn[W_3D], 0.05, 1e-9);	/* Pyrra's 4d */
	assert_close(v[0].budget_remaining, 0.5, 1e-9);
	assert_int_equal(v[0].nspark, 1);
	assert_close(v[0].spark[0], 2.0, 1e-9);	/* the 1h series only */
	assert_non_null(strstr(v[0].query,
	    "http_requests:burnrate{5m,30m,1h,2h,6h,1d,4d}{slo=\"api-28d\"}"));

	assert_string_equal(v[1].name, "grpc-30d");
	assert_int_equal(v[1].window_seconds, 30 * DAY);
	for (k = 0; k < W__COUNT; k++)
		assert_close(v[1].burn[k], 10.0, 1e-9);
	assert_true(isnan(v[1].budget_remaining));
	/* 10x holds Pyrra's 7x condition, whose for: could not be checked
	 * without its history: pending, not a page. */
	assert_int_equal(v[1].alert, SLO_ALERT_NONE);
	assert_int_equal(v[1].pending, SLO_ALERT_PAGE);

	joined = prom_notes_join(&notes);
	assert_string_equal(joined, "pyrra SLO bare: no pyrra_objective (turn "
	    "on Pyrra's generic rules)");
	free(joined);
	prom_notes_free(&notes);
	for (k = 0; k < n; k++)
		slo_free(&v[k]);
	free(v);
	prom_result_free(&r);
	prom_result_free(&m);
}

/* --- the generators' alerting rules --------------------------------------- */

static const char rules_body[] =
"{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"op\",\"rules\":["
/* Pyrra: its 3m/30m page pending, its 3h/2d ticket firing. */
"{\"type\":\"alerting\",\"name\":\"ErrorBudgetBurn\",\"query\":\"q\","
 "\"duration\":60,\"state\":\"pending\",\"labels\":{\"slo\":\"op\","
 "\"severity\":\"critical\",\"short\":\"3m\",\"long\":\"30m\"},"
 "\"alerts\":[{\"labels\":{\"slo\":\"op\"},\"state\":\"pending\","
 "\"activeAt\":\"2026-12-02T14:13:01.5Z\"}]},"
"{\"type\":\"alerting\",\"name\":\"ErrorBudgetBurn\",\"query\":\"q\","
 "\"duration\":5400,\"state\":\"firing\",\"labels\":{\"slo\":\"op\","
 "\"severity\":\"warning\",\"short\":\"3h\",\"long\":\"2d\"}},"
/* Pyrra's absent-metric alert has no windows: not a burn verdict. */
"{\"type\":\"alerting\",\"name\":\"SLOMetricAbsent\",\"query\":\"q\","
 "\"state\":\"firing\",\"labels\":{\"slo\":\"quiet\","
 "\"severity\":\"critical\"}},"
"{\"type\":\"recording\",\"name\":\"x:burnrate3m\",\"query\":\"q\"}]},"
"{\"name\":\"sloth\",\"rules\":["
/* Sloth: inactive rules name their SLO only in the query. */
"{\"type\":\"alerting\",\"name\":\"High\",\"query\":\"max without "
 "(sloth_window) (slo:sli_error:ratio_rate2m{sloth_id=\\\"svc-slo\\\"} > "
 "(14.4 * 0.001)) and max without (sloth_window) (slo:sli_error:"
 "ratio_rate30m{sloth_id=\\\"svc-slo\\\"} > (14.4 * 0.001))\","
 "\"state\":\"firing\",\"labels\":{"
 "\"sloth_severity\":\"page\",\"severity\":\"pageteam\"}}]}]}}";

static void
rules_record(struct slo *s, const char *name, long window, bool pyrra)
{
	size_t	k;

	memset(s, 0, sizeof *s);
	s->name = xstrdup(name);
	s->objective = 99.0;
	s->window_seconds = window;
	s->budget_remaining = NAN;
	s->verdict = SLO_VERDICT_EVALUATED;
	for (k = 0; k < W__COUNT; k++)
		s->burn[k] = s->error_ratio[k] = 0.5;
	s->nconds = pyrra ? slo_conds_pyrra(window, s->conds) :
	    slo_conds_workbook(window, s->conds);
	slo_evaluate(s);
}

/* Where the generator's alerting rules are loaded, their state is the
 * verdict: firing, and pending while a for: runs, matched by Pyrra's slo
 * label or Sloth's sloth_id (in the query when no alert carries it). */
static void
test_generator_rules(void **state)
{
	struct prom_rules	 rs;
	struct slo		 p[2], sl[2];
	char			*err;
	size_t			 k;

	assert_true(prom_parse_rules(rules_body, strlen(rules_body), 200, &rs,
	    &err));
	assert_null(err);
	assert_int_equal(rs.n, 4);		/* the recording rule skipped */
	assert_int_equal(rs.v[0].for_s, 60);
	assert_int_equal(rs.v[0].state, PROM_RULE_PENDING);
	assert_int_equal(rs.v[0].nalerts, 1);
	assert_close(rs.v[0].alerts[0].active_at, 1796220781.5, 1e-3);

	rules_record(&p[0], "op", 14 * DAY, true);
	rules_record(&p[1], "quiet", 14 * DAY, true);
	prom_apply_rules(p, 2, true, &rs);
	assert_int_equal(p[0].verdict, SLO_VERDICT_RULES);
	assert_int_equal(p[0].alert, SLO_ALERT_TICKET);
	assert_int_equal(p[0].pending, SLO_ALERT_PAGE);
	assert_int_equal(p[0].conds[0].for_s, 60);
	assert_non_null(strstr(p[0].verdict_note, "ErrorBudgetBurn (page, "
	    "for 1m) pending"));
	assert_non_null(strstr(p[0].verdict_note, "(ticket, for 1h30m) "
	    "firing"));
	assert_int_equal(p[1].verdict, SLO_VERDICT_EVALUATED);
	assert_int_equal(p[1].alert, SLO_ALERT_NONE);

	rules_record(&sl[0], "other", 30 * DAY, false);
	rules_record(&sl[1], "svc-slo", 30 * DAY, false);
	prom_apply_rules(sl, 2, false, &rs);
	assert_int_equal(sl[0].verdict, SLO_VERDICT_EVALUATED);
	assert_int_equal(sl[1].verdict, SLO_VERDICT_RULES);
	assert_int_equal(sl[1].alert, SLO_ALERT_PAGE);	/* burn 0.5: theirs */
	assert_int_equal(sl[1].pending, SLO_ALERT_NONE);
	/* Its conditions as its rule writes them (custom windows 2m and
	 * 30m), not a table's guess. */
	assert_int_equal(sl[1].nconds, 1);
	assert_int_equal(sl[1].conds[0].short_s, 120);
	assert_int_equal(sl[1].conds[0].long_s, 1800);
	assert_close(sl[1].conds[0].factor, 14.4, 1e-12);
	assert_int_equal(sl[1].conds[0].level, SLO_ALERT_PAGE);
	for (k = 0; k < 2; k++) {
		slo_free(&p[k]);
		slo_free(&sl[k]);
	}
	prom_rules_free(&rs);

	/* A server without the endpoint, or refusing it: a reason. */
	assert_false(prom_parse_rules("404 page not found", 18, 404, &rs,
	    &err));
	assert_string_equal(err, "HTTP 404 (not a Prometheus answer)");
	free(err);
}

/* --- the maths ---------------------------------------------------------- */

/* 1% errors against 99.9%: burn 10, up to floating point ((1 - 0.999) is
 * not exactly 0.001), and the budget is gone in window / burn. */
static void
test_burn_maths(void **state)
{
	double	b = slo_burn(0.01, 99.9);

	assert_close(b, 10.0, 1e-12);
	assert_true(b != 10.0);		/* 9.99999999999999: compare near */
	assert_close(slo_time_to_exhaustion(0.5, 10.0, 30 * DAY),
	    1.5 * DAY, 1e-12);
	assert_true(isnan(slo_burn(NAN, 99.9)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector),
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_empty_result),
		cmocka_unit_test(test_scalar),
		cmocka_unit_test(test_special_values),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_error_body),
		cmocka_unit_test(test_invalid_utf8_repaired),
		cmocka_unit_test(test_warnings_kept),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_html_502),
		cmocka_unit_test(test_wrong_shapes),
		cmocka_unit_test(test_long_error_shortened),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_expand_and_quote),
		cmocka_unit_test(test_union),
		cmocka_unit_test(test_union_escapes_names),
		cmocka_unit_test(test_union_is_a_tree),
		cmocka_unit_test(test_duplicate_names),
		cmocka_unit_test(test_declared_records),
		cmocka_unit_test(test_threshold_scaling),
		cmocka_unit_test(test_declared_several_series),
		cmocka_unit_test(test_declared_spark),
		cmocka_unit_test(test_sloth),
		cmocka_unit_test(test_pyrra),
		cmocka_unit_test(test_generator_rules),
		cmocka_unit_test(test_burn_maths),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
