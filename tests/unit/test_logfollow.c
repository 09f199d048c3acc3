/* test_logfollow.c: following a log source by polling time ranges shows
 * every line once. Small stories first (lines sharing a nanosecond cut by a
 * page limit, lines arriving at that nanosecond after a poll, two equal
 * lines, a page stuck on one timestamp, history loaded newest first), then
 * a simulated Loki: thousands of lines, many per timestamp, arriving a
 * little late, polled with random limits and random poll times, and the
 * lines taken must be exactly the lines there were, in order. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/logfollow.h"

struct entry {
	int64_t		ts;
	uint64_t	id;	/* identity; equal ids are equal lines */
	int64_t		arrives;
};

/* Feed a page; how many were new. */
static size_t
feed(struct logfollow *f, const struct entry *v, size_t n)
{
	size_t	i, fresh = 0;

	logfollow_page_begin(f);
	for (i = 0; i < n; i++)
		fresh += logfollow_take(f, v[i].ts, v[i].id);
	return (fresh);
}

static void
test_a_page_limit_inside_one_timestamp(void **state)
{
	struct logfollow	f;
	/* Five lines at ts 10; the first page holds 3 (limit 3). */
	const struct entry	p1[] = { { 5, 1, 0 }, { 10, 2, 0 }, { 10, 3, 0 } };
	const struct entry	p2[] = { { 10, 2, 0 }, { 10, 3, 0 }, { 10, 4, 0 } };
	const struct entry	p3[] = { { 10, 2, 0 }, { 10, 3, 0 }, { 10, 4, 0 },
					 { 10, 5, 0 }, { 10, 6, 0 }, { 11, 7, 0 } };

	logfollow_init(&f, LOGFOLLOW_FORWARD, 0);
	assert_int_equal(logfollow_bound(&f), 0);
	assert_int_equal(feed(&f, p1, 3), 3);
	assert_int_equal(logfollow_page_end(&f, true), LOGFOLLOW_MORE);
	/* The next range starts at 10 again, inclusive. */
	assert_int_equal(logfollow_bound(&f), 10);
	assert_int_equal(logfollow_edge_count(&f), 2);
	/* All three at the edge, page full: the same page again, stuck. */
	assert_int_equal(feed(&f, p2, 3), 1);
	assert_int_equal(logfollow_page_end(&f, true), LOGFOLLOW_STUCK);
	assert_int_equal(logfollow_bound(&f), 10);
	/* A bigger page gets past it: 5 and 6 new, 7 new, the rest seen. */
	assert_int_equal(feed(&f, p3, 6), 3);
	assert_int_equal(f.dups, 2 + 3);
	assert_int_equal(logfollow_page_end(&f, false), LOGFOLLOW_DONE);
	assert_int_equal(logfollow_bound(&f), 11);
	logfollow_free(&f);
}

static void
test_a_line_arriving_at_the_edge_after_a_poll(void **state)
{
	struct logfollow	f;
	const struct entry	poll1[] = { { 7, 1, 0 }, { 9, 2, 0 } };
	/* After the poll another line with ts 9 reaches the source. */
	const struct entry	poll2[] = { { 9, 2, 0 }, { 9, 3, 0 }, { 12, 4, 0 } };

	logfollow_init(&f, LOGFOLLOW_FORWARD, 0);
	assert_int_equal(feed(&f, poll1, 2), 2);
	assert_int_equal(logfollow_page_end(&f, false), LOGFOLLOW_DONE);
	assert_int_equal(logfollow_bound(&f), 9);
	assert_int_equal(feed(&f, poll2, 3), 2);
	assert_int_equal(logfollow_page_end(&f, false), LOGFOLLOW_DONE);
	assert_int_equal(logfollow_bound(&f), 12);
	/* An empty poll leaves the cursor where it is. */
	assert_int_equal(feed(&f, NULL, 0), 0);
	assert_int_equal(logfollow_page_end(&f, false), LOGFOLLOW_DONE);
	assert_int_equal(logfollow_bound(&f), 12);
	logfollow_free(&f);
}

