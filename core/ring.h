/* ring.h: the log ring: a bounded FIFO of log lines capped both in lines and
 * in bytes; the oldest lines go first. Each line is one allocation (header,
 * labels and text together) so that overhead stays small. */
#ifndef SITREP_RING_H
#define SITREP_RING_H

#include <stddef.h>
#include <stdint.h>

struct log_line {
	int64_t		 ts;		/* nanoseconds since the epoch */
	uint64_t	 seq;		/* arrival number, never reused */
	uint32_t	 len;		/* bytes of text */
	uint16_t	 labels_len;	/* bytes of labels (no NUL) */
	char		 data[];	/* labels NUL text NUL */
};
#define LOG_LINE_LABELS(l)	((l)->data)
#define LOG_LINE_TEXT(l)	((l)->data + (l)->labels_len + 1)

struct ring {
	struct log_line	**v;
	size_t		  cap;		/* slots allocated (grows to max_lines) */
	size_t		  head;		/* index of the oldest */
	size_t		  n;
	size_t		  bytes;	/* allocated bytes of retained lines */
	size_t		  max_lines;
	size_t		  max_bytes;
	uint64_t	  next_seq;
	uint64_t	  evicted;	/* lines dropped to honour the caps */
};

void	 ring_init(struct ring *, size_t, size_t);
void	 ring_free(struct ring *);
void	 ring_clear(struct ring *);
/* Copies the strings; returns the stored line. */
const struct log_line *ring_push(struct ring *, int64_t, const char *,
	     const char *, size_t);
/* i = 0 is the oldest retained line. */
const struct log_line *ring_get(const struct ring *, size_t);
/* Index of the first line with seq >= s (n if none). */
size_t	 ring_find_seq(const struct ring *, uint64_t);
size_t	 ring_line_bytes(size_t, size_t);

#endif
