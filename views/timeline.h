/* timeline.h: the Timeline view (see timeline.c): the environment's
 * timeline over the panes, filtered to an incident or a service. */
#ifndef SITREP_VIEWS_TIMELINE_H
#define SITREP_VIEWS_TIMELINE_H

#include <stdbool.h>

struct pane;
struct timeline;
struct ui;

/* The timeline the view shows (owned by the caller), or NULL. */
void	 tlview_set(struct timeline *);
struct timeline *tlview_timeline(void);
/* The global command "timeline [incident ID|service NAME|all]". */
void	 tlview_command(struct ui *, struct pane *, const char *args);
/* Is it on screen? Show new events (and a changed clock) if so. */
bool	 tlview_open(const struct ui *);
void	 tlview_refresh(struct ui *);
void	 tlview_free(void);

#endif
