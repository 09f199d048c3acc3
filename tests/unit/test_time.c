/* test_time.c: the durations a user writes in sitrep.conf, the ages shown in
 * the panes, and the timestamps sources send. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/numconv.h"
#include "core/timeutil.h"

#define SEC	INT64_C(1000000000)
/* 2026-11-26T14:32:05Z */
#define T0	INT64_C(1795703525)

static void
test_duration_parses_what_users_write(void **state)
{
	assert_int_equal(duration_parse_ms("250ms"), 250);
	assert_int_equal(duration_parse_ms("15s"), 15000);
	assert_int_equal(duration_parse_ms("5m"), 300000);
	assert_int_equal(duration_parse_ms("1h"), 3600000);
	assert_int_equal(duration_parse_ms("1h30m"), 5400000);
	assert_int_equal(duration_parse_ms("30d"), INT64_C(30) * 86400000);
	assert_int_equal(duration_parse_ms("2w"), INT64_C(14) * 86400000);
	assert_int_equal(duration_parse_ms("1m30s500ms"), 90500);
	assert_int_equal(duration_parse_ms("1d2h3m4s"),
	    ((INT64_C(86400) + 7200 + 180 + 4) * 1000));
	assert_int_equal(duration_parse_ms("0"), 0);
	assert_int_equal(duration_parse_ms("0s"), 0);
	assert_int_equal(duration_parse_ms("90s"), 90000);
}

static void
test_duration_rejects_mistakes(void **state)
{
	static const char	*bad[] = {
		"", "15", "00", "-5s", "+5s", "5x", "s", "m5", "5 m", " 5m",
		"5m ", "1.5h", "5M", "5sec", "30m1h", "5m5m", "1h 30m", "ms",
		"5mss", "0x10s",
		"99999999999999999999s",	/* digits overflow */
		"9223372036854775807s",		/* fits, times 1000 doesn't */
		"15250284453w",			/* ~292 million years */
		"9223372036854775s9223372036854775ms", /* the sum overflows */
	};
	size_t			 i;

	assert_int_equal(duration_parse_ms(NULL), -1);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (duration_parse_ms(bad[i]) != -1)
			fail_msg("\"%s\" was accepted", bad[i]);
	}
	/* Just inside the limit still works. */
	assert_int_equal(duration_parse_ms("15250284452w"),
	    INT64_C(15250284452) * 7 * 86400000);
}

static void
check_fmt(int64_t secs, const char *want)
{
	char	buf[32];

	memset(buf, 'X', sizeof buf);
	duration_format(buf, sizeof buf, secs);
	assert_string_equal(buf, want);
}

static void
test_duration_format_is_short(void **state)
{
	check_fmt(0, "0s");
	check_fmt(45, "45s");
	check_fmt(59, "59s");
	check_fmt(60, "1m");
	check_fmt(90, "1m30s");
	check_fmt(360, "6m");
	check_fmt(3599, "59m59s");
	check_fmt(3600, "1h");
	check_fmt(7500, "2h05m");
	check_fmt(7500 + 59, "2h05m");	/* seconds dropped past an hour */
	check_fmt(86399, "23h59m");
	check_fmt(3 * 86400, "3d");
	check_fmt(90000, "1d01h");
	check_fmt(400 * 86400 + 3600 * 5, "400d05h");
	/* A source clock ahead of ours. */
	check_fmt(-45, "-45s");
	check_fmt(-7500, "-2h05m");
	check_fmt(INT64_MIN, "-106751991167300d15h");
}

static void
test_duration_format_respects_buffer(void **state)
{
	char	buf[4];

	memset(buf, 'X', sizeof buf);
	duration_format(buf, sizeof buf, 7500);
	assert_string_equal(buf, "2h0");
}

static int64_t
parse_ok(const char *s)
{
	int64_t	ns = -42;

	if (!time_parse_iso(s, &ns))
		fail_msg("\"%s\" was rejected", s);
	return (ns);
}

static void
test_iso_parses_rfc3339(void **state)
{
	assert_int_equal(parse_ok("2026-11-26T14:32:05Z"), T0 * SEC);
	assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(parse_ok("2024-02-29T12:00:00Z"),
	    INT64_C(1709208000) * SEC);
	/* Before the epoch. */
	assert_int_equal(parse_ok("1969-12-31T23:59:59.5Z"), -SEC / 2);
}

static void
test_iso_fractions(void **state)
{
	assert_int_equal(parse_ok("2026-11-26T14:32:05.5Z"),
	    T0 * SEC + 500000000);
	assert_int_equal(parse_ok("2026-11-26T14:32:05.123Z"),
	    T0 * SEC + 123000000);
	assert_int_equal(parse_ok("2026-11-26T14:32:05.123456789Z"),
	    T0 * SEC + 123456789);
	/* Past nanoseconds: dropped, not rounded into the next second. */
	assert_int_equal(parse_ok("2026-11-26T14:32:05.9999999999999Z"),
	    T0 * SEC + 999999999);
	assert_int_equal(parse_ok("2026-11-26T14:32:05,25Z"),
	    T0 * SEC + 250000000);
}

