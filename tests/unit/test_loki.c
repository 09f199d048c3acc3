/* test_loki.c: what sitrep reads from Loki. First the documented shapes,
 * on the tree's own fixtures (tests/fixtures/loki: a query_range body
 * newest first, one with warnings and stats, tail frames with dropped
 * entries, a labels body; test_loki_docs compares with Loki's own
 * documents where they are found), then
 * what Loki and the things in front of it send when something is wrong:
 * its plain-text errors, a metric query's matrix, a proxy's HTML page, a
 * body cut short, raw invalid UTF-8. Then the LogQL side: a service name
 * from an alert goes into the query template and can only ever be a
 * string. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "backends/loki_parse.h"
#include "backends/loki_query.h"
#include "core/xalloc.h"
#include "tests/unit/testfile.h"

/* A fixture's bytes (heap), from tests/fixtures/loki, or a failed test. */
static char *
fixture(const char *name, size_t *len)
{
	const char	*srcdir = getenv("SRCDIR");

	return (test_read_file(xasprintf("%s/tests/fixtures/loki/%s",
	    srcdir != NULL ? srcdir : ".", name), len));
}

static void
parse_ok(const char *body, enum loki_direction dir, struct loki_result *r)
{
	char	*why = NULL;

	if (!loki_parse_query_range(body, strlen(body), 200, dir, r, &why))
		fail_msg("parse failed: %s", why);
	assert_null(why);
}

/* The reason a body is refused (heap). */
static char *
parse_fails(const char *body, long status)
{
	struct loki_result	 r;
	char			*why = NULL;

	assert_false(loki_parse_query_range(body, strlen(body), status,
	    LOKI_FORWARD, &r, &why));
	assert_non_null(why);
	assert_int_equal(r.n, 0);
	assert_null(r.doc);
	return (why);
}

static void
assert_has(const char *s, const char *part)
{
	if (s == NULL || strstr(s, part) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", s != NULL ? s : "(null)", part);
}

/* --- the documented shapes ------------------------------------------- */

static void
test_backward_streams_come_out_oldest_first(void **state)
{
	struct loki_result	 r;
	size_t			 len;
	char			*body = fixture("query_range_backward.json",
				    &len);

	/* direction=backward, Loki's default: newest first on the wire. */
	parse_ok(body, LOKI_BACKWARD, &r);
	assert_int_equal(r.nstreams, 1);
	assert_string_equal(r.streams[0].labels, "{app=\"checkout\", "
	    "namespace=\"shop\", pod=\"checkout-7d9f\"}");
	assert_int_equal(r.n, 3);
	assert_int_equal(r.entries[0].ts, 1764670000100000000);
	assert_int_equal(r.entries[0].len, 17);
	assert_memory_equal(r.entries[0].line, "GET /checkout 200", 17);
	assert_int_equal(r.entries[1].ts, 1764670000200000000);
	assert_int_equal(r.entries[2].ts, 1764670000300000000);
	assert_memory_equal(r.entries[2].line, "payment accepted", 16);
	assert_int_equal(r.entries[0].stream, 0);
	assert_int_equal(r.nwarnings, 0);
	loki_result_free(&r);
	free(body);
}

static void
test_warnings_and_stats_body(void **state)
{
	struct loki_result	 r;
	size_t			 len;
	char			*body = fixture("query_range_warning.json",
				    &len);

	parse_ok(body, LOKI_FORWARD, &r);
	assert_int_equal(r.nstreams, 2);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.streams[r.entries[0].stream].labels,
	    "{app=\"api\"}");
	assert_int_equal(r.entries[0].ts, 1700000000000000001);
	assert_string_equal(r.entries[0].line, "first line");
	assert_int_equal(r.entries[1].ts, 1700000000000000002);
	assert_string_equal(r.entries[2].line, "job done");
	assert_string_equal(r.streams[r.entries[2].stream].labels,
	    "{app=\"worker\"}");
	assert_int_equal(r.nwarnings, 1);
	assert_string_equal(r.warnings[0], "query timed out on one querier");
	loki_result_free(&r);
	free(body);
}

