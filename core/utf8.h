/* utf8.h: the small UTF-8 chores several modules share: encoding a code
 * point, and cutting outside text to a byte budget without splitting a
 * character. Validation and repair belong to core/sanitize.h. Pure. */
#ifndef SITREP_UTF8_H
#define SITREP_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_MAX	4	/* bytes of the longest encoding */

/* Encode cp (at most U+10FFFF) into out[UTF8_MAX]; returns the bytes used.
 * No NUL is written. */
size_t	 utf8_encode(char *out, uint32_t cp);
/* The longest prefix of s[0..len), at most max bytes, that does not end
 * inside a character: len itself when it fits. */
size_t	 utf8_cut(const char *s, size_t len, size_t max);
/* s[0..len) as a heap string, cut at max bytes on a character boundary;
 * a cut is marked with "...". */
char	*utf8_shorten(const char *s, size_t len, size_t max);

#endif