static void
test_iso_offsets_and_spellings(void **state)
{
	/* All the same instant. */
	assert_int_equal(parse_ok("2026-11-26T16:32:05+02:00"), T0 * SEC);
	assert_int_equal(parse_ok("2026-11-26T09:02:05-05:30"), T0 * SEC);
	assert_int_equal(parse_ok("2026-11-26T16:32:05+0200"), T0 * SEC);
	assert_int_equal(parse_ok("2026-11-26T14:32:05+00:00"), T0 * SEC);
	assert_int_equal(parse_ok("2026-11-26t14:32:05z"), T0 * SEC);
	assert_int_equal(parse_ok("2026-11-26 14:32:05Z"), T0 * SEC);
	/* No zone: UTC, whatever TZ says. */
	setenv("TZ", "EST5", 1);
	tzset();
	assert_int_equal(parse_ok("2026-11-26T14:32:05"), T0 * SEC);
	/* Across midnight and a month end. */
	assert_int_equal(parse_ok("2026-12-01T01:00:00+02:00"),
	    parse_ok("2026-11-30T23:00:00Z"));
}

static void
test_iso_rejects_garbage(void **state)
{
	static const char	*bad[] = {
		"", "garbage", "2026-11-26", "2026-11-26T14:32Z",
		"26-11-26T14:32:05Z", "2026-1-26T14:32:05Z",
		"2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
		"2026-11-31T00:00:00Z", "2026-02-29T00:00:00Z",
		"2026-11-26T24:00:00Z", "2026-11-26T14:60:05Z",
		"2026-11-26T14:32:61Z", "2026-11-26X14:32:05Z",
		"2026-11-26T14:32:05ZZ", "2026-11-26T14:32:05.Z",
		"2026-11-26T14:32:05+2:00", "2026-11-26T14:32:05+02",
		"2026-11-26T14:32:05+24:00", "2026-11-26T14:32:05 ",
		"2026-11-26T14:32:05+02:00x", " 2026-11-26T14:32:05Z",
		"2026-11-26T14:32:05UTC",
		"3000-01-01T00:00:00Z",		/* beyond int64 nanoseconds */
		"1600-01-01T00:00:00Z",
	};
	int64_t			 ns;
	size_t			 i;

	assert_false(time_parse_iso(NULL, &ns));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (time_parse_iso(bad[i], &ns))
			fail_msg("\"%s\" was accepted", bad[i]);
	}
}

static void
test_loki_nanoseconds(void **state)
{
	int64_t	ns;

	assert_true(time_parse_ns("1795703525123456789", &ns));
	assert_int_equal(ns, T0 * SEC + 123456789);
	assert_true(time_parse_ns("0", &ns));
	assert_int_equal(ns, 0);
	assert_false(time_parse_ns("", &ns));
	assert_false(time_parse_ns("-1", &ns));
	assert_false(time_parse_ns("17e18", &ns));
	assert_false(time_parse_ns("1795703525 ", &ns));
	assert_false(time_parse_ns("99999999999999999999", &ns));
	assert_false(time_parse_ns(NULL, &ns));
}

static void
test_format_iso_round_trips(void **state)
{
	char	buf[32];

	time_format_iso(buf, sizeof buf, (time_t)T0);
	assert_string_equal(buf, "2026-11-26T14:32:05Z");
	assert_int_equal(parse_ok(buf), T0 * SEC);
	time_format_iso(buf, sizeof buf, 0);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	/* Too small: empty rather than half a date. */
	time_format_iso(buf, 10, (time_t)T0);
	assert_string_equal(buf, "");
}

static void
test_format_clock_utc_and_local(void **state)
{
	char	buf[16];

	setenv("TZ", "EST5", 1);
	tzset();
	time_format_clock(buf, sizeof buf, (time_t)T0, false);
	assert_string_equal(buf, "14:32:05");
	time_format_clock(buf, sizeof buf, (time_t)T0, true);
	assert_string_equal(buf, "09:32:05");
}

static void
test_jump_back_stays_in_range(void **state)
{
	int64_t	ns, now = INT64_C(1796026500) * SEC;

	assert_true(time_parse_jump("-15m", now, false, &ns));
	assert_int_equal(ns, now - 15 * 60 * SEC);
	assert_true(time_parse_jump(" -2h", now, false, &ns));
	assert_int_equal(ns, now - 2 * 3600 * SEC);
	/* Found by fuzz_time: the milliseconds overflowed as nanoseconds. */
	assert_false(time_parse_jump("-091999999999h", now, false, &ns));
	assert_false(time_parse_jump("-9223372036854775807ms", now, false,
	    &ns));
}

static void
test_clocks_move_forward(void **state)
{
	int64_t	m0, m1, wall;

	m0 = time_mono_ms();
	m1 = time_mono_ms();
	assert_true(m1 >= m0);
	wall = time_wall_ns() / SEC;
	assert_true(llabs(wall - (int64_t)time_wall()) <= 1);
	/* Some time after this code was written. */
	assert_true(wall > INT64_C(1700000000));
}

