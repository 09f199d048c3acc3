/* benchutil.h: what the C benchmarks share: a monotonic clock in
 * milliseconds and the median of a run's rounds. Header only, static
 * inline, so that each benchmark stays one file to build. */
#ifndef SITREP_BENCHUTIL_H
#define SITREP_BENCHUTIL_H

#include <stdlib.h>
#include <time.h>

static inline double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
}

static inline int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* The median of v[0..n) (sorts v). */
static inline double
median(double *v, int n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return (v[n / 2]);
}

#endif
