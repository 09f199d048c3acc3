/* statusupd.h: a status update in two keys (see statusupd.c): composed,
 * edited, then copied (OSC 52), posted to PagerDuty, added as a note. */
#ifndef SITREP_STATUSUPD_H
#define SITREP_STATUSUPD_H

#include <stdbool.h>

struct pane;
struct ui;

/* The global command "status-update [TEXT]". */
void	 statusupd_command(struct ui *, struct pane *, const char *args);
/* An action ended (from the audit log's observer): the editor of a
 * status update brings its text back. */
void	 statusupd_action_ended(struct ui *, const char *action, bool ok);
void	 statusupd_free(void);

#endif
