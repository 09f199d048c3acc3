/* test_logfields.c: a log line's fields as the Logs pane reads them. A
 * logfmt line and a JSON line give their time, level, message and other
 * fields, quoted values and escapes undone; a key given twice keeps both
 * and the first names the role; a 1 MB line and invalid UTF-8 are read,
 * not refused; prose with an a=b in it and a line that is almost JSON stay
 * plain text. The filter prompt's matchers (service=checkout,
 * pod=~"checkout-.*", level!=info) look at labels, then fields, and a
 * mistake names its column. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/logfields.h"
#include "core/logfilter.h"
#include "core/logmatch.h"
#include "core/sbuf.h"

static struct logfields	F;

/* Field i's key or value, escapes undone (static buffer). */
static const char *
key(const char *line, int i)
{
	static struct sbuf	sb;

	sbuf_reset(&sb);
	assert_true(i >= 0);
	logfields_key(&F, line, (size_t)i, &sb);
	return (sb.s);
}

static const char *
val(const char *line, int i)
{
	static struct sbuf	sb;

	sbuf_reset(&sb);
	assert_true(i >= 0);
	logfields_value(&F, line, (size_t)i, &sb);
	return (sb.s);
}

static bool
parse(const char *line)
{
	return (logfields_parse(line, strlen(line), &F));
}

static void
test_logfmt(void **state)
{
	const char	*l = "ts=2026-12-02T04:51:19Z level=error "
			    "msg=\"payment "
			    "failed: \\\"upstream\\\" 502\" trace_id=4c6e0814 "
			    "latency_ms=812 empty= done";

	assert_true(parse(l));
	assert_int_equal(F.kind, LOGFIELDS_LOGFMT);
	assert_string_equal(val(l, F.time), "2026-12-02T04:51:19Z");
	assert_string_equal(val(l, F.level), "error");
	assert_string_equal(val(l, F.msg), "payment failed: \"upstream\" 502");
	assert_int_equal(F.n, 7);
	assert_string_equal(key(l, 3), "trace_id");
	assert_string_equal(val(l, 3), "4c6e0814");
	assert_string_equal(key(l, 5), "empty");
	assert_string_equal(val(l, 5), "");
	assert_true(F.v[6].flags & LOGFIELD_BARE);
	assert_int_equal(logfields_find(&F, l, "latency_ms"), 4);
	assert_int_equal(logfields_find(&F, l, "nope"), -1);
	assert_string_equal(logfields_level_word(l + F.v[F.level].voff,
	    F.v[F.level].vlen), "ERROR");
	/* Escapes Go writes: \n, \t, \u00e9. */
	l = "msg=\"two\\nlines\\tand \\u00e9\" level=WARNING";
	assert_true(parse(l));
	assert_string_equal(val(l, F.msg), "two\nlines\tand \xc3\xa9");
	assert_string_equal(logfields_level_word(l + F.v[F.level].voff,
	    F.v[F.level].vlen), "WARN");
}

static void
test_json(void **state)
{
	const char	*l = " {\"time\":\"2026-12-02T04:51:19.5Z\", \"level\":"
			    "\"info\",\"message\":\"caf\\u00e9 \\ud83d\\ude00 "
			    "\\\"q\\\"\",\"n\":12.5e3,\"ok\":true,"
			    "\"obj\":{\"a\":[1,{\"b\":\"}\"}]},"
			    "\"k\\u0065y\":null} ";

	assert_true(parse(l));
	assert_int_equal(F.kind, LOGFIELDS_JSON);
	assert_int_equal(F.n, 7);
	assert_string_equal(val(l, F.time), "2026-12-02T04:51:19.5Z");
	assert_string_equal(val(l, F.level), "info");
	assert_string_equal(val(l, F.msg),
	    "caf\xc3\xa9 \xf0\x9f\x98\x80 \"q\"");
	assert_string_equal(val(l, 3), "12.5e3");
	assert_true(F.v[3].flags & LOGFIELD_RAW);
	assert_string_equal(val(l, 5), "{\"a\":[1,{\"b\":\"}\"}]}");
	assert_string_equal(key(l, 6), "key");
	assert_int_equal(logfields_find(&F, l, "key"), 6);
	assert_true(parse("{}"));
	assert_int_equal(F.n, 0);
	/* A lone surrogate becomes U+FFFD, not a broken byte sequence. */
	l = "{\"msg\":\"\\ud800x\"}";
	assert_true(parse(l));
	assert_string_equal(val(l, F.msg), "\xef\xbf\xbdx");
}

static void
test_duplicates_first_names_the_role(void **state)
{
	const char	*l = "msg=first level=info msg=second level=error";

	assert_true(parse(l));
	assert_int_equal(F.n, 4);
	assert_string_equal(val(l, F.msg), "first");
	assert_string_equal(val(l, F.level), "info");
	l = "{\"msg\":\"a\",\"msg\":\"b\"}";
	assert_true(parse(l));
	assert_int_equal(F.n, 2);
	assert_string_equal(val(l, F.msg), "a");
}

