/* keymap.h: key names and bindings. A binding maps a key, in a table, to a
 * command name; tables are "global" and one per pane ("alerts", "logs" ...),
 * the pane's table is looked up first. The defaults are rc text
 * (keymaps/default.keys, compiled in) run through the same parser as user
 * overrides. Pure: no curses calls; key codes are characters or tagged
 * curses KEY_* values (below). */
#ifndef SITREP_KEYMAP_H
#define SITREP_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Key codes. A character is its Unicode code point ('j', 0x1b, 0xe9 for
 * "é"); a curses function key is its KEY_* value tagged with bit 30, so the
 * two never collide (KEY_UP is 0403, which is also U+0103). The TUI reads
 * with wget_wch and converts:
 *
 *	key = (ret == KEY_CODE_YES) ? KEYMAP_KEYCODE(wc) : (int)wc;
 *
 * Some keys arrive in several forms; keymap_key_canonical() folds them to
 * one code, and keymap_bind/keymap_lookup fold for the caller:
 *	Enter	13, 10 and KEYMAP_KEYCODE(KEY_ENTER)	-> 13
 *	Backspace 127, 8 and KEYMAP_KEYCODE(KEY_BACKSPACE) -> KEYMAP_KEYCODE(...)
 *	Home	KEYMAP_KEYCODE(KEY_FIND) (the vt220 "Find" key) -> KEY_HOME
 *	End	KEYMAP_KEYCODE(KEY_SELECT) (the vt220 "Select" key) -> KEY_END
 */
#define KEYMAP_KEYCODE_FLAG	0x40000000
#define KEYMAP_KEYCODE(k)	((int)(k) | KEYMAP_KEYCODE_FLAG)
#define KEYMAP_IS_KEYCODE(k)	((k) >= 0 && ((k) & KEYMAP_KEYCODE_FLAG) != 0)

struct binding {
	char	*table;
	int	 key;		/* canonical key code, see above */
	char	*command;
	int	 line;		/* where it was bound, for messages */
};

struct keymap {
	struct binding	*v;
	size_t		 n;
};

/* The compiled-in default bindings (keymaps/default.keys). */
extern const char keymap_default_rc[];
/* The tables an rc file may name, "global" first, then in the order the
 * help screen lists them. */
extern const char *const keymap_tables[];
extern const size_t keymap_ntables;

/* "j", "Tab", "S-Tab", "Enter", "Esc", "Space", "C-a", "F1", "PgUp",
 * "Up" ... -> canonical key code; -1 if unknown. The curses names of older
 * configs ("BTab", "NPage", "PPage", "SPPage", "SNPage", "BSpace", "IC",
 * "DC", "Escape") are accepted too. A single character (one
 * UTF-8 code point) is itself and case matters ("g" is not "G"); named keys
 * and the "C-" prefix are case-insensitive ("pageup", "c-A"). */
int	 keymap_key_parse(const char *);
/* Key code -> its canonical name, as people write it ("S-Tab", "PgDn",
 * "C-d"; static storage until the next call);
 * "Unknown" for a code that has no name. */
const char *keymap_key_name(int);
/* Fold the forms of one key to one code (see above). */
int	 keymap_key_canonical(int);

/* Is name a command the program knows? Set by the command table. */
typedef bool (*keymap_command_check)(const char *);

/* Parse rc text: lines "bind [-T table] KEY COMMAND [ARGS...]", "unbind
 * [-T table] KEY", comments with # (a "#" key is written quoted: '#').
 * Tables are global (the default), alerts, slo, deploys, logs, detail,
 * help and term (the action terminal, while it has focus). The command is stored as written, from its first word to its last;
 * the first word is passed to the check callback (if not NULL). On error,
 * *err gets "LINE: message" (heap) and false is returned; bindings before
 * the error stay. */
bool	 keymap_load_rc(struct keymap *, const char *, keymap_command_check,
	     char **err);
/* Bind or rebind; command NULL or "none" unbinds. */
void	 keymap_bind(struct keymap *, const char *table, int key,
	     const char *command, int line);
/* Command for key in table, then in "global"; NULL if unbound. */
const char *keymap_lookup(const struct keymap *, const char *table, int key);
void	 keymap_free(struct keymap *);

#endif
