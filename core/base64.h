/* base64.h: RFC 4648 base64 (the standard alphabet, padded), for OSC 52
 * clipboard text and HTTP Basic credentials. */
#ifndef SITREP_BASE64_H
#define SITREP_BASE64_H

#include <stddef.h>

/* The encoding of len bytes at s (heap, NUL-terminated). */
char	*base64_encode(const void *s, size_t len);

#endif
