/* conf.h: the INI configuration (parsed by libinih), kept as sections of
 * key = value entries with their file:line, so that every consumer can report
 * a problem where it is. Sections may be named: [slo "checkout"]. A file
 * may include others (include = PATTERN) and give the sections of a type
 * shared keys ([defaults "TYPE"]). An entry's `line` is a location that
 * names its file too: pass it to config_error(), print it with
 * config_where() or config_line_of(). */
#ifndef SITREP_CONFIG_H
#define SITREP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config_entry {
	char	*key;
	char	*value;
	int	 line;
	bool	 used;		/* read by some consumer */
};

struct config_section {
	char			*type;	/* "slo" */
	char			*name;	/* "checkout", or NULL */
	int			 line;
	struct config_entry	*entries;
	size_t			 nentries;
	bool			 claimed;	/* a consumer looked inside */
};

struct config {
	char			*path;	/* as given, for messages */
	char			**files;	/* [0] path, then included */
	char			**real;		/* their real paths (loops) */
	size_t			 nfiles;
	struct config_section	*sections;
	size_t			 nsections;
	char			**errors;	/* "file:line: message" */
	int			*errlocs;	/* each one's location */
	size_t			 nerrors;
};

/* Parse text (from a file or compiled in); problems go to cfg->errors.
 * Returns false if anything was wrong. */
bool	 config_parse_string(struct config *, const char *path, const char *);
/* Read and parse a file, and the files it includes; false (with an
 * error) if anything was wrong. Both apply [defaults] at the end. */
bool	 config_load(struct config *, const char *path);
/* Give every [TYPE] section the keys of [defaults "TYPE"] it lacks. */
void	 config_apply_defaults(struct config *);
/* A location's file (as named, for messages) and line in it; "file:line"
 * (heap). */
const char *config_file_of(const struct config *, int);
int	 config_line_of(int);
char	*config_where(const struct config *, int);
void	 config_free(struct config *);

/* $XDG_CONFIG_HOME/sitrep/config or ~/.config/sitrep/config (heap). */
char	*config_default_path(void);

/* Lookups mark the entry used. */
struct config_section *config_find(struct config *, const char *type,
	     const char *name);
const struct config_entry *config_get(struct config_section *, const char *);
/* Keys may repeat (header = ...): the entry after prev (NULL: the first). */
const struct config_entry *config_next(struct config_section *, const char *,
	     const struct config_entry *prev);
const char *config_str(struct config_section *, const char *, const char *);

/* Typed getters: on a bad value they record "file:line: ..." and return
 * the default. */
int64_t	 config_duration_ms(struct config *, struct config_section *,
	     const char *, int64_t);
double	 config_number(struct config *, struct config_section *,
	     const char *, double, double, double);
bool	 config_bool(struct config *, struct config_section *, const char *,
	     bool);
/* Comma-separated list, items trimmed, empty ones dropped, every repeat of
 * the key joined; NULL-terminated (NULL if the key is absent); *n gets the
 * count. */
char	**config_list(struct config_section *, const char *, size_t *);
void	 config_list_free(char **, size_t);

/* "[slo \"checkout\"]" or "[sitrep]", for messages (heap). */
char	*config_section_label(const char *type, const char *name);

void	 config_error(struct config *, int line, const char *, ...)
	     __attribute__((format(printf, 3, 4)));
/* Report keys that no consumer read as "unknown key", in the sections that
 * some consumer looked into (unknown section types are the caller's to
 * report). */
void	 config_check_unused(struct config *);
/* Put the problems in file order (as read), then line order; those of a
 * whole file first; otherwise as found. */
void	 config_sort_errors(struct config *);

#endif
