/* snapshot.h: `sitrep snapshot`: the model printed once, as text for people
 * or as JSON for programs (the shape is documented in sitrep(1)). */
#ifndef SITREP_SNAPSHOT_H
#define SITREP_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct model;
struct source;

/* Serialize to a heap string (JSON, ASCII-only with \u escapes). */
char	*snapshot_json(const struct model *);
void	 snapshot_text(const struct model *, FILE *);
/* Fetch every source once and print; returns the exit status (0 all
 * well, 1 a source failed: reasons on stderr). follow_ms > 0: keep every
 * source refreshing (logs following) for that long instead, then print. */
int	 snapshot_run(struct model *, struct source **, size_t, bool json,
	     int64_t timeout_ms, int64_t follow_ms);

#endif
