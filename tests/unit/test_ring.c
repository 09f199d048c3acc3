/* test_ring.c: the log ring keeps the newest lines within its caps, in
 * arrival order, and says how many it had to drop. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/ring.h"

/* Push a NUL-terminated line. */
static const struct log_line *
push(struct ring *r, const char *labels, const char *text)
{
	return (ring_push(r, 0, labels, text, strlen(text)));
}

static void	pushf(struct ring *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
pushf(struct ring *r, const char *fmt, ...)
{
	va_list	ap;
	char	buf[64];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	push(r, NULL, buf);
}

/* The text of the i'th oldest line. */
static const char *
text(const struct ring *r, size_t i)
{
	const struct log_line	*l;

	l = ring_get(r, i);
	assert_non_null(l);
	return (LOG_LINE_TEXT(l));
}

/* Recount bytes from what the ring holds. */
static size_t
recount(const struct ring *r)
{
	const struct log_line	*l;
	size_t			 i, sum = 0;

	for (i = 0; i < r->n; i++) {
		l = ring_get(r, i);
		sum += ring_line_bytes(l->labels_len, l->len);
	}
	return (sum);
}

static void
test_push_stores_a_copy(void **state)
{
	struct ring		 r;
	const struct log_line	*l;
	char			 labels[] = "{app=\"api\"}", msg[] = "GET /x 200";

	ring_init(&r, 10, 1 << 20);
	l = ring_push(&r, 1700000000123456789, labels, msg, strlen(msg));
	memset(labels, 'X', strlen(labels));
	memset(msg, 'X', strlen(msg));
	assert_ptr_equal(ring_get(&r, 0), l);
	assert_string_equal(LOG_LINE_LABELS(l), "{app=\"api\"}");
	assert_string_equal(LOG_LINE_TEXT(l), "GET /x 200");
	assert_int_equal(l->len, 10);
	assert_int_equal(l->labels_len, 11);
	assert_int_equal(l->ts, 1700000000123456789);
	assert_int_equal(r.bytes, ring_line_bytes(11, 10));
	ring_free(&r);
}

static void
test_no_labels_and_embedded_nul(void **state)
{
	struct ring		 r;
	const struct log_line	*l;

	ring_init(&r, 10, 1 << 20);
	l = ring_push(&r, 0, NULL, "a\0b", 3);
	assert_string_equal(LOG_LINE_LABELS(l), "");
	assert_int_equal(l->len, 3);
	assert_memory_equal(LOG_LINE_TEXT(l), "a\0b", 4);
	ring_free(&r);
}

static void
test_cap_in_lines_keeps_newest(void **state)
{
	struct ring	r;

	ring_init(&r, 3, SIZE_MAX);
	push(&r, NULL, "one");
	push(&r, NULL, "two");
	push(&r, NULL, "three");
	push(&r, NULL, "four");
	push(&r, NULL, "five");
	assert_int_equal(r.n, 3);
	assert_string_equal(text(&r, 0), "three");
	assert_string_equal(text(&r, 1), "four");
	assert_string_equal(text(&r, 2), "five");
	assert_null(ring_get(&r, 3));
	assert_int_equal(r.evicted, 2);
	assert_int_equal(r.bytes, recount(&r));
	ring_free(&r);
}

static void
test_cap_in_bytes_keeps_newest(void **state)
{
	struct ring	r;
	size_t		one;
	int		i;

	one = ring_line_bytes(0, 10);
	ring_init(&r, 1000, 3 * one + one / 2);
	for (i = 0; i < 5; i++)
		pushf(&r, "line %05d", i);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.bytes, 3 * one);
	assert_int_equal(r.evicted, 2);
	assert_string_equal(text(&r, 0), "line 00002");
	assert_string_equal(text(&r, 2), "line 00004");
	ring_free(&r);
}

static void
test_wrap_around_keeps_arrival_order(void **state)
{
	struct ring	r;
	char		want[32];
	size_t		i;

	/* 100 is not a power of two nor a multiple of the growth step. */
	ring_init(&r, 100, SIZE_MAX);
	for (i = 0; i < 1037; i++)
		pushf(&r, "msg %d", (int)i);
	assert_int_equal(r.n, 100);
	assert_int_equal(r.evicted, 937);
	for (i = 0; i < 100; i++) {
		snprintf(want, sizeof want, "msg %d", (int)(937 + i));
		assert_string_equal(text(&r, i), want);
	}
	ring_free(&r);
}

