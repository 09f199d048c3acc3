/* sbuf.c: the growable byte buffer. An empty buffer points at a shared static
 * "" so that buf.s is always a valid NUL-terminated string, even before the
 * first byte is added and without allocating. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"
#include "core/xalloc.h"

#define SBUF_MIN	64

/* Never written to: cap == 0 means s points here. */
static char	sbuf_empty[1];

void
sbuf_init(struct sbuf *sb)
{
	sb->s = sbuf_empty;
	sb->len = 0;
	sb->cap = 0;
}

void
sbuf_free(struct sbuf *sb)
{
	if (sb->cap != 0)
		free(sb->s);
	sbuf_init(sb);
}

/* Keep the memory for the next use. */
void
sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	if (sb->cap != 0)
		sb->s[0] = '\0';
}

/* Make room for n more bytes plus the NUL, doubling to keep appends
 * amortised O(1). */
static void
sbuf_grow(struct sbuf *sb, size_t n)
{
	size_t	need, cap;

	if (n > (size_t)-1 - sb->len - 1)
		fatal("buffer size overflow");
	need = sb->len + n + 1;
	if (need <= sb->cap)
		return;
	cap = sb->cap < SBUF_MIN ? SBUF_MIN : sb->cap;
	while (cap < need)
		cap = cap > (size_t)-1 / 2 ? need : cap * 2;
	if (sb->cap == 0) {
		sb->s = xmalloc(cap);
		sb->s[0] = '\0';
	} else
		sb->s = xrealloc(sb->s, cap);
	sb->cap = cap;
}

void
sbuf_add(struct sbuf *sb, const void *p, size_t n)
{
	if (n == 0)
		return;
	sbuf_grow(sb, n);
	memcpy(sb->s + sb->len, p, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void
sbuf_addc(struct sbuf *sb, char c)
{
	sbuf_grow(sb, 1);
	sb->s[sb->len++] = c;
	sb->s[sb->len] = '\0';
}

void
sbuf_adds(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

void
sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list	ap;
	int	n;
	size_t	room;

	room = sb->cap == 0 ? 0 : sb->cap - sb->len;
	va_start(ap, fmt);
	n = vsnprintf(room == 0 ? NULL : sb->s + sb->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("bad format string \"%s\"", fmt);
	if ((size_t)n >= room) {
		sbuf_grow(sb, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	sb->len += (size_t)n;
}

char *
sbuf_steal(struct sbuf *sb)
{
	char	*s;

	s = (sb->cap == 0) ? xstrdup("") : sb->s;
	sbuf_init(sb);
	return (s);
}
