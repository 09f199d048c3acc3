/* test_logfilter.c: what the logs pane shows of the ring. A bad regex says
 * PCRE2's message and where; a line of invalid UTF-8 is matched, not
 * refused; filters stack (keep, hide) and sitrep's own notes always show;
 * the visible index, kept up to date line by line while the ring evicts,
 * always equals a recount; highlight rules come from the config with the
 * line of each problem; a time typed for jump-time is understood. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/conf.h"
#include "core/highlight.h"
#include "core/logfilter.h"
#include "core/logview.h"
#include "core/lregex.h"
#include "core/ring.h"
#include "core/sbuf.h"
#include "core/timeutil.h"

static void
test_bad_regex_says_where(void **state)
{
	struct lregex	r;
	char		*why;

	memset(&r, 0, sizeof r);
	assert_false(lregex_compile(&r, "time(out", &why));
	assert_string_equal(why, "missing closing parenthesis at offset 8");
	assert_null(r.pattern);
	free(why);
	assert_false(lregex_compile(&r, "a{2,1}", &why));
	assert_non_null(strstr(why, "at offset"));
	free(why);
}

static void
test_matches_and_spans(void **state)
{
	struct lregex	r;
	char		*why;
	size_t		 s, e;
	const char	 bad[] = "ok \xff\xfe ERROR \xc3 end";

	assert_true(lregex_compile(&r, "ERROR|FATAL", &why));
	assert_true(r.jit);
	assert_true(lregex_match(&r, "x FATAL y", 9));
	assert_false(lregex_match(&r, "fine", 4));
	/* Invalid UTF-8 is searched, not refused. */
	assert_true(lregex_match(&r, bad, sizeof bad - 1));
	assert_true(lregex_find(&r, "ERROR then FATAL", 16, 0, &s, &e));
	assert_int_equal(s, 0);
	assert_int_equal(e, 5);
	assert_true(lregex_find(&r, "ERROR then FATAL", 16, e, &s, &e));
	assert_int_equal(s, 11);
	assert_int_equal(e, 16);
	assert_false(lregex_find(&r, "ERROR then FATAL", 16, e, &s, &e));
	lregex_free(&r);

	/* Empty matches are stepped over, over whole characters. */
	assert_true(lregex_compile(&r, "x*", &why));
	assert_true(lregex_find(&r, "\xc3\xa9\xc3\xa9xx", 6, 0, &s, &e));
	assert_int_equal(s, 4);
	assert_int_equal(e, 6);
	lregex_free(&r);
	/* NULs in a line are just bytes. */
	assert_true(lregex_compile(&r, "b$", &why));
	assert_true(lregex_match(&r, "a\0b", 3));
	lregex_free(&r);
}

static void
test_filters_stack(void **state)
{
	struct logfilter	f;
	struct sbuf		sb;
	char			*why;

	memset(&f, 0, sizeof f);
	assert_true(logfilter_pass(&f, "", "anything", 8));
	assert_true(logfilter_push(&f, LOGFILTER_KEEP, "error", &why));
	assert_true(logfilter_push(&f, LOGFILTER_HIDE, "healthz", &why));
	assert_false(logfilter_push(&f, LOGFILTER_HIDE, "[", &why));
	free(why);
	assert_int_equal(f.n, 2);
	assert_true(logfilter_pass(&f, "", "level=error x", 13));
	assert_false(logfilter_pass(&f, "", "level=info x", 12));
	assert_false(logfilter_pass(&f, "", "error GET /healthz", 18));
	sbuf_init(&sb);
	logfilter_describe(&f, &sb);
	assert_string_equal(sb.s, "+error -healthz");
	sbuf_free(&sb);
	logfilter_clear(&f);
	assert_int_equal(f.n, 0);
	assert_true(logfilter_pass(&f, "", "level=info", 10));
}

/* The visible seqs recounted from scratch. */
static size_t
recount(struct logfilter *f, const struct ring *r, uint64_t *seqs)
{
	size_t	i, n = 0;

	for (i = 0; i < r->n; i++) {
		const struct log_line *l = ring_get(r, i);

		if ((l->flags & LOG_LINE_MARK) ||
		    logfilter_pass(f, "", LOG_LINE_TEXT(l), l->len))
			seqs[n++] = l->seq;
	}
	return (n);
}

static void
check_view(struct logview *v, const struct ring *r)
{
	uint64_t	want[600];
	size_t		n, i;

	n = recount(&v->filter, r, want);
	assert_int_equal(logview_count(v, r), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(logview_get(v, r, i)->seq, want[i]);
		assert_int_equal(logview_find(v, r, want[i]), i);
	}
	assert_null(logview_get(v, r, n));
}