/* Growth while the byte cap already wraps the ring must keep the order. */
static void
test_growth_after_byte_evictions_keeps_order(void **state)
{
	struct ring	r;
	char		want[32];
	size_t		i;

	ring_init(&r, 100000, 200 * ring_line_bytes(0, 8));
	for (i = 0; i < 5000; i++)
		pushf(&r, "n%07d", (int)i);
	assert_int_equal(r.n, 200);
	for (i = 0; i < r.n; i++) {
		snprintf(want, sizeof want, "n%07d", (int)(4800 + i));
		assert_string_equal(text(&r, i), want);
	}
	/* Slots grow with use, not to the 100,000-line cap. */
	assert_true(r.cap < 1000);
	ring_free(&r);
}

static void
test_byte_accounting_exact_after_evictions(void **state)
{
	struct ring	r;
	char		buf[600], labels[40];
	size_t		i, len, max;

	max = 20000;
	ring_init(&r, 50, max);
	srand(42);
	for (i = 0; i < 3000; i++) {
		len = (size_t)rand() % sizeof buf;
		memset(buf, 'a' + i % 26, len);
		snprintf(labels, sizeof labels, "{pod=\"p-%zu\"}", i % 7);
		ring_push(&r, (int64_t)i, labels, buf, len);
		assert_int_equal(r.bytes, recount(&r));
		assert_true(r.bytes <= max);
		assert_true(r.n <= 50);
	}
	/* Every push either stayed or evicted: nothing lost uncounted. */
	assert_int_equal(r.evicted + r.n, 3000);
	ring_clear(&r);
	assert_int_equal(r.bytes, 0);
	ring_free(&r);
}

static void
test_seq_rises_and_is_never_reused(void **state)
{
	struct ring		 r;
	const struct log_line	*l;
	uint64_t		 last = 0;
	size_t			 i;
	int			 k;

	ring_init(&r, 10, SIZE_MAX);
	for (k = 0; k < 25; k++) {
		l = push(&r, NULL, "x");
		assert_true(l->seq > last);
		last = l->seq;
	}
	for (i = 1; i < r.n; i++)
		assert_int_equal(ring_get(&r, i)->seq,
		    ring_get(&r, i - 1)->seq + 1);
	ring_clear(&r);
	l = push(&r, NULL, "after clear");
	assert_true(l->seq > last);
	ring_free(&r);
}

static void
test_find_seq(void **state)
{
	struct ring	r;
	uint64_t	oldest, newest;
	int		i;

	ring_init(&r, 64, SIZE_MAX);
	assert_int_equal(ring_find_seq(&r, 1), 0);
	for (i = 0; i < 150; i++)
		pushf(&r, "%d", i);
	oldest = ring_get(&r, 0)->seq;
	newest = ring_get(&r, r.n - 1)->seq;
	/* Evicted lines resolve to the oldest still held. */
	assert_int_equal(ring_find_seq(&r, 0), 0);
	assert_int_equal(ring_find_seq(&r, oldest - 10), 0);
	assert_int_equal(ring_find_seq(&r, oldest), 0);
	assert_int_equal(ring_find_seq(&r, oldest + 17), 17);
	assert_int_equal(ring_find_seq(&r, newest), r.n - 1);
	/* Nothing newer yet. */
	assert_int_equal(ring_find_seq(&r, newest + 1), r.n);
	ring_free(&r);
}

static void
test_huge_line_is_kept_alone(void **state)
{
	struct ring		 r;
	const struct log_line	*l;
	char			*big;
	size_t			 bigsz = 10000;

	ring_init(&r, 100, 1000);
	push(&r, NULL, "small 1");
	push(&r, NULL, "small 2");
	big = malloc(bigsz);
	assert_non_null(big);
	memset(big, 'Z', bigsz);
	l = ring_push(&r, 0, NULL, big, bigsz);
	assert_int_equal(r.n, 1);
	assert_ptr_equal(ring_get(&r, 0), l);
	assert_int_equal(l->len, bigsz);
	assert_memory_equal(LOG_LINE_TEXT(l), big, bigsz);
	assert_int_equal(r.evicted, 2);
	assert_int_equal(r.bytes, ring_line_bytes(0, bigsz));
	/* The next line pushes it out. */
	push(&r, NULL, "small 3");
	assert_int_equal(r.n, 1);
	assert_string_equal(text(&r, 0), "small 3");
	assert_int_equal(r.bytes, ring_line_bytes(0, 7));
	free(big);
	ring_free(&r);
}

