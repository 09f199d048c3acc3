/* sanitize.c: the one gate between hostile outside text and the terminal.
 *
 * Everything a source sends (log lines, alert labels, titles) is drawn only
 * after it has passed through here. The output is valid UTF-8 that cannot
 * move the cursor, change modes, set the title or clipboard, break a line or
 * reorder text; whatever was removed is shown visibly instead, so a user sees
 * that something odd was sent:
 *
 *	ESC and other C0	^[ ^A ... ^J ^M (caret notation; tab -> one space)
 *	DEL			^?
 *	C1 (U+0080-U+009F)	<9b> (also the raw bytes 0x80-0x9f where a
 *				character should start: in 8-bit terminals 0x9b
 *				is CSI, so name the byte rather than hide it)
 *	bidi controls		<U+202E> (U+061C, U+200E/F, U+202A-E, U+2066-9)
 *	invalid UTF-8		U+FFFD, one per maximal invalid subpart (WHATWG)
 *
 * Only the ESC of an escape sequence is replaced; the rest stays as ordinary
 * text, so an OSC title attack reads "^[]0;pwned^G" rather than vanishing.
 * Clean runs are copied in bulk, so plain text costs one pass and one copy.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/sanitize.h"
#include "core/sbuf.h"
#include "core/xalloc.h"

#define SANITIZE_BAD	0xffffffffU	/* not a code point: invalid UTF-8 */
#define SANITIZE_SGR_MAX 64		/* longest SGR kept, ESC to m */
#define SANITIZE_VIS_MAX 16		/* longest visible form, "<U+202E>" */

static const char	sanitize_fffd[] = "\xef\xbf\xbd";
static const char	sanitize_hex[] = "0123456789abcdef";

/*
 * Decode one UTF-8 character from s[0..len), len > 0. Returns the bytes it
 * used. For invalid input *cp is SANITIZE_BAD and the return is the maximal
 * subpart: the lead byte and the continuation bytes that were still
 * acceptable, so the caller resumes at the first byte that did not fit (the
 * WHATWG and Unicode "U+FFFD substitution of maximal subparts" rule). The
 * second byte's range excludes overlongs (E0, F0), surrogates (ED) and code
 * points above U+10FFFF (F4).
 */
static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char	c = s[0], lo = 0x80, hi = 0xbf;
	size_t		need, i;
	uint32_t	v;

	if (c < 0x80) {
		*cp = c;
		return (1);
	}
	if (c < 0xc2 || c > 0xf4) {
		*cp = SANITIZE_BAD;
		return (1);
	}
	if (c < 0xe0) {
		need = 1;
		v = c & 0x1f;
	} else if (c < 0xf0) {
		need = 2;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else {
		need = 3;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	}
	for (i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi) {
			*cp = SANITIZE_BAD;
			return (i);
		}
		v = (v << 6) | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return (need + 1);
}

static int
sanitize_is_bidi(uint32_t cp)
{
	return (cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069));
}

/* True when the character passes through unchanged. */
static int
sanitize_cp_clean(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 0x20 && cp != 0x7f);
	if (cp < 0xa0 || cp == SANITIZE_BAD)
		return (0);
	return (!sanitize_is_bidi(cp));
}

/* Length of the longest prefix of s[0..len) that passes unchanged. */
static size_t
sanitize_clean_prefix(const unsigned char *s, size_t len)
{
	size_t		i = 0, n;
	uint32_t	cp;

	for (;;) {
		while (i < len && (unsigned char)(s[i] - 0x20) < 0x5f)
			i++;
		if (i == len || s[i] < 0x80)
			return (i);
		n = utf8_decode(s + i, len - i, &cp);
		if (!sanitize_cp_clean(cp))
			return (i);
		i += n;
	}
}

/* "<9b>" */
static size_t
sanitize_fmt_byte(char *out, unsigned int b)
{
	out[0] = '<';
	out[1] = sanitize_hex[(b >> 4) & 0xf];
	out[2] = sanitize_hex[b & 0xf];
	out[3] = '>';
	return (4);
}

/* "<U+202E>": bidi controls all have four hex digits. */
static size_t
sanitize_fmt_ucs(char *out, uint32_t cp)
{
	static const char	upper[] = "0123456789ABCDEF";
	int			shift;
	size_t			n = 0;

	out[n++] = '<';
	out[n++] = 'U';
	out[n++] = '+';
	for (shift = 12; shift >= 0; shift -= 4)
		out[n++] = upper[(cp >> shift) & 0xf];
	out[n++] = '>';
	return (n);
}

/*
 * The visible form of the unclean character at s[0..len): writes it to out
 * (SANITIZE_VIS_MAX bytes), its length to *outlen and its display width to
 * *width; returns the input bytes it stands for.
 */
