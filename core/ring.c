/*
 * ring.c: the log ring, a bounded FIFO of log lines capped both in lines and
 * in bytes. Pushing past either cap evicts the oldest lines first and counts
 * them in `evicted`, so the logs pane can say how much scrolled away.
 *
 * Each line is one allocation: a header, the labels, a NUL, the text, a NUL.
 * `bytes` is the sum of ring_line_bytes() over the retained lines: the
 * allocation plus the pointer slot that holds it, so the byte cap bounds
 * what the ring really costs.
 *
 * The slot array grows geometrically up to max_lines as lines arrive rather
 * than being allocated at its cap up front: a ring sized for 100,000 lines
 * that only ever sees a few hundred costs a few hundred slots.
 *
 * Edge cases, chosen so that nothing the user asked for silently vanishes:
 * - A single line larger than max_bytes is still kept, alone: everything
 *   older is evicted, and the line goes on the next push.
 * - Labels longer than 65535 bytes (they are stored with a 16-bit length)
 *   are truncated at a UTF-8 character boundary; so is text longer than
 *   4 GiB, which cannot happen in practice.
 * - max_lines below 1 is taken as 1.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ring.h"
#include "core/xalloc.h"

#define RING_MIN_SLOTS	64

void
ring_init(struct ring *r, size_t max_lines, size_t max_bytes)
{
	memset(r, 0, sizeof *r);
	r->max_lines = (max_lines == 0) ? 1 : max_lines;
	r->max_bytes = max_bytes;
	r->next_seq = 1;
}

/* Slot of the i'th oldest line. */
static size_t
ring_slot(const struct ring *r, size_t i)
{
	return ((r->head + i) % r->cap);
}

void
ring_clear(struct ring *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		free(r->v[ring_slot(r, i)]);
	r->head = 0;
	r->n = 0;
	r->bytes = 0;
}

void
ring_free(struct ring *r)
{
	ring_clear(r);
	free(r->v);
	r->v = NULL;
	r->cap = 0;
}

size_t
ring_line_bytes(size_t labels_len, size_t text_len)
{
	return (sizeof(struct log_line) + labels_len + 1 + text_len + 1 +
	    sizeof(struct log_line *));
}

/* The longest prefix of s[0..len) no longer than max that does not end
 * inside a UTF-8 character. */
static size_t
ring_cut_utf8(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return (len);
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return (max);
}

static void
ring_evict_oldest(struct ring *r)
{
	struct log_line	*l;

	l = r->v[r->head];
	r->bytes -= ring_line_bytes(l->labels_len, l->len);
	free(l);
	r->v[r->head] = NULL;
	r->head = (r->head + 1) % r->cap;
	r->n--;
	r->evicted++;
}

/* The array is full (n == cap < max_lines): copy into a larger one, oldest
 * first, which also unwraps it. */
static void
ring_grow(struct ring *r)
{
	struct log_line	**v;
	size_t		  cap, i;

	cap = (r->cap < RING_MIN_SLOTS / 2) ? RING_MIN_SLOTS : r->cap * 2;
	if (cap > r->max_lines || cap < r->cap)
		cap = r->max_lines;
	v = xreallocarray(NULL, cap, sizeof *v);
	for (i = 0; i < r->n; i++)
		v[i] = r->v[ring_slot(r, i)];
	free(r->v);
	r->v = v;
	r->cap = cap;
	r->head = 0;
}

static struct log_line *
ring_make_line(int64_t ts, uint64_t seq, const char *labels, size_t llen,
    const char *text, size_t tlen)
{
	struct log_line	*l;

	l = xmalloc(sizeof *l + llen + 1 + tlen + 1);
	l->ts = ts;
	l->seq = seq;
	l->len = (uint32_t)tlen;
	l->labels_len = (uint16_t)llen;
	memcpy(l->data, labels, llen);
	l->data[llen] = '\0';
	memcpy(LOG_LINE_TEXT(l), text, tlen);
	LOG_LINE_TEXT(l)[tlen] = '\0';
	return (l);
}

/* labels is a NUL-terminated string (NULL for none); text is len bytes. */
const struct log_line *
ring_push(struct ring *r, int64_t ts, const char *labels, const char *text,
    size_t len)
{
	struct log_line	*l;
	size_t		 llen, need;

	if (labels == NULL)
		labels = "";
	if (text == NULL)
		len = 0;
	llen = ring_cut_utf8(labels, strlen(labels), UINT16_MAX);
	len = ring_cut_utf8(text, len, UINT32_MAX);
	need = ring_line_bytes(llen, len);

	while (r->n > 0 && (r->n >= r->max_lines ||
	    r->bytes + need > r->max_bytes))
		ring_evict_oldest(r);
	if (r->n == r->cap)
		ring_grow(r);

	l = ring_make_line(ts, r->next_seq++, labels, llen, text == NULL ? "" :
	    text, len);
	r->v[ring_slot(r, r->n)] = l;
	r->n++;
	r->bytes += need;
	return (l);
}

const struct log_line *
ring_get(const struct ring *r, size_t i)
{
	if (i >= r->n)
		return (NULL);
	return (r->v[ring_slot(r, i)]);
}

/* Sequence numbers rise from oldest to newest, so bisect. */
size_t
ring_find_seq(const struct ring *r, uint64_t seq)
{
	size_t	lo = 0, hi = r->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->v[ring_slot(r, mid)]->seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}
