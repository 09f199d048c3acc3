/* test_loki_hostile.c: what a hostile Loki answer can do to the parser.
 * First, an answer means one thing, whichever way sitrep reads it. A query_range body goes to the fast scanner first and,
 * when the scanner gives up, to jansson; the two must never disagree. Each
 * body here (hostile ones written by hand, every file in the fuzz corpus
 * tests/fuzz/corpus/loki/, and mutations of each: cut short, a byte
 * changed) is read both ways, in both directions: where the scanner takes
 * a body, jansson takes it too with the same lines, labels, identities and
 * warnings; and what the console uses (loki_parse_query_range) takes or
 * refuses exactly what jansson alone does, with the same reason. Then the
 * numbers in an answer: timestamps and counts are bounded before sitrep
 * does arithmetic with them. */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backends/loki_parse.h"
#include "backends/loki_scan.h"
#include "core/xalloc.h"

static size_t	bodies, scanned, refused;

/* The same lines, in the same order, from the same streams. */
static void
same_result(const struct loki_result *a, const struct loki_result *b,
    const char *name)
{
	size_t	i;

	if (a->n != b->n || a->nstreams != b->nstreams ||
	    a->nwarnings != b->nwarnings)
		fail_msg("%s: %zu lines, %zu streams, %zu warnings one way; "
		    "%zu, %zu, %zu the other", name, a->n, a->nstreams,
		    a->nwarnings, b->n, b->nstreams, b->nwarnings);
	for (i = 0; i < a->nstreams; i++) {
		if (strcmp(a->streams[i].labels, b->streams[i].labels) != 0)
			fail_msg("%s: stream %zu is %s one way, %s the other",
			    name, i, a->streams[i].labels,
			    b->streams[i].labels);
	}
	for (i = 0; i < a->n; i++) {
		const struct loki_entry *x = &a->entries[i], *y = &b->entries[i];

		if (x->ts != y->ts || x->len != y->len || x->hash != y->hash ||
		    x->stream != y->stream || x->pos != y->pos ||
		    x->rank != y->rank || memcmp(x->line, y->line, x->len) != 0)
			fail_msg("%s: line %zu differs (ts %lld/%lld, len "
			    "%zu/%zu)", name, i, (long long)x->ts,
			    (long long)y->ts, x->len, y->len);
	}
	for (i = 0; i < a->nwarnings; i++)
		assert_string_equal(a->warnings[i], b->warnings[i]);
}

static void
both_ways_dir(const char *body, size_t len, enum loki_direction dir,
    const char *name)
{
	struct loki_result	 fast, slow, used;
	char			*why_slow = NULL, *why_used = NULL;
	bool			 fast_ok, slow_ok, used_ok;

	fast_ok = loki_scan_query_range(body, len, dir, &fast);
	slow_ok = loki_parse_query_range_json(body, len, 200, dir, &slow,
	    &why_slow);
	used_ok = loki_parse_query_range(body, len, 200, dir, &used,
	    &why_used);
	if (fast_ok && !slow_ok)
		fail_msg("%s: the scanner took what jansson refuses (%s)",
		    name, why_slow);
	if (fast_ok) {
		same_result(&fast, &slow, name);
		scanned++;
	} else
		assert_int_equal(fast.n + fast.nstreams, 0);
	if (used_ok != slow_ok)
		fail_msg("%s: the console %s what jansson %s", name,
		    used_ok ? "takes" : "refuses", slow_ok ? "takes" :
		    "refuses");
	if (slow_ok)
		same_result(&used, &slow, name);
	else {
		assert_non_null(why_used);
		assert_string_equal(why_used, why_slow);
		refused++;
	}
	if (fast_ok)
		loki_result_free(&fast);
	if (slow_ok)
		loki_result_free(&slow);
	if (used_ok)
		loki_result_free(&used);
	free(why_slow);
	free(why_used);
}

/* Bodies come NUL-terminated after their length, as the HTTP client hands
 * them over. */
static void
both_ways(const char *body, size_t len, const char *name)
{
	char	*copy = xmalloc(len + 1);

	memcpy(copy, body, len);
	copy[len] = '\0';
	both_ways_dir(copy, len, LOKI_FORWARD, name);
	both_ways_dir(copy, len, LOKI_BACKWARD, name);
	free(copy);
	bodies++;
}

static uint64_t	rng = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng);
}

/* The body, then cut short in places, then with one byte changed for one
 * that matters to JSON, again and again. */
static void
both_ways_mutated(const char *body, size_t len, const char *name)
{
	static const char	 bytes[] = "\"{}[],:\\u0-1e.tfn \x01\x80";
	char			*m;
	size_t			 i, at;

	both_ways(body, len, name);
	if (len == 0)
		return;
	for (i = 0; i < 16; i++)
		both_ways(body, (size_t)(rnd() % len), name);
	m = xmalloc(len);
	for (i = 0; i < 48; i++) {
		memcpy(m, body, len);
		at = (size_t)(rnd() % len);
		m[at] = bytes[rnd() % (sizeof bytes - 1)];
		if (i % 2 == 1)
			m[(size_t)(rnd() % len)] = bytes[rnd() %
			    (sizeof bytes - 1)];
		both_ways(m, len, name);
	}
	free(m);
}

