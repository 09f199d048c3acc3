/* plan.h: what an action that runs a command will run, settled before
 * anyone is asked about it: the argv (a [rollback] or [runbook] template
 * filled from the item, never a shell), the variables added to its
 * environment, the names the audit log and the action terminal give it,
 * and whether it must be confirmed by typing a name (a protected
 * environment). Built from a copy of the item, so that a refresh that
 * replaces the lists meanwhile changes nothing about what runs. */
#ifndef SITREP_PLAN_H
#define SITREP_PLAN_H

#include <stdbool.h>

#include "core/model.h"

struct plan {
	char		 *action;	/* for the audit log: "rollback" */
	char		 *title;	/* "rollback checkout v2.14.0" */
	char		 *target;	/* what it acts on, for the audit log */
	char		 *environment;	/* where; NULL: the console's */
	char		**argv;
	struct kvlist	  env;		/* added to the child's environment */
	bool		  protect;	/* confirm by typing confirm_word */
	char		 *confirm_word;
	char		 *name;		/* the runbook's name */
	struct deploy	  deploy;	/* a rollback's deploy (a copy) */
};

/* The rollback of a deploy; NULL with *err (heap) if there is no template
 * for its service or the template cannot be filled. */
struct plan *plan_rollback(const struct deploy *, const char *console_env,
	     char **err);
/* The [runbook] command of an alert; NULL with *err, or NULL with *err
 * NULL if the alert has no runbook command (then its runbook link is all
 * there is). */
struct plan *plan_runbook(const struct alert *, const char *console_env,
	     char **err);
/* A shell (argv[0] = sh) with env (taken over) about target (may be
 * NULL). */
struct plan *plan_shell(const char *sh, struct kvlist *env,
	     const char *target);
void	 plan_free(struct plan *);
/* The alert's name for people: its alertname, else its title or id. */
const char *plan_alert_name(const struct alert *);

#endif