static void
test_long_labels_cut_at_character_boundary(void **state)
{
	struct ring		 r;
	const struct log_line	*l;
	char			*labels;
	size_t			 i, n = 70000;

	/* "é" is two bytes; 65535 is odd, so a byte cut would split one. */
	labels = malloc(n + 1);
	assert_non_null(labels);
	for (i = 0; i < n; i += 2)
		memcpy(labels + i, "\xc3\xa9", 2);
	labels[n] = '\0';
	ring_init(&r, 10, SIZE_MAX);
	l = push(&r, labels, "text survives");
	assert_int_equal(l->labels_len, 65534);
	assert_memory_equal(LOG_LINE_LABELS(l), labels, 65534);
	assert_int_equal(LOG_LINE_LABELS(l)[65534], '\0');
	assert_string_equal(LOG_LINE_TEXT(l), "text survives");
	assert_int_equal(r.bytes, ring_line_bytes(65534, 13));
	free(labels);
	ring_free(&r);
}

static void
test_clear_empties_and_ring_still_works(void **state)
{
	struct ring	r;
	int		i;

	ring_init(&r, 5, SIZE_MAX);
	for (i = 0; i < 8; i++)
		pushf(&r, "%d", i);
	ring_clear(&r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.bytes, 0);
	assert_null(ring_get(&r, 0));
	assert_int_equal(ring_find_seq(&r, 0), 0);
	for (i = 0; i < 7; i++)
		pushf(&r, "again %d", i);
	assert_int_equal(r.n, 5);
	assert_string_equal(text(&r, 0), "again 2");
	assert_string_equal(text(&r, 4), "again 6");
	ring_free(&r);
	/* Free twice is harmless (ring_free leaves an empty ring). */
	ring_free(&r);
}

static void
test_zero_line_cap_keeps_the_newest(void **state)
{
	struct ring	r;

	ring_init(&r, 0, SIZE_MAX);
	push(&r, NULL, "a");
	push(&r, NULL, "b");
	assert_int_equal(r.n, 1);
	assert_string_equal(text(&r, 0), "b");
	ring_free(&r);
}

/* Label sets are held once, however many lines share them, and go with
 * the last line that used them. */
static void
test_labels_are_interned(void **state)
{
	struct ring		 r;
	const struct log_line	*a, *b, *c;
	size_t			 one;

	ring_init(&r, 3, SIZE_MAX);
	a = push(&r, "{pod=\"api-1\"}", "one");
	b = push(&r, "{pod=\"api-1\"}", "two");
	c = push(&r, "{pod=\"api-2\"}", "three");
	assert_ptr_equal(LOG_LINE_LABELS(a), LOG_LINE_LABELS(b));
	assert_ptr_not_equal(LOG_LINE_LABELS(a), LOG_LINE_LABELS(c));
	assert_int_equal(r.nlabels, 2);
	one = r.label_bytes / 2;
	assert_true(one > 13);
	/* Pushing out both api-1 lines frees api-1. */
	push(&r, "{pod=\"api-2\"}", "four");
	assert_int_equal(r.nlabels, 2);
	push(&r, NULL, "five");
	assert_int_equal(r.nlabels, 1);
	assert_string_equal(LOG_LINE_LABELS(ring_get(&r, 0)),
	    "{pod=\"api-2\"}");
	ring_clear(&r);
	assert_int_equal(r.nlabels, 0);
	assert_int_equal(r.label_bytes, 0);
	ring_free(&r);
}

/* The byte cap covers the label sets too. */
static void
test_byte_cap_counts_labels(void **state)
{
	struct ring	r;
	char		labels[64];
	int		i;

	ring_init(&r, 1000, 4000);
	for (i = 0; i < 200; i++) {
		snprintf(labels, sizeof labels, "{pod=\"pod-%d\"}", i);
		push(&r, labels, "x");
		assert_true(r.bytes + r.label_bytes <= 4000);
		assert_int_equal(r.bytes, recount(&r));
	}
	assert_true(r.evicted > 0);
	assert_int_equal(r.nlabels, r.n);
	assert_true(ring_memory(&r) >= r.bytes + r.label_bytes);
	ring_free(&r);
}

