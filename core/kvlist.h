/* kvlist.h: a list of key=value pairs in the order they were added
 * (labels, annotations, a child's environment). */
#ifndef SITREP_KVLIST_H
#define SITREP_KVLIST_H

#include <stddef.h>

struct kv {
	char	*key;
	char	*value;
};
struct kvlist {
	struct kv	*v;
	size_t		 n;
};
void		 kvlist_add(struct kvlist *, const char *, const char *);
/* Add key = value unless value is NULL. */
void		 kvlist_add_if(struct kvlist *, const char *, const char *);
/* The same, and free value (heap). */
void		 kvlist_add_owned(struct kvlist *, const char *, char *);
const char	*kvlist_get(const struct kvlist *, const char *);
void		 kvlist_sort(struct kvlist *);
void		 kvlist_free(struct kvlist *);

#endif
