/* test_loghist.c: the history view's pages against a simulated Loki. Three
 * streams stamp their lines alike (three lines share every timestamp), and
 * a page of 1,000 cuts between them: after the window around a moment and
 * pages past both ends, every line of the range is held exactly once and
 * in order, the moment's own lines among them; a range with nothing in it
 * says so and the next one reaches further; a full ring takes no more and
 * says so; a closed view drops a late page. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/loghist.h"
#include "core/ring.h"

#define NS		INT64_C(1000000000)
#define STREAMS		3
#define PERIOD		(NS / 2)		/* 2 lines/s a stream */
#define BASE		(INT64_C(1800000000) * NS)	/* the first line */
#define COUNT		14400			/* two hours a stream */
#define NOW		(BASE + COUNT * PERIOD)
#define LIMIT		1000
#define SPAN		(3600 * NS)

static const char *const labels[STREAMS] = {
	"{pod=\"a\"}", "{pod=\"b\"}", "{pod=\"c\"}"
};

struct entry {
	int64_t	ts;
	int	stream;
	int	i;
};

/* Loki's answer to [start, end): sorted by time (then stream), newest
 * first going back, at most limit. Returns the count. */
static size_t
loki(int64_t start, int64_t end, bool backward, size_t limit,
    struct entry *out)
{
	int64_t	lo, hi, k;
	size_t	n = 0;
	int	s;

	lo = start <= BASE ? 0 : (start - BASE + PERIOD - 1) / PERIOD;
	hi = end <= BASE ? 0 : (end - BASE + PERIOD - 1) / PERIOD;
	if (hi > COUNT)
		hi = COUNT;
	if (!backward) {
		for (k = lo; k < hi && n < limit; k++)
			for (s = 0; s < STREAMS && n < limit; s++)
				out[n++] = (struct entry){ BASE + k * PERIOD,
				    s, (int)k };
	} else {
		for (k = hi - 1; k >= lo && n < limit; k--)
			for (s = STREAMS - 1; s >= 0 && n < limit; s--)
				out[n++] = (struct entry){ BASE + k * PERIOD,
				    s, (int)k };
	}
	return (n);
}

/* One page, fed as backends/loki.c feeds it. */
static void
page(struct loghist *h, enum loghist_want dir)
{
	static struct entry	e[LIMIT];
	int64_t			start, end;
	size_t			n, i;
	char			text[64];

	loghist_range(h, dir, SPAN, NOW, &start, &end);
	h->doing = dir;
	loghist_page_begin(h, dir, start, end);
	n = loki(start, end, dir == LOGHIST_OLDER, LIMIT, e);
	for (i = 0; i < n; i++) {
		snprintf(text, sizeof text, "seq=%d stream=%d", e[i].i,
		    e[i].stream);
		loghist_page_take(h, e[i].ts, (uint64_t)e[i].stream << 32 |
		    (uint64_t)e[i].i, labels[e[i].stream], text, strlen(text));
	}
	loghist_page_end(h, n >= LIMIT);
}

static void
serve(struct loghist *h)
{
	enum loghist_want	w = loghist_take(h);

	if (w == LOGHIST_AROUND) {
		page(h, LOGHIST_OLDER);
		page(h, LOGHIST_NEWER);
	} else if (w != LOGHIST_NONE)
		page(h, w);
	loghist_done(h, NULL);
}

static void
count_streams(const struct loghist *h, int *per)
{
	size_t	j;
	int	seq, stream;

	memset(per, 0, sizeof(int) * STREAMS);
	for (j = 0; j < h->lines.n; j++) {
		sscanf(LOG_LINE_TEXT(ring_get(&h->lines, j)), "seq=%d "
		    "stream=%d", &seq, &stream);
		per[stream]++;
	}
}

static void
test_around_and_both_ends(void **state)
{
	struct loghist	h;
	int64_t		at = BASE + 7200 * PERIOD;	/* an hour back */
	int		per[STREAMS], k;
	size_t		j;

	loghist_init(&h);
	loghist_open(&h, at);
	assert_true(h.active);
	serve(&h);
	/* 1,000 before (cut inside a timestamp), 1,000 from the moment. */
	assert_int_equal(h.lines.n, 2 * LIMIT);
	for (j = 0; j < h.lines.n; j++)
		if (ring_get(&h.lines, j)->ts == at)
			break;
	assert_true(j + STREAMS <= h.lines.n);
	for (k = 0; k < STREAMS; k++)
		assert_true(ring_get(&h.lines, j + (size_t)k)->ts == at);
	/* Past both ends, three pages each. */
	for (k = 0; k < 3; k++) {
		assert_true(loghist_more(&h, LOGHIST_OLDER));
		assert_false(loghist_more(&h, LOGHIST_NEWER));	/* busy */
		serve(&h);
		assert_true(loghist_more(&h, LOGHIST_NEWER));
		serve(&h);
	}
	/* Each later page asks for its edge timestamp again: the lines
	 * already held there are not taken twice. */
	assert_true(h.lines.n > 8 * (LIMIT - STREAMS));
	assert_true(h.lines.n <= 8 * LIMIT);
	count_streams(&h, per);
	/* Pages cut inside timestamps: the streams differ by one at most. */
	assert_true(abs(per[0] - per[1]) <= 1 && abs(per[1] - per[2]) <= 1);
	loghist_close(&h);
	assert_false(h.active);
	assert_int_equal(h.lines.n, 0);
	loghist_free(&h);
}