static void
test_almost_json_and_prose_are_plain(void **state)
{
	static const char *const plain[] = {
		"{\"level\":\"error\",\"msg\":\"cut",
		"{\"level\":\"error\",}",
		"{\"level\":\"error\"} and more",
		"{level:error}",
		"{\"a\":\"raw \x01 control\"}",
		"{\"a\":\"bad \\q escape\"}",
		"{\"a\":[[[[",
		"GET /healthz 200",
		"GET /x?a=b 200",
		"user said a=b to me",
		"msg=\"never closed",
		"he said \"hi\" a=b",
		"",
		"   ",
	};
	size_t	i;

	for (i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		assert_false(parse(plain[i]));
		assert_int_equal(F.kind, LOGFIELDS_PLAIN);
		assert_int_equal(F.n, 0);
		assert_int_equal(F.msg, -1);
	}
}

static void
test_big_and_invalid(void **state)
{
	size_t	 n = 1024 * 1024, i;
	char	*l = malloc(n + 64);
	char	 deep[300];

	/* A 1 MB message. */
	memcpy(l, "level=info msg=\"", 16);
	memset(l + 16, 'A', n);
	memcpy(l + 16 + n, "\" k=v", 6);
	assert_true(parse(l));
	assert_int_equal(F.v[F.msg].vlen, n);
	assert_string_equal(key(l, 2), "k");
	/* A 1 MB line of words: plain, and the scan ends. */
	for (i = 0; i < n; i++)
		l[i] = i % 2 ? ' ' : 'w';
	l[n] = '\0';
	assert_false(parse(l));
	/* More fields than are held: counted. */
	for (i = 0; i < 100; i++)
		memcpy(l + i * 4, "a=1 ", 4);
	l[400] = '\0';
	assert_true(parse(l));
	assert_int_equal(F.n, LOGFIELDS_MAX);
	assert_int_equal(F.more, 100 - LOGFIELDS_MAX);
	free(l);
	/* Invalid UTF-8 in a value is kept as bytes, for the sanitizer. */
	assert_true(parse("level=\xff\xfe msg=\"\xc3\x28 bad\""));
	assert_string_equal(val("level=\xff\xfe msg=\"\xc3\x28 bad\"", F.msg),
	    "\xc3\x28 bad");
	assert_null(logfields_level_word("\xff\xfe", 2));
	/* Nesting past the bound is refused, not recursed into. */
	memset(deep, '[', sizeof deep);
	memcpy(deep, "{\"a\":", 5);
	deep[sizeof deep - 1] = '\0';
	assert_false(parse(deep));
}

/* --- matchers ------------------------------------------------------------ */

static void
test_matchers(void **state)
{
	struct logmatch	 m;
	struct sbuf	 sb;
	char		*why;
	const char	*lab = "{pod=\"checkout-7f9c6d-x2\", "
			    "service=\"checkout\"}";
	const char	*l = "level=error msg=\"boom\" trace_id=abc";

	assert_true(logmatch_is("service=checkout"));
	assert_true(logmatch_is(" pod =~ \"x\""));
	assert_true(logmatch_is("{service=\"checkout\"}"));
	assert_false(logmatch_is("checkout"));
	assert_false(logmatch_is("error|warn"));
	assert_false(logmatch_is("(a)=b"));
	/* A regex that begins like a matcher stays a regex. */
	assert_false(logmatch_is("level=error|timeout"));
	assert_false(logmatch_is("level=err(or)?"));
	assert_true(logmatch_is("level=\"error|timeout\""));
	assert_true(logmatch_is("pod=~\"checkout-.*\""));

	assert_true(logmatch_parse(&m, "service=checkout", &why));
	assert_true(logmatch_eval(&m, lab, l, strlen(l), NULL, NULL));
	assert_false(logmatch_eval(&m, "{service=\"payments\"}", l, strlen(l),
	    NULL, NULL));
	logmatch_free(&m);

	assert_true(logmatch_parse(&m, "pod=~\"checkout-.*\", level!=info",
	    &why));
	assert_true(logmatch_eval(&m, lab, l, strlen(l), NULL, NULL));
	assert_false(logmatch_eval(&m, lab, "level=info", 10, NULL, NULL));
	/* Anchored: a part of the value is not the value. */
	assert_false(logmatch_eval(&m, "{pod=\"xcheckout-1\"}", l, strlen(l),
	    NULL, NULL));
	sbuf_init(&sb);
	logmatch_describe(&m, &sb);
	assert_string_equal(sb.s, "pod=~\"checkout-.*\", level!=\"info\"");
	sbuf_free(&sb);
	logmatch_free(&m);

	/* Fields of JSON lines too, and a missing key reads as "". */
	assert_true(logmatch_parse(&m, "{trace_id=\"abc\", user!~\".+\"}",
	    &why));
	assert_true(logmatch_eval(&m, "", "{\"trace_id\":\"abc\"}", 18, NULL,
	    NULL));
	assert_false(logmatch_eval(&m, "", "{\"trace_id\":\"abd\"}", 18, NULL,
	    NULL));
	assert_true(logmatch_eval(&m, "", l, strlen(l), NULL, NULL));
	logmatch_free(&m);

	/* Label values with escapes. */
	assert_true(logmatch_parse(&m, "path=\"a\\\"b\"", &why));
	assert_true(logmatch_eval(&m, "{path=\"a\\\"b\"}", "", 0, NULL,
	    NULL));
	logmatch_free(&m);

	/* A value spelt with escapes is still that value (the quick test
	 * for its bytes in the line must not refuse it). */
	assert_true(logmatch_parse(&m, "level=error", &why));
	assert_true(logmatch_eval(&m, "", "{\"level\":\"\\u0065rror\"}", 22,
	    NULL, NULL));
	assert_false(logmatch_eval(&m, "", "level=info msg=error", 20, NULL,
	    NULL));
	logmatch_free(&m);
}

