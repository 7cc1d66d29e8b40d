/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#include "argv.h"
#include "atomic-file.h"
#include "domain-state.h"
#include "images.h"
#include "job.h"
#include "lifecycle.h"
#include "log.h"
#include "netd-call.h"
#include "storage-call.h"
#include "qmp.h"
#include "run.h"
#include "spawner.h"

#define TERM_WAIT_MS 5000
#define KILL_WAIT_MS 5000
#define LOG_TAIL_BYTES 1500

static const struct qemud_qmp_ops qmp_ops;

static int pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

/* QEMU runs as a uid of its own: qemud may not signal it, the spawner does, as that uid. */
static void signal_qemu(struct domain_obj *d, int sig)
{
	struct qemud_run *run = qemud_run_of(d);
	struct sv_error err;

	if (run->pidfd >= 0 && qemud_spawner_signal(run->pidfd, run->uid, sig, &err) < 0)
		log_warn("domain '%s': %s", domain_obj_name(d), err.message);
}

static bool pidfd_wait(int pidfd, int ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	return poll(&p, 1, ms) > 0;
}

static void set_state(struct domain_obj *d, int state, int reason)
{
	struct sv_error err;

	domain_obj_set_state(&qemud.store, d, state, reason);
	if (domain_obj_active(d) && d->live && qemud_run_save_status(d, &err) < 0)
		log_warn("domain '%s': cannot save its status: %s", domain_obj_name(d), err.message);
}

static void release_taps(struct domain_obj *d)
{
	struct sv_error err;
	bool any = false;

	for (size_t i = 0; d->live && i < d->live->ninterfaces; i++)
		any |= d->live->interfaces[i].type != DOMAIN_NET_USER;
	if (any && qemud_call_release_taps(d->uuid, &err) < 0)
		log_warn("domain '%s': cannot release its taps: %s", domain_obj_name(d), err.message);
}

/* QEMU is gone: everything that belonged to the run goes with it. */
static void finish(struct domain_obj *d, int reason)
{
	_cleanup_free_ char *name = xstrdup(domain_obj_name(d));
	void *waiter = (void *)(uintptr_t)qemud_run_of(d)->exit_job;
	struct qemud_job *j;

	log_info("domain '%s' (pid %d) stopped: %s", name, (int)qemud_run_of(d)->pid,
		 domain_reason_name(DOMAIN_SHUTOFF, reason));
	qemud_run_free(d->priv);
	d->priv = NULL;
	release_taps(d);
	qemud_run_delete_status(name);
	d->id = -1;
	domain_obj_set_state(&qemud.store, d, DOMAIN_SHUTOFF, reason); /* while it still has a name */
	domain_def_free(d->live);
	d->live = NULL;
	if (!d->def)
		domain_store_remove(&qemud.store, d); /* transient: nothing left of it */
	/* A destroy waits for exactly this. */
	if (waiter && (j = qemud_job_find(waiter)))
		qemud_job_done(j, 0, NULL);
}

static int exit_reason(const struct domain_obj *d)
{
	const struct qemud_run *run = qemud_run_of(d);

	if (run->destroying)
		return SHUTOFF_DESTROYED;
	if (run->shutdown_seen)
		return SHUTOFF_SHUTDOWN;
	return SHUTOFF_CRASHED;
}

static void on_pid_exit(struct evwatch *w, int fd, uint32_t events, void *userdata)
{
	struct domain_obj *d = userdata;
	struct qemud_run *run = qemud_run_of(d);

	evwatch_remove(w);
	run->pid_watch = NULL;
	/* Events still unread on the monitor (SHUTDOWN) decide the reason: wait for its end. */
	if (run->qmp)
		return;
	finish(d, exit_reason(d));
}

static int watch_pid(struct domain_obj *d)
{
	struct qemud_run *run = qemud_run_of(d);

	run->pid_watch = evloop_watch_fd(qemud.loop, run->pidfd, EPOLLIN, on_pid_exit, d);
	return run->pid_watch ? 0 : -errno;
}

static void qmp_eof(struct qemud_qmp *m, void *userdata)
{
	struct domain_obj *d = userdata;
	struct qemud_run *run = qemud_run_of(d);

	qemud_qmp_close(m);
	run->qmp = NULL;
	/* The exit itself may still be on its way: the pidfd watch finishes then. */
	if (!run->pid_watch && run->pidfd >= 0)
		finish(d, exit_reason(d));
}

/* A command whose answer nobody waits for (a lifecycle action): its failure is logged. */
static void command_done(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	char *what = opaque;

	if (r < 0)
		log_warn("%s: %s", what, err->message);
	free(what);
}

static void run_command(struct domain_obj *d, const char *cmd)
{
	struct qemud_qmp *qmp = qemud_run_of(d)->qmp;
	struct sv_error err;
	char *what = xasprintf("domain '%s': %s", domain_obj_name(d), cmd);

	if (!qmp || qemud_qmp_send(qmp, cmd, NULL, 0, command_done, what, &err) < 0) {
		log_warn("%s: %s", what, qmp ? err.message : "no monitor");
		free(what);
	}
}

