/* sanitize.h: the one gate between outside text and the terminal. Output is
 * valid UTF-8 with no ESC, no C0/C1 control, no bidi override: each is shown
 * visibly (^[, ^A, <9b>, <U+202E>), invalid or overlong UTF-8 becomes U+FFFD,
 * a tab becomes a space. Pure functions. */
#ifndef SITREP_SANITIZE_H
#define SITREP_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

struct sbuf;

/* Sanitize s[0..len) into a new heap string; *outlen (if not NULL) gets its
 * length. */
char	*sanitize(const char *, size_t, size_t *);
/* The same, appended to a buffer. */
void	 sanitize_append(struct sbuf *, const char *, size_t);
/* True when s[0..len) would pass through unchanged. */
bool	 sanitize_is_clean(const char *, size_t);
/* Repair UTF-8 only: invalid sequences become U+FFFD (one per maximal
 * subpart), everything else is kept, controls included. For output that
 * escapes by itself (JSON); never for the terminal. */
char	*sanitize_utf8(const char *, size_t, size_t *);

/* Sanitize, but keep SGR colour sequences (ESC [ digits;... m) intact, for
 * logs whose colours the user asked to see. */
void	 sanitize_append_keep_sgr(struct sbuf *, const char *, size_t);

/* Display columns of a sanitized UTF-8 string. */
size_t	 sanitize_width(const char *, size_t);

#endif
