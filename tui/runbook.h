/* runbook.h: `b` on an alert runs its [runbook "ALERTNAME"] command in the
 * action terminal with the alert's labels and annotations in the
 * environment, or shows its runbook_url and offers to open it
 * (open_command) or copy it (OSC 52); `!` opens a shell there with the
 * selected row's context. */
#ifndef SITREP_RUNBOOK_H
#define SITREP_RUNBOOK_H

struct app;

void	 runbook_command(struct app *, const char *args);
void	 shell_command(struct app *, const char *args);

#endif