/* The guest stopped itself (power-off, or reset under -no-reboot): apply the lifecycle action. */
static void on_guest_shutdown(struct domain_obj *d, bool reset)
{
	const struct domain_def *def = domain_obj_cur(d);
	enum domain_lifecycle action = reset ? def->on_reboot : def->on_poweroff;
	struct qemud_run *run = qemud_run_of(d);

	if (run->fake_reboot) {
		/* The second half of reboot: the guest powered off on ACPI, start it again. */
		run->fake_reboot = false;
		run_command(d, "system_reset");
		run_command(d, "cont");
		set_state(d, DOMAIN_RUNNING, RUNNING_BOOTED);
		return;
	}
	switch (action) {
	case DOMAIN_LIFECYCLE_RESTART:
	case DOMAIN_LIFECYCLE_RENAME_RESTART:
		run_command(d, "system_reset");
		run_command(d, "cont");
		set_state(d, DOMAIN_RUNNING, RUNNING_BOOTED);
		break;
	case DOMAIN_LIFECYCLE_PRESERVE:
		run->shutdown_seen = true;
		set_state(d, DOMAIN_PAUSED, PAUSED_SHUTTING_DOWN);
		break;
	default:
		run->shutdown_seen = true;
		set_state(d, DOMAIN_SHUTDOWN, SHUTDOWN_USER);
		run_command(d, "quit");
		break;
	}
}

/* The pty QEMU allocated for chardev label, as "pty:/dev/pts/N" in query-chardev. */
static void set_pty_path(struct domain_chr *chr, struct json_object *list, const char *label)
{
	for (size_t i = 0; chr->type == DOMAIN_CHR_PTY && i < json_object_array_length(list); i++) {
		struct json_object *e = json_object_array_get_idx(list, i), *l, *f;
		if (json_object_object_get_ex(e, "label", &l) && json_object_object_get_ex(e, "filename", &f) &&
		    streq(json_object_get_string(l), label) && startswith(json_object_get_string(f), "pty:")) {
			free(chr->path);
			chr->path = xstrdup(json_object_get_string(f) + 4);
		}
	}
}

/* The live XML names each pty console's /dev/pts path, as libvirt's does (virsh console,
 * screen, minicom need it). A console on the first serial port shares that port's pty. */
static void record_ptys(struct domain_obj *d, struct json_object *list)
{
	for (size_t i = 0; i < d->live->nserials; i++) {
		_cleanup_free_ char *label = xasprintf("charserial%zu", i);
		set_pty_path(&d->live->serials[i], list, label);
	}
	for (size_t i = 0; i < d->live->nconsoles; i++) {
		_cleanup_free_ char *label = xasprintf("charconsole%zu", i);
		set_pty_path(&d->live->consoles[i], list, label);
		if (i == 0 && !d->live->consoles[0].path) /* the console is serial port 0 itself */
			set_pty_path(&d->live->consoles[0], list, "charserial0");
	}
}

/* "running", "paused", "shutdown" ... from a query-status return, or NULL. */
static const char *status_of(struct json_object *ret)
{
	struct json_object *v;

	return ret && json_object_object_get_ex(ret, "status", &v) ? json_object_get_string(v) : NULL;
}

/* A STOP or RESUME event: QEMU's present status decides, asked without waiting. */
static void status_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	_cleanup_free_ char *uuid = opaque;
	struct domain_obj *d = qemud.stopping ? NULL : domain_store_find_uuid(&qemud.store, uuid);
	const char *now = r >= 0 ? status_of(ret) : NULL;

	if (!d || !domain_obj_active(d) || !now)
		return;
	if (streq(now, "running") && d->state == DOMAIN_PAUSED)
		set_state(d, DOMAIN_RUNNING, RUNNING_UNPAUSED);
	else if (streq(now, "paused") && d->state == DOMAIN_RUNNING)
		set_state(d, DOMAIN_PAUSED, PAUSED_UNKNOWN);
}

static void qmp_event(struct qemud_qmp *m, const char *name, struct json_object *data, void *userdata)
{
	struct domain_obj *d = userdata;
	struct json_object *v;

	log_debug("domain '%s': QMP event %s", domain_obj_name(d), name);
	if (qemud_run_of(d)->destroying)
		return;
	if (streq(name, "SHUTDOWN")) {
		bool guest = data && json_object_object_get_ex(data, "guest", &v) && json_object_get_boolean(v);
		bool reset = data && json_object_object_get_ex(data, "reason", &v) &&
			     streq(json_object_get_string(v), "guest-reset");
		if (guest)
			on_guest_shutdown(d, reset);
	} else if (streq(name, "STOP") || streq(name, "RESUME")) {
		/* Queued events may be stale (a reboot's reset and cont already ran). */
		struct sv_error err;
		char *uuid = xstrdup(d->uuid);
		if (qemud_qmp_send(m, "query-status", NULL, 0, status_answered, uuid, &err) < 0)
			free(uuid);
	} else if (streq(name, "RESET") || streq(name, "POWERDOWN")) {
		log_info("domain '%s': %s", domain_obj_name(d), name);
	}
}

