/* prompt.h: a one-line editor for the status line (a note, a duration, a
 * regex, a LogQL query, a service name typed to confirm, a command line).
 * The editing is pure: keys in, text and cursor out, so that it can be
 * tested without a terminal; Tab completes words a callback offers, and Up
 * and Down walk a history of earlier lines. */
#ifndef SITREP_PROMPT_H
#define SITREP_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/sbuf.h"

struct ui;

enum prompt_result {
	PROMPT_EDITING,
	PROMPT_ACCEPT,
	PROMPT_CANCEL
};

/* Called once: text is the line on Enter, NULL on Escape. */
typedef void (*prompt_cb)(struct ui *, const char *text, void *arg);

struct prompt;
/* Tab: offer (prompt_offer) every word that may stand where the word
 * before the cursor, which starts at byte word_start of line, stands. */
typedef void (*prompt_complete_cb)(struct prompt *, const char *line,
	     size_t word_start);

/* Lines entered before, oldest first; Up and Down walk them. */
struct prompt_history {
	char		**v;
	size_t		  n;
};
#define PROMPT_HISTORY_MAX	100

struct prompt {
	bool		 active;
	char		*label;		/* "note: " */
	struct sbuf	 text;
	size_t		 cursor;	/* byte offset in text */
	prompt_cb	 cb;
	void		*arg;

	prompt_complete_cb complete;	/* NULL: Tab does nothing */
	char		**matches;	/* what the last Tab left to choose */
	size_t		  nmatches;
	const char	 *word;		/* being completed (in text) */
	size_t		  wordlen;

	struct prompt_history *history;	/* NULL: Up and Down do nothing */
	size_t		  hist_at;	/* history->n: the line being typed */
	char		 *draft;	/* that line, while Up shows others */
};

void	 prompt_start(struct prompt *, const char *label, const char *initial,
	     prompt_cb, void *);
/* Apply one key (keymap.h codes); pure. */
enum prompt_result prompt_key(struct prompt *, int key);
void	 prompt_clear(struct prompt *);
/* Give the prompt Tab completion and a history (either may be NULL). */
void	 prompt_use(struct prompt *, prompt_complete_cb,
	     struct prompt_history *);
/* For a completion callback: offer one word (kept if it starts with the
 * word being completed; duplicates are dropped). */
void	 prompt_offer(struct prompt *, const char *);
/* Remember a line (not an empty one, nor the last one again). */
void	 prompt_history_add(struct prompt_history *, const char *);
void	 prompt_history_free(struct prompt_history *);
/* Display columns before the cursor (for placing the terminal cursor). */
size_t	 prompt_cursor_column(const struct prompt *);

#endif
