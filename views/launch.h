/* launch.h: the keys that run a command in the action terminal: `r` on a
 * deploy (its rollback), `b` on an alert (its runbook, or its runbook link
 * opened or copied), `!` (a shell with the selection's context). Each shows
 * its plan (actions/plan.h) exactly in the detail overlay, asks the one
 * question (views/ask.h; in a protected environment the service name is
 * typed) and starts it in the action terminal. One intent runs once. */
#ifndef SITREP_LAUNCH_H
#define SITREP_LAUNCH_H

struct pane;
struct ui;

/* The deploys pane's "rollback", the alerts pane's "runbook", and the
 * global "shell". */
void	 launch_rollback(struct ui *, struct pane *, const char *args);
void	 launch_runbook(struct ui *, struct pane *, const char *args);
void	 launch_shell(struct ui *, struct pane *, const char *args);

#endif
