/* timeutil.h: clocks, durations ("15s", "30d") and timestamps (ISO-8601,
 * RFC 3339, Loki's nanosecond strings), parsed and formatted. Pure except for
 * the clock readers. */
#ifndef SITREP_TIMEUTIL_H
#define SITREP_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

int64_t	 time_mono_ms(void);
time_t	 time_wall(void);
int64_t	 time_wall_ns(void);

/* Deadline and duration arithmetic (ms, s or ns alike) that cannot
 * overflow: a result beyond int64 saturates at INT64_MAX or INT64_MIN, so
 * that a huge number from a server or a user means "a long time", never a
 * time in the past. */
int64_t	 time_add_sat(int64_t, int64_t);
int64_t	 time_sub_sat(int64_t, int64_t);
int64_t	 time_mul_sat(int64_t, int64_t);

/* "15s", "5m", "1h30m", "30d", "2w", "250ms" -> milliseconds; -1 on error. */
int64_t	 duration_parse_ms(const char *);
/* Short human form: "45s", "6m", "2h05m", "3d". */
void	 duration_format(char *, size_t, int64_t seconds);
/* At most four columns, one unit, for age columns: "45s", "64m" (under
 * 100 minutes), "5h" (under 48 hours), "3d". Negative ages show as 0s. */
void	 duration_format_short(char *, size_t, int64_t seconds);

/* Unix seconds from outside (a JSON number): what int64 nanoseconds hold
 * (1677 to 2262), so that seconds * 1e9 never overflows. */
#define TIME_UNIX_MAX	((int64_t)9223372035)
#define TIME_UNIX_MIN	(-TIME_UNIX_MAX)
/* A number of Unix seconds (fraction dropped) into *t; false for NaN,
 * infinities and anything outside TIME_UNIX_MIN..MAX. */
bool	 time_from_unix(double, time_t *t);

/* RFC 3339 / ISO-8601 with optional fraction and zone -> unix ns; false if
 * malformed. */
bool	 time_parse_iso(const char *, int64_t *ns);
/* Loki's decimal nanoseconds since the epoch -> ns; false if malformed. */
bool	 time_parse_ns(const char *, int64_t *ns);
/* A time typed by a user: "-15m", "14:32", "14:32:05" (the last such clock
 * time, local or UTC) or ISO-8601 -> ns; false if none of these, or if it
 * falls before 1970. */
bool	 time_parse_jump(const char *, int64_t now_ns, bool local, int64_t *);
/* "2026-11-26T14:32:05Z" */
void	 time_format_iso(char *, size_t, time_t);
/* "14:32:05" in UTC or local time. */
void	 time_format_clock(char *, size_t, time_t, bool local);

#endif
