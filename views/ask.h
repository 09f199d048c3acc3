/* ask.h: the question before an action that changes the world, the one
 * way every such action is confirmed (resolve, silence, expire, rollback,
 * runbook, quitting while actions run). The console owns the question
 * (struct ui's ask): keys reach it before anything else, and it is drawn
 * on the status line. The rules, the same for every question:
 *   - only a choice's key confirms ('y'; without case);
 *   - the key that opened the question, pressed again, changes nothing, so
 *     that a double press neither confirms nor cancels;
 *   - Escape or any other key cancels, and the status line says so;
 *   - in a protected environment the answer is a typed word (the service
 *     name) and Enter; anything else cancels;
 *   - keys typed ahead of the answer are thrown away, and when the answer
 *     hands the keyboard to the action terminal, so are those of the
 *     moment after it, so that they do not land in what it started.
 * This module decides; views/ui.c carries out the outcome. */
#ifndef SITREP_ASK_H
#define SITREP_ASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "views/prompt.h"

struct ui;
struct view_ops;

typedef void (*ask_cb)(struct ui *, void *arg);

struct ask_choice {
	int		 key;		/* 'y'; matched without case */
	const char	*label;		/* "y rolls back" */
	ask_cb		 fn;
};

#define ASK_MAX_CHOICES	4
#define ASK_TYPEAHEAD_MS 250	/* keys this soon after an answer are dropped */

struct ask_spec {
	const char		*question;
	const struct ask_choice	*choices;
	size_t			 n;
	/* A typed confirmation: the word to type (Enter runs choices[0]),
	 * and what it is, for the refusal ("the service name"). */
	const char		*expect;
	const char		*expect_what;
	/* What is asked about, for what is said when it is cancelled
	 * ("rollback" cancelled: nothing ran); or the whole sentence. */
	const char		*what;
	const char		*cancelled;
	ask_cb			 cancel;	/* optional, after the message */
	void			(*free_arg)(void *);
	void			*arg;
	bool			 owns_overlay;	/* the detail closes with it */
	/* The answer hands the keyboard to something else (the action
	 * terminal): keys in the moment after it are thrown away. */
	bool			 grabs_keys;
	/* The item asked about: the row named item_key in the pane of
	 * item_view ("deploy checkout v2.14.0" is item_name). When it
	 * vanishes, the question is cancelled, naming it. */
	const struct view_ops	*item_view;
	const char		*item_key;
	const char		*item_name;
};

struct ask {
	bool			 active;
	char			*question;
	struct ask_choice	 choices[ASK_MAX_CHOICES];
	size_t			 n;
	char			*expect;
	char			*expect_what;
	char			*what;
	char			*cancelled;
	ask_cb			 cancel;
	void			(*free_arg)(void *);
	void			*arg;
	bool			 owns_overlay;
	bool			 grabs_keys;
	const struct view_ops	*item_view;
	char			*item_key;
	char			*item_name;
	int			 opener;	/* the key that opened it */
	bool			 hint;		/* the opener was pressed again */
	struct prompt		 typed;		/* the typed confirmation */
	int64_t			 quiet_until;
};

enum ask_outcome {
	ASK_NOT_MINE,		/* no question, and not typed ahead */
	ASK_KEPT,		/* the question's, and it is still open */
	ASK_DROPPED,		/* typed ahead of an answer: thrown away */
	ASK_CHOSEN,		/* *fn is the choice's */
	ASK_CANCELLED,
	ASK_MISMATCH		/* a typed word that is not the expected one */
};

/* Open a question (a previous one is dropped, as if never asked: the
 * caller cancels it first when it should say so). */
void	 ask_start(struct ask *, const struct ask_spec *, int opener);
/* One key at now_ms. On ASK_CHOSEN *fn is what to run; the question stays
 * active until ask_finish. */
enum ask_outcome ask_key(struct ask *, int key, int64_t now_ms, ask_cb *fn);
/* End the question after an outcome: returns its arg (for fn, then
 * ask_free_arg) and forgets the rest. */
void	*ask_end(struct ask *);
/* Free an ended question's arg with its free_arg. */
void	 ask_free_arg(void (*free_arg)(void *), void *);
/* Drop a pending question without answering it (on exit). */
void	 ask_clear(struct ask *);
/* The status line: the question and its answers, clipped to cols. */
void	 ask_paint(const struct ask *, int y, int cols);
/* Where the terminal cursor goes for a typed confirmation, or -1. */
int	 ask_cursor_column(const struct ask *);

#endif
