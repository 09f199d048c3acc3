/*
 * ring.c: the log ring, a bounded FIFO of log lines capped both in lines and
 * in bytes. Pushing past either cap evicts the oldest lines first and counts
 * them in `evicted`, so the logs pane can say how much scrolled away.
 *
 * Each line is one allocation: a header and the text with its NUL. Label
 * sets ("{app=\"api\", pod=\"api-1\"}") repeat across thousands of lines, so
 * they are interned: held once with a reference count, in a small chained
 * hash table, and freed with the last line that uses them. A line points at
 * its label set; LOG_LINE_LABELS() needs no ring to read it.
 *
 * `bytes` is the sum of ring_line_bytes() over the retained lines (the
 * allocation plus the pointer slot that holds it); `label_bytes` is what the
 * interned label sets cost. The byte cap bounds the two together, so it
 * bounds what the ring really costs.
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
 * - Sequence numbers are contiguous among the retained lines (eviction is
 *   only ever from the front), so finding a line by seq is arithmetic.
 *   Merging lines in among those held, or dropping one source's, gives
 *   every line a new seq, never one used before: to what keeps seqs it is
 *   as if the ring had been cleared and filled again.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ring.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#define RING_MIN_SLOTS	64
#define RING_MIN_BUCKETS 16

struct ring_label {
	struct ring_label	*next;
	uint64_t		 hash;
	uint32_t		 refs;
	uint16_t		 len;
	char			 s[];
};

static const char	ring_no_labels[] = "";

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

/* --- interned label sets ------------------------------------------------ */

/* FNV-1a: label sets are short, and this runs once per pushed line. */
static uint64_t
ring_hash(const char *s, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return (h);
}

static size_t
ring_label_bytes(size_t len)
{
	return (sizeof(struct ring_label) + len + 1);
}

static void
ring_labels_rehash(struct ring *r)
{
	struct ring_label	**b, *l, *next;
	size_t			  n, i;

	n = r->nlbuckets == 0 ? RING_MIN_BUCKETS : r->nlbuckets * 2;
	b = xcalloc(n, sizeof *b);
	for (i = 0; i < r->nlbuckets; i++) {
		for (l = r->lbuckets[i]; l != NULL; l = next) {
			next = l->next;
			l->next = b[l->hash & (n - 1)];
			b[l->hash & (n - 1)] = l;
		}
	}
	free(r->lbuckets);
	r->lbuckets = b;
	r->nlbuckets = n;
}

/* A reference to the interned copy of s[0..len), made if need be. */
static const char *
ring_label_ref(struct ring *r, const char *s, size_t len)
{
	struct ring_label	*l;
	uint64_t		 h;

	if (len == 0)
		return (ring_no_labels);
	h = ring_hash(s, len);
	if (r->nlbuckets > 0) {
		for (l = r->lbuckets[h & (r->nlbuckets - 1)]; l != NULL;
		    l = l->next) {
			if (l->hash == h && l->len == len &&
			    memcmp(l->s, s, len) == 0) {
				l->refs++;
				return (l->s);
			}
		}
	}
	if (r->nlabels >= r->nlbuckets)
		ring_labels_rehash(r);
	l = xmalloc(ring_label_bytes(len));
	l->hash = h;
	l->refs = 1;
	l->len = (uint16_t)len;
	memcpy(l->s, s, len);
	l->s[len] = '\0';
	l->next = r->lbuckets[h & (r->nlbuckets - 1)];
	r->lbuckets[h & (r->nlbuckets - 1)] = l;
	r->nlabels++;
	r->label_gen++;
	r->label_bytes += ring_label_bytes(len);
	return (l->s);
}

static void
ring_label_unref(struct ring *r, const char *s)
{
	struct ring_label	*l, **pp;

	if (s == ring_no_labels)
		return;
	l = (struct ring_label *)(void *)(s - offsetof(struct ring_label, s));
	if (--l->refs > 0)
		return;
	for (pp = &r->lbuckets[l->hash & (r->nlbuckets - 1)]; *pp != l;
	    pp = &(*pp)->next)
		;
	*pp = l->next;
	r->nlabels--;
	r->label_gen++;
	r->label_bytes -= ring_label_bytes(l->len);
	free(l);
}

void
ring_labels_foreach(const struct ring *r, void (*fn)(const char *, void *),
    void *arg)
{
	const struct ring_label	*l;
	size_t			 i;

	for (i = 0; i < r->nlbuckets; i++) {
		for (l = r->lbuckets[i]; l != NULL; l = l->next)
			fn(l->s, arg);
	}
}

/* --- lines --------------------------------------------------------------- */

static void
ring_line_free(struct ring *r, struct log_line *l)
{
	ring_label_unref(r, l->labels);
	free(l);
}