static void
test_tail_frames_report_dropped_entries(void **state)
{
	struct loki_result	 r;
	size_t			 len;
	char			*body, *why;

	body = fixture("tail_frame.json", &len);
	assert_true(loki_parse_tail(body, len, &r, &why));
	assert_int_equal(r.n, 1);
	assert_int_equal(r.entries[0].ts, 1700000000000000010);
	assert_string_equal(r.entries[0].line, "tail one");
	assert_string_equal(r.streams[0].labels, "{app=\"api\"}");
	assert_int_equal(r.ndropped, 1);
	assert_int_equal(r.dropped[0].ts, 1700000000000000009);
	assert_string_equal(r.dropped[0].labels,
	    "{app=\"api\", pod=\"api-2\"}");
	loki_result_free(&r);
	free(body);

	body = fixture("tail_frame_pretty.json", &len);
	assert_true(loki_parse_tail(body, len, &r, &why));
	assert_int_equal(r.n, 2);
	assert_string_equal(r.entries[1].line, "picked job 2");
	assert_int_equal(r.ndropped, 2);
	assert_int_equal(r.dropped[1].ts, 1700000000000000016);
	loki_result_free(&r);
	free(body);

	/* dropped_entries is there only when there are some. */
	assert_true(loki_parse_tail("{\"streams\":[]}", 14, &r, &why));
	assert_int_equal(r.ndropped, 0);
	loki_result_free(&r);
}

static void
test_labels_body(void **state)
{
	char	**v, *why, *body;
	size_t	  n, len;

	body = fixture("labels.json", &len);
	assert_true(loki_parse_labels(body, len, 200, &v, &n, &why));
	assert_int_equal(n, 4);
	assert_string_equal(v[0], "app");
	assert_string_equal(v[3], "level");
	assert_null(v[4]);
	loki_labels_free(v, n);
	free(body);
}

/* --- ordering and identity -------------------------------------------- */

static void
test_equal_timestamps_sort_by_labels_then_position(void **state)
{
	struct loki_result	r;

	/* Forward: each stream oldest first; across streams interleaved. */
	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\","
	    "\"result\":["
	    "{\"stream\":{\"pod\":\"b\"},\"values\":[[\"10\",\"b1\"],"
	    "[\"20\",\"b2\"],[\"20\",\"b3\"]]},"
	    "{\"stream\":{\"pod\":\"a\"},\"values\":[[\"5\",\"a1\"],"
	    "[\"20\",\"a2\"]]}]}}", LOKI_FORWARD, &r);
	assert_int_equal(r.n, 5);
	assert_string_equal(r.entries[0].line, "a1");
	assert_string_equal(r.entries[1].line, "b1");
	/* At 20: by labels, as Loki orders them, each in its order. */
	assert_string_equal(r.entries[2].line, "a2");
	assert_string_equal(r.entries[3].line, "b2");
	assert_string_equal(r.entries[4].line, "b3");
	loki_result_free(&r);

	/* Backward: each stream newest first, yet the same order out. */
	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\","
	    "\"result\":["
	    "{\"stream\":{\"pod\":\"b\"},\"values\":[[\"20\",\"b3\"],"
	    "[\"20\",\"b2\"],[\"10\",\"b1\"]]},"
	    "{\"stream\":{\"pod\":\"a\"},\"values\":[[\"20\",\"a2\"],"
	    "[\"5\",\"a1\"]]}]}}", LOKI_BACKWARD, &r);
	assert_string_equal(r.entries[0].line, "a1");
	assert_string_equal(r.entries[2].line, "a2");
	assert_string_equal(r.entries[3].line, "b2");
	assert_string_equal(r.entries[4].line, "b3");
	loki_result_free(&r);
}

static void
test_identity_is_stream_and_text(void **state)
{
	struct loki_result	r;

	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\","
	    "\"result\":["
	    "{\"stream\":{\"pod\":\"a\"},\"values\":[[\"1\",\"same\"],"
	    "[\"2\",\"same\"],[\"3\",\"other\"]]},"
	    "{\"stream\":{\"pod\":\"b\"},\"values\":[[\"4\",\"same\"]]}]}}",
	    LOKI_FORWARD, &r);
	assert_true(r.entries[0].hash == r.entries[1].hash);
	assert_true(r.entries[0].hash != r.entries[2].hash);
	assert_true(r.entries[0].hash != r.entries[3].hash);
	loki_result_free(&r);
}

