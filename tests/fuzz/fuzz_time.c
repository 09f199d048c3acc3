/* fuzz_time.c: fuzz target for durations and timestamps (core/timeutil.c):
 * the bytes as a duration, an ISO-8601 time, Loki's nanoseconds and a
 * time typed by a user (local and UTC). A parsed duration is not negative
 * and formats; a parsed ISO time whose second is in years 1000-9999
 * formats and parses back to that second. Any 8 bytes, as seconds, format
 * without overflow. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/timeutil.h"
#include "tests/fuzz/fuzz.h"

/* 1000-01-01 and 9999-12-31T23:59:59 in Unix seconds. */
#define ISO_MIN	(-30610224000LL)
#define ISO_MAX	(253402300799LL)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s, buf[64];
	int64_t		 ms, ns, back, secs;
	const int64_t	 now = INT64_C(1796026500) * 1000000000;

	s = fuzz_string(data, size);
	if ((ms = duration_parse_ms(s)) != -1) {
		fuzz_check(ms >= 0);
		duration_format(buf, sizeof buf, ms / 1000);
		duration_format_short(buf, sizeof buf, ms / 1000);
	}
	if (time_parse_iso(s, &ns)) {
		secs = ns / 1000000000 - (ns % 1000000000 < 0);
		if (secs >= ISO_MIN && secs <= ISO_MAX) {
			time_format_iso(buf, sizeof buf, (time_t)secs);
			fuzz_check(time_parse_iso(buf, &back));
			fuzz_check(back == secs * 1000000000);
		}
	}
	(void)time_parse_ns(s, &ns);
	(void)time_parse_jump(s, now, false, &ns);
	(void)time_parse_jump(s, now, true, &ns);
	if (size >= sizeof secs) {
		memcpy(&secs, data, sizeof secs);
		duration_format(buf, sizeof buf, secs);
		fuzz_check(strlen(buf) < sizeof buf - 1);
		duration_format_short(buf, sizeof buf, secs);
		time_format_iso(buf, sizeof buf, (time_t)secs);
		time_format_clock(buf, sizeof buf, (time_t)secs, false);
	}
	free(s);
	return (0);
}