static void
test_equal_lines_are_counted_not_merged(void **state)
{
	struct logfollow	f;
	/* Two identical lines at 4: the first page had room for one. */
	const struct entry	p1[] = { { 3, 1, 0 }, { 4, 9, 0 } };
	const struct entry	p2[] = { { 4, 9, 0 }, { 4, 9, 0 }, { 5, 2, 0 } };

	logfollow_init(&f, LOGFOLLOW_FORWARD, 0);
	assert_int_equal(feed(&f, p1, 2), 2);
	assert_int_equal(logfollow_page_end(&f, true), LOGFOLLOW_MORE);
	logfollow_page_begin(&f);
	assert_false(logfollow_take(&f, 4, 9));
	assert_true(logfollow_take(&f, 4, 9));
	assert_true(logfollow_take(&f, 5, 2));
	assert_int_equal(logfollow_page_end(&f, false), LOGFOLLOW_DONE);
	(void)p2;
	logfollow_free(&f);
}

static void
test_lines_before_the_edge_are_not_taken(void **state)
{
	struct logfollow	f;

	logfollow_init(&f, LOGFOLLOW_FORWARD, 100);
	logfollow_page_begin(&f);
	assert_false(logfollow_take(&f, 99, 1));
	assert_true(logfollow_take(&f, 100, 2));
	assert_int_equal(f.behind, 1);
	logfollow_free(&f);
}

static void
test_step_past_jump_and_seed(void **state)
{
	struct logfollow	f;

	logfollow_init(&f, LOGFOLLOW_FORWARD, 50);
	logfollow_seed(&f, 60, 1);
	logfollow_seed(&f, 60, 2);
	assert_int_equal(logfollow_bound(&f), 60);
	assert_int_equal(logfollow_edge_count(&f), 2);
	logfollow_page_begin(&f);
	assert_false(logfollow_take(&f, 60, 2));
	assert_true(logfollow_take(&f, 60, 3));
	logfollow_step_past(&f);
	assert_int_equal(logfollow_bound(&f), 61);
	assert_int_equal(logfollow_edge_count(&f), 0);
	logfollow_jump(&f, 1000);
	assert_int_equal(logfollow_bound(&f), 1000);
	logfollow_free(&f);

	logfollow_init(&f, LOGFOLLOW_BACKWARD, 99);
	assert_int_equal(logfollow_bound(&f), 100);	/* end, exclusive */
	logfollow_step_past(&f);
	assert_int_equal(logfollow_bound(&f), 99);
	logfollow_free(&f);
}

static void
test_history_newest_first(void **state)
{
	struct logfollow	f;

	/* [start, 100): a page of 3 newest first, cut inside ts 90. */
	logfollow_init(&f, LOGFOLLOW_BACKWARD, 99);
	logfollow_page_begin(&f);
	assert_true(logfollow_take(&f, 95, 1));
	assert_true(logfollow_take(&f, 90, 2));
	assert_true(logfollow_take(&f, 90, 3));
	assert_int_equal(logfollow_page_end(&f, true), LOGFOLLOW_MORE);
	assert_int_equal(logfollow_bound(&f), 91);	/* asks [start, 91) */
	logfollow_page_begin(&f);
	assert_false(logfollow_take(&f, 90, 2));
	assert_false(logfollow_take(&f, 90, 3));
	assert_true(logfollow_take(&f, 90, 4));
	assert_true(logfollow_take(&f, 80, 5));
	assert_false(logfollow_take(&f, 96, 6));	/* past the edge */
	assert_int_equal(logfollow_page_end(&f, false), LOGFOLLOW_DONE);
	logfollow_free(&f);
}

/* A line stamped near 2^63 ns in a page asked for as [100, 200) (a broken
 * shipper clock, or a source that ignores the range): it is not taken and
 * is counted, the cursor stays where the range allows, and the lines that
 * come after it in later pages are still shown. Taken, it would have moved
 * the edge to 2^63 and no later range would ever reach a line again. */