static const struct qemud_qmp_ops qmp_ops = { .event = qmp_event, .eof = qmp_eof };

static char *log_tail(const char *path, off_t offset);

/* QEMU is gone before it answered: the error carries the last lines it printed. */
static int qemu_exited_at_start(const char *name, off_t log_offset, struct sv_error *err)
{
	_cleanup_free_ char *logpath = qemud_log_path(name);
	_cleanup_free_ char *tail = log_tail(logpath, log_offset);

	return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EIO, "QEMU failed to start domain '%s': %s",
			    name, tail);
}

/* The last lines QEMU printed after offset, for an error message. */
static char *log_tail(const char *path, off_t offset)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	char *p;

	if (file_read_all(path, &text, &len, NULL) < 0 || (size_t)offset >= len)
		return xstrdup("(QEMU printed nothing)");
	p = text + offset;
	if (strlen(p) > LOG_TAIL_BYTES) {
		p += strlen(p) - LOG_TAIL_BYTES;
		char *nl = strchr(p, '\n');
		if (nl)
			p = nl + 1;
	}
	/* One line in the error: newlines become "; ". */
	_cleanup_free_ char *out = xmalloc(strlen(p) * 2 + 1);
	char *o = out;
	for (; *p; p++) {
		if (*p == '\n') {
			if (p[1]) {
				*o++ = ';';
				*o++ = ' ';
			}
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return xstrdup(out);
}

static int open_log(const char *name, off_t *offset, const struct command *cmd, struct sv_error *err)
{
	_cleanup_free_ char *path = qemud_log_path(name), *line = command_to_string(cmd);
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	time_t now = time(NULL);
	char stamp[64];
	struct stat st;

	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot open the log '%s'", path);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", localtime(&now));
	dprintf(fd, "%s: starting up\n%s", stamp, line);
	*offset = fstat(fd, &st) == 0 ? st.st_size : 0;
	return fd;
}

/* A file or unix chardev, opened by qemud for QEMU (whose uid may reach no host path): the file
 * truncated as QEMU's own file chardev does, the socket listening or connected. */
static int open_chardev(const struct domain_chr *chr, struct sv_error *err)
{
	int fd;

	if (chr->type == DOMAIN_CHR_UNIX)
		return qemud_unix_socket("the character device socket", chr->path, chr->unix_listen, err);
	fd = open(chr->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0600);
	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno,
					  "cannot open the character device file '%s' (as %s)", chr->path,
					  suite_qemu_user());
	return fd;
}

/* Per device: an fd for each file or unix chardev, -1 for the others (and for a repeated path:
 * a console on the first serial port shares that port's file). NULL on failure. */
static int *open_chardevs(const struct domain_chr *chrs, size_t n, struct sv_error *err)
{
	int *fds = xmalloc((n + 1) * sizeof(int));

	for (size_t i = 0; i < n; i++)
		fds[i] = -1;
	for (size_t i = 0; i < n; i++) {
		if ((chrs[i].type != DOMAIN_CHR_FILE && chrs[i].type != DOMAIN_CHR_UNIX) || !chrs[i].path)
			continue;
		fds[i] = open_chardev(&chrs[i], err);
		if (fds[i] < 0) {
			for (size_t k = 0; k < i; k++)
				if (fds[k] >= 0)
					close(fds[k]);
			free(fds);
			return NULL;
		}
	}
	return fds;
}

/* Opens what the command line refers to: taps from netd, volumes from storaged, character
 * device files and sockets, the monitor socket. Disk images and vhost-net are opened by the
 * spawner. */
