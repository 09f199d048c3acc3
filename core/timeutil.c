/* timeutil.c: clocks, durations and timestamps. Parsers are strict (config
 * typos and garbage from a source are errors, not zeros) and never depend on
 * the locale or the TZ environment, except time_format_clock(..., local). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/numconv.h"
#include "core/timeutil.h"

#define NS_PER_SEC	INT64_C(1000000000)

struct duration_unit {
	const char	*name;
	int64_t		 ms;
};

/* Longest name first where one is a prefix of another ("ms" before "m"). */
static const struct duration_unit duration_units[] = {
	{ "ms", 1 },
	{ "s", 1000 },
	{ "m", 60 * 1000 },
	{ "h", 3600 * 1000 },
	{ "d", 86400 * 1000 },
	{ "w", 7 * 86400 * 1000 },
};

static int64_t
time_clock(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return ((int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec);
}

int64_t
time_mono_ms(void)
{
	return (time_clock(CLOCK_MONOTONIC) / 1000000);
}

time_t
time_wall(void)
{
	return (time(NULL));
}

int64_t
time_wall_ns(void)
{
	return (time_clock(CLOCK_REALTIME));
}

int64_t
time_add_sat(int64_t a, int64_t b)
{
	int64_t	r;

	if (__builtin_add_overflow(a, b, &r))
		return (b > 0 ? INT64_MAX : INT64_MIN);
	return (r);
}

int64_t
time_sub_sat(int64_t a, int64_t b)
{
	int64_t	r;

	if (__builtin_sub_overflow(a, b, &r))
		return (b < 0 ? INT64_MAX : INT64_MIN);
	return (r);
}

int64_t
time_mul_sat(int64_t a, int64_t b)
{
	int64_t	r;

	if (__builtin_mul_overflow(a, b, &r))
		return ((a < 0) == (b < 0) ? INT64_MAX : INT64_MIN);
	return (r);
}

static int
time_isdigit(char c)
{
	return (c >= '0' && c <= '9');
}

/* Read a run of digits into *v; false if there are none or it overflows. */
static bool
time_read_num(const char **pp, int64_t *v)
{
	const char	*p = *pp;
	int64_t		 n = 0;

	if (!time_isdigit(*p))
		return (false);
	for (; time_isdigit(*p); p++) {
		if (n > (INT64_MAX - (*p - '0')) / 10)
			return (false);
		n = n * 10 + (*p - '0');
	}
	*pp = p;
	*v = n;
	return (true);
}

static const struct duration_unit *
duration_unit_at(const char **pp)
{
	size_t	i, len;

	for (i = 0; i < sizeof duration_units / sizeof duration_units[0]; i++) {
		len = strlen(duration_units[i].name);
		if (strncmp(*pp, duration_units[i].name, len) == 0) {
			*pp += len;
			return (&duration_units[i]);
		}
	}
	return (NULL);
}

/*
 * One or more <number><unit> parts, units strictly largest first ("1h30m",
 * not "30m1h" or "5m5m", which are more likely typos than intent). A bare
 * number is rejected (is "15" seconds or minutes?) except "0", which means
 * the same in every unit. No signs, spaces or fractions.
 */
int64_t
duration_parse_ms(const char *s)
{
	const struct duration_unit	*u;
	const char			*p = s;
	int64_t				 n, total = 0, last = INT64_MAX;

	if (s == NULL || *s == '\0')
		return (-1);
	if (strcmp(s, "0") == 0)
		return (0);
	while (*p != '\0') {
		if (!time_read_num(&p, &n))
			return (-1);
		if ((u = duration_unit_at(&p)) == NULL || u->ms >= last)
			return (-1);
		last = u->ms;
		if (n > INT64_MAX / u->ms || total > INT64_MAX - n * u->ms)
			return (-1);
		total += n * u->ms;
	}
	return (total);
}

/*
 * The largest unit and, if not zero, the next one: "45s", "1m30s", "6m",
 * "2h05m", "3d", "1d01h". Negative durations (a clock ahead of ours) keep
 * their sign.
 */
void
duration_format(char *buf, size_t size, int64_t seconds)
{
	const char	*sign = "";
	uint64_t	 v, big, small;
	const char	*bu, *su;

	if (seconds < 0) {
		sign = "-";
		v = (uint64_t)0 - (uint64_t)seconds;
	} else
		v = (uint64_t)seconds;
	if (v < 60) {
		snprintf(buf, size, "%s%llus", sign, (unsigned long long)v);
		return;
	}
	if (v < 3600) {
		big = v / 60, small = v % 60, bu = "m", su = "s";
	} else if (v < 86400) {
		big = v / 3600, small = v % 3600 / 60, bu = "h", su = "m";
	} else {
		big = v / 86400, small = v % 86400 / 3600, bu = "d", su = "h";
	}
	if (small == 0)
		snprintf(buf, size, "%s%llu%s", sign, (unsigned long long)big,
		    bu);
	else
		snprintf(buf, size, "%s%llu%s%02llu%s", sign,
		    (unsigned long long)big, bu, (unsigned long long)small, su);
}

void
duration_format_short(char *buf, size_t size, int64_t seconds)
{
	int64_t	v = seconds < 0 ? 0 : seconds;

	if (v < 60)
		snprintf(buf, size, "%llds", (long long)v);
	else if (v < 100 * 60)
		snprintf(buf, size, "%lldm", (long long)(v / 60));
	else if (v < 48 * 3600)
		snprintf(buf, size, "%lldh", (long long)(v / 3600));
	else
		snprintf(buf, size, "%lldd", (long long)(v / 86400));
}

/* Exactly n digits. */
static bool
time_fixed(const char **pp, int n, int *v)
{
	const char	*p = *pp;
	int		 i, x = 0;

	for (i = 0; i < n; i++, p++) {
		if (!time_isdigit(*p))
			return (false);
		x = x * 10 + (*p - '0');
	}
	*pp = p;
	*v = x;
	return (true);
}

static bool
time_expect(const char **pp, const char *any)
{
	if (**pp == '\0' || strchr(any, **pp) == NULL)
		return (false);
	(*pp)++;
	return (true);
}

static int
time_mdays(int year, int mon)
{
	static const int	days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			leap;

	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return (days[mon - 1] + (mon == 2 && leap));
}

/* "YYYY-MM-DD", "T" (or "t" or a space), "HH:MM:SS"; into tm, range-checked.
 * A leap second (":60") is accepted; timegm() carries it into the next
 * minute. */
static bool
time_parse_civil(const char **pp, struct tm *tm)
{
	int	Y, M, D, h, m, s;

	if (!time_fixed(pp, 4, &Y) || !time_expect(pp, "-") ||
	    !time_fixed(pp, 2, &M) || !time_expect(pp, "-") ||
	    !time_fixed(pp, 2, &D) || !time_expect(pp, "Tt ") ||
	    !time_fixed(pp, 2, &h) || !time_expect(pp, ":") ||
	    !time_fixed(pp, 2, &m) || !time_expect(pp, ":") ||
	    !time_fixed(pp, 2, &s))
		return (false);
	if (M < 1 || M > 12 || D < 1 || D > time_mdays(Y, M) || h > 23 ||
	    m > 59 || s > 60)
		return (false);
	memset(tm, 0, sizeof *tm);
	tm->tm_year = Y - 1900;
	tm->tm_mon = M - 1;
	tm->tm_mday = D;
	tm->tm_hour = h;
	tm->tm_min = m;
	tm->tm_sec = s;
	return (true);
}

/* "." or "," and one or more digits, in nanoseconds; digits past the ninth
 * are dropped. No fraction is zero. */
static bool
time_parse_frac(const char **pp, int64_t *frac)
{
	const char	*p = *pp;
	int64_t		 scale = NS_PER_SEC / 10;

	*frac = 0;
	if (*p != '.' && *p != ',')
		return (true);
	if (!time_isdigit(*++p))
		return (false);
	for (; time_isdigit(*p); p++) {
		*frac += (*p - '0') * scale;
		scale /= 10;
	}
	*pp = p;
	return (true);
}

/* "Z", "+HH:MM", "-HHMM" or nothing (UTC), into seconds east of UTC. */
static bool
time_parse_zone(const char **pp, int64_t *off)
{
	int	sign, h, m;

	*off = 0;
	if (**pp == '\0')
		return (true);
	if (time_expect(pp, "Zz"))
		return (true);
	if (!time_expect(pp, "+-"))
		return (false);
	sign = ((*pp)[-1] == '-') ? -1 : 1;
	if (!time_fixed(pp, 2, &h))
		return (false);
	time_expect(pp, ":");
	if (!time_fixed(pp, 2, &m) || h > 23 || m > 59)
		return (false);
	*off = sign * (h * 3600 + m * 60);
	return (true);
}

/*
 * RFC 3339 and the common ISO-8601 spellings of it: "2026-11-26T14:32:05Z",
 * with an optional fraction of any length, a "+02:00" or "-0530" offset or
 * no zone at all (taken as UTC), lower-case "t"/"z" or a space for the "T".
 * Times outside what int64 nanoseconds hold (years 1678 to 2261) fail.
 */
bool
time_parse_iso(const char *s, int64_t *ns)
{
	const char	*p = s;
	struct tm	 tm;
	time_t		 t;
	int64_t		 frac, off, v;

	if (s == NULL || !time_parse_civil(&p, &tm) ||
	    !time_parse_frac(&p, &frac) || !time_parse_zone(&p, &off) ||
	    *p != '\0')
		return (false);
	t = timegm(&tm);
	if (__builtin_sub_overflow((int64_t)t, off, &v) ||
	    __builtin_mul_overflow(v, NS_PER_SEC, &v) ||
	    __builtin_add_overflow(v, frac, &v))
		return (false);
	*ns = v;
	return (true);
}

bool
time_from_unix(double s, time_t *t)
{
	int64_t	v;

	if (!num_double_to_i64(s, TIME_UNIX_MIN, TIME_UNIX_MAX, &v))
		return (false);
	*t = (time_t)v;
	return (true);
}

/* Loki's timestamps: a decimal count of nanoseconds since the epoch. */
bool
time_parse_ns(const char *s, int64_t *ns)
{
	const char	*p = s;
	int64_t		 v;

	if (s == NULL || !time_read_num(&p, &v) || *p != '\0')
		return (false);
	*ns = v;
	return (true);
}

/* On failure (a time gmtime cannot represent, a buffer too small) the result
 * is an empty string rather than garbage. */
void
time_format_iso(char *buf, size_t size, time_t t)
{
	struct tm	tm;

	if (size == 0)
		return;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
}

void
time_format_clock(char *buf, size_t size, time_t t, bool local)
{
	struct tm	 tm, *ok;

	if (size == 0)
		return;
	ok = local ? localtime_r(&t, &tm) : gmtime_r(&t, &tm);
	if (ok == NULL || strftime(buf, size, "%H:%M:%S", &tm) == 0)
		buf[0] = '\0';
}

/*
 * Where the logs pane's jump-time goes: "-15m" (that long before now),
 * "14:32" or "14:32:05" (today's clock time, in local time or UTC as the
 * screen shows it; yesterday's if that is still to come), or an RFC 3339 /
 * ISO-8601 instant. now_ns is the clock, passed in so that tests can fix it.
 */
bool
time_parse_jump(const char *s, int64_t now_ns, bool local, int64_t *ns)
{
	struct tm	 tm;
	time_t		 now = (time_t)(now_ns / 1000000000), t;
	int		 h, m, sec = 0, used = 0;
	int64_t		 ms;

	while (*s == ' ')
		s++;
	if (*s == '-') {
		/* "-100000000w" is typed as easily as "-15m". */
		if ((ms = duration_parse_ms(s + 1)) < 0 ||
		    __builtin_mul_overflow(ms, INT64_C(1000000), &ms) ||
		    __builtin_sub_overflow(now_ns, ms, ns))
			return (false);
		/* Nothing before 1970 is a time to jump to. */
		return (*ns >= 0);
	}
	if ((sscanf(s, "%2d:%2d:%2d%n", &h, &m, &sec, &used) == 3 ||
	    sscanf(s, "%2d:%2d%n", &h, &m, &used) == 2) && s[used] == '\0') {
		if (h > 23 || m > 59 || sec > 60 || h < 0 || m < 0 || sec < 0)
			return (false);
		if ((local ? localtime_r(&now, &tm) : gmtime_r(&now, &tm)) ==
		    NULL)
			return (false);
		tm.tm_hour = h;
		tm.tm_min = m;
		tm.tm_sec = sec;
		tm.tm_isdst = -1;
		t = local ? mktime(&tm) : timegm(&tm);
		if (t > now)
			t -= 86400;
		*ns = (int64_t)t * 1000000000;
		return (true);
	}
	return (time_parse_iso(s, ns));
}
