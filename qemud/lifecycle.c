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
#include "domain-event.h"
#include "domain-state.h"
#include "events.h"
#include "firmware.h"
#include "hotplug.h"
#include "images.h"
#include "job.h"
#include "lifecycle.h"
#include "log.h"
#include "netd-call.h"
#include "storage-call.h"
#include "qmp.h"
#include "resize.h"
#include "run.h"
#include "save-image.h"
#include "spawner.h"

#define TERM_WAIT_MS 5000
#define KILL_WAIT_MS 5000
#define LOG_TAIL_BYTES 1500
#define ORPHAN_RESWEEP_MS 2000
#define RESTORE_POLL_MS 50
#define RESTORE_DEADLINE_MS (10 * 60 * 1000)

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

/* Asked of netd without waiting: it does it after any open of the start it has not answered. */
static void release_taps(struct domain_obj *d)
{
	bool any = false;

	for (size_t i = 0; d->live && i < d->live->ninterfaces; i++)
		any |= d->live->interfaces[i].type != DOMAIN_NET_USER;
	if (any)
		qemud_call_release_taps(d->uuid);
}

/* QEMU is gone: everything that belonged to the run goes with it. */
static void finish(struct domain_obj *d, int reason)
{
	_cleanup_free_ char *name = xstrdup(domain_obj_name(d));
	void *waiter = (void *)(uintptr_t)qemud_run_of(d)->exit_job;
	struct domain_job *j;

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
	if (waiter && (j = domain_job_find(waiter)))
		domain_job_done(j, 0, NULL);
}

static int exit_reason(const struct domain_obj *d)
{
	const struct qemud_run *run = qemud_run_of(d);

	if (run->saved)
		return SHUTOFF_SAVED;
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
static const char *status_of(struct json_object *ret) { return qemud_qmp_str(ret, "status"); }

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
	else if (streq(now, "io-error") && d->state == DOMAIN_RUNNING) /* a disk's error policy stopped it */
		set_state(d, DOMAIN_PAUSED, PAUSED_IOERROR);
	else if (streq(now, "watchdog") && d->state == DOMAIN_RUNNING)
		set_state(d, DOMAIN_PAUSED, PAUSED_WATCHDOG);
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
	} else if (streq(name, "BALLOON_CHANGE")) {
		qemud_resize_balloon_changed(d, data);
	} else if (streq(name, "RESET") || streq(name, "POWERDOWN")) {
		log_info("domain '%s': %s", domain_obj_name(d), name);
	} else if (streq(name, "DEVICE_DELETED")) {
		qemud_hotplug_event(d, name, data);
	}
	qemud_events_from_qmp(d, name, data);
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

/* What a start keeps between its steps until QEMU is launched: the fds the command line
 * refers to, collected one answer at a time, then the command itself. */
struct start_state {
	struct qemud_argv_fds fds;
	size_t nifaces, ndisks, nserials, nconsoles, nchannels;
	size_t next;    /* the interface, then the disk, whose answer is awaited */
	struct command *cmd;
	int busy_tries; /* uids of the range some other process holds, skipped */
	off_t log_offset; /* where QEMU's output for this start begins in its log */
	/* A restore: QEMU loads the state file given as fds.incoming, then is continued (unless
	 * paused). managed: the file is the domain's managed save image, removed once it ran. */
	bool restore, managed;
	struct evwatch *poll_timer;
};

static off_t start_log_offset(const struct domain_job *j)
{
	return j->state ? ((const struct start_state *)j->state)->log_offset : 0;
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
	if (fds->loader >= 0)
		close(fds->loader);
	if (fds->nvram >= 0)
		close(fds->nvram);
	if (fds->incoming)
		close(fds->incoming_fd);
	fds->incoming = false;
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


static void start_state_free(void *p)
{
	struct start_state *st = p;

	free_fds(&st->fds, st->nifaces, st->ndisks, st->nserials, st->nconsoles, st->nchannels);
	command_free(st->cmd);
	if (st->poll_timer)
		evwatch_remove(st->poll_timer);
	free(st);
}

static void start_end(struct domain_job *j, int r, const struct sv_error *err);

/* The job's domain while its start prepares QEMU (active, its devices being gathered); else the
 * start ends. */
static struct domain_obj *start_preparing(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);
	struct sv_error err;

	if (d && domain_obj_active(d) && d->priv && d->live && j->state)
		return d;
	start_end(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ECANCELED,
				  "domain '%s' stopped while it started", j->name), &err);
	return NULL;
}

