/* fuzz_keymap.c: fuzz target for the keymap rc parser (keymaps/keymap.c):
 * the bytes as an rc file over the defaults, then every binding looked up
 * again, and every key's name parsed back to the same key. Also the bytes
 * as one key name. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "keymaps/keymap.h"
#include "tests/fuzz/fuzz.h"

/* A command check that refuses some names, as the command table does. */
static bool
known(const char *cmd)
{
	return (cmd[0] != 'x');
}

/* A key's name parses back to the key. */
static void
round_trip(int key)
{
	const char	*name = keymap_key_name(key);

	if (strcmp(name, "Unknown") == 0)
		return;
	fuzz_check(keymap_key_parse(name) == keymap_key_canonical(key));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keymap	 km = { NULL, 0 };
	char		*text, *err = NULL;
	size_t		 i;
	int		 key;

	text = fuzz_string(data, size);
	fuzz_check(keymap_load_rc(&km, keymap_default_rc, NULL, &err));
	if (!keymap_load_rc(&km, text, size % 2 ? known : NULL, &err)) {
		fuzz_check(err != NULL);
		free(err);
	}
	for (i = 0; i < km.n; i++) {
		fuzz_check(km.v[i].table != NULL && km.v[i].command != NULL);
		fuzz_check(keymap_lookup(&km, km.v[i].table, km.v[i].key) !=
		    NULL);
		round_trip(km.v[i].key);
	}
	keymap_free(&km);
	if ((key = keymap_key_parse(text)) >= 0)
		round_trip(key);
	free(text);
	return (0);
}
