/* actions.h: the one road every write to a source takes (acknowledge,
 * resolve, note, snooze, reassign, silence, expire). It refuses a second
 * action on a record while one is in flight, refuses what the source cannot
 * do, writes the audit log's start line before the request leaves (and
 * sends nothing if it cannot) and its end line with the answer, says the
 * progress and the result through the caller's hook, and refreshes the
 * source at once on success. */
#ifndef SITREP_ACTIONS_H
#define SITREP_ACTIONS_H

#include <stdbool.h>

struct action;
struct source;

/* How the road speaks to the console: "acknowledge PT4KHLK ...", the
 * result, or why nothing was sent. */
typedef void (*actions_say_cb)(void *ctx, bool error, const char *msg);

/* Is an action on this record key ("source/id") in flight? */
bool	 actions_busy(const char *key);
/* Start a on source for the record key; what says it for people
 * ("acknowledge PT4KHLK"). */
void	 actions_run(struct source *, const char *key, const struct action *,
	     const char *what, actions_say_cb, void *ctx);
/* Does the command of this name change the world (acknowledge, rollback,
 * shell, status-update ...)? The console refuses those on a read-only seat
 * before they ask anything (actlog.h refuses them again where they
 * start, so that no road around the command table acts). */
bool	 actions_command_writes(const char *name);
/* Told when a note was added (ok): the source, the record id and the
 * text, for the timeline. One hook; NULL removes it. */
typedef void (*actions_note_cb)(void *arg, const char *source,
	     const char *id, const char *text);
void	 actions_on_note(actions_note_cb, void *arg);
/* Forget actions in flight (their requests are gone with the loop); their
 * audit entries end as unknown. */
void	 actions_free(void);

#endif