static void start_gather(struct domain_job *j);
static void start_spawn(struct domain_job *j);

static void start_tap_opened(void *opaque, int r, char *ifname, int fd, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? start_preparing(j) : NULL;
	struct start_state *st;
	struct domain_interface *n;

	if (!d) {
		/* The start ended meanwhile: the release it asked for (finish) deletes the tap. */
		if (fd >= 0)
			close(fd);
		free(ifname);
		return;
	}
	if (r < 0)
		return start_end(j, r, err);
	st = j->state;
	n = &d->live->interfaces[st->next];
	st->fds.taps[st->next] = fd;
	free(n->target_dev);
	n->target_dev = ifname;
	if (qemud.vhost && n->model && streq(n->model, "virtio"))
		st->fds.vhosts[st->next] = QEMUD_ARGV_VHOST_BY_SPAWNER;
	st->next++;
	start_gather(j);
}

static void start_volume_opened(void *opaque, int r, struct qemud_argv_volume *vol, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? start_preparing(j) : NULL;
	struct start_state *st;

	if (!d)
		return; /* vol's fds are closed after this */
	if (r < 0)
		return start_end(j, r, err);
	st = j->state;
	st->fds.volumes[st->next - st->nifaces] = *vol;
	*vol = (struct qemud_argv_volume){ 0 };
	st->next++;
	start_gather(j);
}

/* The devices other daemons open, one answer after the other (netd names the next generated tap
 * after the last): st->next counts the interfaces, then the disks. */
static void start_gather(struct domain_job *j)
{
	struct domain_obj *d = start_preparing(j);
	struct start_state *st = j->state;
	struct sv_error err;
	int r;

	if (!d)
		return;
	for (; st->next < st->nifaces + st->ndisks; st->next++) {
		if (st->next < st->nifaces) {
			struct domain_interface *n = &d->live->interfaces[st->next];

			if (n->type == DOMAIN_NET_USER)
				continue;
			r = qemud_call_open_tap(d->live, st->next, start_tap_opened, domain_job_ref(j), &err);
		} else if (d->live->disks[st->next - st->nifaces].type == DOMAIN_DISK_TYPE_VOLUME) {
			r = qemud_call_open_volume(&d->live->disks[st->next - st->nifaces], start_volume_opened,
						   domain_job_ref(j), &err);
		} else {
			continue;
		}
		if (r < 0)
			return start_end(j, r, &err);
		return; /* its answer comes from the loop */
	}
	start_spawn(j);
}

static void start_monitor(struct domain_job *j, struct domain_obj *d);

static bool start_launched(void *opaque, int r, pid_t pid, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? start_preparing(j) : NULL;
	struct start_state *st;
	struct qemud_run *run;
	_cleanup_free_ char *what = NULL;
	struct sv_error e;

	if (!d)
		return false; /* the spawner stops a QEMU it launched for nobody */
	st = j->state;
	run = qemud_run_of(d);
	/* A uid of the range that some other process holds (another suite's QEMU, a stranger):
	 * skipped, the next free one tried. */
	if (r == -EBUSY && st->busy_tries++ < 16) {
		qemud_run_skip_uid(run->uid);
		what = xasprintf("the launch of QEMU for domain '%s'", j->name);
		if ((r = qemud_run_alloc_uid(&run->uid, &e)) >= 0 &&
		    (r = qemud_spawner_launch(st->cmd, run->uid, what, start_launched, opaque, &e)) >= 0)
			return true;
		start_end(j, r, &e);
		return true;
	}
	if (r < 0) {
		start_end(j, r, err);
		return true;
	}
	run->pid = pid;
	run->pidfd = pidfd_open(pid);
	if (run->pidfd < 0 && errno == ESRCH) { /* QEMU exited before it could be watched */
		r = qemu_exited_at_start(d->live->name, st->log_offset, &e);
		start_end(j, r, &e);
		return true;
	}
	if (run->pidfd < 0) {
		r = sv_error_set_errno(&e, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "pidfd_open of QEMU (pid %d)", (int)pid);
		start_end(j, r, &e);
		return true;
	}
	run->start_time = time(NULL);
	set_state(d, DOMAIN_PAUSED, PAUSED_STARTING_UP); /* the status file names the pid from now on */
	start_monitor(j, d);
	return true;
}

