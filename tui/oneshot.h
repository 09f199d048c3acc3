/* oneshot.h: what the commands that print once (`snapshot`, `report`)
 * share: asking every source once and waiting for the answers, and the
 * JSON values they print outside text and numbers as. */
#ifndef SITREP_ONESHOT_H
#define SITREP_ONESHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct source;

/* Start the sources v[0..n) and run the loop until each has answered once
 * (follow: until timeout_ms has passed, every source refreshing as the
 * console's do), at most timeout_ms. */
void	 oneshot_fetch(struct source **, size_t, int64_t timeout_ms,
	     bool follow);
/* A JSON string of outside bytes: those that are not UTF-8 become U+FFFD,
 * and only those; null for NULL. */
json_t	*oneshot_jstr(const char *);
/* A number, or null for NaN and the infinities. */
json_t	*oneshot_jnum(double);

#endif
