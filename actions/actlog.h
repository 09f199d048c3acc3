/* actlog.h: the running side of the audit log (core/audit.h builds and
 * writes the lines). An action is started (its start line written and
 * fsync'd, or it must not run), then ended (its end line, with the exit or
 * HTTP status and the duration). While any action is in flight a lost
 * terminal does not end sitrep: actlog_hangup() keeps the loop running
 * without a screen until they have ended, at most hangup_wait (an hour),
 * so that their end lines land; then sitrep quits and term_shutdown() hangs
 * up what is left (SIGHUP, then SIGKILL) and records why. */
#ifndef SITREP_ACTLOG_H
#define SITREP_ACTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct actlog;
struct audit_event;
struct audit_result;

/* Told of every action as its audit lines are written: r is NULL at the
 * start, how it ended at the end (the timeline records both; the demo
 * plays a rollback's effect). One observer; NULL removes it. */
typedef void (*actlog_observer)(void *arg, const struct audit_event *,
	     const struct audit_result *r);
void	 actlog_observe(actlog_observer, void *arg);

/* The most a hang-up waits for running actions ([sitrep] hangup_wait);
 * negative: the default, an hour. */
void	 actlog_set_hangup_wait(int64_t ms);
/* The environment recorded when an action names none. */
void	 actlog_set_environment(const char *);

/* The read-only seat (--read-only, [sitrep] read_only): every action
 * that changes the world starts here, so here it is refused; nothing is
 * written to the audit log, nothing sent, no child started. */
void	 actlog_set_read_only(bool);
bool	 actlog_read_only(void);
/* The one line a refused action says (heap): "read-only seat: WHAT
 * refused, nothing was sent". */
char	*actlog_refusal(const char *what);

/* Write the start line; NULL with *err (heap) if the log cannot be
 * written (or the seat is read-only), in which case the action must not
 * run. argv or request may be
 * NULL; environment NULL means the console's. */
struct actlog *actlog_start(const char *action, const char *target,
	     const char *environment, char *const *argv, const char *request,
	     char **err);
/* Write the end line and forget the action. A process: its wait(2)
 * status. A request: the HTTP status (0: none). false with *err (heap) if
 * the line could not be written. */
bool	 actlog_end_process(struct actlog *, int wait_status,
	     const char *error, char **err);
bool	 actlog_end_http(struct actlog *, long http_status,
	     const char *error, char **err);

/* Actions started and not yet ended. */
size_t	 actlog_running(void);
/* The terminal is gone (SIGHUP, stdin closed): quit with status now, or,
 * with actions in flight, quit when the last one ends (or hangup_wait). */
void	 actlog_hangup(int status);
bool	 actlog_headless(void);

#endif