/* Every device gathered: the files qemud opens itself, the command line, and the launch. */
static void start_spawn(struct domain_job *j)
{
	struct domain_obj *d = start_preparing(j);
	struct start_state *st = j->state;
	_cleanup_free_ char *mon = NULL, *what = NULL;
	const char *emulator;
	struct sv_error err;
	int r, logfd;

	if (!d)
		return;
	mon = qemud_monitor_path(d->live->name);
	emulator = d->live->emulator ? d->live->emulator : QEMU_SYSTEM_DEFAULT;
	st->fds.serials = open_chardevs(d->live->serials, d->live->nserials, &err);
	if (!st->fds.serials)
		return start_end(j, -EIO, &err);
	st->fds.consoles = open_chardevs(d->live->consoles, d->live->nconsoles, &err);
	if (!st->fds.consoles)
		return start_end(j, -EIO, &err);
	/* a channel given no path (virt-install's guest agent) is bound in qemud's own directory */
	for (size_t i = 0; i < d->live->nchannels; i++)
		if (d->live->channels[i].type == DOMAIN_CHR_UNIX && !d->live->channels[i].path)
			d->live->channels[i].path = xasprintf("%s/%s.channel%zu", qemud.store.state_dir, d->live->name, i);
	st->fds.channels = open_chardevs(d->live->channels, d->live->nchannels, &err);
	if (!st->fds.channels)
		return start_end(j, -EIO, &err);
	/* UEFI: the code and the domain's NVRAM (its first start copies the template) */
	if (d->live->os.loader &&
	    (r = qemud_firmware_open(d->live, &st->fds.loader, &st->fds.nvram, &err)) < 0)
		return start_end(j, r, &err);
	st->fds.qmp_listen = qemud_monitor_socket(mon, true, &err);
	if (st->fds.qmp_listen < 0)
		return start_end(j, st->fds.qmp_listen, &err);
	r = qemud_argv_build(d->live, emulator, &st->fds, &st->cmd, &err);
	free_fds(&st->fds, st->nifaces, st->ndisks, st->nserials, st->nconsoles, st->nchannels);
	st->fds = (struct qemud_argv_fds){ .qmp_listen = -1, .loader = -1, .nvram = -1 };
	if (r < 0)
		return start_end(j, r, &err);
	logfd = open_log(d->live->name, &st->log_offset, st->cmd, &err);
	if (logfd < 0)
		return start_end(j, logfd, &err);
	command_set_output(st->cmd, logfd);
	what = xasprintf("the launch of QEMU for domain '%s'", j->name);
	r = qemud_spawner_launch(st->cmd, qemud_run_of(d)->uid, what, start_launched, domain_job_ref(j), &err);
	if (r < 0)
		return start_end(j, r, &err);
}

/* The start job ends: a failed create leaves nothing behind. */
static void start_end(struct domain_job *j, int r, const struct sv_error *err)
{
	struct domain_obj *d = domain_job_domain(j);

	/* Everything the start did is undone: QEMU, taps (released), status, id. */
	if (r < 0 && j->state && d && domain_obj_active(d))
		start_failed(d, r);
	if (r < 0 && j->create && (d = domain_job_domain(j)) && !domain_obj_active(d))
		domain_store_remove(&qemud.store, d);
	domain_job_done(j, r, err);
}

/* The job's domain, still running the QEMU this start launched; else the start ends with QEMU's
 * last words. */
static struct domain_obj *start_domain(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);
	struct sv_error err;

	if (d && domain_obj_active(d) && d->priv)
		return d;
	start_end(j, qemu_exited_at_start(j->name, start_log_offset(j), &err), &err);
	return NULL;
}