/* The same, with whole timestamps checked: a window whose pages end
 * between timestamps, then one cut inside them, must both hold every line
 * once. */
static void
test_every_line_once(void **state)
{
	struct loghist	h;
	int64_t		at = BASE + 6000 * PERIOD;
	const struct log_line *l;
	size_t		j;
	int		seq, stream, lo, hi, k;
	static char	seen[STREAMS][COUNT];

	loghist_init(&h);
	loghist_open(&h, at);
	serve(&h);
	for (k = 0; k < 5; k++) {
		assert_true(loghist_more(&h, LOGHIST_OLDER));
		serve(&h);
		assert_true(loghist_more(&h, LOGHIST_NEWER));
		serve(&h);
	}
	memset(seen, 0, sizeof seen);
	lo = COUNT;
	hi = 0;
	for (j = 0; j < h.lines.n; j++) {
		l = ring_get(&h.lines, j);
		assert_int_equal(sscanf(LOG_LINE_TEXT(l), "seq=%d stream=%d",
		    &seq, &stream), 2);
		assert_int_equal(seen[stream][seq], 0);	/* never twice */
		seen[stream][seq] = 1;
		if (j > 0)
			assert_true(l->ts >= ring_get(&h.lines, j - 1)->ts);
		lo = seq < lo ? seq : lo;
		hi = seq > hi ? seq : hi;
	}
	/* Nothing missing between the ends (the end timestamps may be
	 * cut). */
	for (k = lo + 1; k < hi; k++)
		for (stream = 0; stream < STREAMS; stream++)
			assert_int_equal(seen[stream][k], 1);
	assert_true(h.lines.n > 12 * (LIMIT - STREAMS));
	loghist_free(&h);
}

static void
test_quiet_ranges_and_the_present(void **state)
{
	struct loghist	h;

	loghist_init(&h);
	/* Before the first line: nothing older, said, and the next range
	 * reaches a span further back. */
	loghist_open(&h, BASE + 10 * PERIOD);
	serve(&h);
	assert_int_equal(h.lines.n, 10 * STREAMS + LIMIT);
	assert_true(loghist_more(&h, LOGHIST_OLDER));
	serve(&h);
	assert_int_equal(h.page_new, 0);
	assert_int_equal(h.last, LOGHIST_OLDER);
	assert_true(h.last_end <= BASE + 1);
	assert_true(h.last_start <= BASE - SPAN);
	assert_true(loghist_more(&h, LOGHIST_OLDER));
	serve(&h);
	/* Nothing there either: the next range reaches a span further. */
	assert_true(h.last_start <= BASE - 2 * SPAN);
	loghist_close(&h);
	/* Near the present: the newer end is reached. */
	loghist_open(&h, NOW - 10 * PERIOD);
	serve(&h);
	assert_true(h.end_reached);
	loghist_free(&h);
}

static void
test_full_ring_and_late_pages(void **state)
{
	struct loghist	h;

	loghist_init(&h);
	loghist_set_caps(&h, 1500, 64 << 20);
	loghist_open(&h, BASE + 7200 * PERIOD);
	serve(&h);
	assert_int_equal(h.lines.n, 1500);
	assert_true(h.capped);
	/* A page that arrives after the view closed is dropped. */
	assert_true(loghist_more(&h, LOGHIST_NEWER));
	assert_int_equal(loghist_take(&h), LOGHIST_NEWER);
	loghist_close(&h);
	assert_false(loghist_page_take(&h, BASE, 1, labels[0], "x", 1));
	assert_int_equal(h.lines.n, 0);
	loghist_free(&h);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_around_and_both_ends),
		cmocka_unit_test(test_every_line_once),
		cmocka_unit_test(test_quiet_ranges_and_the_present),
		cmocka_unit_test(test_full_ring_and_late_pages),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
