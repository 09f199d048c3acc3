/* prompt.h: a one-line editor for the status line (a note, a duration, a
 * regex, a LogQL query, a service name typed to confirm). The editing is pure: keys in, text
 * and cursor out, so that it can be tested without a terminal. */
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

struct prompt {
	bool		 active;
	char		*label;		/* "note: " */
	struct sbuf	 text;
	size_t		 cursor;	/* byte offset in text */
	prompt_cb	 cb;
	void		*arg;
};

void	 prompt_start(struct prompt *, const char *label, const char *initial,
	     prompt_cb, void *);
/* Apply one key (keymap.h codes); pure. */
enum prompt_result prompt_key(struct prompt *, int key);
void	 prompt_clear(struct prompt *);
/* Display columns before the cursor (for placing the terminal cursor). */
size_t	 prompt_cursor_column(const struct prompt *);

#endif