static void start_continued(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? start_domain(j) : NULL;
	struct start_state *st;
	struct qemud_run *run;
	struct sv_error e;

	if (!d)
		return;
	if (r < 0)
		return start_end(j, r, err);
	run = qemud_run_of(d);
	if (watch_pid(d) < 0)
		return start_end(j, sv_error_set_errno(&e, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot watch QEMU"), &e);
	st = j->state;
	if (j->flags & QEMUD_START_PAUSED) {
		/* as libvirt: started, then suspended, and "paused (user)" until resumed */
		domain_store_emit(&qemud.store, d, DOMAIN_EVENT_STARTED, st->restore ? STARTED_RESTORED : STARTED_BOOTED);
		domain_store_emit(&qemud.store, d, DOMAIN_EVENT_SUSPENDED, SUSPENDED_PAUSED);
		set_state(d, DOMAIN_PAUSED, PAUSED_USER);
	} else {
		set_state(d, DOMAIN_RUNNING, st->restore ? RUNNING_RESTORED : RUNNING_BOOTED);
	}
	/* As libvirt: a managed save image is used once; the domain runs on from here. */
	if (st->managed) {
		_cleanup_free_ char *path = qemud_managed_save_path(d->live->name);
		if (atomic_file_remove(path, &e) < 0)
			log_warn("domain '%s': %s", d->live->name, e.message);
	}
	if (j->create)
		domain_store_created(d);
	log_info("domain '%s' started (id %d, pid %d, uid %u)", d->live->name, d->id, (int)run->pid, (unsigned)run->uid);
	domain_job_done(j, 0, NULL);
}

/* The last step: cont, unless the domain is to stay paused. */
static void start_resume(struct domain_job *j, struct domain_obj *d)
{
	struct sv_error e;

	if (j->flags & QEMUD_START_PAUSED) /* start --paused: never continued */
		return start_continued(domain_job_ref(j), 0, NULL, NULL);
	if (qemud_qmp_send(qemud_run_of(d)->qmp, "cont", NULL, 0, start_continued, domain_job_ref(j), &e) < 0)
		start_end(j, -EPIPE, &e);
}

static void restore_poll(struct domain_job *j, struct domain_obj *d);

static void restore_poll_again(struct evwatch *w, void *opaque)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d;

	evwatch_remove(w);
	if (!j)
		return;
	((struct start_state *)j->state)->poll_timer = NULL;
	if ((d = start_domain(j)))
		restore_poll(j, d);
}

/* QEMU reads the state while its status is "inmigrate"; a stream it cannot load ends QEMU,
 * and the start fails with its last words. */
static void restore_polled(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? start_domain(j) : NULL;
	struct start_state *st;
	const char *now;
	struct sv_error e;

	if (!d)
		return;
	if (r < 0)
		return start_end(j, r, err);
	st = j->state;
	now = status_of(ret);
	if (now && streq(now, "inmigrate")) {
		if (qemud_now_ms() - j->started_ms > RESTORE_DEADLINE_MS)
			return start_end(j, sv_error_set(&e, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ETIMEDOUT,
							 "domain '%s': QEMU did not load its saved state within %d s",
							 j->name, RESTORE_DEADLINE_MS / 1000), &e);
		st->poll_timer = evloop_timer(qemud.loop, RESTORE_POLL_MS, 0, restore_poll_again, opaque);
		return;
	}
	if (!now || (!streq(now, "paused") && !streq(now, "prelaunch") && !streq(now, "postmigrate")))
		return start_end(j, sv_error_set(&e, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EIO,
						 "domain '%s': QEMU is '%s' after loading its saved state", j->name,
						 now ? now : "?"), &e);
	log_info("domain '%s': saved state loaded in %lld ms", j->name, (long long)(qemud_now_ms() - j->started_ms));
	start_resume(j, d);
}

static void restore_poll(struct domain_job *j, struct domain_obj *d)
{
	struct sv_error e;

	if (qemud_qmp_send(qemud_run_of(d)->qmp, "query-status", NULL, 0, restore_polled, domain_job_ref(j), &e) < 0)
		start_end(j, -EPIPE, &e);
}

/* After the ptys: a restore waits for QEMU to load the state; then the last step. */
static void start_after_chardevs(struct domain_job *j, struct domain_obj *d)
{
	if (((struct start_state *)j->state)->restore)
		return restore_poll(j, d);
	start_resume(j, d);
}

/* query-vnc's answer: the port QEMU's autoport took goes into the live XML. */
static void start_vnc_known(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? start_domain(j) : NULL;
	struct json_object *service;
	const struct domain_graphics *g;

	if (!d)
		return;
	g = &d->live->graphics[0];
	if (r >= 0 && ret && json_object_object_get_ex(ret, "service", &service) &&
	    atoi(json_object_get_string(service)) > 0)
		domain_def_set_vnc_port(d->live, atoi(json_object_get_string(service)),
					g->listen ? g->listen : "127.0.0.1");
	else
		log_warn("domain '%s': no VNC port: %s", d->live->name, r < 0 ? err->message : "no service in query-vnc");
	start_after_chardevs(j, d);
}

/* A VNC display on an automatic port: QEMU chose it; libvirt shows it in the live XML. */
static bool vnc_port_unknown(const struct domain_def *live)
{
	return live->ngraphics && live->graphics[0].port < 0 && !live->graphics[0].listen_none;
}

static void start_chardevs_known(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? start_domain(j) : NULL;
	struct sv_error e;

	if (!d)
		return;
	if (r >= 0 && ret)
		record_ptys(d, ret);
	else
		log_warn("domain '%s': no pty paths: %s", d->live->name, r < 0 ? err->message : "empty reply");
	if (!vnc_port_unknown(d->live))
		return start_after_chardevs(j, d);
	if (qemud_qmp_send(qemud_run_of(d)->qmp, "query-vnc", NULL, 0, start_vnc_known, opaque, &e) < 0)
		start_end(j, -EPIPE, &e);
}

static void start_greeted(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? start_domain(j) : NULL;
	struct qemud_run *run;
	struct sv_error e;

	if (!d)
		return;
	run = qemud_run_of(d);
	if (r == -ECHILD || (r < 0 && pidfd_wait(run->pidfd, 200)))
		return start_end(j, qemu_exited_at_start(j->name, start_log_offset(j), &e), &e);
	if (r < 0)
		return start_end(j, r, err);
	if (!qemud.hypervisor[0] && qemud_qmp_version(run->qmp)[0])
		snprintf(qemud.hypervisor, sizeof(qemud.hypervisor), "QEMU %s", qemud_qmp_version(run->qmp));
	log_debug("domain '%s': QEMU's monitor ready %lld ms into the start", j->name,
		  (long long)(qemud_now_ms() - j->started_ms));
	if (qemud_qmp_send(run->qmp, "query-chardev", NULL, 0, start_chardevs_known, opaque, &e) < 0)
		start_end(j, -EPIPE, &e);
}

/* start: the live definition and a uid; then each step waits on one answer from the loop: the
 * taps from netd, the volumes from storaged, the launch by the spawner, the monitor's handshake,
 * the ptys and cont. Until the launch, the domain shows "paused (starting up)". */
static void start_from(struct domain_job *j, struct domain_obj *d, struct qemud_restore *from)
{
	struct start_state *st;
	struct qemud_run *run;
	struct domain_def *live;
	struct sv_error err = { 0 };
	int r;

	if (from) {
		d->live = TAKE_PTR(from->def);
	} else if ((r = domain_def_copy(d->def, &d->live, &err)) < 0) {
		return start_end(j, r, &err);
	}
	live = d->live;
	st = xcalloc(1, sizeof(*st));
	if (from) {
		st->restore = true;
		st->managed = from->managed;
		st->fds.incoming = true;
		st->fds.incoming_fd = TAKE_FD(from->fd);
		if (from->paused)
			j->flags |= QEMUD_START_PAUSED;
	}
	st->nifaces = live->ninterfaces;
	st->ndisks = live->ndisks;
	st->nserials = live->nserials;
	st->nconsoles = live->nconsoles;
	st->nchannels = live->nchannels;
	st->fds.qmp_listen = st->fds.loader = st->fds.nvram = -1;
	st->fds.taps = xmalloc((st->nifaces + 1) * sizeof(int));
	st->fds.vhosts = xmalloc((st->nifaces + 1) * sizeof(int));
	for (size_t i = 0; i < st->nifaces; i++)
		st->fds.taps[i] = st->fds.vhosts[i] = -1;
	st->fds.volumes = xcalloc(st->ndisks + 1, sizeof(*st->fds.volumes));
	j->state = st;
	j->state_free = start_state_free;
	d->priv = run = qemud_run_new();
	run->autodestroy = j->flags & QEMUD_START_AUTODESTROY ? j->client : 0;
	d->id = qemud.store.next_id++; /* from here on, finish() undoes everything */
	domain_obj_set_state(&qemud.store, d, DOMAIN_PAUSED, PAUSED_STARTING_UP);
	r = qemud_run_alloc_uid(&run->uid, &err);
	if (r >= 0)
		r = qemud_firmware_resolve(live, QEMUD_FIRMWARE_DESCRIPTORS, qemud.nvram_dir, &err);
	/* Images first: a path the spawner would refuse fails the start before any tap exists. */
	for (size_t i = 0; r >= 0 && i < live->ndisks; i++)
		if (live->disks[i].type == DOMAIN_DISK_TYPE_FILE && live->disks[i].src_path)
			r = qemud_image_path_check(live->disks[i].target_dev, live->disks[i].src_path, &err);
	if (r < 0)
		return start_end(j, r, &err);
	start_gather(j);
}

void qemud_restore_clear(struct qemud_restore *from)
{
	if (from->fd >= 0)
		close(from->fd);
	from->fd = -1;
	domain_def_free(from->def);
	from->def = NULL;
}

/* A domain with a managed save image starts from it (libvirt's start does): the image's XML
 * is what runs. An image that cannot be read fails the start, naming it. */
void qemud_job_start(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);
	struct qemud_restore from = { .fd = -1, .managed = true };
	_cleanup_free_ char *path = NULL;
	struct sv_error err = { 0 };
	bool running;
	int r;

	if (!d)
		return domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_NO_DOMAIN, ENOENT,
						      "Domain not found: no domain with name '%s'", j->name), &err);
	if (domain_obj_active(d))
		return start_end(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EBUSY,
						 "Requested operation is not valid: domain is already running"), &err);
	if (!d->def || !qemud_has_managed_save(d->def->name))
		return start_from(j, d, NULL);
	path = qemud_managed_save_path(d->def->name);
	from.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (from.fd < 0)
		r = sv_error_set_errno(&err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot open the managed save image '%s'",
				       path);
	else
		r = qemud_save_image_read(from.fd, path, &from.def, &running, &err);
	if (r >= 0 && (!streq(from.def->name, d->def->name) || memcmp(from.def->uuid, d->def->uuid, sizeof(d->def->uuid))))
		r = sv_error_set(&err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL,
				 "the managed save image '%s' is of another domain ('%s')", path, from.def->name);
	if (r < 0) {
		qemud_restore_clear(&from);
		return start_end(j, r, &err);
	}
	from.paused = (j->flags & QEMUD_START_PAUSED) || !running;
	start_from(j, d, &from);
	qemud_restore_clear(&from);
}