static int open_resources(struct domain_obj *d, struct qemud_argv_fds *fds, struct sv_error *err)
{
	struct domain_def *live = d->live;
	_cleanup_free_ char *mon = qemud_monitor_path(live->name);
	int r;

	/* Images first: a path the spawner would refuse fails the start before any tap exists. */
	for (size_t i = 0; i < live->ndisks; i++)
		if (live->disks[i].type == DOMAIN_DISK_TYPE_FILE && live->disks[i].src_path &&
		    (r = qemud_image_path_check(live->disks[i].target_dev, live->disks[i].src_path, err)) < 0)
			return r;
	fds->taps = xmalloc((live->ninterfaces + 1) * sizeof(int));
	fds->vhosts = xmalloc((live->ninterfaces + 1) * sizeof(int));
	for (size_t i = 0; i < live->ninterfaces; i++)
		fds->taps[i] = fds->vhosts[i] = -1;
	for (size_t i = 0; i < live->ninterfaces; i++) {
		struct domain_interface *n = &live->interfaces[i];
		char *ifname = NULL;

		if (n->type == DOMAIN_NET_USER)
			continue;
		if (n->type == DOMAIN_NET_NETWORK)
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
					    "interface type 'network' is not supported yet (use 'ethernet' or 'bridge')");
		r = qemud_call_open_tap(live, i, &ifname, &fds->taps[i], err);
		if (r < 0)
			return r;
		free(n->target_dev);
		n->target_dev = ifname;
		if (qemud.vhost && n->model && streq(n->model, "virtio"))
			fds->vhosts[i] = QEMUD_ARGV_VHOST_BY_SPAWNER;
	}
	fds->volumes = xcalloc(live->ndisks + 1, sizeof(*fds->volumes));
	for (size_t i = 0; i < live->ndisks; i++) {
		if (live->disks[i].type != DOMAIN_DISK_TYPE_VOLUME)
			continue;
		r = qemud_call_open_volume(&live->disks[i], &fds->volumes[i], err);
		if (r < 0)
			return r;
	}
	fds->serials = open_chardevs(live->serials, live->nserials, err);
	if (!fds->serials)
		return -EIO;
	fds->consoles = open_chardevs(live->consoles, live->nconsoles, err);
	if (!fds->consoles)
		return -EIO;
	/* a channel given no path (virt-install's guest agent) is bound in qemud's own directory */
	for (size_t i = 0; i < live->nchannels; i++)
		if (live->channels[i].type == DOMAIN_CHR_UNIX && !live->channels[i].path)
			live->channels[i].path = xasprintf("%s/%s.channel%zu", qemud.store.state_dir, live->name, i);
	fds->channels = open_chardevs(live->channels, live->nchannels, err);
	if (!fds->channels)
		return -EIO;
	fds->qmp_listen = qemud_monitor_socket(mon, true, err);
	return fds->qmp_listen < 0 ? fds->qmp_listen : 0;
}

static void close_all(int *fds, size_t n)
{
	for (size_t i = 0; fds && i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
}

static void free_fds(struct qemud_argv_fds *fds, size_t n, size_t ndisks, size_t nserials, size_t nconsoles,
		     size_t nchannels)
{
	close_all(fds->serials, nserials);
	close_all(fds->consoles, nconsoles);
	close_all(fds->channels, nchannels);
	for (size_t i = 0; fds->volumes && i < ndisks; i++)
		qemud_argv_volume_clear(&fds->volumes[i]);
	free(fds->volumes);
	for (size_t i = 0; fds->taps && i < n; i++)
		if (fds->taps[i] >= 0)
			close(fds->taps[i]);
	for (size_t i = 0; fds->vhosts && i < n; i++)
		if (fds->vhosts[i] >= 0)
			close(fds->vhosts[i]);
	if (fds->qmp_listen >= 0)
		close(fds->qmp_listen);
	free(fds->taps);
	free(fds->vhosts);
}

static int start_failed(struct domain_obj *d, int r)
{
	struct qemud_run *run = qemud_run_of(d);

	if (run->pidfd >= 0) {
		signal_qemu(d, SIGKILL);
		pidfd_wait(run->pidfd, KILL_WAIT_MS);
	}
	finish(d, SHUTOFF_FAILED);
	return r;
}

/* What start does before it waits on QEMU: the live definition, a uid, the devices and files,
 * the command line, and the launch by the spawner. On failure everything is undone. */
static int start_launch(struct domain_obj *d, off_t *log_offset, struct sv_error *err)
{
	struct qemud_argv_fds fds = { .qmp_listen = -1 };
	_cleanup_command_ struct command *cmd = NULL;
	struct qemud_run *run;
	const char *emulator;
	size_t nifaces, ndisks, nserials, nconsoles, nchannels;
	int r, logfd;

	if (domain_obj_active(d))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EBUSY,
				    "Requested operation is not valid: domain is already running");
	r = domain_def_copy(d->def, &d->live, err);
	if (r < 0)
		return r;
	nifaces = d->live->ninterfaces;
	ndisks = d->live->ndisks;
	nserials = d->live->nserials;
	nconsoles = d->live->nconsoles;
	nchannels = d->live->nchannels;
	emulator = d->live->emulator ? d->live->emulator : QEMU_SYSTEM_DEFAULT;
	d->priv = run = qemud_run_new();
	d->id = qemud.store.next_id++; /* from here on, finish() undoes everything */
	r = qemud_run_alloc_uid(&run->uid, err);
	if (r >= 0)
		r = open_resources(d, &fds, err);
	if (r >= 0)
		r = qemud_argv_build(d->live, emulator, &fds, &cmd, err);
	free_fds(&fds, nifaces, ndisks, nserials, nconsoles, nchannels);
	if (r < 0)
		return start_failed(d, r);
	logfd = open_log(d->live->name, log_offset, cmd, err);
	if (logfd < 0)
		return start_failed(d, logfd);
	command_set_output(cmd, logfd);
	r = qemud_spawner_launch(cmd, run->uid, &run->pid, err);
	/* A uid of the range that some other process holds (another suite's QEMU, a stranger):
	 * skipped, the next free one tried. */
	for (int tries = 0; r == -EBUSY && tries < 16; tries++) {
		qemud_run_skip_uid(run->uid);
		if ((r = qemud_run_alloc_uid(&run->uid, err)) >= 0)
			r = qemud_spawner_launch(cmd, run->uid, &run->pid, err);
	}
	if (r < 0)
		return start_failed(d, r);
	run->pidfd = pidfd_open(run->pid);
	if (run->pidfd < 0 && errno == ESRCH) /* QEMU exited before it could be watched */
		return start_failed(d, qemu_exited_at_start(d->live->name, *log_offset, err));
	if (run->pidfd < 0) {
		r = sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "pidfd_open of QEMU (pid %d)", (int)run->pid);
		return start_failed(d, r);
	}
	run->start_time = time(NULL);
	set_state(d, DOMAIN_PAUSED, PAUSED_STARTING_UP); /* the status file names the pid from now on */
	return 0;
}