void
ring_clear(struct ring *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		ring_line_free(r, r->v[ring_slot(r, i)]);
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
	free(r->renum_old);
	free(r->renum_new);
	r->renum_old = r->renum_new = NULL;
	r->renum_n = 0;
	r->cap = 0;
	free(r->lbuckets);
	r->lbuckets = NULL;
	r->nlbuckets = 0;
}

size_t
ring_line_bytes(size_t labels_len, size_t text_len)
{
	(void)labels_len;
	return (sizeof(struct log_line) + text_len + 1 +
	    sizeof(struct log_line *));
}

size_t
ring_memory(const struct ring *r)
{
	return (r->bytes + r->label_bytes +
	    (r->cap - r->n) * sizeof(struct log_line *) +
	    r->nlbuckets * sizeof(struct ring_label *));
}

static void
ring_evict_oldest(struct ring *r)
{
	struct log_line	*l;

	l = r->v[r->head];
	r->bytes -= ring_line_bytes(l->labels_len, l->len);
	ring_line_free(r, l);
	r->v[r->head] = NULL;
	r->head = (r->head + 1) % r->cap;
	r->n--;
	r->evicted++;
}

void
ring_shift(struct ring *r)
{
	if (r->n == 0)
		return;
	ring_evict_oldest(r);
	r->evicted--;
}

/* Evict until one more line of `need` bytes fits both caps. */
static void
ring_make_room(struct ring *r, size_t need)
{
	while (r->n > 0 && (r->n >= r->max_lines ||
	    r->bytes + r->label_bytes + need > r->max_bytes))
		ring_evict_oldest(r);
}

void
ring_set_caps(struct ring *r, size_t max_lines, size_t max_bytes)
{
	r->max_lines = (max_lines == 0) ? 1 : max_lines;
	r->max_bytes = max_bytes;
	while (r->n > 0 && (r->n > r->max_lines ||
	    r->bytes + r->label_bytes > r->max_bytes))
		ring_evict_oldest(r);
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

/* labels is a NUL-terminated string (NULL for none); text is len bytes. */
const struct log_line *
ring_push_flags(struct ring *r, int64_t ts, const char *labels,
    const char *text, size_t len, unsigned flags)
{
	struct log_line	*l;
	const char	*interned;
	size_t		 llen, need;

	if (labels == NULL)
		labels = "";
	if (text == NULL) {
		text = "";
		len = 0;
	}
	llen = utf8_cut(labels, strlen(labels), UINT16_MAX);
	len = utf8_cut(text, len, UINT32_MAX);
	need = ring_line_bytes(llen, len);

	/* Take the label reference first, so that evicting its last user
	 * cannot free it under us. */
	interned = ring_label_ref(r, labels, llen);
	ring_make_room(r, need);
	if (r->n == r->cap)
		ring_grow(r);

	l = xmalloc(sizeof *l + len + 1);
	l->ts = ts;
	l->seq = r->next_seq++;
	l->labels = interned;
	l->len = (uint32_t)len;
	l->labels_len = (uint16_t)llen;
	l->flags = (uint8_t)flags;
	l->from = (uint8_t)(flags >> 8);
	memcpy(l->data, text, len);
	l->data[len] = '\0';
	r->v[ring_slot(r, r->n)] = l;
	r->n++;
	r->bytes += need;
	return (l);
}

const struct log_line *
ring_push(struct ring *r, int64_t ts, const char *labels, const char *text,
    size_t len)
{
	return (ring_push_flags(r, ts, labels, text, len, 0));
}

/* Older than every line held: the history view, fetched backward. The
 * caps are not made room for (that would drop what was just fetched): a
 * ring that is full takes nothing more at the front. */
const struct log_line *
ring_push_front(struct ring *r, int64_t ts, const char *labels,
    const char *text, size_t len, unsigned flags)
{
	struct log_line	*l;
	const char	*interned;
	size_t		 llen, need;

	if (labels == NULL)
		labels = "";
	llen = utf8_cut(labels, strlen(labels), UINT16_MAX);
	len = utf8_cut(text, len, UINT32_MAX);
	need = ring_line_bytes(llen, len);
	if (r->n >= r->max_lines ||
	    r->bytes + r->label_bytes + need > r->max_bytes)
		return (NULL);
	interned = ring_label_ref(r, labels, llen);
	if (r->n == r->cap)
		ring_grow(r);
	l = xmalloc(sizeof *l + len + 1);
	l->ts = ts;
	l->seq = r->n > 0 ? r->v[r->head]->seq - 1 : r->next_seq++;
	l->labels = interned;
	l->len = (uint32_t)len;
	l->labels_len = (uint16_t)llen;
	l->flags = (uint8_t)flags;
	l->from = (uint8_t)(flags >> 8);
	memcpy(l->data, text, len);
	l->data[len] = '\0';
	r->head = (r->head + r->cap - 1) % r->cap;
	r->v[r->head] = l;
	r->n++;
	r->bytes += need;
	return (l);
}

/* Put the lines of v (n of them, in order) in the slots, oldest first,
 * each with a new seq; the array is sized for them. Lines that were held
 * (seq not 0) have their old and new seq noted (ring_renumbered). */
static void
ring_refill(struct ring *r, struct log_line **v, size_t n)
{
	size_t	i, cap = r->cap, k = 0;

	r->renum_old = xreallocarray(r->renum_old, n + 1,
	    sizeof *r->renum_old);
	r->renum_new = xreallocarray(r->renum_new, n + 1,
	    sizeof *r->renum_new);
	r->renum_gen++;

	if (cap < n)
		cap = n;
	free(r->v);
	r->v = xreallocarray(NULL, cap == 0 ? 1 : cap, sizeof *r->v);
	r->cap = cap == 0 ? 1 : cap;
	r->head = 0;
	r->n = n;
	for (i = 0; i < n; i++) {
		if (v[i]->seq != 0) {
			r->renum_old[k] = v[i]->seq;
			r->renum_new[k++] = r->next_seq;
		}
		v[i]->seq = r->next_seq++;
		r->v[i] = v[i];
	}
	r->renum_n = k;
}

uint64_t
ring_renumbered(const struct ring *r, uint64_t seq)
{
	size_t	lo = 0, hi = r->renum_n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->renum_old[mid] < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < r->renum_n ? r->renum_new[lo] : r->next_seq);
}