static void
test_flags_and_new_caps(void **state)
{
	struct ring		 r;
	const struct log_line	*l;
	int			 i;

	ring_init(&r, 100, SIZE_MAX);
	l = ring_push_flags(&r, 5, "sitrep", "12 lines skipped", 16,
	    LOG_LINE_MARK);
	assert_int_equal(l->flags, LOG_LINE_MARK);
	assert_int_equal(push(&r, NULL, "plain")->flags, 0);
	for (i = 0; i < 50; i++)
		pushf(&r, "n%d", i);
	ring_set_caps(&r, 10, SIZE_MAX);
	assert_int_equal(r.n, 10);
	assert_string_equal(text(&r, 9), "n49");
	assert_int_equal(r.evicted, 42);
	ring_set_caps(&r, 10, 3 * ring_line_bytes(0, 3));
	assert_int_equal(r.n, 3);
	ring_free(&r);
}

/* The history view pushes older lines at the front: order and sequence
 * numbers stay contiguous, ring_find_seq finds them, and a full ring takes
 * nothing at the front rather than dropping what it holds. */
static void
test_push_front_for_history(void **state)
{
	struct ring	r;
	char		text[16];
	size_t		i;

	ring_init(&r, 5, 1 << 20);
	r.next_seq = 1000;
	assert_non_null(ring_push(&r, 10, "{a=\"1\"}", "ten", 3));
	for (i = 9; i >= 6; i--) {
		snprintf(text, sizeof text, "t%zu", i);
		assert_non_null(ring_push_front(&r, (int64_t)i, "{a=\"1\"}",
		    text, strlen(text), 0));
	}
	assert_int_equal(r.n, 5);
	for (i = 0; i < r.n; i++) {
		assert_true(ring_get(&r, i)->ts == (int64_t)(6 + i));
		if (i > 0)
			assert_true(ring_get(&r, i)->seq ==
			    ring_get(&r, i - 1)->seq + 1);
	}
	assert_int_equal(ring_find_seq(&r, ring_get(&r, 2)->seq), 2);
	assert_string_equal(LOG_LINE_TEXT(ring_get(&r, 0)), "t6");
	/* Full: refused, nothing dropped. */
	assert_false(ring_has_room(&r, 2));
	assert_null(ring_push_front(&r, 5, "", "t5", 2, 0));
	assert_int_equal(r.n, 5);
	assert_int_equal(r.evicted, 0);
	assert_true(ring_get(&r, 0)->ts == 6);
	ring_free(&r);
}

/* Two sources' lines in time order, the second's history merged in among
 * the first's; seqs stay contiguous and are all new (a filtered view
 * starts again); the caps then drop the oldest, whichever source. */
static void
test_merge_two_sources_in_time_order(void **state)
{
	struct ring	r;
	struct ring_in	in[4];
	char		text[4][8];
	uint64_t	before;
	size_t		i, bytes;
	int64_t		want[] = { 10, 15, 20, 25, 30, 35, 40 };
	unsigned	from[] = { 1, 2, 1, 2, 1, 2, 1 };

	(void)state;
	ring_init(&r, 100, 1 << 20);
	for (i = 0; i < 4; i++)
		ring_push_flags(&r, 10 + 10 * (int64_t)i, "{p=\"a\"}", "a", 1,
		    LOG_LINE_FROM(1));
	before = r.next_seq;
	for (i = 0; i < 3; i++) {
		snprintf(text[i], sizeof text[i], "b%zu", i);
		in[i].ts = 15 + 10 * (int64_t)i;
		in[i].labels = "{p=\"b\"}";
		in[i].text = text[i];
		in[i].len = strlen(text[i]);
	}
	ring_merge(&r, in, 3, LOG_LINE_FROM(2));
	assert_int_equal(r.n, 7);
	for (i = 0; i < r.n; i++) {
		const struct log_line *l = ring_get(&r, i);

		assert_true(l->ts == want[i]);
		assert_int_equal(l->from, from[i]);
		assert_true(l->seq >= before);
		if (i > 0)
			assert_true(l->seq == ring_get(&r, i - 1)->seq + 1);
	}
	assert_string_equal(LOG_LINE_TEXT(ring_get(&r, 1)), "b0");
	assert_string_equal(LOG_LINE_LABELS(ring_get(&r, 3)), "{p=\"b\"}");
	assert_int_equal(ring_find_seq(&r, ring_get(&r, 4)->seq), 4);
	bytes = 0;
	for (i = 0; i < r.n; i++)
		bytes += ring_line_bytes(0, ring_get(&r, i)->len);
	assert_int_equal(r.bytes, bytes);

	/* All newer than what is held: pushed, the seqs kept. */
	before = ring_get(&r, 0)->seq;
	in[0].ts = 50;
	ring_merge(&r, in, 1, LOG_LINE_FROM(2));
	assert_true(ring_get(&r, 0)->seq == before);
	assert_true(ring_get(&r, 7)->ts == 50);

	/* The line cap drops the oldest after a merge. */
	ring_set_caps(&r, 8, 1 << 20);
	in[0].ts = 12;
	ring_merge(&r, in, 1, LOG_LINE_FROM(2));
	assert_int_equal(r.n, 8);
	assert_true(ring_get(&r, 0)->ts == 12);
	assert_int_equal(r.evicted, 1);
	ring_free(&r);
}

