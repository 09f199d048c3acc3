/* help.h: the help overlay, built from the live key bindings and the
 * command tables, so that it says what the keys do now. */
#ifndef SITREP_HELP_H
#define SITREP_HELP_H

struct detail;
struct ui;

struct command;

/* The command a binding names, or NULL (tui/commands.c). */
typedef const struct command *(*help_lookup_fn)(const char *);

/* The bindings, from the live keymap and the command tables. */
void	 help_build(struct ui *, struct detail *, help_lookup_fn);

struct pane;

/* The help's own commands (tui/commands.c lists them): search it for
 * text (asked for without args), and go to the next or previous line
 * that holds it. */
void	 help_cmd_search(struct ui *, struct pane *, const char *);
void	 help_cmd_search_next(struct ui *, struct pane *, const char *);
void	 help_cmd_search_prev(struct ui *, struct pane *, const char *);

#endif
