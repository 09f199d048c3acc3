/* actconf.h: the configuration of the actions that run commands: rollback
 * templates ([rollback "SERVICE"], [rollback "*"]), runbooks ([runbook
 * "ALERTNAME"] with command and optional service), protected environments
 * ([environment "NAME"] protect = yes) and the [sitrep] keys audit_log,
 * suspect_window, hangup_wait, open_command, osc52 and read_only. Read and checked once at start-up
 * (templates are tried, so that a typo is a file:line error, not a failed
 * rollback at 3 a.m.). */
#ifndef SITREP_ACTCONF_H
#define SITREP_ACTCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct alert;
struct config;
struct deploy;
struct kvlist;
struct model;

/* Read the config; problems go to its error list. Sets the audit log's
 * path and the model's suspect window. */
void	 actconf_load(struct config *, struct model *);
void	 actconf_free(void);

/* The rollback template for a service, or NULL. */
const char *actconf_rollback(const char *service);
/* The demo's built-in rollback of one of its own deploys (sitrep
 * demo-rollout ...), once actconf_demo() was called; NULL otherwise. */
const char *actconf_demo_rollback(const struct deploy *);
/* The demo plays its rollbacks and runbooks with this program (self: its
 * path) in a hidden mode, where no [rollback] or [runbook] matches. */
void	 actconf_demo(const char *self);
/* Is rolling back in this environment guarded by typing the service? */
bool	 actconf_protected(const char *environment);
/* The runbook command for an alert (its name in *name), or NULL. */
const char *actconf_runbook(const struct alert *, const char **name);
const char *actconf_open_command(void);	/* template with $url, or NULL */
bool	 actconf_osc52(void);
/* [sitrep] read_only = yes: the seat looks and does not act unless
 * started with --write. */
bool	 actconf_read_only(void);
/* [sitrep] status_template, or NULL (actions/status.h has the default). */
const char *actconf_status_template(void);
/* [sitrep] timeline (NULL: the default file) and timeline_max. */
const char *actconf_timeline(int64_t *max);

/* Argv for a deploy's rollback, from its template (as actconf_rollback
 * returned it: its section's allow_dash_values applies); NULL with *err,
 * which names a value refused because it would be read as an option. */
char	**actconf_rollback_argv(const char *tmpl, const struct deploy *,
	     const char *console_env, char **err);
/* Argv for an alert's runbook (tmpl as actconf_runbook returned it);
 * NULL with *err. */
char	**actconf_runbook_argv(const char *tmpl, const struct alert *,
	     const char *console_env, char **err);

/* The environment a child gets for an alert / a deploy (SITREP_...). */
void	 actconf_alert_env(const struct alert *, const char *console_env,
	     struct kvlist *);
void	 actconf_deploy_env(const struct deploy *, const char *console_env,
	     struct kvlist *);

#endif
