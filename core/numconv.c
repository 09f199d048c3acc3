/* numconv.c: bounded conversions of outside numbers (see numconv.h). A
 * double outside int64_t's range converted with a cast is undefined
 * behaviour (1e300 as a deploy's "at" killed the sanitizer build), so the
 * range is checked in double first, against bounds a double holds exactly
 * (-2^63 and 2^63), and only then converted. */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/numconv.h"

#define TWO_63	9223372036854775808.0

bool
num_double_to_i64(double v, int64_t lo, int64_t hi, int64_t *out)
{
	int64_t	i;

	if (!(v >= -TWO_63 && v < TWO_63))	/* NaN fails too */
		return (false);
	i = (int64_t)v;
	if (i < lo || i > hi)
		return (false);
	*out = i;
	return (true);
}

int64_t
num_clamp_i64(int64_t v, int64_t lo, int64_t hi)
{
	if (v < lo)
		return (lo);
	return (v > hi ? hi : v);
}

int64_t
num_double_clamp_i64(double v, int64_t lo, int64_t hi)
{
	int64_t	i;

	if (isnan(v))
		return (hi);
	if (num_double_to_i64(v, lo, hi, &i))
		return (i);
	return (v < (double)lo ? lo : hi);
}
