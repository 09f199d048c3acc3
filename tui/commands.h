/* commands.h: what a key can do, as data: a table of {name, help, exec}.
 * Key bindings name these commands; the help screen and the man page's key
 * table list them. */
#ifndef SITREP_COMMANDS_H
#define SITREP_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

struct app;
struct view_ops;

struct command {
	const char	*name;
	const char	*args;		/* argument synopsis, or NULL */
	const char	*help;
	void		(*exec)(struct app *, const char *args);
};

extern const struct command commands[];
extern const size_t ncommands;

/* A command by name (the first word of a command line), global or a
 * pane's; *owner gets the pane's view or NULL for a global command. */
const struct command *command_find(const char *, const struct view_ops **);
bool	 command_exists(const char *);

#endif