/* restore: the handler read the file's header; its state (qemud_restore) is the job's. */
void qemud_job_restore(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);
	struct qemud_restore *from = j->state;
	struct sv_error err;

	j->state = NULL;
	j->state_free = NULL;
	if (!d || domain_obj_active(d)) {
		sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EBUSY,
			     "Requested operation is not valid: domain '%s' is already active", j->name);
		qemud_restore_free(from);
		return d ? domain_job_done(j, -EBUSY, &err) : start_end(j, -EBUSY, &err);
	}
	start_from(j, d, from);
	qemud_restore_free(from);
}

void qemud_restore_free(void *p)
{
	struct qemud_restore *from = p;

	if (!from)
		return;
	qemud_restore_clear(from);
	free(from);
}

static void start_monitor(struct domain_job *j, struct domain_obj *d)
{
	_cleanup_free_ char *mon = qemud_monitor_path(d->live->name);
	struct qemud_run *run = qemud_run_of(d);
	struct sv_error err;
	int r;

	log_debug("domain '%s': QEMU launched (pid %d) %lld ms into the start", j->name, (int)run->pid,
		  (long long)(qemud_now_ms() - j->started_ms));
	r = qemud_qmp_open(qemud.loop, mon, d->live->name, run->pidfd, qemud_qmp_start_timeout_ms(), &qmp_ops, d,
			   start_greeted, domain_job_ref(j), &run->qmp, &err);
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
static struct domain_obj *job_domain(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);
	struct sv_error err;

	if (!d)
		domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_NO_DOMAIN, ENOENT,
					       "Domain not found: domain '%s' went away", j->name), &err);
	return d;
}