/* --- hostile bodies, by hand ------------------------------------------ */

#define HEAD	"{\"status\":\"success\",\"data\":{\"resultType\":\"streams\"," \
		"\"result\":["
#define TAIL	"]}}"
#define EIGHT	"{\"k0\":\"v\",\"k1\":\"v\",\"k2\":\"v\",\"k3\":\"v\"," \
		"\"k4\":\"v\",\"k5\":\"v\",\"k6\":\"v\",\"k7\":\"v\"}"

static const struct {
	const char	*name, *body;
} hostile[] = {
	/* Eight labels, then "stream" again: the scanner's label array
	 * restarted its capacity and kept its count (a heap overflow). */
	{ "repeated stream key", HEAD "{\"stream\":" EIGHT ",\"stream\":"
	    "{\"x\":\"1\",\"y\":\"2\"},\"values\":[[\"1\",\"a\"]]}" TAIL },
	{ "stream key three times", HEAD "{\"stream\":" EIGHT ",\"stream\":"
	    EIGHT ",\"stream\":" EIGHT ",\"values\":[[\"1\",\"a\"]]}" TAIL },
	{ "no result", "{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"streams\"}}" },
	{ "a number then a quote", HEAD "]," "\"stats\":{\"n\":8000\"}}}" },
	{ "values twice", HEAD "{\"stream\":{},\"values\":[[\"1\",\"a\"],"
	    "[\"2\",\"b\"],[\"3\",\"c\"]],\"values\":[[\"4\",\"d\"]]}" TAIL },
	{ "result twice", HEAD "{\"values\":[[\"1\",\"a\"]]}],\"result\":["
	    "{\"values\":[[\"2\",\"b\"]]}" TAIL },
	{ "data twice", HEAD "{\"values\":[[\"1\",\"a\"]]}]},\"data\":{"
	    "\"resultType\":\"streams\",\"result\":[]}}" },
	{ "warnings twice", "{\"warnings\":[\"a\"],\"warnings\":[\"b\"],"
	    "\"data\":{\"resultType\":\"streams\",\"result\":[]}}" },
	{ "a label twice", HEAD "{\"stream\":{\"a\":\"1\",\"a\":\"2\"},"
	    "\"values\":[[\"1\",\"x\"]]}" TAIL },
	{ "a NUL in a key", HEAD "{\"stream\\u0000\":{\"a\":\"1\"},"
	    "\"values\":[[\"1\",\"x\"]]}" TAIL },
	{ "a NUL in a timestamp", HEAD "{\"values\":[[\"12\\u00003\","
	    "\"x\"]]}" TAIL },
	{ "a timestamp past int64", HEAD "{\"values\":[["
	    "\"9223372036854775808\",\"x\"]]}" TAIL },
	{ "a negative timestamp", HEAD "{\"values\":[[\"-1\",\"x\"]]}" TAIL },
	{ "an integer past int64", HEAD "],\"n\":99999999999999999999}}" },
	{ "a real past double", HEAD "],\"n\":1e400}}" },
	{ "a leading zero", HEAD "],\"n\":01}}" },
	{ "half a word", HEAD "],\"n\":tru}}" },
	{ "a longer word", HEAD "],\"n\":truex}}" },
	{ "a lone surrogate", HEAD "{\"values\":[[\"1\",\"\\ud800\"]]}"
	    TAIL },
	{ "nested past the scanner", "{\"d\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]"
	    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],\"data\":{"
	    "\"resultType\":\"streams\",\"result\":[]}}" },
	{ "well formed", HEAD "{\"stream\":{\"b\":\"2\",\"a\":\"1\"},"
	    "\"values\":[[\"2\",\"x\",{\"k\":[1,-2.5e-3,true,null]}],"
	    "[\"1\",\"y\"]]},{\"values\":[[\"1\",\"z\"]]}],\"stats\":"
	    "{\"t\":1.5e-07,\"n\":-0}}, \"warnings\":[\"w\"]}" },
};

static void
test_hand_made_hostile_bodies(void **state)
{
	size_t	i;

	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
		both_ways_mutated(hostile[i].body, strlen(hostile[i].body),
		    hostile[i].name);
	/* The well-formed body was taken by the scanner, both ways. */
	assert_true(scanned >= 2);
}

/* The repeated keys jansson keeps the last of: what the console shows is
 * what jansson shows, whichever way it was read. */
