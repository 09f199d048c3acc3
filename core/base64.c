/* base64.c: base64 encoding (see base64.h). */
#include "config.h"

#include "core/base64.h"
#include "core/sbuf.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
base64_encode(const void *s, size_t len)
{
	const unsigned char	*u = s;
	struct sbuf		 sb;
	size_t			 i;
	unsigned		 n;

	sbuf_init(&sb);
	for (i = 0; i < len; i += 3) {
		n = (unsigned)u[i] << 16;
		if (i + 1 < len)
			n |= (unsigned)u[i + 1] << 8;
		if (i + 2 < len)
			n |= u[i + 2];
		sbuf_addc(&sb, b64[(n >> 18) & 63]);
		sbuf_addc(&sb, b64[(n >> 12) & 63]);
		sbuf_addc(&sb, i + 1 < len ? b64[(n >> 6) & 63] : '=');
		sbuf_addc(&sb, i + 2 < len ? b64[n & 63] : '=');
	}
	return (sbuf_steal(&sb));
}
