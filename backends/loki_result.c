/* loki_result.c: what both Loki parsers share (see loki_result.h):
 * identity hashes (murmur3's mixing, eight bytes at a time: lines are
 * hashed at pipeline speed), label strings, timestamps, the order of
 * entries, and freeing a result. */
#define _GNU_SOURCE	/* qsort_r */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "backends/loki_query.h"
#include "backends/loki_result.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"

static uint64_t
loki_rotl(uint64_t x, int r)
{
	return ((x << r) | (x >> (64 - r)));
}

static uint64_t
loki_fmix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (h);
}

/* Eight bytes at a time (murmur3's mixing): lines are hashed at pipeline
 * speed, and only identity within one timestamp depends on it. */
uint64_t
loki_result_hash(uint64_t seed, const char *s, size_t len)
{
	uint64_t	h = seed ^ (len * 0x9e3779b97f4a7c15ULL), k;
	unsigned char	tail[8];

	while (len >= 8) {
		memcpy(&k, s, 8);
		k *= 0x87c37b91114253d5ULL;
		k = loki_rotl(k, 31) * 0x4cf5ad432745937fULL;
		h ^= k;
		h = loki_rotl(h, 27) * 5 + 0x52dce729;
		s += 8;
		len -= 8;
	}
	if (len > 0) {
		memset(tail, 0, sizeof tail);
		memcpy(tail, s, len);
		memcpy(&k, tail, 8);
		k *= 0x87c37b91114253d5ULL;
		k = loki_rotl(k, 31) * 0x4cf5ad432745937fULL;
		h ^= k;
	}
	return (loki_fmix(h));
}

int
loki_result_kv_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct loki_kv *)a)->k,
	    ((const struct loki_kv *)b)->k));
}

/* {k="v", k2="v2"}, keys sorted, so that one stream reads one way. */
char *
loki_result_labels(struct loki_kv *kv, size_t n)
{
	struct sbuf	sb;
	size_t		i;

	if (n == 0)
		return (xstrdup("{}"));
	qsort(kv, n, sizeof *kv, loki_result_kv_cmp);
	sbuf_init(&sb);
	sbuf_addc(&sb, '{');
	for (i = 0; i < n; i++) {
		if (i > 0)
			sbuf_adds(&sb, ", ");
		sbuf_adds(&sb, kv[i].k);
		sbuf_addc(&sb, '=');
		loki_query_quote(&sb, kv[i].v);
	}
	sbuf_addc(&sb, '}');
	return (sbuf_steal(&sb));
}

/* "<ns>": decimal digits within int64 (time_parse_ns), and nothing after
 * them, a NUL (\u0000) included: both paths read timestamps here. */
bool
loki_result_ts(const char *s, size_t len, int64_t *ts)
{
	return (s != NULL && strlen(s) == len && time_parse_ns(s, ts));
}

static int
loki_rank_cmp(const void *a, const void *b, void *arg)
{
	const struct loki_stream	*st = arg;

	return (strcmp(st[*(const uint32_t *)a].labels,
	    st[*(const uint32_t *)b].labels));
}

/* Each entry's rank: where its stream's labels sort among the answer's. */
static void
loki_rank(struct loki_result *r)
{
	uint32_t	*order, *rank;
	size_t		 i;

	if (r->nstreams < 2)
		return;
	order = xcalloc(r->nstreams, sizeof *order);
	rank = xcalloc(r->nstreams, sizeof *rank);
	for (i = 0; i < r->nstreams; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, r->nstreams, sizeof *order, loki_rank_cmp, r->streams);
	for (i = 0; i < r->nstreams; i++)
		rank[order[i]] = (uint32_t)i;
	for (i = 0; i < r->n; i++)
		r->entries[i].rank = rank[r->entries[i].stream];
	free(order);
	free(rank);
}

static int
loki_entry_cmp(const void *va, const void *vb)
{
	const struct loki_entry	*a = va, *b = vb;

	if (a->ts != b->ts)
		return (a->ts < b->ts ? -1 : 1);
	if (a->rank != b->rank)
		return (a->rank < b->rank ? -1 : 1);
	if (a->pos != b->pos)
		return (a->pos < b->pos ? -1 : 1);
	return (0);
}

static bool
loki_sorted(const struct loki_entry *v, size_t n)
{
	size_t	i;

	for (i = 1; i < n; i++) {
		if (loki_entry_cmp(&v[i - 1], &v[i]) > 0)
			return (false);
	}
	return (true);
}

void
loki_result_order(struct loki_result *r)
{
	loki_rank(r);
	if (!loki_sorted(r->entries, r->n))
		qsort(r->entries, r->n, sizeof *r->entries, loki_entry_cmp);
}
void
loki_result_free(struct loki_result *r)
{
	size_t	i;

	for (i = 0; i < r->nstreams; i++)
		free(r->streams[i].labels);
	free(r->streams);
	free(r->entries);
	for (i = 0; i < r->ndropped; i++)
		free(r->dropped[i].labels);
	free(r->dropped);
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	if (r->doc != NULL)
		json_decref(r->doc);
	free(r->arena);
	memset(r, 0, sizeof *r);
}
