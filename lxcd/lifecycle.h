/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Running containers: start, the exit of init, shutdown, destroy, freeze, re-attach. */
#pragma once

#include "domain-job.h"
#include "lxcd.h"

/* start and create, as a job of the container (domain-job.h): answered when init runs, or when a
 * step fails (everything undone) or passes its deadline. */
void lxcd_job_start(struct domain_job *j);
/* SIGTERM to init; SIGKILL after lxcd.shutdown_timeout_ms. Returns at once. */
int lxcd_domain_shutdown(struct domain_obj *d, struct sv_error *err);
/* SIGKILL to init (the whole pid namespace goes with it); returns when it is gone. */
int lxcd_domain_destroy(struct domain_obj *d, struct sv_error *err);
int lxcd_domain_suspend(struct domain_obj *d, struct sv_error *err);
int lxcd_domain_resume(struct domain_obj *d, struct sv_error *err);
/* After a restart: take over the containers the state dir names, or clean up after them. */
void lxcd_domains_reattach(void);
void lxcd_domains_autostart(void);
void lxcd_run_free(void *priv);
/* cgroup of a running container (lxcd_run_of(d)->cgroup parsed). */
unsigned long long lxcd_domain_cpu_time(const struct domain_obj *d);
unsigned long long lxcd_domain_memory_used(const struct domain_obj *d);
