/* test_loki_docs.c: sitrep against Loki's own documents, the response
 * bodies of its HTTP API docs and of its encoder's unit tests, as the
 * vendor publishes them ($CONTRACTS/loki, configure's --with-contracts;
 * by default the contracts beside the source tree where it is developed).
 * Read at run time, so that a new copy of the documents is tested as it
 * is. Without them this program reports itself skipped (77), saying how to
 * point at them; test_loki checks the same shapes on the tree's own
 * fixtures (tests/fixtures/loki). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>

#include "backends/loki_parse.h"
#include "core/xalloc.h"
#include "tests/unit/testfile.h"

/* A vendor document's bytes (heap), or a failed test. */
static char *
contract(const char *name, size_t *len)
{
	return (test_read_file(xasprintf("%s/loki/%s", getenv("CONTRACTS"),
	    name), len));
}

static void
parse_ok(const char *body, enum loki_direction dir, struct loki_result *r)
{
	char	*why = NULL;

	if (!loki_parse_query_range(body, strlen(body), 200, dir, r, &why))
		fail_msg("parse failed: %s", why);
	assert_null(why);
}

static void
test_docs_streams_come_out_oldest_first(void **state)
{
	struct loki_result	 r;
	size_t			 len;
	char			*body = contract("query_range_streams.docs.json",
				    &len);

	/* The docs' example is newest first (direction=backward). */
	parse_ok(body, LOKI_BACKWARD, &r);
	assert_int_equal(r.nstreams, 1);
	assert_string_equal(r.streams[0].labels, "{filename=\"/var/log/"
	    "myproject.log\", job=\"varlogs\", level=\"info\"}");
	assert_int_equal(r.n, 2);
	assert_int_equal(r.entries[0].ts, 1569266492548155000);
	assert_memory_equal(r.entries[0].line, "bar", 3);
	assert_int_equal(r.entries[0].len, 3);
	assert_int_equal(r.entries[1].ts, 1569266497240578000);
	assert_memory_equal(r.entries[1].line, "foo", 3);
	assert_int_equal(r.entries[0].stream, 0);
	assert_int_equal(r.nwarnings, 0);
	loki_result_free(&r);
	free(body);
}

static void
test_encoder_body_with_stats_and_warning(void **state)
{
	struct loki_result	 r;
	size_t			 len;
	char			*body = contract("query_range_streams.json",
				    &len);

	parse_ok(body, LOKI_FORWARD, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.streams[0].labels, "{test=\"test\"}");
	assert_int_equal(r.entries[0].ts, 123456789012345);
	assert_string_equal(r.entries[0].line, "super line");
	assert_int_equal(r.entries[1].ts, 123456789012346);
	assert_string_equal(r.entries[1].line, "super line with labels");
	assert_int_equal(r.nwarnings, 1);
	assert_string_equal(r.warnings[0], "this is a warning");
	loki_result_free(&r);
	free(body);
}

static void
test_tail_frames_report_dropped_entries(void **state)
{
	struct loki_result	 r;
	size_t			 len;
	char			*body, *why;

	body = contract("tail_message.json", &len);
	assert_true(loki_parse_tail(body, len, &r, &why));
	assert_int_equal(r.n, 1);
	assert_int_equal(r.entries[0].ts, 1);
	assert_string_equal(r.entries[0].line, "foobar");
	assert_string_equal(r.streams[0].labels, "{app=\"foo\"}");
	assert_int_equal(r.ndropped, 1);
	assert_int_equal(r.dropped[0].ts, 2);
	assert_string_equal(r.dropped[0].labels, "{app=\"dropped\"}");
	loki_result_free(&r);
	free(body);

	body = contract("tail_message_pretty.json", &len);
	assert_true(loki_parse_tail(body, len, &r, &why));
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ndropped, 1);
	assert_int_equal(r.dropped[0].ts, 123456789022345);
	loki_result_free(&r);
	free(body);

	/* dropped_entries is there only when there are some. */
	assert_true(loki_parse_tail("{\"streams\":[]}", 14, &r, &why));
	assert_int_equal(r.ndropped, 0);
	loki_result_free(&r);
}

static void
test_labels_bodies(void **state)
{
	char	**v, *why, *body;
	size_t	  n, len;

	body = contract("labels.docs.json", &len);
	assert_true(loki_parse_labels(body, len, 200, &v, &n, &why));
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "foo");
	assert_string_equal(v[2], "baz");
	assert_null(v[3]);
	loki_labels_free(v, n);
	free(body);

	body = contract("labels.json", &len);
	assert_true(loki_parse_labels(body, len, 200, &v, &n, &why));
	assert_int_equal(n, 3);
	assert_string_equal(v[1], "test");
	loki_labels_free(v, n);
	free(body);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_docs_streams_come_out_oldest_first),
		cmocka_unit_test(test_encoder_body_with_stats_and_warning),
		cmocka_unit_test(test_tail_frames_report_dropped_entries),
		cmocka_unit_test(test_labels_bodies),
	};
	const char		*dir = getenv("CONTRACTS");
	struct stat		 st;
	char			*loki;

	loki = xasprintf("%s/loki", dir != NULL ? dir : "");
	if (dir == NULL || *dir == '\0' || stat(loki, &st) != 0 ||
	    !S_ISDIR(st.st_mode)) {
		printf("SKIP: Loki's own documents are not here (%s): "
		    "./configure --with-contracts=DIR to compare with them\n",
		    dir != NULL && *dir != '\0' ? loki : "configure found none");
		free(loki);
		return (77);
	}
	free(loki);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
