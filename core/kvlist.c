/* kvlist.c: ordered key=value lists (see kvlist.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/kvlist.h"
#include "core/xalloc.h"

void
kvlist_add(struct kvlist *l, const char *k, const char *v)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n].key = xstrdup(k);
	l->v[l->n].value = xstrdup(v != NULL ? v : "");
	l->n++;
}

void
kvlist_add_if(struct kvlist *l, const char *k, const char *v)
{
	if (v != NULL)
		kvlist_add(l, k, v);
}

void
kvlist_add_owned(struct kvlist *l, const char *k, char *v)
{
	kvlist_add_if(l, k, v);
	free(v);
}

const char *
kvlist_get(const struct kvlist *l, const char *k)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].key, k) == 0)
			return (l->v[i].value);
	}
	return (NULL);
}

static int
kv_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct kv *)a)->key, ((const struct kv *)b)->key));
}

void
kvlist_sort(struct kvlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, kv_cmp);
}

void
kvlist_free(struct kvlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