static void destroy_kill_expired(struct evwatch *w, void *opaque)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? domain_job_domain(j) : NULL;
	struct sv_error err;

	evwatch_remove(w);
	if (!j)
		return;
	j->timer = NULL;
	if (d && d->priv)
		qemud_run_of(d)->exit_job = 0;
	domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ETIMEDOUT,
				       "domain '%s': QEMU did not exit after SIGKILL", j->name), &err);
}

static void destroy_term_expired(struct evwatch *w, void *opaque)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? domain_job_domain(j) : NULL;

	evwatch_remove(w);
	if (!j)
		return;
	j->timer = NULL;
	if (!d || !domain_obj_active(d))
		return domain_job_done(j, 0, NULL);
	signal_qemu(d, SIGKILL);
	j->timer = evloop_timer(qemud.loop, KILL_WAIT_MS, 0, destroy_kill_expired, opaque);
}

/* Whether process pid is stopped (state T in /proc/PID/stat). */
static bool qemu_stopped(pid_t pid)
{
	_cleanup_free_ char *path = xasprintf("/proc/%d/stat", (int)pid), *text = NULL;
	char *p;

	if (file_read_all(path, &text, NULL, NULL) < 0)
		return false;
	p = strrchr(text, ')'); /* the command name may hold spaces */
	return p && (p[2] == 'T' || p[2] == 't');
}