/* The start job ends: a failed create leaves nothing behind. */
static void start_end(struct qemud_job *j, int r, const struct sv_error *err)
{
	struct domain_obj *d = qemud_job_domain(j);

	if (r < 0 && j->launched && d && domain_obj_active(d))
		start_failed(d, r);
	if (r < 0 && j->create && (d = qemud_job_domain(j)) && !domain_obj_active(d))
		domain_store_remove(&qemud.store, d);
	qemud_job_done(j, r, err);
}

/* The job's domain, still running the QEMU this start launched; else the start ends with QEMU's
 * last words. */
static struct domain_obj *start_domain(struct qemud_job *j)
{
	struct domain_obj *d = qemud_job_domain(j);
	struct sv_error err;

	if (d && domain_obj_active(d) && d->priv)
		return d;
	start_end(j, qemu_exited_at_start(j->name, j->log_offset, &err), &err);
	return NULL;
}

static void start_continued(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct qemud_job *j = qemud_job_find(opaque);
	struct domain_obj *d = j ? start_domain(j) : NULL;
	struct qemud_run *run;
	struct sv_error e;

	if (!d)
		return;
	if (r < 0)
		return start_end(j, r, err);
	run = qemud_run_of(d);
	if (watch_pid(d) < 0)
		return start_end(j, sv_error_set_errno(&e, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot watch QEMU"), &e);
	set_state(d, DOMAIN_RUNNING, RUNNING_BOOTED);
	if (j->create)
		domain_store_created(d);
	log_info("domain '%s' started (id %d, pid %d, uid %u)", d->live->name, d->id, (int)run->pid, (unsigned)run->uid);
	qemud_job_done(j, 0, NULL);
}

static void start_chardevs_known(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct qemud_job *j = qemud_job_find(opaque);
	struct domain_obj *d = j ? start_domain(j) : NULL;
	struct sv_error e;

	if (!d)
		return;
	if (r >= 0 && ret)
		record_ptys(d, ret);
	else
		log_warn("domain '%s': no pty paths: %s", d->live->name, r < 0 ? err->message : "empty reply");
	if (qemud_qmp_send(qemud_run_of(d)->qmp, "cont", NULL, 0, start_continued, opaque, &e) < 0)
		start_end(j, -EPIPE, &e);
}

static void start_greeted(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct qemud_job *j = qemud_job_find(opaque);
	struct domain_obj *d = j ? start_domain(j) : NULL;
	struct qemud_run *run;
	struct sv_error e;

	if (!d)
		return;
	run = qemud_run_of(d);
	if (r == -ECHILD || (r < 0 && pidfd_wait(run->pidfd, 200)))
		return start_end(j, qemu_exited_at_start(j->name, j->log_offset, &e), &e);
	if (r < 0)
		return start_end(j, r, err);
	if (!qemud.hypervisor[0] && qemud_qmp_version(run->qmp)[0])
		snprintf(qemud.hypervisor, sizeof(qemud.hypervisor), "QEMU %s", qemud_qmp_version(run->qmp));
	log_debug("domain '%s': QEMU's monitor ready %lld ms into the start", j->name,
		  (long long)(qemud_now_ms() - j->started_ms));
	if (qemud_qmp_send(run->qmp, "query-chardev", NULL, 0, start_chardevs_known, opaque, &e) < 0)
		start_end(j, -EPIPE, &e);
}

/* start: launch (synchronous: netd, storaged and the spawner answer in milliseconds), then the
 * monitor's handshake, the ptys and cont, each step a callback from the loop. */
void qemud_job_start(struct qemud_job *j)
{
	struct domain_obj *d = qemud_job_domain(j);
	_cleanup_free_ char *mon = NULL;
	struct qemud_run *run;
	struct sv_error err = { 0 };
	int r;

	if (!d)
		return qemud_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_NO_DOMAIN, ENOENT,
						      "Domain not found: no domain with name '%s'", j->name), &err);
	r = start_launch(d, &j->log_offset, &err);
	if (r < 0)
		return start_end(j, r, &err);
	j->launched = true;
	run = qemud_run_of(d);
	log_debug("domain '%s': QEMU launched (pid %d) %lld ms into the start", j->name, (int)run->pid,
		  (long long)(qemud_now_ms() - j->started_ms));
	mon = qemud_monitor_path(d->live->name);
	r = qemud_qmp_open(qemud.loop, mon, d->live->name, run->pidfd, qemud_qmp_start_timeout_ms(), &qmp_ops, d,
			   start_greeted, qemud_job_ref(j), &run->qmp, &err);
	if (r < 0)
		start_end(j, r, &err);
}