static void
test_a_far_future_line_does_not_stop_following(void **state)
{
	struct logfollow	f;
	int64_t			far = INT64_MAX - 5;

	logfollow_init(&f, LOGFOLLOW_FORWARD, 100);
	logfollow_page_range(&f, logfollow_bound(&f), 200);
	assert_true(logfollow_take(&f, 150, 1));
	assert_false(logfollow_take(&f, far, 2));
	assert_false(logfollow_take(&f, 200, 3));	/* end is exclusive */
	assert_int_equal(f.outside, 2);
	assert_int_equal(logfollow_page_end(&f, false), LOGFOLLOW_DONE);
	assert_int_equal(logfollow_bound(&f), 150);
	/* The next poll: [150, 300). The stray line comes again (counted
	 * once), and the one at 200, early before, is taken now. */
	logfollow_page_range(&f, logfollow_bound(&f), 300);
	assert_false(logfollow_take(&f, 150, 1));
	assert_true(logfollow_take(&f, 200, 3));
	assert_true(logfollow_take(&f, 250, 4));
	assert_false(logfollow_take(&f, far, 2));
	assert_int_equal(f.outside, 1);
	assert_int_equal(logfollow_page_end(&f, false), LOGFOLLOW_DONE);
	assert_int_equal(logfollow_bound(&f), 250);
	logfollow_free(&f);

	/* History newest first, [50, 100): a line from before 50 is beyond
	 * its far end; the edge stays inside the range. */
	logfollow_init(&f, LOGFOLLOW_BACKWARD, 99);
	logfollow_page_range(&f, 50, logfollow_bound(&f));
	assert_true(logfollow_take(&f, 70, 1));
	assert_false(logfollow_take(&f, INT64_MIN + 1, 2));
	assert_false(logfollow_take(&f, 49, 3));
	assert_int_equal(f.outside, 2);
	assert_int_equal(logfollow_page_end(&f, false), LOGFOLLOW_DONE);
	assert_int_equal(logfollow_bound(&f), 71);
	logfollow_free(&f);

	/* An edge at the very end of time saturates rather than wrapping. */
	logfollow_init(&f, LOGFOLLOW_BACKWARD, INT64_MAX);
	assert_int_equal(logfollow_bound(&f), INT64_MAX);
	logfollow_free(&f);
	logfollow_init(&f, LOGFOLLOW_FORWARD, INT64_MAX);
	logfollow_step_past(&f);
	assert_int_equal(logfollow_bound(&f), INT64_MAX);
	logfollow_free(&f);
}

/* A source that ignores limit and end answers every page with all it has.
 * The first page takes it all; the second brings nothing new, and paging
 * stops there instead of asking again forever. A page stuck on one
 * crowded timestamp (all at the edge, nothing else) is not mistaken for
 * it: a higher limit reaches further there. */
static void
test_a_source_ignoring_limit_and_end_stops_paging(void **state)
{
	struct logfollow	f;
	int64_t			ts;
	unsigned		k;

	/* History, [0, 100) newest first, limit 10: it sends 120..1. */
	logfollow_init(&f, LOGFOLLOW_BACKWARD, 99);
	for (k = 0; k < 2; k++) {
		logfollow_page_range(&f, 0, logfollow_bound(&f));
		for (ts = 120; ts >= 1; ts--)
			(void)logfollow_take(&f, ts, (uint64_t)ts);
		if (k == 0) {
			assert_int_equal(f.page_new, 99);
			assert_int_equal(logfollow_page_end(&f, true),
			    LOGFOLLOW_MORE);
		} else {
			assert_int_equal(f.page_new, 0);
			assert_int_equal(logfollow_page_end(&f, true),
			    LOGFOLLOW_IGNORED);
		}
	}
	logfollow_free(&f);

	/* Following, [50, 60) limit 5: it sends 50..80. */
	logfollow_init(&f, LOGFOLLOW_FORWARD, 50);
	logfollow_page_range(&f, 50, 60);
	for (ts = 50; ts <= 80; ts++)
		(void)logfollow_take(&f, ts, (uint64_t)ts);
	assert_int_equal(logfollow_page_end(&f, true), LOGFOLLOW_MORE);
	assert_int_equal(logfollow_bound(&f), 59);
	logfollow_page_range(&f, 59, 60);
	for (ts = 50; ts <= 80; ts++)
		(void)logfollow_take(&f, ts, (uint64_t)ts);
	assert_int_equal(logfollow_page_end(&f, true), LOGFOLLOW_IGNORED);
	assert_int_equal(f.outside, 21);	/* 60..80, once each */
	logfollow_free(&f);

	/* A crowded timestamp that keeps to the range: stuck, not ignored. */
	logfollow_init(&f, LOGFOLLOW_FORWARD, 50);
	logfollow_page_range(&f, 50, 60);
	for (k = 0; k < 5; k++)
		(void)logfollow_take(&f, 55, k);
	assert_int_equal(logfollow_page_end(&f, true), LOGFOLLOW_MORE);
	logfollow_page_range(&f, 55, 60);
	for (k = 0; k < 5; k++)
		(void)logfollow_take(&f, 55, k);
	assert_int_equal(logfollow_page_end(&f, true), LOGFOLLOW_STUCK);
	logfollow_free(&f);
}

