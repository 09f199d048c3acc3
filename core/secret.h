/* secret.h: credentials from an environment variable, a command (run with no
 * shell, its first line of output) or a file that only its owner can read.
 * A secret is never drawn, logged, put in a message or in a child's argv. */
#ifndef SITREP_SECRET_H
#define SITREP_SECRET_H

#include <stdbool.h>

struct config;
struct config_section;

/* Read PREFIX_env, PREFIX_command or PREFIX_file (at most one) from the
 * section. Returns the secret (heap), or NULL: *found says whether one was
 * configured; problems go to the config's error list. */
char	*secret_load(struct config *, struct config_section *, const char *,
	     bool *found);
/* Every variable the config names in a *_env key (token_env,
 * password_env, anywhere) holds a secret: hide it from every child
 * (core/child.c). Call once the config is read, before anything starts a
 * child, token commands included. Reads without marking keys used. */
void	 secret_hide_env(const struct config *);
/* Overwrite and free. */
void	 secret_free(char *);

#endif