static int require_active(const struct domain_obj *d, struct sv_error *err)
{
	if (!domain_obj_active(d))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: domain is not running");
	return 0;
}

static int require_monitor(const struct domain_obj *d, struct sv_error *err)
{
	int r = require_active(d, err);

	if (r >= 0 && !qemud_run_of(d)->qmp)
		r = sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EPIPE,
				 "domain '%s': QEMU's monitor is not connected", domain_obj_name(d));
	return r;
}

/* The job's domain, or the job ends saying it is gone. */
static struct domain_obj *job_domain(struct qemud_job *j)
{
	struct domain_obj *d = qemud_job_domain(j);
	struct sv_error err;

	if (!d)
		qemud_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_NO_DOMAIN, ENOENT,
					       "Domain not found: domain '%s' went away", j->name), &err);
	return d;
}

static void destroy_kill_expired(struct evwatch *w, void *opaque)
{
	struct qemud_job *j = qemud_job_find(opaque);
	struct domain_obj *d = j ? qemud_job_domain(j) : NULL;
	struct sv_error err;

	evwatch_remove(w);
	if (!j)
		return;
	j->timer = NULL;
	if (d && d->priv)
		qemud_run_of(d)->exit_job = 0;
	qemud_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ETIMEDOUT,
				       "domain '%s': QEMU did not exit after SIGKILL", j->name), &err);
}

static void destroy_term_expired(struct evwatch *w, void *opaque)
{
	struct qemud_job *j = qemud_job_find(opaque);
	struct domain_obj *d = j ? qemud_job_domain(j) : NULL;

	evwatch_remove(w);
	if (!j)
		return;
	j->timer = NULL;
	if (!d || !domain_obj_active(d))
		return qemud_job_done(j, 0, NULL);
	signal_qemu(d, SIGKILL);
	j->timer = evloop_timer(qemud.loop, KILL_WAIT_MS, 0, destroy_kill_expired, opaque);
}

/* destroy: SIGTERM lets QEMU flush its disks; SIGKILL if it does not go. The job ends when
 * finish() has cleaned up after QEMU's exit (its monitor's end and its pidfd). */
void qemud_job_destroy(struct qemud_job *j)
{
	struct domain_obj *d = job_domain(j);
	struct qemud_run *run;
	struct sv_error err;
	int r;

	if (!d)
		return;
	if ((r = require_active(d, &err)) < 0)
		return qemud_job_done(j, r, &err);
	run = qemud_run_of(d);
	run->destroying = true;
	run->exit_job = j->id;
	signal_qemu(d, SIGTERM);
	j->timer = evloop_timer(qemud.loop, TERM_WAIT_MS, 0, destroy_term_expired, qemud_job_ref(j));
}

/* The jobs that are one QMP command: sent, and the job ends with its answer (or deadline). */
static void monitor_job(struct qemud_job *j, const char *command, qemud_qmp_cb done)
{
	struct domain_obj *d = job_domain(j);
	struct sv_error err;
	int r;

	if (!d)
		return;
	r = require_monitor(d, &err);
	if (r >= 0)
		r = qemud_qmp_send(qemud_run_of(d)->qmp, command, NULL, 0, done, qemud_job_ref(j), &err);
	if (r < 0)
		qemud_job_done(j, r, &err);
}

/* The job of a command's answer, and its running domain (NULL when the answer came too late
 * for anyone, or QEMU is gone). */
static struct qemud_job *answered(void *opaque, struct domain_obj **d)
{
	struct qemud_job *j = qemud_job_find(opaque);

	*d = j ? qemud_job_domain(j) : NULL;
	if (*d && (!domain_obj_active(*d) || !(*d)->priv))
		*d = NULL;
	return j;
}

static void shutdown_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_obj *d;
	struct qemud_job *j = answered(opaque, &d);

	if (j)
		qemud_job_done(j, r, err);
}

void qemud_job_shutdown(struct qemud_job *j) { monitor_job(j, "system_powerdown", shutdown_answered); }

static void reboot_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_obj *d;
	struct qemud_job *j = answered(opaque, &d);

	if (!j)
		return;
	if (r < 0 && d)
		qemud_run_of(d)->fake_reboot = false;
	qemud_job_done(j, r, err);
}

/* As libvirt's default (ACPI) reboot: power-down, and on the guest's SHUTDOWN reset and continue
 * instead of ending QEMU. */
void qemud_job_reboot(struct qemud_job *j)
{
	struct domain_obj *d = qemud_job_domain(j);

	if (d && domain_obj_active(d) && d->priv)
		qemud_run_of(d)->fake_reboot = true;
	monitor_job(j, "system_powerdown", reboot_answered);
}

/* A pause or resume QEMU answered: the domain takes the state it asked for, the job ends. */
static void state_answered(void *opaque, int r, const struct sv_error *err, int state, int reason)
{
	struct domain_obj *d;
	struct qemud_job *j = answered(opaque, &d);

	if (!j)
		return;
	if (r >= 0 && d)
		set_state(d, state, reason);
	qemud_job_done(j, r, err);
}

