/* report.h: `sitrep report`: the error-budget review of a period, for
 * every SLO: budget at its start and end, what it consumed, the burn
 * episodes and the deploys and incidents that may explain them, as text,
 * markdown, JSON, CSV or one self-contained HTML page (sitrep(1)). */
#ifndef SITREP_REPORT_H
#define SITREP_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct model;
struct source;

enum report_format {
	REPORT_TEXT,
	REPORT_MARKDOWN,
	REPORT_JSON,
	REPORT_CSV,
	REPORT_HTML
};

struct report_opts {
	double			 from, to;	/* unix seconds */
	enum report_format	 format;
	const char		*glob;		/* --slo, or NULL: every SLO */
	const char		*environment;	/* --environment, or NULL:
						 * every one */
};

/* "text", "markdown" (or "md"), "json", "csv", "html"; false otherwise. */
bool	 report_format_parse(const char *, enum report_format *);

/* Ask the sources for the period, wait for their answers (at most
 * timeout_ms), print the report on f. Returns 0, or 1 when a source or one
 * of the report's queries failed (the reasons on stderr and in the report,
 * marked incomplete). */
int	 report_run(struct model *, struct source **, size_t,
	     const struct report_opts *, int64_t timeout_ms, FILE *f);

#endif
