/* utf8.c: encoding and cutting UTF-8 (see utf8.h). Input is taken as it
 * comes: a cut backs up over continuation bytes, whatever precedes them. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/utf8.h"
#include "core/xalloc.h"

size_t
utf8_encode(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return (1);
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return (2);
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return (3);
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return (4);
}

size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return (len);
	/* s[max] exists: back up while it continues a character. */
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return (max);
}

char *
utf8_shorten(const char *s, size_t len, size_t max)
{
	size_t	cut;

	if (len <= max)
		return (xstrndup(s, len));
	cut = utf8_cut(s, len, max);
	return (xasprintf("%.*s...", (int)cut, s));
}
