/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Container lifecycle in the daemon: everything privileged happened in the spawner; here
 * the daemon lets init go, watches it (pidfd), signals it and keeps the state files. */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>

#include "caller.h"
#include "domain-state.h"
#include "launch.h"
#include "lifecycle.h"
#include "log.h"
#include "netd-call.h"
#include "proc-stat.h"
#include "spawner.h"

void lxcd_run_free(void *priv)
{
	struct lxcd_run *run = priv;

	if (!run)
		return;
	if (run->pid_watch)
		evwatch_remove(run->pid_watch);
	if (run->kill_timer)
		evwatch_remove(run->kill_timer);
	if (run->pidfd >= 0)
		close(run->pidfd);
	lxcd_cgroup_clear(&run->cg);
	free(run);
}

static int save_status(const struct domain_obj *d, struct sv_error *err)
{
	const struct lxcd_run *run = lxcd_run_of(d);
	_cleanup_free_ char *cg = lxcd_cgroup_to_status(&run->cg);
	_cleanup_free_ char *extra = xasprintf("pid=%d\nstart_ticks=%llu\n%s", (int)run->pid, run->start_ticks, cg);

	return domain_store_save_status(&lxcd.store, d, extra, err);
}

/* The container's veths: netd deletes their host ends (the kernel already did when the
 * container's netns went away). */
static void release_veths(const char *uuid, const struct domain_def *def)
{
	if (def && def->ninterfaces)
		lxcd_call_release_veths(uuid);
}

/* init is gone (and with it every process of its pid namespace): shut off. */
static void finish(struct domain_obj *d)
{
	struct lxcd_run *run = lxcd_run_of(d);
	int reason = run->stop_reason;

	/* Stragglers can only be processes that left the pid namespace's tree (none should). */
	for (int i = 0; i < 100 && lxcd_cgroup_nprocs(&run->cg) > 0; i++) {
		lxcd_cgroup_kill_all(&run->cg);
		lxcd_cgroup_freeze(&run->cg, false, NULL);
		usleep(2000);
	}
	if (lxcd_cgroup_remove(&run->cg) < 0)
		log_warn("domain '%s': cannot remove its cgroup: %s", domain_obj_name(d), strerror(errno));
	release_veths(d->uuid, d->live);
	domain_store_delete_status(&lxcd.store, domain_obj_name(d));
	log_info("domain '%s' shut off (%s)", domain_obj_name(d), domain_reason_name(DOMAIN_SHUTOFF, reason));
	domain_obj_set_state(&lxcd.store, d, DOMAIN_SHUTOFF, reason); /* while it still has a name */
	lxcd_run_free(run);
	d->priv = NULL;
	domain_def_free(d->live);
	d->live = NULL;
	d->id = -1;
	if (!d->def)
		domain_store_remove(&lxcd.store, d);
}

static void on_init_exit(struct evwatch *w, int fd, uint32_t events, void *userdata)
{
	struct domain_obj *d = userdata;
	(void)w, (void)fd, (void)events;
	finish(d);
}

static void watch(struct domain_obj *d)
{
	struct lxcd_run *run = lxcd_run_of(d);
	run->pid_watch = evloop_watch_fd(lxcd.ctx->loop, run->pidfd, EPOLLIN, on_init_exit, d);
}

/* Reads what init's status pipe says, once readable: EOF means it exec'd. */
static int exec_result(int status_fd, struct sv_error *err)
{
	char msg[1024];
	ssize_t n;

	do
		n = read(status_fd, msg, sizeof(msg) - 1);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0;
	msg[n > 0 ? n : 0] = '\0';
	return sv_error_set(err, SV_FROM_LXC, SV_ERR_OPERATION_FAILED, EINVAL, "container start failed: %s",
			    n > 1 && msg[0] == 'E' ? msg + 1 : "init did not start");
}

static void kill_and_wait(int pidfd, pid_t pid, int ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	kill(pid, SIGKILL);
	poll(&p, 1, ms);
}

/* What a start keeps between its steps: the live definition until the spawner answers, then
 * init's go and status pipes; the interface whose veth netd is making. */
struct start_state {
	struct domain_def *live;
	int go_fd, status_fd;
	struct evwatch *status_watch;
	size_t next;
	bool launched; /* the container runs: a failure undoes it */
};

static void start_state_free(void *p)
{
	struct start_state *st = p;

	if (st->status_watch)
		evwatch_remove(st->status_watch);
	if (st->go_fd >= 0)
		close(st->go_fd);
	if (st->status_fd >= 0)
		close(st->status_fd);
	domain_def_free(st->live);
	free(st);
}

