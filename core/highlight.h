/* highlight.h: the highlight rules of the config ([highlight "NAME"]: a
 * regex and a style), for the logs pane. */
#ifndef SITREP_HIGHLIGHT_H
#define SITREP_HIGHLIGHT_H

#include <stddef.h>

#include "core/lregex.h"

struct config;

#define LOGHL_BOLD	0x01
#define LOGHL_UNDERLINE	0x02
#define LOGHL_REVERSE	0x04
#define LOGHL_DIM	0x08
#define LOGHL_ITALIC	0x10

struct highlight {
	char		*name;
	struct lregex	 re;
	int		 colour;	/* 0-7 as curses numbers them, -1 none */
	unsigned	 attrs;		/* LOGHL_* */
};

struct highlights {
	struct highlight	*v;
	size_t			 n;
};

/* Read every [highlight "NAME"] section; problems go to the config's
 * errors with their line. */
void	 highlights_load(struct highlights *, struct config *);
void	 highlights_free(struct highlights *);

#endif
