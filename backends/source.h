/* source.h: the registry of backends and the scheduler of the sources
 * made from the config (backends/source.c): each refreshed on its interval
 * with jitter, backoff after failures and Retry-After honoured, a refresh
 * never overlapping the last; and what the console asks of them. */
#ifndef SITREP_SOURCE_H
#define SITREP_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "backends/backend.h"

/* Registry: the backend for a section type, or NULL. */
const struct backend_ops *backend_find(const char *kind);

/* Create the sources named by the config (with --demo: the demo only).
 * Problems go to the config's error list. */
struct source **sources_create(struct config *, struct model *, size_t *);
void	 sources_free(struct source **, size_t);
/* Begin refreshing every source now and then on their intervals. */
void	 sources_start(struct source **, size_t);
/* Refresh one now (after an action) unless one is in flight. */
void	 source_refresh_now(struct source *);
/* A backend calls this when a refresh ends: error NULL on success. */
void	 source_done(struct source *, const char *error);
/* ... or this when it gives a round up unanswered because what it asked is
 * no longer wanted: the source's health stays as it was (no success is
 * claimed), and it is asked again at once. */
void	 source_restart(struct source *);
/* The refresh asked nothing (a Loki whose environment is not shown): the
 * next comes at the usual interval; the health says idle, not ok. */
void	 source_idle(struct source *);
/* Observers (snapshot waits for every source's first round). */
void	 sources_set_observer(void (*)(struct source *, void *), void *);
struct source *source_find(struct source **, size_t, const char *);
/* Can this source do this action? */
bool	 source_can(const struct source *, enum action_kind);
/* Refresh now every source that feeds a pane (enum feed); the number
 * started. */
size_t	 sources_refresh_feeding(struct source **, size_t, int feed);
/* Free what a details fetch delivered. */
void	 source_details_free(struct detail_section *, size_t);

#endif