/* destroy: SIGTERM lets QEMU flush its disks; SIGKILL if it does not go. The job ends when
 * finish() has cleaned up after QEMU's exit (its monitor's end and its pidfd). */
void qemud_job_destroy(struct domain_job *j)
{
	struct domain_obj *d = job_domain(j);
	struct sv_error err;
	int r;

	if (!d)
		return;
	if ((r = require_active(d, &err)) < 0)
		return domain_job_done(j, r, &err);
	qemud_run_of(d)->destroying = true;
	qemud_stop_qemu(j, d);
}

void qemud_stop_qemu(struct domain_job *j, struct domain_obj *d)
{
	struct qemud_run *run = qemud_run_of(d);

	run->exit_job = j->id;
	/* A stopped QEMU (SIGSTOP) acts on SIGTERM only once continued: it gets SIGKILL at once. */
	signal_qemu(d, qemu_stopped(run->pid) ? SIGKILL : SIGTERM);
	j->timer = evloop_timer(qemud.loop, TERM_WAIT_MS, 0, destroy_term_expired, domain_job_ref(j));
}

/* The jobs that are one QMP command: sent, and the job ends with its answer (or deadline). */
static void monitor_job(struct domain_job *j, const char *command, qemud_qmp_cb done)
{
	struct domain_obj *d = job_domain(j);
	struct sv_error err;
	int r;

	if (!d)
		return;
	r = require_monitor(d, &err);
	if (r >= 0)
		r = qemud_qmp_send(qemud_run_of(d)->qmp, command, NULL, 0, done, domain_job_ref(j), &err);
	if (r < 0)
		domain_job_done(j, r, &err);
}

/* The job of a command's answer, and its running domain (NULL when the answer came too late
 * for anyone, or QEMU is gone). A command that failed because destroy ended QEMU under it says
 * so in *err (into e). */
static struct domain_job *answered(void *opaque, struct domain_obj **d, int r, const struct sv_error **err,
				  struct sv_error *e)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *dom = j ? domain_job_domain(j) : NULL;

	*d = dom && domain_obj_active(dom) && dom->priv ? dom : NULL;
	if (j && r < 0 && dom && (!*d || qemud_run_of(dom)->destroying)) {
		sv_error_set(e, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ECANCELED,
			     "domain '%s' was destroyed while %s waited for QEMU (%s)", j->name, j->what,
			     (*err)->message);
		*err = e;
	}
	return j;
}

static void shutdown_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_obj *d;
	struct sv_error e;
	struct domain_job *j = answered(opaque, &d, r, &err, &e);

	if (j)
		domain_job_done(j, r, err);
}

void qemud_job_shutdown(struct domain_job *j) { monitor_job(j, "system_powerdown", shutdown_answered); }

static void reboot_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_obj *d;
	struct sv_error e;
	struct domain_job *j = answered(opaque, &d, r, &err, &e);

	if (!j)
		return;
	if (r < 0 && d)
		qemud_run_of(d)->fake_reboot = false;
	domain_job_done(j, r, err);
}

/* As libvirt's default (ACPI) reboot: power-down, and on the guest's SHUTDOWN reset and continue
 * instead of ending QEMU. */
void qemud_job_reboot(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);

	if (d && domain_obj_active(d) && d->priv)
		qemud_run_of(d)->fake_reboot = true;
	monitor_job(j, "system_powerdown", reboot_answered);
}

/* A pause or resume QEMU answered: the domain takes the state it asked for, the job ends. */
static void state_answered(void *opaque, int r, const struct sv_error *err, int state, int reason)
{
	struct domain_obj *d;
	struct sv_error e;
	struct domain_job *j = answered(opaque, &d, r, &err, &e);

	if (!j)
		return;
	if (r >= 0 && d)
		set_state(d, state, reason);
	domain_job_done(j, r, err);
}

static void suspend_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	state_answered(opaque, r, err, DOMAIN_PAUSED, PAUSED_USER);
}

void qemud_job_suspend(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);

	if (d && domain_obj_active(d) && d->state == DOMAIN_PAUSED)
		return domain_job_done(j, 0, NULL);
	monitor_job(j, "stop", suspend_answered);
}