static void suspend_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	state_answered(opaque, r, err, DOMAIN_PAUSED, PAUSED_USER);
}

void qemud_job_suspend(struct qemud_job *j)
{
	struct domain_obj *d = qemud_job_domain(j);

	if (d && domain_obj_active(d) && d->state == DOMAIN_PAUSED)
		return qemud_job_done(j, 0, NULL);
	monitor_job(j, "stop", suspend_answered);
}

static void resume_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	state_answered(opaque, r, err, DOMAIN_RUNNING, RUNNING_UNPAUSED);
}

void qemud_job_resume(struct qemud_job *j)
{
	struct domain_obj *d = qemud_job_domain(j);
	struct sv_error err;

	if (d && domain_obj_active(d) && d->state != DOMAIN_PAUSED)
		return qemud_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EINVAL,
						      "Requested operation is not valid: domain is already running"),
				      &err);
	monitor_job(j, "cont", resume_answered);
}

/* /proc/PID/cmdline names this domain's UUID: the pid was not reused by something else. */
static bool is_our_qemu(pid_t pid, const char *uuid)
{
	_cleanup_free_ char *path = xasprintf("/proc/%d/cmdline", (int)pid), *text = NULL;
	size_t len = 0;

	if (file_read_all(path, &text, &len, NULL) < 0)
		return false;
	for (size_t off = 0; off < len; off += strlen(text + off) + 1)
		if (strcasecmp(text + off, uuid) == 0)
			return true;
	return false;
}

/* A QEMU that cannot be taken over is stopped: the domain is shut off, its taps released. */
static void reattach_give_up(struct domain_obj *d, int reason)
{
	struct qemud_run *run = qemud_run_of(d);

	run->destroying = true;
	signal_qemu(d, SIGKILL);
	pidfd_wait(run->pidfd, KILL_WAIT_MS);
	finish(d, reason);
}

static void reattach_status(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_obj *d;
	struct qemud_job *j = answered(opaque, &d);
	const char *s = r >= 0 ? status_of(ret) : NULL;

	if (!j)
		return;
	/* QEMU's word beats the status file: it may have changed while nobody listened. */
	if (d && s && streq(s, "running") && d->state != DOMAIN_RUNNING)
		set_state(d, DOMAIN_RUNNING, RUNNING_UNPAUSED);
	else if (d && s && streq(s, "paused") && d->state != DOMAIN_PAUSED)
		set_state(d, DOMAIN_PAUSED, PAUSED_UNKNOWN);
	else if (d && s && streq(s, "shutdown"))
		on_guest_shutdown(d, false);
	if (d)
		log_info("re-attached domain '%s' (id %d, pid %d)", j->name, d->id, (int)qemud_run_of(d)->pid);
	qemud_job_done(j, 0, NULL);
}

static void reattach_greeted(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_obj *d;
	struct qemud_job *j = answered(opaque, &d);
	struct sv_error e;

	if (!j)
		return;
	if (!d)
		return qemud_job_done(j, 0, NULL);
	if (r < 0) {
		log_warn("domain '%s': QEMU (pid %d) runs but its monitor does not answer (%s): stopping it", j->name,
			 (int)qemud_run_of(d)->pid, err->message);
		reattach_give_up(d, SHUTOFF_CRASHED);
		return qemud_job_done(j, 0, NULL);
	}
	if (watch_pid(d) < 0)
		log_warn("domain '%s': cannot watch QEMU: %s", j->name, strerror(errno));
	if (qemud_qmp_send(qemud_run_of(d)->qmp, "query-status", NULL, 0, reattach_status, opaque, &e) < 0)
		qemud_job_done(j, 0, NULL);
}

static void reattach_run(struct qemud_job *j)
{
	struct domain_obj *d = job_domain(j);
	_cleanup_free_ char *mon = NULL;
	struct qemud_run *run;
	struct sv_error err;

	if (!d)
		return;
	run = qemud_run_of(d);
	mon = qemud_monitor_path(j->name);
	/* As long as a start's handshake: a QEMU slow to greet on a loaded host is not stopped for it
	 * (5 s was too short for TCG guests under load: supervisor-kill.sh lost a VM). */
	if (qemud_qmp_open(qemud.loop, mon, j->name, run->pidfd, qemud_qmp_start_timeout_ms(), &qmp_ops, d, reattach_greeted,
			   qemud_job_ref(j), &run->qmp, &err) < 0) {
		log_warn("domain '%s': cannot reach QEMU's monitor (%s): stopping it", j->name, err.message);
		reattach_give_up(d, SHUTOFF_CRASHED);
		qemud_job_done(j, 0, NULL);
	}
}