static void
test_hostile_bytes_are_kept_for_the_sanitizer(void **state)
{
	struct loki_result	 r;
	const char		 body[] = "{\"status\":\"success\",\"data\":{"
	    "\"resultType\":\"streams\",\"result\":[{\"stream\":{\"a\":\"b\"},"
	    "\"values\":[[\"1\",\"nul\\u0000in\"],"
	    "[\"2\",\"esc\\u001b]0;pwned\\u0007\"],"
	    "[\"3\",\"bad \xff\xfe end\"]]}]}}";
	char			*why;

	/* Loki never sends raw invalid UTF-8; a proxy might. The page is
	 * kept, the bad bytes become U+FFFD. */
	assert_true(loki_parse_query_range(body, sizeof body - 1, 200,
	    LOKI_FORWARD, &r, &why));
	assert_int_equal(r.n, 3);
	assert_int_equal(r.entries[0].len, 6);
	assert_memory_equal(r.entries[0].line, "nul\0in", 6);
	assert_string_equal(r.entries[1].line, "esc\033]0;pwned\007");
	assert_string_equal(r.entries[2].line,
	    "bad \xef\xbf\xbd\xef\xbf\xbd end");
	loki_result_free(&r);
}

/* --- the fast path and jansson agree ------------------------------------ */

static uint64_t	rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng);
}

/* A random line: ASCII, quotes and backslashes, controls, NUL, accents,
 * CJK, emoji (a surrogate pair once escaped). */
static size_t
random_line(char *buf, size_t max)
{
	static const char *const bits[] = {
		"plain ", "\"q\"", "\\", "\t", "\n", "\x01", "\x1b[31m",
		"\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\x94\xa5", "/", "}]",
		"{\"a\":[1]}", " "
	};
	size_t	n = 0, k, want = rnd() % 40;

	while (want-- > 0) {
		const char *b = bits[rnd() % (sizeof bits / sizeof bits[0])];

		k = strlen(b);
		if (n + k + 1 >= max)
			break;
		memcpy(buf + n, b, k);
		n += k;
	}
	if (rnd() % 5 == 0 && n + 1 < max)
		buf[n++] = '\0';	/* a NUL, JSON-escaped as \u0000 */
	return (n);
}

static void
test_fast_path_agrees_with_the_bytes(void **state)
{
	static const size_t	 flags[] = { JSON_COMPACT, JSON_INDENT(2),
				    JSON_ENSURE_ASCII, JSON_SORT_KEYS |
				    JSON_INDENT(1) | JSON_ENSURE_ASCII };
	struct loki_result	 r;
	char			 lines[64][256], *body, *why, ts[32];
	size_t			 lens[64], n, i, s, round;
	json_t			*root, *result, *stream, *values;

	for (round = 0; round < 100; round++) {
		n = 1 + rnd() % 64;
		result = json_array();
		for (s = 0, i = 0; s < 3; s++) {
			stream = json_object();
			values = json_array();
			json_object_set_new(stream, "stream", json_pack(
			    "{s:s s:s}", "pod", s == 0 ? "a\"b" : "p\xc3\xa9",
			    "n", s == 1 ? "1" : "2"));
			for (; i < n && (s == 2 || rnd() % 3 != 0); i++) {
				lens[i] = random_line(lines[i], sizeof lines[i]);
				snprintf(ts, sizeof ts, "%zu", 1000 + i);
				json_array_append_new(values, json_pack("[s s#]",
				    ts, lines[i], lens[i]));
			}
			json_object_set_new(stream, "values", values);
			if (rnd() % 2)
				json_object_set_new(stream, "extra", json_pack(
				    "{s:[i,f,b,n]}", "x", 1, 2.5, 1));
			json_array_append_new(result, stream);
		}
		root = json_pack("{s:s s:{s:o s:s s:{s:i}}}", "status",
		    "success", "data", "result", result, "resultType",
		    "streams", "stats", "n", 5);
		body = json_dumps(root, flags[round % 4] | JSON_ALLOW_NUL);
		json_decref(root);
		assert_non_null(body);
		if (!loki_parse_query_range(body, strlen(body), 200,
		    LOKI_FORWARD, &r, &why))
			fail_msg("round %zu: %s\n%s", round, why, body);
		/* The fast path took it (no jansson tree). */
		if (r.doc != NULL)
			fail_msg("round %zu: not the fast path:\n%s", round,
			    body);
		assert_non_null(r.arena);
		assert_int_equal(r.n, n);
		for (i = 0; i < n; i++) {
			assert_int_equal(r.entries[i].ts, 1000 + (int64_t)i);
			assert_int_equal(r.entries[i].len, lens[i]);
			assert_memory_equal(r.entries[i].line, lines[i],
			    lens[i]);
		}
		assert_string_equal(r.streams[0].labels,
		    "{n=\"2\", pod=\"a\\\"b\"}");
		loki_result_free(&r);
		/* Every prefix of the body fails cleanly (or, cut after the
		 * last brace, parses). */
		for (i = 0; round % 10 == 0 && i < strlen(body);
		    i += 1 + rnd() % 97) {
			if (loki_parse_query_range(body, i, 200, LOKI_FORWARD,
			    &r, &why))
				loki_result_free(&r);
			else
				free(why);
		}
		free(body);
	}
}