/* --- a simulated source ----------------------------------------------- */

static uint64_t	rng = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng);
}

static int
entry_cmp(const void *va, const void *vb)
{
	const struct entry	*a = va, *b = vb;

	if (a->ts != b->ts)
		return (a->ts < b->ts ? -1 : 1);
	if (a->id != b->id)
		return (a->id < b->id ? -1 : 1);
	return (0);
}

/*
 * Lines in timestamp order (ties by id: the source's fixed order). Many
 * share a timestamp (bursts), some are equal lines. Each arrives some time
 * after its timestamp, up to `late`.
 */
static struct entry *
make_lines(size_t n, int64_t late)
{
	struct entry	*v = calloc(n, sizeof *v);
	int64_t		 ts = 1000;
	size_t		 i;

	assert_non_null(v);
	for (i = 0; i < n; i++) {
		switch (rnd() % 10) {
		case 0:
			ts += 1 + (int64_t)(rnd() % 50);
			break;
		case 1:
		case 2:
			break;		/* the same timestamp again */
		default:
			ts += 1;
		}
		if (rnd() % 40 == 0 && i > 0)
			ts = v[i - 1].ts;	/* a burst continues */
		v[i].ts = ts;
		v[i].id = rnd() % 64 == 0 && i > 0 ? v[i - 1].id : rnd();
		v[i].arrives = ts + (int64_t)(rnd() % (uint64_t)(late + 1));
	}
	qsort(v, n, sizeof *v, entry_cmp);
	return (v);
}

/* The source answers [start, end) at time now: lines already arrived, in
 * order (backward: reversed), at most limit. */
static size_t
query(const struct entry *all, size_t n, int64_t start, int64_t end,
    int64_t now, size_t limit, bool backward, struct entry *out)
{
	size_t	i, k = 0;

	if (!backward) {
		for (i = 0; i < n && k < limit; i++) {
			if (all[i].ts >= start && all[i].ts < end &&
			    all[i].arrives <= now)
				out[k++] = all[i];
		}
		return (k);
	}
	for (i = n; i > 0 && k < limit; i--) {
		if (all[i - 1].ts >= start && all[i - 1].ts < end &&
		    all[i - 1].arrives <= now)
			out[k++] = all[i - 1];
	}
	return (k);
}

/* Follow the source from 0 with polls every so often, each range ending
 * `delay` behind "now", until every line is in; the lines taken must equal
 * the source's, in order. */
static void
follow_all(size_t n, int64_t late, int64_t delay, size_t limit)
{
	struct entry		*all = make_lines(n, late), *page, *got;
	struct logfollow	 f;
	enum logfollow_next	 next;
	size_t			 ngot = 0, k, i, lim;
	int64_t			 now = 0, end, last = all[n - 1].ts;
	int			 polls = 0;

	page = calloc(n + 1, sizeof *page);
	got = calloc(n + 1, sizeof *got);
	logfollow_init(&f, LOGFOLLOW_FORWARD, 0);
	while (logfollow_bound(&f) <= last && polls < 100000) {
		now += 1 + (int64_t)(rnd() % 40);
		end = now - delay;
		polls++;
		lim = limit;
		do {
			k = query(all, n, logfollow_bound(&f), end, now, lim,
			    false, page);
			logfollow_page_begin(&f);
			for (i = 0; i < k; i++) {
				if (logfollow_take(&f, page[i].ts, page[i].id))
					got[ngot++] = page[i];
				assert_true(ngot <= n);
			}
			next = logfollow_page_end(&f, k >= lim);
			if (next == LOGFOLLOW_STUCK)
				lim *= 4;	/* what loki.c does */
			else if (next == LOGFOLLOW_MORE)
				lim = limit;
		} while (next != LOGFOLLOW_DONE);
		if (end > last && ngot == n)
			break;
	}
	assert_int_equal(ngot, n);
	for (i = 0; i < n; i++) {
		assert_true(got[i].ts == all[i].ts);
		/* Among equal timestamps the source's order is kept. */
		assert_true(got[i].id == all[i].id);
	}
	logfollow_free(&f);
	free(all);
	free(page);
	free(got);
}

static void
test_simulated_source_every_line_once(void **state)
{
	/* On time, late within the delay, tiny pages, big pages. */
	follow_all(5000, 0, 0, 100);
	follow_all(5000, 30, 30, 7);
	follow_all(8000, 25, 40, 1000);
	follow_all(3000, 10, 10, 1);
}

