/* numconv.h: numbers from outside (a JSON number, a header, a server's
 * count) made integers without undefined behaviour: a double that is NaN,
 * infinite or out of range is refused, never converted; an integer is
 * clamped or refused. Every narrowing of outside data goes through here.
 * Pure. */
#ifndef SITREP_NUMCONV_H
#define SITREP_NUMCONV_H

#include <stdbool.h>
#include <stdint.h>

/* v truncated toward zero into *out when it lies in [lo, hi]; false (and
 * *out untouched) for NaN, infinities and anything outside. */
bool	 num_double_to_i64(double v, int64_t lo, int64_t hi, int64_t *out);
/* v when it lies in [lo, hi], else the nearer bound. */
int64_t	 num_clamp_i64(int64_t v, int64_t lo, int64_t hi);
/* v, or hi when v is NaN or above hi, lo when below lo; then truncated.
 * For numbers that are only shown or counted, where the bound is the
 * honest answer ("more than a year"). */
int64_t	 num_double_clamp_i64(double v, int64_t lo, int64_t hi);

#endif
