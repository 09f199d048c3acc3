/* xalloc.h: allocation that never returns NULL (failure is fatal), and small
 * heap-string helpers. */
#ifndef SITREP_XALLOC_H
#define SITREP_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* n bytes (NULs included) and a NUL after them. */
char	*xmemdup(const void *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));

/* Replace *dst with a copy of src (either may be NULL); frees the old one. */
void	 xstrset(char **dst, const char *src);

/* Fatal: print to the log/stderr, restore the terminal, exit 70. */
void	 fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Registered by the TUI so that fatal() restores the terminal first. */
void	 fatal_set_cleanup(void (*)(void));

#endif