/* One source's lines go (its retarget, or its environment hidden); the
 * other's stay in order with new seqs, and the bytes add up. */
static void
test_drop_one_source(void **state)
{
	struct ring	r;
	uint64_t	next, kept, gone;
	size_t		i;

	(void)state;
	ring_init(&r, 100, 1 << 20);
	for (i = 0; i < 10; i++)
		ring_push_flags(&r, (int64_t)i, i % 2 ? "{s=\"b\"}" :
		    "{s=\"a\"}", i % 2 ? "bb" : "a", i % 2 ? 2 : 1,
		    LOG_LINE_FROM(1 + i % 2));
	ring_push_flags(&r, 10, "sitrep", "gap", 3,
	    LOG_LINE_MARK | LOG_LINE_FROM(2));
	next = r.next_seq;
	kept = ring_get(&r, 2)->seq;	/* ts 2, of source 1 */
	gone = ring_get(&r, 3)->seq;	/* ts 3, of source 2 */
	assert_int_equal(ring_drop_from(&r, 2), 6);
	/* What a view held is found again: the line, or the next kept. */
	assert_true(ring_renumbered(&r, kept) == ring_get(&r, 1)->seq);
	assert_true(ring_renumbered(&r, gone) == ring_get(&r, 2)->seq);
	assert_true(ring_renumbered(&r, next) == r.next_seq);
	assert_int_equal(r.n, 5);
	for (i = 0; i < r.n; i++) {
		assert_true(ring_get(&r, i)->ts == (int64_t)(2 * i));
		assert_string_equal(LOG_LINE_TEXT(ring_get(&r, i)), "a");
		assert_true(ring_get(&r, i)->seq == next + i);
	}
	assert_int_equal(r.bytes, 5 * ring_line_bytes(0, 1));
	assert_int_equal(r.nlabels, 1);
	/* Nothing of a source that has none: nothing moves. */
	assert_int_equal(ring_drop_from(&r, 7), 0);
	assert_true(ring_get(&r, 0)->seq == next);
	/* The ring goes on taking lines. */
	ring_push(&r, 20, "", "z", 1);
	assert_int_equal(r.n, 6);
	assert_int_equal(ring_drop_from(&r, 1), 5);
	assert_int_equal(r.n, 1);
	assert_string_equal(LOG_LINE_TEXT(ring_get(&r, 0)), "z");
	ring_free(&r);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_push_stores_a_copy),
		cmocka_unit_test(test_no_labels_and_embedded_nul),
		cmocka_unit_test(test_cap_in_lines_keeps_newest),
		cmocka_unit_test(test_cap_in_bytes_keeps_newest),
		cmocka_unit_test(test_wrap_around_keeps_arrival_order),
		cmocka_unit_test(test_growth_after_byte_evictions_keeps_order),
		cmocka_unit_test(test_byte_accounting_exact_after_evictions),
		cmocka_unit_test(test_seq_rises_and_is_never_reused),
		cmocka_unit_test(test_find_seq),
		cmocka_unit_test(test_huge_line_is_kept_alone),
		cmocka_unit_test(test_push_front_for_history),
		cmocka_unit_test(test_long_labels_cut_at_character_boundary),
		cmocka_unit_test(test_clear_empties_and_ring_still_works),
		cmocka_unit_test(test_zero_line_cap_keeps_the_newest),
		cmocka_unit_test(test_labels_are_interned),
		cmocka_unit_test(test_byte_cap_counts_labels),
		cmocka_unit_test(test_flags_and_new_caps),
		cmocka_unit_test(test_merge_two_sources_in_time_order),
		cmocka_unit_test(test_drop_one_source),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
