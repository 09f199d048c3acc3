/* help.c: the help overlay, generated from the live bindings and the
 * command table, so that it always says what the keys really do. */
#include "config.h"

#include <string.h>

#include "core/xalloc.h"
#include "keymaps/keymap.h"
#include "views/ui.h"
#include "tui/help.h"
#include "views/draw.h"
#include "views/view.h"

static void
help_table(struct ui *app, struct detail *d, const char *table,
    help_lookup_fn lookup)
{
	const struct command	*c;
	size_t			 i;
	bool			 any = false;

	for (i = 0; i < app->keys.n; i++) {
		const struct binding *b = &app->keys.v[i];

		if (strcmp(b->table, table) != 0)
			continue;
		if (!any) {
			detail_heading(d, strcmp(table, "global") == 0 ?
			    "everywhere" : table);
			any = true;
		}
		c = lookup(b->command);
		detail_add(d, DRAW_NORMAL, "  %-8s %-18s %s",
		    keymap_key_name(b->key), b->command,
		    c != NULL ? c->help : "");
	}
}

void
help_build(struct ui *app, struct detail *d, help_lookup_fn lookup)
{
	size_t	i;

	d->title = xstrdup("sitrep help: keys (rebind them in the [keys] "
	    "section of the config)");
	detail_add(d, DRAW_NORMAL, "Severity: %s critical  %s error  %s warning"
	    "  %s info", draw_severity_symbol(SEV_CRITICAL),
	    draw_severity_symbol(SEV_ERROR), draw_severity_symbol(SEV_WARNING),
	    draw_severity_symbol(SEV_INFO));
	for (i = 0; i < keymap_ntables; i++)
		help_table(app, d, keymap_tables[i], lookup);
}