static void reattach_one(const char *name, char *status, const char *live_xml, void *opaque)
{
	struct domain_def *live = NULL;
	struct domain_obj *d;
	struct qemud_run *run;
	struct sv_error err;
	char uuid[SV_UUID_STRING_LEN];
	(void)opaque;

	if (domain_def_parse(live_xml, strlen(live_xml), 0, &live, &err) < 0) {
		log_warn("cannot re-attach domain '%s': bad live XML: %s", name, err.message);
		return;
	}
	sv_uuid_format(live->uuid, uuid);
	d = domain_store_find_uuid(&qemud.store, uuid);
	if (!d) { /* transient: only its live definition exists */
		d = domain_store_add(&qemud.store, live);
		d->def = NULL;
	}
	d->live = live;
	d->priv = run = qemud_run_from_status(d, status);
	if (d->id >= qemud.store.next_id)
		qemud.store.next_id = d->id + 1;
	run->pidfd = run->pid > 0 && is_our_qemu(run->pid, uuid) ? pidfd_open(run->pid) : -1;
	if (run->pidfd < 0) {
		log_info("domain '%s': QEMU (pid %d) died while qemud was away", name, (int)run->pid);
		finish(d, run->shutdown_seen ? SHUTOFF_SHUTDOWN : SHUTOFF_CRASHED);
		return;
	}
	/* qemud went away in the middle of the start: a start is all or nothing, never half done. */
	if (d->state == DOMAIN_PAUSED && d->reason == PAUSED_STARTING_UP) {
		log_warn("domain '%s': qemud stopped while it started QEMU (pid %d): stopping it", name, (int)run->pid);
		reattach_give_up(d, SHUTOFF_FAILED);
		return;
	}
	qemud_job_submit(d, "reattach", reattach_run, NULL, NULL);
}

void qemud_domains_reattach(void) { domain_store_status_each(&qemud.store, reattach_one, NULL); }

/* The domain UUID a QEMU's command line names (-uuid), when argv[0] is an emulator we run. */
static bool qemu_cmdline_uuid(pid_t pid, char *uuid, size_t len)
{
	_cleanup_free_ char *path = xasprintf("/proc/%d/cmdline", (int)pid), *text = NULL;
	size_t n = 0;

	if (file_read_all(path, &text, &n, NULL) < 0 || !n || !qemud_spawner_allowed(text))
		return false;
	for (size_t off = 0; off < n; off += strlen(text + off) + 1)
		if (streq(text + off, "-uuid") && off + strlen(text + off) + 1 < n) {
			snprintf(uuid, len, "%s", text + off + strlen(text + off) + 1);
			return true;
		}
	return false;
}

void qemud_domains_stop_orphans(void)
{
	const struct suite_ids *ids = &qemud.ctx->ids;
	DIR *dir = opendir("/proc");
	struct dirent *e;

	if (!dir)
		return;
	while ((e = readdir(dir))) {
		char path[64], uuid[SV_UUID_STRING_LEN];
		pid_t pid = (pid_t)atoi(e->d_name);
		struct domain_obj *d;
		struct sv_error err;
		struct stat st;
		int pidfd;

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d", (int)pid);
		/* Only QEMUs of this suite: a uid of its VM range (in session mode, its own uid and a
		 * domain it knows). */
		if (stat(path, &st) < 0 ||
		    (ids->session ? st.st_uid != getuid() : st.st_uid < ids->vm_uid_first || st.st_uid > ids->vm_uid_last))
			continue;
		if (!qemu_cmdline_uuid(pid, uuid, sizeof(uuid)))
			continue;
		d = domain_store_find_uuid(&qemud.store, uuid);
		if ((d && domain_obj_active(d)) || (!d && ids->session))
			continue;
		log_warn("QEMU (pid %d, uid %u) of domain %s runs, but no domain does (a start cut short): stopping it",
			 (int)pid, (unsigned)st.st_uid, uuid);
		pidfd = pidfd_open(pid);
		if (pidfd < 0)
			continue;
		if (qemud_spawner_signal(pidfd, st.st_uid, SIGKILL, &err) < 0)
			log_warn("cannot stop QEMU (pid %d): %s", (int)pid, err.message);
		close(pidfd);
	}
	closedir(dir);
}

void qemud_domains_autostart(void)
{
	for (size_t i = 0; i < qemud.store.ndoms; i++) {
		struct domain_obj *d = qemud.store.doms[i];

		if (!d->autostart || domain_obj_active(d))
			continue;
		qemud_job_submit(d, "autostart", qemud_job_start, NULL, NULL);
	}
}

unsigned long long qemud_domain_cpu_time_ns(const struct domain_obj *d)
{
	_cleanup_free_ char *path = NULL, *text = NULL;
	unsigned long long utime = 0, stime = 0;
	long tick = sysconf(_SC_CLK_TCK);
	char *p;

	if (!domain_obj_active(d))
		return 0;
	path = xasprintf("/proc/%d/stat", (int)qemud_run_of(d)->pid);
	if (file_read_all(path, &text, NULL, NULL) < 0)
		return 0;
	p = strrchr(text, ')'); /* the command name may hold spaces */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
		return 0;
	return (utime + stime) * (1000000000ULL / (unsigned long long)(tick > 0 ? tick : 100));
}
