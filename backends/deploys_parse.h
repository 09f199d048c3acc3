/* deploys_parse.h: the deploy command source's output, one JSON object per
 * line: {"service","version","revision","previous_revision","at","author",
 * "url","environment"} ("at": RFC 3339 or Unix seconds; "summary" and "id"
 * optional). Pure: bytes in, deploys and named problems out. */
#ifndef SITREP_DEPLOYS_PARSE_H
#define SITREP_DEPLOYS_PARSE_H

#include <stddef.h>

struct deploy;

struct deploys_parsed {
	struct deploy	*v;		/* in input order */
	size_t		 n;
	char		**problems;	/* "line 3: not JSON: ..." */
	size_t		 nproblems;
	size_t		 skipped;	/* bad lines, named or not */
};

/* Parse buf[0..len); source names the records' source. Bad lines are
 * skipped; the first DEPLOYS_PARSE_MAX_PROBLEMS are named. */
#define DEPLOYS_PARSE_MAX_PROBLEMS	10
void	 deploys_parse(const char *, size_t, const char *source,
	     struct deploys_parsed *);
/* Frees what is left (the caller may have moved v away and zeroed it). */
void	 deploys_parsed_free(struct deploys_parsed *);

#endif
