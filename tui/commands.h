/* commands.h: the console's global command table (struct command is in
 * views/ui.h, shared with the panes' tables). Key bindings name these
 * commands; the help screen and the man page's key table list them. */
#ifndef SITREP_COMMANDS_H
#define SITREP_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include "views/ui.h"

struct view_ops;

/* The four panes' views, in focus order (each with its command table). */
extern const struct view_ops *const view_all[];
extern const size_t view_count;

extern const struct command commands[];
extern const size_t ncommands;

/* A command by name (the first word of a command line), global or a
 * pane's; *owner gets the pane's view or NULL for a global command. */
const struct command *command_find(const char *, const struct view_ops **);
bool	 command_exists(const char *);

/* Pane i is on the screen (laid out, not under the action terminal). */
bool	 pane_shown(struct ui *, int);
/* Give pane i the keyboard (see commands.c). */
void	 focus_pane(struct ui *, int);

#endif
