/* highlight.c: [highlight "NAME"] sections read and checked (see
 * highlight.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/conf.h"
#include "core/highlight.h"
#include "core/sbuf.h"
#include "core/xalloc.h"

static const struct {
	const char	*word;
	int		 colour;	/* -2: an attribute */
	unsigned	 attr;
} highlight_words[] = {
	{ "black", 0, 0 }, { "red", 1, 0 }, { "green", 2, 0 },
	{ "yellow", 3, 0 }, { "blue", 4, 0 }, { "magenta", 5, 0 },
	{ "cyan", 6, 0 }, { "white", 7, 0 },
	{ "bold", -2, LOGHL_BOLD }, { "underline", -2, LOGHL_UNDERLINE },
	{ "reverse", -2, LOGHL_REVERSE }, { "dim", -2, LOGHL_DIM },
	{ "italic", -2, LOGHL_ITALIC },
};
#define NHIGHLIGHT_WORDS (sizeof highlight_words / sizeof highlight_words[0])

static char *
highlight_allowed(void)
{
	struct sbuf	sb;
	size_t		i;

	sbuf_init(&sb);
	for (i = 0; i < NHIGHLIGHT_WORDS; i++)
		sbuf_addf(&sb, "%s%s", i > 0 ? ", " : "",
		    highlight_words[i].word);
	return (sbuf_steal(&sb));
}

static bool
highlight_parse_style(const char *s, int *colour, unsigned *attrs,
    char **error)
{
	char	*copy, *word, *save = NULL, *allowed;
	size_t	 i;
	bool	 ok = true, any = false;

	*colour = -1;
	*attrs = 0;
	*error = NULL;
	copy = xstrdup(s);
	for (word = strtok_r(copy, " \t,+", &save); word != NULL && ok;
	    word = strtok_r(NULL, " \t,+", &save)) {
		for (i = 0; i < NHIGHLIGHT_WORDS; i++) {
			if (strcasecmp(word, highlight_words[i].word) == 0)
				break;
		}
		if (i == NHIGHLIGHT_WORDS) {
			allowed = highlight_allowed();
			*error = xasprintf("unknown colour \"%s\" (use %s)",
			    word, allowed);
			free(allowed);
			ok = false;
		} else if (highlight_words[i].colour == -2)
			*attrs |= highlight_words[i].attr;
		else
			*colour = highlight_words[i].colour;
		any = true;
	}
	free(copy);
	if (ok && !any) {
		allowed = highlight_allowed();
		*error = xasprintf("no colour given (use %s)", allowed);
		free(allowed);
		ok = false;
	}
	return (ok);
}

/* One [highlight "NAME"] section; false if it is not usable. */
static bool
highlight_load_one(struct config *cfg, struct config_section *sec,
    struct highlight *h)
{
	const struct config_entry	*re, *col;
	char				*why;

	memset(h, 0, sizeof *h);
	re = config_get(sec, "regex");
	if ((col = config_get(sec, "colour")) == NULL)
		col = config_get(sec, "color");
	if (sec->name == NULL) {
		config_error(cfg, sec->line, "[highlight] needs a name: "
		    "[highlight \"errors\"]");
		return (false);
	}
	if (re == NULL || col == NULL) {
		config_error(cfg, sec->line, "[highlight \"%s\"] needs regex = "
		    "... and colour = ...", sec->name);
		return (false);
	}
	if (!highlight_parse_style(col->value, &h->colour, &h->attrs, &why)) {
		config_error(cfg, col->line, "colour: %s", why);
		free(why);
		return (false);
	}
	if (!lregex_compile(&h->re, re->value, &why)) {
		config_error(cfg, re->line, "regex: %s", why);
		free(why);
		return (false);
	}
	h->name = xstrdup(sec->name);
	return (true);
}

void
highlights_load(struct highlights *hl, struct config *cfg)
{
	struct highlight	h;
	size_t			i;

	memset(hl, 0, sizeof *hl);
	for (i = 0; cfg != NULL && i < cfg->nsections; i++) {
		if (strcmp(cfg->sections[i].type, "highlight") != 0)
			continue;
		cfg->sections[i].claimed = true;
		if (!highlight_load_one(cfg, &cfg->sections[i], &h))
			continue;
		hl->v = xreallocarray(hl->v, hl->n + 1, sizeof *hl->v);
		hl->v[hl->n++] = h;
	}
}

void
highlights_free(struct highlights *hl)
{
	size_t	i;

	for (i = 0; i < hl->n; i++) {
		free(hl->v[i].name);
		lregex_free(&hl->v[i].re);
	}
	free(hl->v);
	memset(hl, 0, sizeof *hl);
}
