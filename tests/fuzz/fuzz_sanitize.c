/* fuzz_sanitize.c: fuzz target for the gate between outside text and the
 * terminal (core/sanitize.c). Properties of sanitize(): the output is
 * valid UTF-8 (no overlong form, no surrogate, nothing past U+10FFFF) with
 * no ESC, no other C0 control, no DEL, no C1 control and no bidi control;
 * sanitize_is_clean() says so; sanitizing it again changes nothing. The
 * SGR-keeping variant lets an ESC through only as the start of a colour
 * sequence, and sanitize_utf8() only repairs: its output is valid UTF-8. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/sbuf.h"
#include "tests/fuzz/fuzz.h"

/* The code point at s (valid UTF-8 checked strictly), or -1. */
static long
decode(const unsigned char *s, size_t len, size_t *n)
{
	long	cp;
	size_t	i;

	*n = 1;
	if (s[0] < 0x80) {
		*n = 1;
		return (s[0]);
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		*n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		*n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		*n = 4, cp = s[0] & 0x07;
	else
		return (-1);
	if (*n > len)
		return (-1);
	for (i = 1; i < *n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (-1);
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((*n == 3 && cp < 0x800) || (*n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return (-1);
	return (cp);
}

static bool
is_bidi(long cp)
{
	return (cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069));
}

/* Valid UTF-8; with terminal, also nothing a terminal would act on, except
 * ESC [ digits ; ... m when sgr. */
static void
check_out(const char *out, size_t len, bool terminal, bool sgr)
{
	const unsigned char	*s = (const unsigned char *)out;
	size_t			 i = 0, n, j;
	long			 cp;

	if (terminal)
		fuzz_check(strlen(out) == len);
	while (i < len) {
		cp = decode(s + i, len - i, &n);
		fuzz_check(cp >= 0);
		if (terminal && sgr && cp == 0x1b) {
			fuzz_check(i + 1 < len && s[i + 1] == '[');
			for (j = i + 2; j < len && ((s[j] >= '0' &&
			    s[j] <= '9') || s[j] == ';'); j++)
				;
			fuzz_check(j < len && s[j] == 'm');
			i = j + 1;
			continue;
		}
		if (terminal) {
			fuzz_check(cp >= 0x20 && cp != 0x7f);
			fuzz_check(cp < 0x80 || cp > 0x9f);
			fuzz_check(!is_bidi(cp));
		}
		i += n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*in = (const char *)data;
	struct sbuf	 sb;
	char		*out, *again;
	size_t		 len, len2;

	out = sanitize(in, size, &len);
	check_out(out, len, true, false);
	fuzz_check(sanitize_is_clean(out, len));
	again = sanitize(out, len, &len2);
	fuzz_check(len2 == len && memcmp(again, out, len) == 0);
	free(again);
	(void)sanitize_width(out, len);
	if (sanitize_is_clean(in, size))
		fuzz_check(len == size && memcmp(out, in, size) == 0);
	free(out);

	sbuf_init(&sb);
	sanitize_append_keep_sgr(&sb, in, size);
	sbuf_addc(&sb, '\0');
	check_out(sb.s, sb.len - 1, true, true);
	sbuf_free(&sb);

	out = sanitize_utf8(in, size, &len);
	check_out(out, len, false, false);
	free(out);
	return (0);
}