/* --- what goes wrong ---------------------------------------------------- */

static void
test_metric_queries_are_named(void **state)
{
	char	*why;

	why = parse_fails("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"matrix\",\"result\":[]}}", 200);
	assert_has(why, "matrix");
	assert_has(why, "log query");
	free(why);
	why = parse_fails("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"vector\",\"result\":[]}}", 200);
	assert_has(why, "metric query");
	free(why);
}

static void
test_loki_errors_are_plain_text(void **state)
{
	char	*why;

	why = parse_fails("parse error at line 1, col 8: syntax error: "
	    "unexpected IDENTIFIER\n", 400);
	assert_string_equal(why, "HTTP 400: parse error at line 1, col 8: "
	    "syntax error: unexpected IDENTIFIER");
	free(why);
	why = parse_fails("{\"status\":\"error\",\"errorType\":\"bad_data\","
	    "\"error\":\"invalid query\"}", 400);
	assert_string_equal(why, "HTTP 400: invalid query");
	free(why);
	why = parse_fails("<html><body>502 Bad Gateway</body></html>", 502);
	assert_string_equal(why, "HTTP 502 (not a Loki answer)");
	free(why);
	why = parse_fails("", 503);
	assert_string_equal(why, "HTTP 503");
	free(why);
	/* 200 with status "error" */
	why = parse_fails("{\"status\":\"error\",\"error\":\"boom\"}", 200);
	assert_string_equal(why, "boom");
	free(why);
}

static void
test_broken_bodies(void **state)
{
	char	*why;

	why = parse_fails("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"streams\",\"result\":[{\"stream\":{},\"values\":[[\"1\",\"a",
	    200);
	assert_has(why, "cut short");
	free(why);
	why = parse_fails("", 200);
	assert_string_equal(why, "empty answer");
	free(why);
	why = parse_fails("[1,2]", 200);
	assert_has(why, "not a JSON object");
	free(why);
	why = parse_fails("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"streams\",\"result\":[{\"stream\":{},\"values\":[[1,\"a\"]]}]}}",
	    200);
	assert_has(why, "<ns>");
	free(why);
	why = parse_fails("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"streams\",\"result\":[{\"stream\":{},\"values\":[[\"12x\","
	    "\"a\"]]}]}}", 200);
	assert_has(why, "not nanoseconds");
	free(why);
	why = parse_fails("{\"status\":\"success\"}", 200);
	assert_has(why, "no \"data\"");
	free(why);
}

static void
test_a_long_error_is_cut(void **state)
{
	char	*body, *why;

	body = xmalloc(5001);
	memset(body, 'e', 5000);
	body[5000] = '\0';
	why = loki_error_reason(500, body, 5000);
	assert_true(strlen(why) < 220);
	assert_has(why, "...");
	free(why);
	free(body);
}

static void
test_max_entries_message(void **state)
{
	long	max = 0;

	assert_true(loki_parse_max_entries("max entries limit per query "
	    "exceeded, limit > max_entries_limit_per_query (10000 > 5000)",
	    &max));
	assert_int_equal(max, 5000);
	assert_true(loki_parse_max_entries("HTTP 400: max entries limit per "
	    "query exceeded, limit > max_entries_limit (2000 > 1000)", &max));
	assert_int_equal(max, 1000);
	assert_false(loki_parse_max_entries("max entries limit per query "
	    "exceeded", &max));
	assert_false(loki_parse_max_entries("something else (3 > 2)", &max));
	assert_false(loki_parse_max_entries(NULL, &max));
}