/* The start job ends: a failure undoes everything (init killed before it ran, veths released,
 * cgroup removed), and a failed create leaves nothing behind. */
static void start_end(struct domain_job *j, int r, const struct sv_error *err)
{
	struct domain_obj *d = domain_job_domain(j);
	const struct start_state *st = j->state;

	if (r < 0 && st && st->launched && d && domain_obj_active(d) && d->priv) {
		struct lxcd_run *run = lxcd_run_of(d);
		kill_and_wait(run->pidfd, run->pid, 2000);
		run->stop_reason = SHUTOFF_FAILED;
		finish(d);
	}
	if (r < 0 && j->create && (d = domain_job_domain(j)) && !domain_obj_active(d))
		domain_store_remove(&lxcd.store, d);
	domain_job_done(j, r, err);
}

/* The job's domain while its start runs (launched, init not let go yet); else the start ends. */
static struct domain_obj *start_domain(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);
	struct sv_error err;

	if (d && domain_obj_active(d) && d->priv && j->state && ((struct start_state *)j->state)->launched)
		return d;
	start_end(j, sv_error_set(&err, SV_FROM_LXC, SV_ERR_OPERATION_FAILED, ECANCELED,
				  "container '%s' stopped while it started", j->name), &err);
	return NULL;
}

static void start_veths(struct domain_job *j);

static void start_execed(struct evwatch *w, int fd, uint32_t events, void *opaque)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? start_domain(j) : NULL;
	struct start_state *st;
	struct sv_error err;
	int r;

	evwatch_remove(w);
	if (!d)
		return;
	st = j->state;
	st->status_watch = NULL;
	r = exec_result(st->status_fd, &err);
	if (r < 0)
		return start_end(j, r, &err);
	domain_obj_set_state(&lxcd.store, d, DOMAIN_RUNNING, RUNNING_BOOTED);
	watch(d);
	if (save_status(d, &err) < 0)
		log_warn("domain '%s': cannot save its status: %s", domain_obj_name(d), err.message);
	if (j->create)
		domain_store_created(d);
	log_info("domain '%s' started: init pid %d", domain_obj_name(d), (int)lxcd_run_of(d)->pid);
	domain_job_done(j, 0, NULL);
}

static void start_veth_made(void *opaque, int r, char *ifname, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? start_domain(j) : NULL;
	struct start_state *st;

	if (!d) {
		free(ifname); /* the start's end released it (finish) */
		return;
	}
	if (r < 0)
		return start_end(j, r, err);
	st = j->state;
	free(d->live->interfaces[st->next].target_dev);
	d->live->interfaces[st->next].target_dev = ifname;
	st->next++;
	start_veths(j);
}

/* Networking, before init runs: netd creates each veth's peer inside init's netns, one answer
 * after the other; then init is let go and its status pipe says whether it exec'd. */