/* Numbers from outside become integers only when they fit: no cast of
 * NaN, an infinity or 1e300 ever happens (the sanitizer build aborts on
 * one). */
static void
test_outside_numbers_are_bounded(void **state)
{
	int64_t	v = 7;
	time_t	t = 7;

	assert_false(num_double_to_i64(1e300, INT64_MIN, INT64_MAX, &v));
	assert_false(num_double_to_i64(-1e300, INT64_MIN, INT64_MAX, &v));
	assert_false(num_double_to_i64(0.0 / 0.0, INT64_MIN, INT64_MAX, &v));
	assert_false(num_double_to_i64(9223372036854775808.0, INT64_MIN,
	    INT64_MAX, &v));
	assert_int_equal(v, 7);
	assert_true(num_double_to_i64(-9223372036854775808.0, INT64_MIN,
	    INT64_MAX, &v));
	assert_true(v == INT64_MIN);
	assert_true(num_double_to_i64(41.9, 0, 100, &v));
	assert_int_equal(v, 41);
	assert_false(num_double_to_i64(101, 0, 100, &v));
	assert_int_equal(num_double_clamp_i64(1e300, 0, 100), 100);
	assert_int_equal(num_double_clamp_i64(-1e300, 5, 100), 5);
	assert_int_equal(num_double_clamp_i64(3, 5, 100), 5);
	assert_int_equal(num_clamp_i64(INT64_MAX, 0, 86400), 86400);
	assert_false(time_from_unix(1e300, &t));
	assert_false(time_from_unix(9223372036.0, &t));
	assert_true(time_from_unix(1795700000.9, &t));
	assert_int_equal(t, 1795700000);
}

/* A jump typed as "-100000000000w" is no time, not an overflow. */
static void
test_jump_far_back_is_refused(void **state)
{
	int64_t	ns = 0;

	assert_false(time_parse_jump("-15250284w", INT64_C(1795700000) *
	    1000000000, false, &ns));
	assert_true(time_parse_jump("-15m", INT64_C(1795700000) * 1000000000,
	    false, &ns));
	assert_true(ns == INT64_C(1795699100) * 1000000000);
}

/* Deadlines built from a server's Retry-After or a typed duration saturate
 * instead of wrapping into the past. */
static void
test_sums_saturate(void **state)
{
	assert_int_equal(time_add_sat(5, 7), 12);
	assert_true(time_add_sat(INT64_MAX - 1, 9223372036854775) ==
	    INT64_MAX);
	assert_true(time_add_sat(INT64_MIN + 1, -2) == INT64_MIN);
	assert_int_equal(time_sub_sat(5, 7), -2);
	assert_true(time_sub_sat(INT64_MIN + 5, 6) == INT64_MIN);
	assert_true(time_sub_sat(1, INT64_MIN) == INT64_MAX);
	assert_int_equal(time_mul_sat(3600, 1000), 3600000);
	assert_true(time_mul_sat(INT64_C(9223372036854775807), 1000) ==
	    INT64_MAX);
	assert_true(time_mul_sat(INT64_C(10675199115) * 3600000, 1000000) ==
	    INT64_MAX);
	assert_true(time_mul_sat(-INT64_C(9223372036854775), 1001) ==
	    INT64_MIN);
}

/* The logs pane's time jump: a duration far longer than history is not a
 * time at all (it used to overflow into nonsense, or abort under UBSan). */
static void
test_jump_before_1970_is_refused(void **state)
{
	int64_t	now = T0 * SEC, ns = 42;

	assert_true(time_parse_jump("-15m", now, false, &ns));
	assert_true(ns == now - 15 * 60 * SEC);
	assert_true(time_parse_jump("-1000w", now, false, &ns));
	assert_true(ns == now - INT64_C(1000) * 7 * 86400 * SEC);
	assert_false(time_parse_jump("-10675199115h", now, false, &ns));
	assert_false(time_parse_jump("-106751991167d", now, false, &ns));
	assert_false(time_parse_jump("-9223372036854775807ms", now, false,
	    &ns));
	assert_false(time_parse_jump("-3000w", now, false, &ns));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_duration_parses_what_users_write),
		cmocka_unit_test(test_duration_rejects_mistakes),
		cmocka_unit_test(test_duration_format_is_short),
		cmocka_unit_test(test_duration_format_respects_buffer),
		cmocka_unit_test(test_iso_parses_rfc3339),
		cmocka_unit_test(test_iso_fractions),
		cmocka_unit_test(test_iso_offsets_and_spellings),
		cmocka_unit_test(test_iso_rejects_garbage),
		cmocka_unit_test(test_loki_nanoseconds),
		cmocka_unit_test(test_format_iso_round_trips),
		cmocka_unit_test(test_format_clock_utc_and_local),
		cmocka_unit_test(test_jump_back_stays_in_range),
		cmocka_unit_test(test_clocks_move_forward),
		cmocka_unit_test(test_outside_numbers_are_bounded),
		cmocka_unit_test(test_jump_far_back_is_refused),
		cmocka_unit_test(test_sums_saturate),
		cmocka_unit_test(test_jump_before_1970_is_refused),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