static size_t
sanitize_visible(const unsigned char *s, size_t len, char *out,
    size_t *outlen, size_t *width)
{
	uint32_t	cp;
	size_t		n;

	n = utf8_decode(s, len, &cp);
	if (cp == '\t') {
		out[0] = ' ';
		*outlen = 1;
	} else if (cp < 0x20 || cp == 0x7f) {
		out[0] = '^';
		out[1] = (cp == 0x7f) ? '?' : (char)(cp | 0x40);
		*outlen = 2;
	} else if (cp == SANITIZE_BAD && n == 1 && s[0] >= 0x80 && s[0] < 0xa0)
		*outlen = sanitize_fmt_byte(out, s[0]);
	else if (cp == SANITIZE_BAD) {
		memcpy(out, sanitize_fffd, 3);
		*outlen = 3;
		*width = 1;
		return (n);
	} else if (cp < 0xa0)
		*outlen = sanitize_fmt_byte(out, cp);
	else
		*outlen = sanitize_fmt_ucs(out, cp);
	*width = *outlen;	/* the rest are all ASCII */
	return (n);
}

/* Bytes of a complete SGR sequence (ESC [ digits-and-semicolons m) at s, or
 * 0 if s does not start one. */
static size_t
sanitize_sgr_len(const unsigned char *s, size_t len)
{
	size_t	i;

	if (len < 3 || s[0] != 0x1b || s[1] != '[')
		return (0);
	for (i = 2; i < len && i < SANITIZE_SGR_MAX; i++) {
		if (s[i] == 'm')
			return (i + 1);
		if ((s[i] < '0' || s[i] > '9') && s[i] != ';')
			return (0);
	}
	return (0);
}

static void
sanitize_append_sgr(struct sbuf *sb, const char *src, size_t len, int sgr)
{
	const unsigned char	*s = (const unsigned char *)src;
	char			 vis[SANITIZE_VIS_MAX];
	size_t			 n, vislen, width;

	while (len > 0) {
		n = sanitize_clean_prefix(s, len);
		sbuf_add(sb, s, n);
		s += n;
		len -= n;
		if (len == 0)
			break;
		if (sgr && (n = sanitize_sgr_len(s, len)) != 0) {
			sbuf_add(sb, s, n);
		} else {
			n = sanitize_visible(s, len, vis, &vislen, &width);
			sbuf_add(sb, vis, vislen);
		}
		s += n;
		len -= n;
	}
}

void
sanitize_append(struct sbuf *sb, const char *s, size_t len)
{
	sanitize_append_sgr(sb, s, len, 0);
}

/* SGR sequences (colours, bold) go through untouched so that the caller can
 * interpret them; anything else after an ESC is treated as by sanitize. */
void
sanitize_append_keep_sgr(struct sbuf *sb, const char *s, size_t len)
{
	sanitize_append_sgr(sb, s, len, 1);
}

char *
sanitize(const char *s, size_t len, size_t *outlen)
{
	struct sbuf	sb;

	sbuf_init(&sb);
	sanitize_append(&sb, s, len);
	if (outlen != NULL)
		*outlen = sb.len;
	return (sbuf_steal(&sb));
}

bool
sanitize_is_clean(const char *s, size_t len)
{
	return (sanitize_clean_prefix((const unsigned char *)s, len) == len);
}

/*
 * Only the UTF-8 repair: each maximal invalid subpart becomes U+FFFD, every
 * valid character (controls included) is kept as it is. For writers that
 * escape on their own, such as JSON: the text survives, only the bytes that
 * are not text are replaced.
 */
char *
sanitize_utf8(const char *s, size_t len, size_t *outlen)
{
	const unsigned char	*u = (const unsigned char *)s;
	struct sbuf		 sb;
	size_t			 i = 0, n;
	uint32_t		 cp;

	sbuf_init(&sb);
	while (i < len) {
		n = utf8_decode(u + i, len - i, &cp);
		if (cp == SANITIZE_BAD)
			sbuf_add(&sb, sanitize_fffd, 3);
		else
			sbuf_add(&sb, s + i, n);
		i += n;
	}
	if (outlen != NULL)
		*outlen = sb.len;
	return (sbuf_steal(&sb));
}

/*
 * Display columns, by wcwidth() (so the caller must have set a UTF-8
 * LC_CTYPE). Characters wcwidth calls unprintable count as one column. On
 * text that has not been sanitized the answer is the width of what sanitize
 * would show, so a caller may measure before or after.
 */
size_t
sanitize_width(const char *src, size_t len)
{
	const unsigned char	*s = (const unsigned char *)src;
	char			 vis[SANITIZE_VIS_MAX];
	size_t			 i = 0, n, w = 0, vislen, vw;
	uint32_t		 cp;
	int			 cw;

	while (i < len) {
		if ((unsigned char)(s[i] - 0x20) < 0x5f) {
			w++;
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (sanitize_cp_clean(cp)) {
			cw = wcwidth((wchar_t)cp);
			w += (cw < 0) ? 1 : (size_t)cw;
		} else {
			n = sanitize_visible(s + i, len - i, vis, &vislen, &vw);
			w += vw;
		}
		i += n;
	}
	return (w);
}
