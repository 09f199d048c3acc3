/* loki_result.h: what a Loki answer becomes, whichever parser read it
 * (backends/loki_scan.c, the fast scanner, or backends/loki_parse.c, the
 * jansson path): streams with their labels, entries with their identity
 * hash, sorted as Loki sorts them, and the chores both parsers share. */
#ifndef SITREP_LOKI_RESULT_H
#define SITREP_LOKI_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOKI_REASON_MAX	200	/* bytes of a reason or warning kept */
#define LOKI_WARNINGS_MAX 8	/* kept of an answer's warnings: a hostile
				 * one could send millions */

enum loki_direction {
	LOKI_FORWARD,		/* each stream's values oldest first */
	LOKI_BACKWARD		/* newest first (Loki's default) */
};

struct loki_stream {
	char		*labels;	/* {app="api", pod="api-1"}, keys sorted */
	uint64_t	 hash;		/* of labels */
};

/* One log line. The text points into the parsed document, which lives as
 * long as the result: copy it before loki_result_free(). */
struct loki_entry {
	int64_t		 ts;		/* ns since the epoch */
	uint64_t	 hash;		/* of the stream and the text: identity */
	const char	*line;		/* may hold NULs; not sanitized */
	size_t		 len;
	uint32_t	 stream;	/* index into streams */
	uint32_t	 pos;		/* order within its stream, oldest 0 */
	uint32_t	 rank;		/* of the stream's labels, sorted */
};

struct loki_dropped {
	int64_t		 ts;
	char		*labels;
};

struct loki_result {
	struct loki_stream	*streams;
	size_t			 nstreams;
	struct loki_entry	*entries;	/* sorted: ts, labels, pos */
	size_t			 n;
	struct loki_dropped	*dropped;	/* tail frames only */
	size_t			 ndropped;
	char			**warnings;
	size_t			 nwarnings;
	void			*doc;		/* what entries point into: */
	char			*arena;		/* a jansson tree, or this */
};

/* A label while an answer is read: name and value. */
struct loki_kv {
	const char	*k, *v;
};

void	 loki_result_free(struct loki_result *);
/* The identity hash of len bytes after seed (a stream's, for a line). */
uint64_t loki_result_hash(uint64_t seed, const char *, size_t);
/* {k="v", k2="v2"}, keys sorted (kv is sorted in place; heap). */
char	*loki_result_labels(struct loki_kv *, size_t);
/* qsort order of labels by name. */
int	 loki_result_kv_cmp(const void *, const void *);
/* "<ns>" of exactly len bytes (a NUL inside is no timestamp). */
bool	 loki_result_ts(const char *, size_t, int64_t *);
/* Rank the streams by their labels and sort the entries: oldest first,
 * ties as Loki breaks them, then by position in the stream. */
void	 loki_result_order(struct loki_result *);

#endif
