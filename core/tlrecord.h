/* tlrecord.h: what the console sees, turned into timeline events
 * (core/timeline.h): alerts firing (at the source's start time),
 * acknowledged and resolved (when sitrep saw it), SLO conditions starting
 * and ending, deploys (at their own time). It compares the model with what
 * the timeline already holds, so that a restart or a second seat records
 * nothing twice, and resolves an alert only when its source has just
 * answered well without it. */
#ifndef SITREP_TLRECORD_H
#define SITREP_TLRECORD_H

struct model;
struct timeline;
struct tlrecord;

struct tlrecord *tlrecord_new(struct timeline *);
void	 tlrecord_free(struct tlrecord *);
/* Look at the model (cheap when nothing it watches changed); *warn (heap,
 * or NULL) says a write failure once. */
void	 tlrecord_model(struct tlrecord *, const struct model *, char **warn);

#endif