static void resume_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	state_answered(opaque, r, err, DOMAIN_RUNNING, RUNNING_UNPAUSED);
}

static void reset_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_obj *d;
	struct sv_error e;
	struct domain_job *j = answered(opaque, &d, r, &err, &e);

	if (j)
		domain_job_done(j, r, err);
}

void qemud_job_reset(struct domain_job *j) { monitor_job(j, "system_reset", reset_answered); }

void qemud_job_resume(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);
	struct sv_error err;

	if (d && domain_obj_active(d) && d->state != DOMAIN_PAUSED)
		return domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EINVAL,
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
	struct sv_error e;
	struct domain_job *j = answered(opaque, &d, r, &err, &e);
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
	domain_job_done(j, 0, NULL);
}

static void reattach_greeted(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_obj *d;
	struct sv_error e;
	struct domain_job *j = answered(opaque, &d, r, &err, &e);

	if (!j)
		return;
	if (!d)
		return domain_job_done(j, 0, NULL);
	if (r < 0) {
		log_warn("domain '%s': QEMU (pid %d) runs but its monitor does not answer (%s): stopping it", j->name,
			 (int)qemud_run_of(d)->pid, err->message);
		reattach_give_up(d, SHUTOFF_CRASHED);
		return domain_job_done(j, 0, NULL);
	}
	if (watch_pid(d) < 0)
		log_warn("domain '%s': cannot watch QEMU: %s", j->name, strerror(errno));
	if (qemud_qmp_send(qemud_run_of(d)->qmp, "query-status", NULL, 0, reattach_status, opaque, &e) < 0)
		domain_job_done(j, 0, NULL);
}

static void reattach_run(struct domain_job *j)
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
			   domain_job_ref(j), &run->qmp, &err) < 0) {
		log_warn("domain '%s': cannot reach QEMU's monitor (%s): stopping it", j->name, err.message);
		reattach_give_up(d, SHUTOFF_CRASHED);
		domain_job_done(j, 0, NULL);
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
	domain_job_submit(d, "reattach", reattach_run, NULL, NULL);
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

/* The parent of pid (field 4 of /proc/PID/stat), or -1. */
static pid_t parent_of(pid_t pid)
{
	_cleanup_free_ char *path = xasprintf("/proc/%d/stat", (int)pid), *text = NULL;
	int ppid;
	char *p;

	if (file_read_all(path, &text, NULL, NULL) < 0 || !(p = strrchr(text, ')')) || sscanf(p + 2, "%*c %d", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

static void sweep_orphans(void)
{
	const struct suite_ids *ids = &qemud.ctx->ids;
	pid_t supervisor = parent_of(getpid()); /* getppid is not on the allowlist; /proc is read */
	DIR *dir = qemud.stopping ? NULL : opendir("/proc");
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
		 * domain it knows), and a child of the supervisor qemud runs under (sepvirtd, a
		 * subreaper, or init), where the spawner's double fork leaves every QEMU it launched: a
		 * QEMU someone else started with a uid of the range is not ours to stop. */
		if (stat(path, &st) < 0 ||
		    (ids->session ? st.st_uid != getuid() : st.st_uid < ids->vm_uid_first || st.st_uid > ids->vm_uid_last))
			continue;
		if (!qemu_cmdline_uuid(pid, uuid, sizeof(uuid)) || parent_of(pid) != supervisor)
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

static void resweep(struct evwatch *w, void *userdata)
{
	evwatch_remove(w);
	/* A launch this qemud asked for is a domain that runs (or starts) by then, or was stopped
	 * by its start's failure: once the spawner has answered every one, what is left is not. */
	qemud_spawner_when_idle(sweep_orphans);
}

void qemud_domains_stop_orphans(void)
{
	sweep_orphans();
	/* Once more a while later: a QEMU of the previous qemud's spawner that had not exec'd yet,
	 * or whose launcher had not yet exited (it is not the supervisor's child before that), was
	 * not recognised the first time. */
	if (!evloop_timer(qemud.loop, ORPHAN_RESWEEP_MS, 0, resweep, NULL))
		log_warn("cannot look for orphaned QEMUs again: %s", strerror(errno));
}

void qemud_domains_autostart(void)
{
	for (size_t i = 0; i < qemud.store.ndoms; i++) {
		struct domain_obj *d = qemud.store.doms[i];

		if (!d->autostart || domain_obj_active(d))
			continue;
		domain_job_submit(d, "autostart", qemud_job_start, NULL, NULL);
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