static void start_veths(struct domain_job *j)
{
	struct domain_obj *d = start_domain(j);
	struct start_state *st = j->state;
	struct sv_error err;
	int r;

	if (!d)
		return;
	if (st->next < d->live->ninterfaces) {
		r = lxcd_call_create_veth(d->live, st->next, lxcd_run_of(d)->pid, start_veth_made, domain_job_ref(j), &err);
		if (r < 0)
			start_end(j, r, &err);
		return;
	}
	if (write(st->go_fd, "G", 1) != 1)
		return start_end(j, sv_error_set_errno(&err, SV_FROM_LXC, SV_ERR_SYSTEM, errno,
						       "cannot release the container's init"), &err);
	close(TAKE_FD(st->go_fd));
	st->status_watch = evloop_watch_fd(lxcd.ctx->loop, st->status_fd, EPOLLIN, start_execed, domain_job_ref(j));
	if (!st->status_watch)
		start_end(j, sv_error_set_errno(&err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot watch init's start"), &err);
}

static bool start_launched(void *opaque, int r, struct lxcd_started *sp, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? domain_job_domain(j) : NULL;
	struct start_state *st;
	struct lxcd_run *run;
	struct sv_error e;

	if (!j)
		return false; /* the spawner kills a container launched for nobody */
	if (r < 0 || !d || domain_obj_active(d)) {
		start_end(j, r < 0 ? r : sv_error_set(&e, SV_FROM_LXC, SV_ERR_OPERATION_FAILED, ECANCELED,
						      "container '%s' changed while it started", j->name),
			  r < 0 ? err : &e);
		return r < 0;
	}
	st = j->state;
	run = xcalloc(1, sizeof(*run));
	run->pid = sp->pid;
	run->pidfd = sp->pidfd;
	run->start_ticks = sp->start_ticks;
	run->stop_reason = SHUTOFF_SHUTDOWN;
	st->go_fd = sp->go_fd;
	st->status_fd = sp->status_fd;
	d->live = TAKE_PTR(st->live);
	d->priv = run;
	d->id = lxcd.store.next_id++; /* from here on, a failure goes through finish() */
	st->launched = true;
	domain_obj_set_state(&lxcd.store, d, DOMAIN_PAUSED, PAUSED_STARTING_UP);
	r = lxcd_cgroup_locate(d->live->name, &run->cg, &e);
	if (r < 0)
		start_end(j, r, &e);
	else
		start_veths(j);
	return true;
}

/* start: the spawner makes the container (its answer from the loop), netd its veths, then init
 * runs; each step has a deadline, and calls on other containers never wait for it. */
void lxcd_job_start(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);
	_cleanup_free_ char *req = NULL, *log_path = NULL, *what = NULL;
	struct start_state *st;
	struct sv_error err;
	size_t len;
	int r;

	if (!d)
		return domain_job_done(j, sv_error_set(&err, SV_FROM_LXC, SV_ERR_NO_DOMAIN, ENOENT,
						       "Domain not found: no domain with name '%s'", j->name), &err);
	if (domain_obj_active(d))
		return start_end(j, sv_error_set(&err, SV_FROM_LXC, SV_ERR_OPERATION_INVALID, EBUSY,
						 "Requested operation is not valid: domain is already running"), &err);
	st = xcalloc(1, sizeof(*st));
	st->go_fd = st->status_fd = -1;
	j->state = st;
	j->state_free = start_state_free;
	log_path = xasprintf("%s/%s.log", lxcd.state_dir, d->def->name);
	r = lxcd_launch_encode(d->def, log_path, &req, &len, &err);
	if (r >= 0)
		r = domain_def_copy(d->def, &st->live, &err);
	what = xasprintf("the launch of container '%s'", j->name);
	if (r >= 0)
		r = lxcd_spawner_launch(req, len, rpc_caller_timeout_ms(), what, start_launched, domain_job_ref(j), &err);
	if (r < 0)
		start_end(j, r, &err);
}

static int need_active(const struct domain_obj *d, struct sv_error *err)
{
	if (!domain_obj_active(d))
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: domain is not running");
	return 0;
}

static void on_shutdown_timeout(struct evwatch *w, void *userdata)
{
	struct domain_obj *d = userdata;
	struct lxcd_run *run = lxcd_run_of(d);

	evwatch_remove(w);
	run->kill_timer = NULL;
	log_warn("domain '%s': init did not stop on SIGTERM: SIGKILL", domain_obj_name(d));
	lxcd_cgroup_freeze(&run->cg, false, NULL);
	kill(run->pid, SIGKILL);
}

int lxcd_domain_shutdown(struct domain_obj *d, struct sv_error *err)
{
	struct lxcd_run *run;
	int r = need_active(d, err);

	if (r < 0)
		return r;
	run = lxcd_run_of(d);
	if (d->state == DOMAIN_PAUSED)
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: domain is paused");
	/* A pid namespace's init only gets the signals it has a handler for (pid_namespaces(7)):
	 * an init that ignores SIGTERM is killed when the timeout expires. */
	if (kill(run->pid, SIGTERM) < 0)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot signal init %d", (int)run->pid);
	run->stop_reason = SHUTOFF_SHUTDOWN;
	if (!run->kill_timer)
		run->kill_timer = evloop_timer(lxcd.ctx->loop, lxcd.shutdown_timeout_ms, 0, on_shutdown_timeout, d);
	return 0;
}

int lxcd_domain_destroy(struct domain_obj *d, struct sv_error *err)
{
	struct lxcd_run *run;
	struct pollfd p;
	int r = need_active(d, err);

	if (r < 0)
		return r;
	run = lxcd_run_of(d);
	run->stop_reason = SHUTOFF_DESTROYED;
	if (kill(run->pid, SIGKILL) < 0 && errno != ESRCH)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot kill init %d", (int)run->pid);
	/* Frozen processes die only once thawed. */
	if (d->state == DOMAIN_PAUSED)
		lxcd_cgroup_freeze(&run->cg, false, NULL);
	p = (struct pollfd){ .fd = run->pidfd, .events = POLLIN };
	if (poll(&p, 1, 10000) <= 0)
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_OPERATION_FAILED, ETIMEDOUT,
				    "init %d did not die within 10 s of SIGKILL", (int)run->pid);
	finish(d);
	return 0;
}

