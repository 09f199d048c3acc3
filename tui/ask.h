/* ask.h: the question before an action that changes the world. It sits on
 * the status line (the detail overlay above it may show what will run) and
 * takes only its own answers: a repeated key, a stray key or the key that
 * opened it changes nothing, so that a double press cannot confirm. Keys
 * typed ahead of the answer are thrown away for a moment after it, so that
 * they do not land in what the answer started. */
#ifndef SITREP_ASK_H
#define SITREP_ASK_H

#include <stdbool.h>
#include <stddef.h>

struct app;

typedef void (*ask_cb)(struct app *, void *arg);

struct ask_choice {
	int		 key;		/* 'y'; matched without case */
	const char	*label;		/* "y rolls back" */
	ask_cb		 fn;
};

/* Ask; Escape (and 'n' unless it is a choice) cancels, calling cancel.
 * free_arg (may be NULL) is called on arg when the question ends. When
 * owns_overlay, the open detail overlay closes with it. */
void	 ask_start(struct app *, const char *question,
	     const struct ask_choice *, size_t, ask_cb cancel,
	     void (*free_arg)(void *), void *arg, bool owns_overlay);
bool	 ask_active(void);
void	 ask_cancel(struct app *);
/* Drop a pending question without answering it (on exit). */
void	 ask_free(void);
/* The app's key hook: true if the key was the question's (or typeahead). */
bool	 ask_key(struct app *, int key);
void	 ask_paint(struct app *);

#endif
