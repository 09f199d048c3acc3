/* snapshot.h: `sitrep snapshot`: the model printed once, as text for people
 * or as JSON for programs (the shape is documented in sitrep(1)). */
#ifndef SITREP_SNAPSHOT_H
#define SITREP_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct model;
struct source;

/* Serialize to a heap string (JSON, ASCII-only with \u escapes). */
char	*snapshot_json(const struct model *);
void	 snapshot_text(const struct model *, FILE *);
/* The same at a given time (the age of alerts, the "taken" line). */
void	 snapshot_text_at(const struct model *, time_t, FILE *);
/* How many of the newest log lines the text prints. */
#define SNAPSHOT_LOG_LINES	20
/* Fetch every source once and print; returns the exit status (0 all
 * well, 1 a source failed: reasons on stderr). follow_ms > 0: keep every
 * source refreshing (logs following) for that long instead, then print. */
int	 snapshot_run(struct model *, struct source **, size_t, bool json,
	     int64_t timeout_ms, int64_t follow_ms);

#endif
