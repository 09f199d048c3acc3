/* actions.h: the one road every write to a source takes (acknowledge,
 * resolve, note, snooze, reassign, silence, expire; later rollbacks and
 * runbooks). It refuses a second action on a record while one is in
 * flight, says the result on the status line, refreshes the source at once
 * on success, and brackets each action with action_begin/action_end: the
 * one place where the audit log (issue 6) plugs in. It also fetches a
 * record's on-demand details into the open detail view. */
#ifndef SITREP_ACTIONS_H
#define SITREP_ACTIONS_H

#include <stdbool.h>

struct action;
struct alert;
struct app;
struct source;

/* Is an action on this record key ("source/id") in flight? */
bool	 actions_busy(const char *key);
/* Start a on source for the record key; what says it for people
 * ("acknowledge PT4KHLK"). Refused, with a message, if the record is busy
 * or the source cannot do it. */
void	 actions_run(struct app *, struct source *, const char *key,
	     const struct action *, const char *what);
/* Fetch what the source has beyond the list about alert a (PagerDuty: the
 * incident's alerts and notes) into app->detail, while it still shows a. */
void	 actions_fetch_details(struct app *, const struct alert *);
/* Forget actions in flight (their requests are gone with the loop). */
void	 actions_free(void);

/* The audit hooks: called before an action starts and when it ends.
 * action_begin writes the audit log's start line (tui/actlog.h) and is
 * false when it cannot: the action must then not be sent. */
bool	 action_begin(const char *source, const char *key, const char *what);
void	 action_end(const char *source, const char *key, const char *what,
	     bool ok, const char *result);

#endif
