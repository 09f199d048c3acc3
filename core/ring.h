/* ring.h: the log ring: a bounded FIFO of log lines capped both in lines and
 * in bytes; the oldest lines go first. Each line is one allocation (header
 * and text together); label sets are interned, held once however many lines
 * share them, so that overhead stays small. */
#ifndef SITREP_RING_H
#define SITREP_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct log_line {
	int64_t		 ts;		/* nanoseconds since the epoch */
	uint64_t	 seq;		/* arrival number, never reused */
	const char	*labels;	/* interned, shared; "" for none */
	uint32_t	 len;		/* bytes of text */
	uint16_t	 labels_len;	/* bytes of labels (no NUL) */
	uint8_t		 flags;		/* LOG_LINE_* */
	uint8_t		 from;		/* its source: LOG_LINE_FROM() */
	char		 data[];	/* text NUL */
};
#define LOG_LINE_LABELS(l)	((l)->labels)
#define LOG_LINE_TEXT(l)	((l)->data)

/* Written by sitrep itself (a gap, a skip), not by a source. */
#define LOG_LINE_MARK		0x01
/* The log source a line came from, in the flags given to a push: a
 * number 1-255 the model gives each log source (model_log_from()), kept in
 * `from`; 0: none. The logs pane reads its environment there. */
#define LOG_LINE_FROM(n)	((unsigned)((n) & 0xff) << 8)

struct ring_label;

struct ring {
	struct log_line	**v;
	size_t		  cap;		/* slots allocated (grows to max_lines) */
	size_t		  head;		/* index of the oldest */
	size_t		  n;
	size_t		  bytes;	/* sum of ring_line_bytes() of the lines */
	size_t		  label_bytes;	/* the interned label sets */
	size_t		  max_lines;
	size_t		  max_bytes;	/* caps bytes + label_bytes */
	uint64_t	  next_seq;
	uint64_t	  evicted;	/* lines dropped to honour the caps */

	struct ring_label **lbuckets;	/* interned label sets */
	size_t		  nlbuckets;	/* a power of two, or 0 */
	size_t		  nlabels;
	uint64_t	  label_gen;	/* bumped when the set of sets changes */

	/* The last renumbering (ring_merge, ring_drop_from): each line kept,
	 * its seq before and after, in order, so that what a view held (a
	 * selection, a pause) is found again. */
	uint64_t	  renum_gen;	/* bumped by each */
	uint64_t	 *renum_old, *renum_new;
	size_t		  renum_n;
};

void	 ring_init(struct ring *, size_t, size_t);
void	 ring_free(struct ring *);
void	 ring_clear(struct ring *);
/* Change the caps; lines over the new ones go at once. */
void	 ring_set_caps(struct ring *, size_t, size_t);
/* Copies the strings; returns the stored line. */
const struct log_line *ring_push(struct ring *, int64_t, const char *,
	     const char *, size_t);
/* The same with LOG_LINE_* flags, and a LOG_LINE_FROM() or'ed in. */
const struct log_line *ring_push_flags(struct ring *, int64_t, const char *,
	     const char *, size_t, unsigned);
/* A line older than every line held (seq one less than the oldest);
 * NULL, and nothing taken, when the caps leave no room. */
const struct log_line *ring_push_front(struct ring *, int64_t, const char *,
	     const char *, size_t, unsigned);
/* One line to merge in (ring_merge). */
struct ring_in {
	int64_t		 ts;
	const char	*labels;
	const char	*text;
	size_t		 len;
};
/* Lines of one source, oldest first, put among those held in time order
 * (among equal times after them): a second Loki's history, loaded while
 * another's lines are held. When any line lands before one held, every
 * line held gets a new seq, as after ring_clear(), so that what keeps
 * seqs (filtered views) starts again; else they are pushed. The caps then
 * drop the oldest. */
void	 ring_merge(struct ring *, const struct ring_in *, size_t, unsigned);
/* Drop the lines of one source (from = its LOG_LINE_FROM() >> 8); the
 * lines left get new seqs, as in ring_merge(). Returns how many went. */
size_t	 ring_drop_from(struct ring *, unsigned);
/* A seq from before the last renumbering, now: that line's new seq, or
 * the next kept line's if it went (next_seq if none did). */
uint64_t ring_renumbered(const struct ring *, uint64_t);
/* Take the oldest line out and free it (not counted in evicted). */
void	 ring_shift(struct ring *);
/* Would a line of len bytes fit without dropping one? */
bool	 ring_has_room(const struct ring *, size_t);
/* i = 0 is the oldest retained line. */
const struct log_line *ring_get(const struct ring *, size_t);
/* Index of the first line with seq >= s (n if none). */
size_t	 ring_find_seq(const struct ring *, uint64_t);
/* What one line costs in `bytes`: its allocation and its slot. Labels are
 * shared and counted once, in label_bytes; the first argument is kept for
 * callers that think of a line as labels plus text. */
size_t	 ring_line_bytes(size_t, size_t);
/* Call fn with every distinct label set held (in no particular order). */
void	 ring_labels_foreach(const struct ring *, void (*)(const char *,
	     void *), void *);
/* Everything the ring holds: lines, label sets and the slot array. */
size_t	 ring_memory(const struct ring *);

#endif
