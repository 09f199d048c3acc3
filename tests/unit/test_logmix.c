/* test_logmix.c: two Lokis' lines reach the ring in time order across them,
 * never held behind a source that has stopped or gone silent, and never
 * lost when too many wait. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/logmix.h"

#define S	INT64_C(1000000000)
#define NOW	(INT64_C(1700000000) * S)
/* A line's time: n ms, a few seconds before NOW (as Loki's come). */
#define T(n)	(NOW - 3 * S + (int64_t)(n) * 1000000)

static void
offer(struct logmix *x, struct ring *out, size_t src, int64_t ts)
{
	char	text[32];

	snprintf(text, sizeof text, "%zu@%lld", src, (long long)ts);
	logmix_offer(x, out, src, ts, src == 0 ? "{env=\"a\"}" :
	    "{env=\"b\"}", text, strlen(text), LOG_LINE_FROM(src + 1));
}

struct mix {
	struct logmix	x;
	struct ring	r;
};

static int
setup(void **state)
{
	static struct mix	m;

	ring_init(&m.r, 100, 1 << 20);
	logmix_init(&m.x, 5 * S);	/* max_lag */
	*state = &m;
	return (0);
}

static int
teardown(void **state)
{
	struct mix	*m = *state;

	logmix_free(&m->x);
	ring_free(&m->r);
	return (0);
}

/* The ring's times in order, and each line's source. */
static void
assert_ring(const struct ring *r, const int64_t *ts, const unsigned *from,
    size_t n)
{
	size_t	i;

	assert_int_equal(r->n, n);
	for (i = 0; i < n; i++) {
		assert_true(ring_get(r, i)->ts == T(ts[i]));
		assert_int_equal(ring_get(r, i)->from, from[i] + 1);
	}
}

/* One Loki: its lines go straight in, as if there were no mixer. */
static void
test_one_source_goes_through(void **state)
{
	struct mix	*m = *state;
	struct logmix	*x = &m->x;
	struct ring	*r = &m->r;

	logmix_horizon(x, r, 0, 10, NOW);
	offer(x, r, 0, 12);
	offer(x, r, 0, 14);
	assert_int_equal(r->n, 2);
	assert_int_equal(logmix_waiting(x), 0);
}

/* prod's round ends at 20 before staging's has: prod's lines wait for
 * staging to come past them, then both go in time order. */
static void
test_two_sources_in_time_order(void **state)
{
	struct mix	*m = *state;
	struct logmix	*x = &m->x;
	struct ring	*r = &m->r;
	const int64_t	ts[] = { 11, 12, 13, 15, 18, 19 };
	const unsigned	from[] = { 1, 0, 1, 0, 0, 1 };

	logmix_horizon(x, r, 0, T(10), NOW);
	logmix_horizon(x, r, 1, T(10), NOW);
	offer(x, r, 0, T(12));
	offer(x, r, 0, T(15));
	offer(x, r, 0, T(18));
	logmix_horizon(x, r, 0, T(20), NOW);
	assert_int_equal(r->n, 0);	/* staging may still bring older */
	offer(x, r, 1, T(11));
	offer(x, r, 1, T(13));
	offer(x, r, 1, T(19));
	logmix_horizon(x, r, 1, T(16), NOW);
	assert_ring(r, ts, from, 4);	/* up to 16 */
	logmix_horizon(x, r, 1, T(20), NOW);
	assert_ring(r, ts, from, 6);
	assert_int_equal(logmix_waiting(x), 0);
}

/* staging's Loki is far behind (a long delay, a hung request): prod's
 * lines wait until they are max_lag old, no longer; one that fails
 * leaves at once. */
static void
test_slow_or_failing_source_holds_little(void **state)
{
	struct mix	*m = *state;
	struct logmix	*x = &m->x;
	struct ring	*r = &m->r;

	logmix_horizon(x, r, 0, T(10), NOW);
	logmix_horizon(x, r, 1, T(10), NOW);
	offer(x, r, 0, T(12));
	logmix_horizon(x, r, 0, T(20), NOW);
	assert_int_equal(r->n, 0);
	/* staging moves, but stays behind: 12 is not yet 5 s old. */
	logmix_horizon(x, r, 1, T(11), NOW);
	logmix_release(x, r, T(12) + 4 * S);
	assert_int_equal(r->n, 0);
	logmix_release(x, r, T(12) + 5 * S + 1);
	assert_int_equal(r->n, 1);
	/* Failing: it leaves, and holds nobody back. */
	offer(x, r, 0, T(21));
	logmix_horizon(x, r, 0, T(30), NOW);
	assert_int_equal(r->n, 1);
	logmix_leave(x, r, 1, NOW);
	assert_int_equal(r->n, 2);
	assert_int_equal(logmix_waiting(x), 0);
}

/* More waiting than the caps hold: the oldest go in, in order, instead
 * of being lost; a dropped source's waiting lines go with it. */
static void
test_full_wait_and_drop(void **state)
{
	struct mix	*m = *state;
	struct logmix	*x = &m->x;
	struct ring	*r = &m->r;
	int64_t		i;

	logmix_set_caps(x, 4, 1 << 20);
	logmix_horizon(x, r, 0, T(0), NOW);
	logmix_horizon(x, r, 1, T(0), NOW);
	for (i = 1; i <= 6; i++)
		offer(x, r, 0, T(i));
	assert_int_equal(r->n, 2);
	assert_true(ring_get(r, 0)->ts == T(1));
	assert_true(ring_get(r, 1)->ts == T(2));
	assert_int_equal(logmix_waiting(x), 4);
	logmix_drop(x, 0);
	assert_int_equal(logmix_waiting(x), 0);
	assert_int_equal(r->evicted, 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_one_source_goes_through, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_two_sources_in_time_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_slow_or_failing_source_holds_little, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_full_wait_and_drop, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
