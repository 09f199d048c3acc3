/* rollback.h: `r` on a deploy. The [rollback "SERVICE"] (or "*") template
 * is filled from the deploy into an argv, shown exactly, confirmed (in a
 * protected environment by typing the service name) and run in the action
 * terminal. One intent runs one rollback. */
#ifndef SITREP_ROLLBACK_H
#define SITREP_ROLLBACK_H

struct app;

/* The deploys pane's "rollback" command. */
void	 rollback_command(struct app *, const char *args);

#endif