void
ring_merge(struct ring *r, const struct ring_in *in, size_t n,
    unsigned flags)
{
	struct log_line	**v, *l;
	size_t		  i, j, k, total, llen, len;

	if (n == 0)
		return;
	if (r->n == 0 || r->v[ring_slot(r, r->n - 1)]->ts <= in[0].ts) {
		for (i = 0; i < n; i++)
			ring_push_flags(r, in[i].ts, in[i].labels, in[i].text,
			    in[i].len, flags);
		return;
	}
	total = r->n + n;
	v = xreallocarray(NULL, total, sizeof *v);
	for (i = j = k = 0; k < total; k++) {
		if (i < r->n && (j == n ||
		    r->v[ring_slot(r, i)]->ts <= in[j].ts)) {
			v[k] = r->v[ring_slot(r, i++)];
			continue;
		}
		llen = utf8_cut(in[j].labels != NULL ? in[j].labels : "",
		    in[j].labels != NULL ? strlen(in[j].labels) : 0,
		    UINT16_MAX);
		len = utf8_cut(in[j].text, in[j].len, UINT32_MAX);
		l = xmalloc(sizeof *l + len + 1);
		l->ts = in[j].ts;
		l->seq = 0;	/* new: nothing held it */
		l->labels = ring_label_ref(r, in[j].labels != NULL ?
		    in[j].labels : "", llen);
		l->len = (uint32_t)len;
		l->labels_len = (uint16_t)llen;
		l->flags = (uint8_t)flags;
		l->from = (uint8_t)(flags >> 8);
		memcpy(l->data, in[j].text, len);
		l->data[len] = '\0';
		r->bytes += ring_line_bytes(llen, len);
		v[k] = l;
		j++;
	}
	ring_refill(r, v, total);
	free(v);
	ring_set_caps(r, r->max_lines, r->max_bytes);
}

size_t
ring_drop_from(struct ring *r, unsigned from)
{
	struct log_line	**v, *l;
	size_t		  i, n = 0, dropped = 0;

	for (i = 0; i < r->n; i++) {
		if (r->v[ring_slot(r, i)]->from == from)
			dropped++;
	}
	if (dropped == 0)
		return (0);
	v = xreallocarray(NULL, r->n - dropped + 1, sizeof *v);
	for (i = 0; i < r->n; i++) {
		l = r->v[ring_slot(r, i)];
		if (l->from != from) {
			v[n++] = l;
			continue;
		}
		r->bytes -= ring_line_bytes(l->labels_len, l->len);
		ring_line_free(r, l);
	}
	ring_refill(r, v, n);
	free(v);
	return (dropped);
}

/* Would a line of len bytes fit without dropping one? */
bool
ring_has_room(const struct ring *r, size_t len)
{
	return (r->n < r->max_lines && r->bytes + r->label_bytes +
	    ring_line_bytes(0, len) <= r->max_bytes);
}

const struct log_line *
ring_get(const struct ring *r, size_t i)
{
	if (i >= r->n)
		return (NULL);
	return (r->v[ring_slot(r, i)]);
}

/* Sequence numbers are contiguous from the oldest to the newest. */
size_t
ring_find_seq(const struct ring *r, uint64_t seq)
{
	uint64_t	oldest;

	if (r->n == 0)
		return (0);
	oldest = r->v[r->head]->seq;
	if (seq <= oldest)
		return (0);
	if (seq - oldest >= r->n)
		return (r->n);
	return ((size_t)(seq - oldest));
}