static void
test_matcher_errors_at_their_column(void **state)
{
	static const struct {
		const char	*text, *error;
	} bad[] = {
		{ "service=", NULL },
		{ "service=checkout pod=x", "column 18: expected , between "
		  "matchers" },
		{ "{service=checkout", "column 18: expected , or }" },
		{ "service=\"checkout", "column 9: the quote opened here is "
		  "not closed" },
		{ "service=check\"out\"", "column 14: a quote inside a value: "
		  "quote the whole value" },
		{ "service=a, =b", "column 12: expected a label or field "
		  "name" },
		{ "{service=a} x", "column 13: text after }" },
		{ "pod=~\"(\"", NULL },
		{ "{a==b}", NULL },
		{ "a=b, c=d|e", "column 9: quote a value with |()[]*+?^$\\ "
		  "in it" },
	};
	struct logmatch	 m;
	char		*why;
	size_t		 i;

	/* An empty value is a value: service="" keeps unlabelled lines. */
	assert_true(logmatch_parse(&m, bad[0].text, &why));
	logmatch_free(&m);
	for (i = 1; i < sizeof bad / sizeof bad[0]; i++) {
		why = NULL;
		if (logmatch_parse(&m, bad[i].text, &why)) {
			logmatch_free(&m);
			if (strcmp(bad[i].text, "{a==b}") == 0)
				continue;	/* a is "=b" */
			fail_msg("\"%s\" parsed", bad[i].text);
		}
		assert_non_null(why);
		if (bad[i].error != NULL)
			assert_string_equal(why, bad[i].error);
		else
			assert_true(strncmp(why, "column ", 7) == 0);
		free(why);
	}
}

static void
test_filter_stack_mixes_regex_and_matchers(void **state)
{
	struct logfilter	 f = { 0 };
	struct sbuf		 sb;
	char			*why;
	const char		*a = "{service=\"checkout\"}";
	const char		*b = "{service=\"payments\"}";

	assert_true(logfilter_push(&f, LOGFILTER_KEEP, "service=checkout",
	    &why));
	assert_true(logfilter_push(&f, LOGFILTER_HIDE, "level=info", &why));
	assert_true(logfilter_push(&f, LOGFILTER_HIDE, "healthz", &why));
	assert_false(logfilter_push(&f, LOGFILTER_KEEP, "level=\"x", &why));
	assert_string_equal(why, "column 7: the quote opened here is not "
	    "closed");
	free(why);
	assert_true(logfilter_pass(&f, a, "level=error msg=x", 17));
	assert_false(logfilter_pass(&f, b, "level=error msg=x", 17));
	assert_false(logfilter_pass(&f, a, "level=info msg=x", 16));
	assert_false(logfilter_pass(&f, a, "GET /healthz", 12));
	sbuf_init(&sb);
	logfilter_describe(&f, &sb);
	assert_string_equal(sb.s, "+service=\"checkout\" -level=\"info\" "
	    "-healthz");
	assert_true(logfilter_pop(&f));
	assert_true(logfilter_pass(&f, a, "GET /healthz", 12));
	sbuf_free(&sb);
	logfilter_clear(&f);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_logfmt),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_duplicates_first_names_the_role),
		cmocka_unit_test(test_almost_json_and_prose_are_plain),
		cmocka_unit_test(test_big_and_invalid),
		cmocka_unit_test(test_matchers),
		cmocka_unit_test(test_matcher_errors_at_their_column),
		cmocka_unit_test(test_filter_stack_mixes_regex_and_matchers),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
