/* pd_changes_parse.h: PagerDuty change events (GET /change_events, and
 * GET /incidents/{id}/related_change_events) as deploys. Pure: a response
 * body in, deploys out. To be called by backends/pagerduty.c. */
#ifndef SITREP_PD_CHANGES_PARSE_H
#define SITREP_PD_CHANGES_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct deploy;
struct detail_section;
struct kvlist;

/* Parse {"change_events":[...]} into *v (heap, *n of them), each from
 * source. The service is the first service reference's summary (its id
 * without one); version, revision, previous_revision, author and
 * environment come from custom_details where present; url is the first
 * link. Events without a timestamp or service are skipped. false with
 * *err (heap) if the body is not such an object. */
bool	 pd_changes_parse(const char *, size_t, const char *source,
	     struct deploy **v, size_t *n, char **err);

/*
 * Which events a listing keeps and how their services are named. The
 * API filters by team, not by service: with service_ids, only events on
 * one of them are kept (the first such service is the event's). A
 * service is named by its id's entry in names (the name its incidents
 * carry, so that suspects match), else its summary, else its id.
 */
struct pd_changes_scope {
	char *const		*service_ids;
	size_t			 nservice_ids;
	const struct kvlist	*names;		/* id = name; may be NULL */
	bool			 more;		/* out: another page follows */
};
bool	 pd_changes_parse_scoped(const char *, size_t, const char *source,
	     struct pd_changes_scope *, struct deploy **v, size_t *n,
	     char **err);

/* GET /incidents/{id}/related_change_events as one detail section
 * appended to *v (*n grows): when each change was, relative to the
 * incident's start (0: unknown), what it was, why PagerDuty relates it,
 * and its link. scope may be NULL (only names is read). */
bool	 pd_parse_related_changes(const char *, size_t, time_t started_at,
	     const struct pd_changes_scope *, struct detail_section **v,
	     size_t *n, char **err);

/* The query for recent change events: "/change_events?since=...". */
char	*pd_changes_path(long long since_unix, long limit);
/* The same for the given teams (team_ids[]); nteams may be 0. */
char	*pd_changes_list_path(long long since_unix, long limit,
	     char *const *teams, size_t nteams);

#endif