static void
test_counts(void **state)
{
	double	 n;
	char	*why;
	const char *two = "{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"vector\",\"result\":[{\"metric\":{\"pod\":\"a\"},\"value\":"
	    "[1700000000.5,\"40\"]},{\"metric\":{},\"value\":[1700000000.5,"
	    "\"2\"]}]}}";
	const char *none = "{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"vector\",\"result\":[]}}";
	const char *scalar = "{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"scalar\",\"result\":[1700000000,\"7\"]}}";

	assert_true(loki_parse_count(two, strlen(two), 200, &n, &why));
	assert_true(n == 42);
	assert_true(loki_parse_count(none, strlen(none), 200, &n, &why));
	assert_true(n == 0);
	assert_true(loki_parse_count(scalar, strlen(scalar), 200, &n, &why));
	assert_true(n == 7);
	assert_false(loki_parse_count("oops", 4, 400, &n, &why));
	assert_string_equal(why, "HTTP 400: oops");
	free(why);
}

/* --- LogQL -------------------------------------------------------------- */

static void
expands(const char *t, const char *svc, const char *want)
{
	char	*q, *why = NULL;

	q = loki_query_expand(t, svc, &why);
	if (q == NULL)
		fail_msg("expand %s: %s", t, why);
	assert_string_equal(q, want);
	free(q);
}

static void
test_service_goes_in_as_a_string(void **state)
{
	char	*why, *q;

	expands("{service=\"$service\"}", "checkout",
	    "{service=\"checkout\"}");
	expands("{service=\"${service}\", env=\"prod\"}", "pay",
	    "{service=\"pay\", env=\"prod\"}");
	/* A hostile name stays inside its quotes. */
	expands("{service=\"$service\"}", "x\"} |= \"y",
	    "{service=\"x\\\"} |= \\\"y\"}");
	expands("{service=\"$service\"}", "a\\b\nc",
	    "{service=\"a\\\\b\\nc\"}");
	/* Outside quotes it becomes a whole string. */
	expands("{service=$service}", "a\"b", "{service=\"a\\\"b\"}");
	/* After =~ it is a regex too: a dot means a dot. */
	expands("{service=~\"$service\"}", "a.b",
	    "{service=~\"a\\\\.b\"}");
	expands("{app=\"x\"} |~ \"$service\"", "(x)",
	    "{app=\"x\"} |~ \"\\\\(x\\\\)\"");
	expands("{service=~`$service`}", "a.b", "{service=~`a\\.b`}");
	expands("{service=`$service`}", "a\"b", "{service=`a\"b`}");
	/* Escapes in the template are left alone; $services is not it. */
	expands("{a=\"\\\"$service\"}", "s", "{a=\"\\\"s\"}");
	expands("{a=\"$services\"}", "s", "{a=\"$services\"}");
	expands("{app=\"static\"}", NULL, "{app=\"static\"}");

	assert_null(loki_query_expand("{service=`$service`}", "a`b", &why));
	assert_has(why, "backquote");
	free(why);
	assert_null(loki_query_expand("{service=\"$service\"}", NULL, &why));
	assert_has(why, "no service");
	free(why);

	assert_true(loki_query_uses_service("{s=\"${service}\"}"));
	assert_false(loki_query_uses_service("{s=\"$servicex\"}"));
	q = loki_query_count("{a=\"b\"} |= \"x\"", 1500);
	assert_string_equal(q, "sum(count_over_time({a=\"b\"} |= \"x\" "
	    "[1500ms]))");
	free(q);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_backward_streams_come_out_oldest_first),
		cmocka_unit_test(test_warnings_and_stats_body),
		cmocka_unit_test(test_tail_frames_report_dropped_entries),
		cmocka_unit_test(test_labels_body),
		cmocka_unit_test(test_equal_timestamps_sort_by_labels_then_position),
		cmocka_unit_test(test_identity_is_stream_and_text),
		cmocka_unit_test(test_hostile_bytes_are_kept_for_the_sanitizer),
		cmocka_unit_test(test_fast_path_agrees_with_the_bytes),
		cmocka_unit_test(test_metric_queries_are_named),
		cmocka_unit_test(test_loki_errors_are_plain_text),
		cmocka_unit_test(test_broken_bodies),
		cmocka_unit_test(test_a_long_error_is_cut),
		cmocka_unit_test(test_max_entries_message),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_service_goes_in_as_a_string),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
