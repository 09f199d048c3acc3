/* test_deploys_parse.c: a team plugs kubectl, Helm, Argo CD or its CI into
 * the Deploys pane with a command that prints one JSON object per line.
 * Good lines become deploys; a bad line is named by its number and skipped,
 * and never costs the good ones. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/deploys_parse.h"
#include "core/model.h"

static void
good_lines_become_deploys(void **state)
{
	static const char in[] =
	    "{\"service\":\"checkout\",\"version\":\"v2.14.0\","
	    "\"revision\":\"a1b2c3d\",\"previous_revision\":\"9f8e7d6\","
	    "\"at\":\"2026-11-26T14:32:05Z\",\"author\":\"maria.lopez\","
	    "\"url\":\"https://ci.example.com/1\",\"environment\":\"prod\","
	    "\"extra\":{\"ignored\":true}}\n"
	    "\n"
	    "{\"service\":\"search\",\"at\":1795700000,\"version\":null}\r\n";
	struct deploys_parsed	 p;

	deploys_parse(in, sizeof in - 1, "argo", &p);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.nproblems, 0);
	assert_string_equal(p.v[0].source, "argo");
	assert_string_equal(p.v[0].service, "checkout");
	assert_string_equal(p.v[0].version, "v2.14.0");
	assert_string_equal(p.v[0].revision, "a1b2c3d");
	assert_string_equal(p.v[0].previous_revision, "9f8e7d6");
	assert_string_equal(p.v[0].author, "maria.lopez");
	assert_string_equal(p.v[0].url, "https://ci.example.com/1");
	assert_string_equal(p.v[0].environment, "prod");
	assert_int_equal(p.v[0].at, 1795703525);
	assert_non_null(p.v[0].id);
	assert_string_equal(p.v[1].service, "search");
	assert_int_equal(p.v[1].at, 1795700000);
	assert_null(p.v[1].version);
	assert_false(p.v[1].suspect);
	deploys_parsed_free(&p);
}

static void
bad_lines_are_named_and_skipped(void **state)
{
	static const char in[] =
	    "{\"service\":\"a\",\"at\":1795700000}\n"		/* 1 good */
	    "kubectl: warning: deprecated\n"			/* 2 */
	    "[1,2]\n"						/* 3 */
	    "{\"version\":\"v1\",\"at\":1795700000}\n"		/* 4 */
	    "{\"service\":\"b\"}\n"				/* 5 */
	    "{\"service\":\"b\",\"at\":\"yesterday\"}\n"	/* 6 */
	    "{\"service\":7,\"at\":1795700000}\n"		/* 7 */
	    "{\"service\":\"c\",\"at\":1795700000,\"author\":[]}\n" /* 8 */
	    "{\"service\":\"d\",\"at\":1795700001}";		/* 9 good */
	struct deploys_parsed	 p;

	deploys_parse(in, sizeof in - 1, "cmd", &p);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[0].service, "a");
	assert_string_equal(p.v[1].service, "d");
	assert_int_equal(p.skipped, 7);
	assert_int_equal(p.nproblems, 7);
	assert_non_null(strstr(p.problems[0], "line 2: not JSON"));
	assert_string_equal(p.problems[1], "line 3: not a JSON object");
	assert_string_equal(p.problems[2], "line 4: no \"service\"");
	assert_string_equal(p.problems[3], "line 5: no \"at\"");
	assert_non_null(strstr(p.problems[4], "line 6: \"at\" is not"));
	assert_string_equal(p.problems[5],
	    "line 7: \"service\" is not a string");
	assert_string_equal(p.problems[6],
	    "line 8: \"author\" is not a string");
	deploys_parsed_free(&p);
}

static void
a_flood_of_bad_lines_is_summed_up(void **state)
{
	char			 in[4096];
	struct deploys_parsed	 p;
	size_t			 i, len = 0;

	for (i = 0; i < 30; i++)
		len += (size_t)snprintf(in + len, sizeof in - len, "oops %zu\n",
		    i);
	deploys_parse(in, len, "cmd", &p);
	assert_int_equal(p.n, 0);
	assert_int_equal(p.skipped, 30);
	assert_int_equal(p.nproblems, DEPLOYS_PARSE_MAX_PROBLEMS + 1);
	assert_string_equal(p.problems[DEPLOYS_PARSE_MAX_PROBLEMS],
	    "20 more bad lines");
	deploys_parsed_free(&p);
}

static void
nothing_in_is_nothing_out(void **state)
{
	struct deploys_parsed	 p;

	deploys_parse("", 0, "cmd", &p);
	assert_int_equal(p.n, 0);
	assert_int_equal(p.nproblems, 0);
	deploys_parsed_free(&p);
	deploys_parse("\n\n  \n", 5, "cmd", &p);
	assert_int_equal(p.n, 0);
	assert_int_equal(p.nproblems, 0);
	deploys_parsed_free(&p);
}

static void
a_time_out_of_range_is_a_bad_line(void **state)
{
	/* Found by fuzz_deploys: 1.8e104 seconds was cast to time_t. */
	static const char in[] =
	    "{\"service\":\"a\",\"at\":1.7962e+104}\n"
	    "{\"service\":\"b\",\"at\":9223372036854775807}\n"
	    "{\"service\":\"c\",\"at\":253402300800.5}\n"
	    "{\"service\":\"d\",\"at\":253402300799}\n";
	struct deploys_parsed	 p;

	deploys_parse(in, sizeof in - 1, "cmd", &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].service, "d");
	assert_int_equal(p.v[0].at, INT64_C(253402300799));
	assert_int_equal(p.skipped, 3);
	assert_non_null(strstr(p.problems[0], "line 1"));
	deploys_parsed_free(&p);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(good_lines_become_deploys),
		cmocka_unit_test(bad_lines_are_named_and_skipped),
		cmocka_unit_test(a_flood_of_bad_lines_is_summed_up),
		cmocka_unit_test(nothing_in_is_nothing_out),
		cmocka_unit_test(a_time_out_of_range_is_a_bad_line),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
