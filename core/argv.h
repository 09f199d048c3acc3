/* argv.h: a command line split into an argv, for the templates of actions
 * and the commands of token_command and the deploy source. */
#ifndef SITREP_ARGV_H
#define SITREP_ARGV_H

/* Split a command line into an argv the way a user means it: words split on
 * blanks, '...' and "..." quote, backslash escapes; no expansion of any
 * kind. NULL (with *err) on unbalanced quotes. */
char	**argv_split(const char *, char **err);
void	 argv_free(char **);

#endif
