/* keymap.h: key names and bindings. A binding maps a key, in a table, to a
 * command name; tables are "global" and one per pane ("alerts", "logs" ...),
 * the pane's table is looked up first. The defaults are rc text
 * (keymaps/default.keys, compiled in) run through the same parser as user
 * overrides. Pure: no curses calls, key codes are curses' values. */
#ifndef SITREP_KEYMAP_H
#define SITREP_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

struct binding {
	char	*table;
	int	 key;		/* curses key code, or a character */
	char	*command;
	int	 line;		/* where it was bound, for messages */
};

struct keymap {
	struct binding	*v;
	size_t		 n;
};

/* The compiled-in default bindings (keymaps/default.keys). */
extern const char keymap_default_rc[];

/* "j", "Tab", "BTab", "Enter", "Escape", "Space", "C-a", "F1", "PPage",
 * "Up" ... -> key code; -1 if unknown. */
int	 keymap_key_parse(const char *);
/* Key code -> its canonical name (static storage until the next call). */
const char *keymap_key_name(int);

/* Is name a command the program knows? Set by the command table. */
typedef bool (*keymap_command_check)(const char *);

/* Parse rc text: lines "bind [-T table] KEY COMMAND", "unbind [-T table]
 * KEY", comments with #. On error, *err gets "LINE: message" (heap) and
 * false is returned; bindings before the error stay. */
bool	 keymap_load_rc(struct keymap *, const char *, keymap_command_check,
	     char **err);
/* Bind or rebind; command NULL or "none" unbinds. */
void	 keymap_bind(struct keymap *, const char *table, int key,
	     const char *command, int line);
/* Command for key in table, then in "global"; NULL if unbound. */
const char *keymap_lookup(const struct keymap *, const char *table, int key);
void	 keymap_free(struct keymap *);

#endif