/* History newest first, then hand over to the forward cursor. */
static void
test_simulated_history_then_follow(void **state)
{
	struct entry		*all = make_lines(4000, 0), *page, *got;
	struct logfollow	 b, f;
	enum logfollow_next	 next;
	size_t			 n = 4000, k, i, ngot = 0, lim = 50;
	int64_t			 hist_end = all[2500].ts, now = all[n - 1].ts + 1;
	int64_t			 newest;

	page = calloc(n + 1, sizeof *page);
	got = calloc(n + 1, sizeof *got);
	logfollow_init(&b, LOGFOLLOW_BACKWARD, hist_end - 1);
	do {
		k = query(all, n, 0, logfollow_bound(&b), now, lim, true, page);
		logfollow_page_begin(&b);
		for (i = 0; i < k; i++) {
			if (logfollow_take(&b, page[i].ts, page[i].id))
				got[ngot++] = page[i];
		}
		next = logfollow_page_end(&b, k >= lim);
		lim = next == LOGFOLLOW_STUCK ? lim * 4 : 50;
	} while (next != LOGFOLLOW_DONE);
	/* Newest first: reverse, then seed the follower as loki.c does. */
	for (i = 0; i < ngot / 2; i++) {
		struct entry t = got[i];

		got[i] = got[ngot - 1 - i];
		got[ngot - 1 - i] = t;
	}
	logfollow_init(&f, LOGFOLLOW_FORWARD, hist_end);
	newest = got[ngot - 1].ts;
	for (i = ngot; i > 0 && got[i - 1].ts == newest; i--)
		logfollow_seed(&f, newest, got[i - 1].id);
	do {
		k = query(all, n, logfollow_bound(&f), now, now, 64, false,
		    page);
		logfollow_page_begin(&f);
		for (i = 0; i < k; i++) {
			if (logfollow_take(&f, page[i].ts, page[i].id))
				got[ngot++] = page[i];
		}
		next = logfollow_page_end(&f, k >= 64);
		assert_true(next != LOGFOLLOW_STUCK);
	} while (next != LOGFOLLOW_DONE);
	assert_int_equal(ngot, n);
	for (i = 0; i < n; i++)
		assert_true(got[i].ts == all[i].ts);
	logfollow_free(&b);
	logfollow_free(&f);
	free(all);
	free(page);
	free(got);
}

/* Ten thousand lines at one nanosecond, pages of 1000: stuck until the
 * limit covers them, as loki.c raises it. */
static void
test_ten_thousand_at_one_nanosecond(void **state)
{
	struct logfollow	 f;
	struct entry		*v;
	size_t			 n = 10001, lim = 1000, k, fresh = 0, i;
	enum logfollow_next	 next;
	int			 stuck = 0;

	v = calloc(n, sizeof *v);
	for (i = 0; i + 1 < n; i++) {
		v[i].ts = 777;
		v[i].id = 1 + i;
	}
	v[n - 1].ts = 778;
	v[n - 1].id = 424242;
	logfollow_init(&f, LOGFOLLOW_FORWARD, 0);
	do {
		k = lim < n ? lim : n;
		fresh += feed(&f, v, k);
		next = logfollow_page_end(&f, k >= lim);
		if (next == LOGFOLLOW_STUCK) {
			stuck++;
			lim *= 4;
		}
	} while (next != LOGFOLLOW_DONE && stuck < 10);
	assert_int_equal(fresh, n);
	assert_int_equal(stuck, 2);		/* 1000 -> 4000 -> 16000 */
	assert_int_equal(logfollow_bound(&f), 778);
	logfollow_free(&f);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_a_page_limit_inside_one_timestamp),
		cmocka_unit_test(test_a_line_arriving_at_the_edge_after_a_poll),
		cmocka_unit_test(test_equal_lines_are_counted_not_merged),
		cmocka_unit_test(test_lines_before_the_edge_are_not_taken),
		cmocka_unit_test(test_step_past_jump_and_seed),
		cmocka_unit_test(test_history_newest_first),
		cmocka_unit_test(test_a_far_future_line_does_not_stop_following),
		cmocka_unit_test(test_a_source_ignoring_limit_and_end_stops_paging),
		cmocka_unit_test(test_simulated_source_every_line_once),
		cmocka_unit_test(test_simulated_history_then_follow),
		cmocka_unit_test(test_ten_thousand_at_one_nanosecond),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