static void
test_repeated_keys_mean_the_last(void **state)
{
	struct loki_result	 r;
	char			*why;

	assert_true(loki_parse_query_range(hostile[4].body,
	    strlen(hostile[4].body), 200, LOKI_FORWARD, &r, &why));
	assert_int_equal(r.n, 1);
	assert_memory_equal(r.entries[0].line, "d", 1);
	loki_result_free(&r);
	assert_true(loki_parse_query_range(hostile[0].body,
	    strlen(hostile[0].body), 200, LOKI_FORWARD, &r, &why));
	assert_string_equal(r.streams[0].labels, "{x=\"1\", y=\"2\"}");
	loki_result_free(&r);
	assert_false(loki_parse_query_range(hostile[2].body,
	    strlen(hostile[2].body), 200, LOKI_FORWARD, &r, &why));
	assert_non_null(strstr(why, "no resultType and result"));
	free(why);
}

/* --- the fuzz corpus -------------------------------------------------- */

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return (NULL);
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return (NULL);
	}
	buf = xmalloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return (buf);
}

static void
test_fuzz_corpus(void **state)
{
	const char	*srcdir = getenv("SRCDIR");
	char		*dir, *path, *body;
	struct dirent	*de;
	DIR		*d;
	size_t		 len, files = 0;

	dir = xasprintf("%s/tests/fuzz/corpus/loki", srcdir != NULL ? srcdir :
	    "..");
	if ((d = opendir(dir)) == NULL) {
		print_message("no %s: the hand-made bodies only\n", dir);
		free(dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if ((body = slurp(path, &len)) != NULL) {
			both_ways_mutated(body, len, de->d_name);
			free(body);
			files++;
		}
		free(path);
	}
	closedir(d);
	print_message("%zu corpus files; %zu bodies read both ways, %zu times "
	    "by the scanner, %zu refused\n", files, bodies, scanned, refused);
	assert_true(files > 0);
	free(dir);
}

/* --- numbers ------------------------------------------------------------ */

static char *
tail_frame(const char *ts)
{
	return (xasprintf("{\"streams\":[],\"dropped_entries\":[{\"labels\":"
	    "{},\"timestamp\":\"%s\"}]}", ts));
}

static char *
count_body(const char *v)
{
	return (xasprintf("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"%s\"]}]}}",
	    v));
}

/* A timestamp is decimal nanoseconds within int64, the whole string: not
 * negative, not past 2^63 - 1, nothing after a NUL. Tail frames too. */
static void
test_timestamps_are_bounded(void **state)
{
	static const char *const bad[] = { "-1", "+1", "9223372036854775808",
		"18446744073709551616", "1e3", "", " 1", "1 ", "12\\u00003",
		"0x10" };
	struct loki_result	 r;
	char			*body, *why;
	size_t			 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		body = tail_frame(bad[i]);
		if (loki_parse_tail(body, strlen(body), &r, &why))
			fail_msg("tail frame with timestamp %s taken", bad[i]);
		free(why);
		free(body);
	}
	body = tail_frame("9223372036854775807");
	assert_true(loki_parse_tail(body, strlen(body), &r, &why));
	assert_int_equal(r.dropped[0].ts, INT64_MAX);
	loki_result_free(&r);
	free(body);
}

/* A count is a number of lines: not negative, infinite, NaN, hexadecimal
 * or past 2^53, so that the lines skipped can be worked out exactly. */
static void
test_counts_are_bounded(void **state)
{
	static const char *const bad[] = { "-5", "inf", "Infinity", "nan",
		"0x10", "1e400", "1e17", " 5", "5 ", "" };
	char	*body, *why;
	double	 n;
	size_t	 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		body = count_body(bad[i]);
		if (loki_parse_count(body, strlen(body), 200, &n, &why))
			fail_msg("count \"%s\" taken as %g", bad[i], n);
		free(why);
		free(body);
	}
	body = count_body("1e3");
	assert_true(loki_parse_count(body, strlen(body), 200, &n, &why));
	assert_true(n == 1000);
	free(body);
}

/* Warnings are shown one at a time: an answer with a million keeps a few. */
static void
test_warnings_are_few(void **state)
{
	struct loki_result	 r;
	char			*body, *why;
	size_t			 i, len;

	body = xmalloc(20 * 100000 + 200);
	len = (size_t)sprintf(body, "{\"warnings\":[");
	for (i = 0; i < 100000; i++)
		len += (size_t)sprintf(body + len, "%s\"w%zu\"", i ? "," : "",
		    i);
	len += (size_t)sprintf(body + len, "],\"data\":{\"resultType\":"
	    "\"streams\",\"result\":[]}}");
	assert_true(loki_parse_query_range(body, len, 200, LOKI_FORWARD, &r,
	    &why));
	assert_true(r.nwarnings > 0 && r.nwarnings <= 8);
	assert_string_equal(r.warnings[0], "w0");
	loki_result_free(&r);
	both_ways(body, len, "a hundred thousand warnings");
	free(body);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_hand_made_hostile_bodies),
		cmocka_unit_test(test_repeated_keys_mean_the_last),
		cmocka_unit_test(test_fuzz_corpus),
		cmocka_unit_test(test_timestamps_are_bounded),
		cmocka_unit_test(test_counts_are_bounded),
		cmocka_unit_test(test_warnings_are_few),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
