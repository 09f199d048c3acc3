/* fuzz_loki.c: fuzz target for Loki's answers (backends/loki_parse.c), by
 * both of its paths. A query_range body goes first to the fast scanner;
 * what it gives up on goes to the jansson path. Each body is parsed in both
 * directions and, when the scanner took it, once more with a member nested
 * deeper than the scanner follows put in front, which sends the same
 * document down the jansson path: both must give the same entries. Then
 * the same bytes as a tail frame, a labels body, a count, an error body.
 * Bodies come NUL-terminated after their length, as backends/http.c hands
 * them over (loki_error_reason() reads a text body up to a NUL). */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backends/loki_parse.h"
#include "core/sbuf.h"
#include "core/xalloc.h"
#include "tests/fuzz/fuzz.h"

/* Deeper than the scanner's limit (64), well within jansson's. */
#define DEEP	100

static void
check_result(const struct loki_result *r)
{
	size_t	i;

	for (i = 0; i < r->nstreams; i++)
		fuzz_check(r->streams[i].labels != NULL);
	for (i = 0; i < r->n; i++) {
		fuzz_check(r->entries[i].stream < r->nstreams);
		fuzz_check(r->entries[i].line != NULL);
		fuzz_check(i == 0 || r->entries[i - 1].ts <= r->entries[i].ts);
	}
	for (i = 0; i < r->ndropped; i++)
		fuzz_check(r->dropped[i].labels != NULL);
}

/* The body with {"fuzz":[[[...]]], in front of its first member (heap), or
 * NULL when it is not an object with members. */
static char *
deepen(const char *body, size_t len, size_t *outlen)
{
	struct sbuf	sb;
	size_t		i = 0, j;

	while (i < len && strchr(" \t\r\n", body[i]) != NULL && body[i] != 0)
		i++;
	if (i >= len || body[i] != '{')
		return (NULL);
	for (j = i + 1; j < len && strchr(" \t\r\n", body[j]) != NULL &&
	    body[j] != 0; j++)
		;
	if (j >= len || body[j] == '}')
		return (NULL);
	sbuf_init(&sb);
	sbuf_adds(&sb, "{\"fuzz\":");
	for (j = 0; j < DEEP; j++)
		sbuf_addc(&sb, '[');
	for (j = 0; j < DEEP; j++)
		sbuf_addc(&sb, ']');
	sbuf_addc(&sb, ',');
	sbuf_add(&sb, body + i + 1, len - i - 1);
	*outlen = sb.len;
	return (sbuf_steal(&sb));
}

/* The scanner's result r against the jansson path's for the same body. */
static void
same_as_jansson(const char *body, size_t len, enum loki_direction dir,
    const struct loki_result *r)
{
	struct loki_result	 j;
	char			*deep, *why = NULL;
	size_t			 dlen, i;

	if ((deep = deepen(body, len, &dlen)) == NULL)
		return;
	fuzz_check(loki_parse_query_range(deep, dlen, 200, dir, &j, &why));
	fuzz_check(j.doc != NULL);
	fuzz_check(j.n == r->n);
	fuzz_check(j.nstreams == r->nstreams);
	fuzz_check(j.nwarnings == r->nwarnings);
	for (i = 0; i < r->n; i++) {
		fuzz_check(j.entries[i].ts == r->entries[i].ts);
		fuzz_check(j.entries[i].len == r->entries[i].len);
		fuzz_check(memcmp(j.entries[i].line, r->entries[i].line,
		    r->entries[i].len) == 0);
		fuzz_check(strcmp(j.streams[j.entries[i].stream].labels,
		    r->streams[r->entries[i].stream].labels) == 0);
	}
	for (i = 0; i < r->nwarnings; i++)
		fuzz_check(strcmp(j.warnings[i], r->warnings[i]) == 0);
	loki_result_free(&j);
	free(deep);
}

static void
query_range(const char *body, size_t len, long status,
    enum loki_direction dir)
{
	struct loki_result	 r;
	char			*why = NULL;

	if (!loki_parse_query_range(body, len, status, dir, &r, &why)) {
		fuzz_check(why != NULL);
		fuzz_check(r.n == 0 && r.doc == NULL && r.arena == NULL);
		free(why);
		return;
	}
	fuzz_check(why == NULL);
	check_result(&r);
	/* The scanner took it (an arena, no jansson tree). */
	if (r.doc == NULL)
		same_as_jansson(body, len, dir, &r);
	loki_result_free(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char			*body = fuzz_body(data, size);
	struct loki_result	 r;
	char			**labels, *why = NULL, *s;
	size_t			 n;
	double			 count;
	long			 max;

	query_range(body, size, 200, LOKI_FORWARD);
	query_range(body, size, 0, LOKI_BACKWARD);
	query_range(body, size, 502, LOKI_FORWARD);

	if (loki_parse_tail(body, size, &r, &why)) {
		check_result(&r);
		loki_result_free(&r);
	} else {
		fuzz_check(why != NULL);
		free(why);
	}
	why = NULL;
	if (loki_parse_labels(body, size, 200, &labels, &n, &why)) {
		fuzz_check(labels[n] == NULL);
		loki_labels_free(labels, n);
	} else
		free(why);
	why = NULL;
	if (!loki_parse_count(body, size, 200, &count, &why))
		free(why);
	s = loki_error_reason(400, body, size);
	free(s);
	s = fuzz_string(data, size);
	(void)loki_parse_max_entries(s, &max);
	free(s);
	free(body);
	return (0);
}