static void
test_visible_index_follows_the_ring(void **state)
{
	struct ring	r;
	struct logview	v;
	char		text[64], *why;
	int		i;

	ring_init(&r, 500, SIZE_MAX);
	logview_init(&v);
	for (i = 0; i < 300; i++) {
		snprintf(text, sizeof text, "%s line %d", i % 3 == 0 ? "ERROR" :
		    "info", i);
		ring_push(&r, i, "{a=\"b\"}", text, strlen(text));
	}
	/* No filter: no index, every line. */
	logview_sync(&v, &r);
	check_view(&v, &r);
	assert_int_equal(logview_count(&v, &r), 300);
	assert_true(logfilter_push(&v.filter, LOGFILTER_KEEP, "ERROR", &why));
	logview_rebuild(&v, &r);
	check_view(&v, &r);
	assert_int_equal(logview_count(&v, &r), 100);
	/* Lines arrive and the oldest leave; a note of sitrep's shows
	 * whatever the filter. */
	for (i = 300; i < 1400; i++) {
		snprintf(text, sizeof text, "%s line %d", i % 5 == 0 ? "ERROR" :
		    "info", i);
		if (i % 97 == 0)
			ring_push_flags(&r, i, "sitrep", "skipped", 7,
			    LOG_LINE_MARK);
		else
			ring_push(&r, i, "{a=\"b\"}", text, strlen(text));
		if (i % 37 == 0) {
			logview_sync(&v, &r);
			check_view(&v, &r);
		}
	}
	logview_sync(&v, &r);
	check_view(&v, &r);
	/* A line that left the ring resolves to the next one kept. */
	assert_int_equal(logview_find(&v, &r, 1), 0);
	/* A stacked hide filter. */
	assert_true(logfilter_push(&v.filter, LOGFILTER_HIDE, "line 1[0-9]{3}$",
	    &why));
	logview_rebuild(&v, &r);
	check_view(&v, &r);
	/* Cleared ring: nothing visible, and new lines come in. */
	ring_clear(&r);
	logview_sync(&v, &r);
	assert_int_equal(logview_count(&v, &r), 0);
	ring_push(&r, 1, NULL, "ERROR again", 11);
	logview_sync(&v, &r);
	check_view(&v, &r);
	assert_int_equal(logview_count(&v, &r), 1);
	logview_free(&v);
	ring_free(&r);
}

static struct config *
parse(const char *text)
{
	static struct config	cfg;

	config_free(&cfg);
	memset(&cfg, 0, sizeof cfg);
	config_parse_string(&cfg, "sitrep.conf", text);
	return (&cfg);
}

static void
test_highlights_from_the_config(void **state)
{
	struct highlights	 hl;
	struct config		*cfg;

	cfg = parse("[highlight \"errors\"]\nregex = ERROR|FATAL\n"
	    "colour = red\n\n[highlight \"ids\"]\nregex = req-[0-9a-f]+\n"
	    "color = underline\n\n[highlight \"warn\"]\nregex = WARN\n"
	    "colour = yellow, bold\n");
	highlights_load(&hl, cfg);
	assert_int_equal(cfg->nerrors, 0);
	assert_int_equal(hl.n, 3);
	assert_string_equal(hl.v[0].name, "errors");
	assert_int_equal(hl.v[0].colour, 1);
	assert_int_equal(hl.v[0].attrs, 0);
	assert_int_equal(hl.v[1].colour, -1);
	assert_int_equal(hl.v[1].attrs, LOGHL_UNDERLINE);
	assert_int_equal(hl.v[2].colour, 3);
	assert_int_equal(hl.v[2].attrs, LOGHL_BOLD);
	assert_true(lregex_match(&hl.v[1].re, "id req-1f", 9));
	config_check_unused(cfg);
	assert_int_equal(cfg->nerrors, 0);
	highlights_free(&hl);

	cfg = parse("[highlight \"a\"]\nregex = ok\ncolour = pink\n"
	    "[highlight \"b\"]\nregex = (bad\ncolour = red\n"
	    "[highlight \"c\"]\nregex = x\n"
	    "[highlight]\nregex = y\ncolour = red\n"
	    "[highlight \"d\"]\nregex = z\ncolour = red\nshade = dark\n");
	highlights_load(&hl, cfg);
	assert_int_equal(hl.n, 1);
	config_check_unused(cfg);
	assert_int_equal(cfg->nerrors, 5);
	assert_string_equal(cfg->errors[0], "sitrep.conf:3: colour: unknown "
	    "colour \"pink\" (use black, red, green, yellow, blue, magenta, "
	    "cyan, white, bold, underline, reverse, dim, italic)");
	assert_string_equal(cfg->errors[1], "sitrep.conf:5: regex: missing "
	    "closing parenthesis at offset 4");
	assert_string_equal(cfg->errors[2], "sitrep.conf:7: [highlight \"c\"] "
	    "needs regex = ... and colour = ...");
	assert_non_null(strstr(cfg->errors[3], "sitrep.conf:9: [highlight] "
	    "needs a name"));
	assert_string_equal(cfg->errors[4], "sitrep.conf:15: unknown key "
	    "\"shade\" in [highlight \"d\"]");
	highlights_free(&hl);
	config_free(cfg);
}

static void
test_jump_times(void **state)
{
	/* 2026-11-26T14:32:05Z */
	int64_t	now = INT64_C(1795703525) * 1000000000, ns;

	assert_true(time_parse_jump("-15m", now, false, &ns));
	assert_true(ns == now - INT64_C(900) * 1000000000);
	assert_true(time_parse_jump("14:30", now, false, &ns));
	assert_true(ns == INT64_C(1795703400) * 1000000000);
	assert_true(time_parse_jump("14:31:59", now, false, &ns));
	assert_true(ns == INT64_C(1795703519) * 1000000000);
	/* A clock time still to come today is yesterday's. */
	assert_true(time_parse_jump("15:00", now, false, &ns));
	assert_true(ns == (INT64_C(1795705200) - 86400) * 1000000000);
	assert_true(time_parse_jump("2026-11-26T14:00:00Z", now, false, &ns));
	assert_true(ns == INT64_C(1795701600) * 1000000000);
	assert_false(time_parse_jump("25:00", now, false, &ns));
	assert_false(time_parse_jump("-15x", now, false, &ns));
	assert_false(time_parse_jump("soon", now, false, &ns));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_bad_regex_says_where),
		cmocka_unit_test(test_matches_and_spans),
		cmocka_unit_test(test_filters_stack),
		cmocka_unit_test(test_visible_index_follows_the_ring),
		cmocka_unit_test(test_highlights_from_the_config),
		cmocka_unit_test(test_jump_times),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