/* suspend (freeze) and resume (thaw) through the cgroup freezer. */
static int set_frozen(struct domain_obj *d, bool frozen, struct sv_error *err)
{
	int r = need_active(d, err);

	if (r < 0)
		return r;
	if ((d->state == DOMAIN_PAUSED) == frozen)
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: domain is %s",
				    frozen ? "already paused" : "not paused");
	r = lxcd_cgroup_freeze(&lxcd_run_of(d)->cg, frozen, err);
	if (r < 0)
		return r;
	domain_obj_set_state(&lxcd.store, d, frozen ? DOMAIN_PAUSED : DOMAIN_RUNNING,
			     frozen ? PAUSED_USER : RUNNING_UNPAUSED);
	/* Frozen (thawed) already: a status file that cannot be saved is logged, not answered as
	 * an error for what was done (as start does). */
	if (save_status(d, err) < 0)
		log_warn("domain '%s': cannot save its status: %s", domain_obj_name(d), err->message);
	return 0;
}

int lxcd_domain_suspend(struct domain_obj *d, struct sv_error *err) { return set_frozen(d, true, err); }
int lxcd_domain_resume(struct domain_obj *d, struct sv_error *err) { return set_frozen(d, false, err); }

static void reattach_one(const char *name, char *status, const char *live_xml, void *opaque)
{
	struct domain_def *live = NULL;
	struct domain_obj *d = domain_store_find_name(&lxcd.store, name);
	struct lxcd_run *run = xcalloc(1, sizeof(*run));
	struct sv_error err;
	char buf[64];
	int pidfd;
	(void)opaque;

	run->pidfd = -1;
	run->stop_reason = SHUTOFF_SHUTDOWN;
	run->pid = domain_status_get(status, "pid", buf, sizeof(buf)) ? (pid_t)atoi(buf) : -1;
	run->start_ticks = domain_status_get(status, "start_ticks", buf, sizeof(buf)) ? strtoull(buf, NULL, 10) : 0;
	lxcd_cgroup_from_status(status, &run->cg);
	pidfd = run->pid > 0 ? (int)syscall(SYS_pidfd_open, run->pid, 0) : -1;
	/* The same process, not a new one that reuses the pid. */
	if (pidfd < 0 || lxcd_proc_start_ticks(run->pid) != run->start_ticks ||
	    domain_def_parse(live_xml, strlen(live_xml), 0, &live, &err) < 0) {
		if (pidfd >= 0)
			close(pidfd);
		log_info("domain '%s' stopped while lxcd was away: cleaning up", name);
		lxcd_cgroup_kill_all(&run->cg);
		lxcd_cgroup_remove(&run->cg);
		if (d)
			release_veths(d->uuid, d->def);
		lxcd_run_free(run);
		domain_store_delete_status(&lxcd.store, name);
		if (d)
			domain_obj_set_state(&lxcd.store, d, DOMAIN_SHUTOFF, SHUTOFF_DAEMON);
		return;
	}
	run->pidfd = pidfd;
	if (!d) {
		/* undefined while it ran: it goes on as a transient domain */
		d = domain_store_add(&lxcd.store, live);
		d->def = NULL;
	}
	d->live = live;
	d->priv = run;
	d->id = domain_status_get(status, "id", buf, sizeof(buf)) ? atoi(buf) : lxcd.store.next_id;
	d->state = domain_status_get(status, "state", buf, sizeof(buf)) ? atoi(buf) : DOMAIN_RUNNING;
	d->reason = domain_status_get(status, "reason", buf, sizeof(buf)) ? atoi(buf) : RUNNING_UNKNOWN;
	if (d->id >= lxcd.store.next_id)
		lxcd.store.next_id = d->id + 1;
	watch(d);
	log_info("domain '%s' re-attached: init pid %d", name, (int)run->pid);
}

void lxcd_domains_reattach(void)
{
	domain_store_status_each(&lxcd.store, reattach_one, NULL);
}

void lxcd_domains_autostart(void)
{
	for (size_t i = 0; i < lxcd.store.ndoms; i++) {
		struct domain_obj *d = lxcd.store.doms[i];

		if (d->autostart && d->def && !domain_obj_active(d))
			domain_job_submit(d, "autostart", lxcd_job_start, NULL, NULL);
	}
}

unsigned long long lxcd_domain_cpu_time(const struct domain_obj *d)
{
	return d->priv ? lxcd_cgroup_cpu_time(&lxcd_run_of(d)->cg) : 0;
}

unsigned long long lxcd_domain_memory_used(const struct domain_obj *d)
{
	return d->priv ? lxcd_cgroup_memory_usage(&lxcd_run_of(d)->cg) : 0;
}
