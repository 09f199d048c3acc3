/* sbuf.h: a growable byte buffer, always NUL-terminated. */
#ifndef SITREP_SBUF_H
#define SITREP_SBUF_H

#include <stdarg.h>
#include <stddef.h>

struct sbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

void	 sbuf_init(struct sbuf *);
void	 sbuf_free(struct sbuf *);
void	 sbuf_reset(struct sbuf *);
void	 sbuf_add(struct sbuf *, const void *, size_t);
void	 sbuf_addc(struct sbuf *, char);
void	 sbuf_adds(struct sbuf *, const char *);
void	 sbuf_addf(struct sbuf *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));
/* Give the string away; the buffer is empty afterwards. */
char	*sbuf_steal(struct sbuf *);

#endif
