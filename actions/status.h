/* status.h: a status update for the bridge, composed from what the
 * console knows: what is affected and since when, the worst burn and the
 * budget left, the suspect deploy, the actions taken and how they ended
 * (from the timeline), and what happens next. A template (`[sitrep]
 * status_template`, `\n` for a new line) says how; its $names are those of
 * struct status_facts. Pure: the model and the timeline in, text out. */
#ifndef SITREP_STATUS_H
#define SITREP_STATUS_H

#include <stdint.h>

struct model;
struct timeline;

#define STATUS_TEMPLATE_DEFAULT \
	"[$environment] status update, $time\n" \
	"Affected: $affected, since $since.\n" \
	"Impact: $burn; $budget.\n" \
	"Suspect: $suspect.\n" \
	"Done: $actions.\n" \
	"Next: $next."

/* Each fact as text (heap), for the template. */
struct status_facts {
	char	*environment;
	char	*time;		/* "14:32 UTC" */
	char	*affected;	/* "checkout, payments" */
	char	*since;		/* "13:22 UTC (70m ago)" */
	char	*burn;		/* "checkout-availability burns 15.4x ..." */
	char	*budget;	/* "62.7% of its 30d budget left ..." */
	char	*suspect;	/* "checkout v2.14.0, deployed 13:16 UTC" */
	char	*actions;	/* "ack demo/demo-1 (HTTP 200); ..." */
	char	*next;
};

/* The facts at now (Unix seconds); local: times in local time. */
void	 status_facts(struct status_facts *, const struct model *,
	     const struct timeline *, int64_t now, int local);
void	 status_facts_free(struct status_facts *);
/* The template filled (heap); NULL template: the default. An unknown
 * $name stays as written. */
char	*status_fill(const char *tmpl, const struct status_facts *);
/* Text in one line for the status-line editor (" | " between lines), and
 * back (heap). */
char	*status_one_line(const char *);
char	*status_lines(const char *);

#endif
