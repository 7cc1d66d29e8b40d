/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* save, restore, managedsave. QEMU writes its state as a migration to an fd: for save, the
 * file the client opened with its own rights (qemud never opens a user's path; the fd came
 * through proxyd with the call); for managedsave, a file of qemud's own directory. qemud
 * writes its header (the domain's XML) first, QEMU's stream follows at the same offset.
 * restore reads the header back (untrusted: save-image.c checks it) and starts QEMU with
 * -incoming on the same fd. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "atomic-file.h"
#include "domain-state.h"
#include "handlers.h"
#include "lifecycle.h"
#include "log.h"
#include "qmp.h"
#include "run.h"
#include "save-image.h"

#define SAVE_POLL_MS 50
#define SAVE_DEADLINE_MS (10 * 60 * 1000)
#define SAVE_FD_NAME "sepvirt-save"

enum save_step { SAVE_STOP, SAVE_PARAMS, SAVE_GETFD, SAVE_MIGRATE, SAVE_POLL };

struct qemud_save {
	int fd;              /* where QEMU's stream goes */
	unsigned flags;      /* QEMUD_SAVE_RUNNING, QEMUD_SAVE_PAUSED */
	bool managed;        /* qemud's own file: written as tmp_path, renamed to path at the end */
	char *path, *tmp_path;
	bool was_running;    /* stopped by the save: continued again when it fails */
	enum save_step step;
	struct evwatch *poll_timer;
};

static void save_free(void *p)
{
	struct qemud_save *s = p;

	if (s->fd >= 0)
		close(s->fd);
	if (s->tmp_path)
		unlink(s->tmp_path); /* left only by a save that did not complete */
	if (s->poll_timer)
		evwatch_remove(s->poll_timer);
	free(s->path);
	free(s->tmp_path);
	free(s);
}

/* The job's domain while its QEMU runs with a monitor, else the job ends saying why. */
static struct domain_obj *save_domain(struct domain_job *j)
{
	struct domain_obj *d = domain_job_domain(j);
	struct sv_error err;

	if (d && domain_obj_active(d) && d->priv && qemud_run_of(d)->qmp && !qemud_run_of(d)->destroying)
		return d;
	domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EINVAL,
				       d ? "Requested operation is not valid: domain '%s' is not running"
					 : "Domain not found: domain '%s' went away",
				       j->name), &err);
	return NULL;
}

static void save_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err);

static int save_send(struct domain_job *j, struct domain_obj *d, enum save_step step, const char *cmd,
		     struct json_object *args, int fd, struct sv_error *err)
{
	struct qemud_save *s = j->state;
	struct qemud_qmp *m = qemud_run_of(d)->qmp;
	int r;

	s->step = step;
	if (fd >= 0) {
		/* the monitor takes the fd it sends: a copy goes, the job keeps its own */
		int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (copy < 0)
			r = sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot copy the fd for '%s'", cmd);
		else
			r = qemud_qmp_send_fd(m, cmd, args, copy, 0, save_answered, domain_job_ref(j), err);
	} else {
		r = qemud_qmp_send(m, cmd, args, 0, save_answered, domain_job_ref(j), err);
	}
	if (args)
		json_object_put(args);
	return r;
}

/* The save failed: the guest runs on as before (continued if the save stopped it). */
static void save_fail(struct domain_job *j, struct domain_obj *d, int r, const struct sv_error *err)
{
	struct qemud_save *s = j->state;
	struct sv_error e;

	if (d && s->was_running && s->step > SAVE_STOP && qemud_qmp_send(qemud_run_of(d)->qmp, "cont", NULL, 0, NULL,
									  NULL, &e) >= 0)
		domain_obj_set_state(&qemud.store, d, DOMAIN_RUNNING, RUNNING_UNPAUSED);
	domain_job_done(j, r, err);
}

/* QEMU wrote everything: the file is made durable, then QEMU is stopped; the job ends when it
 * is gone ("shut off (saved)"). */
static void save_complete(struct domain_job *j, struct domain_obj *d)
{
	struct qemud_save *s = j->state;
	struct sv_error err;
	int r = 0;

	if (fsync(s->fd) < 0 && errno != EINVAL) /* EINVAL: a pipe or the like, nothing to sync */
		r = sv_error_set_errno(&err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "domain '%s': cannot sync the save image",
				       j->name);
	if (r >= 0 && s->managed) {
		if (rename(s->tmp_path, s->path) < 0)
			r = sv_error_set_errno(&err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot rename '%s' to '%s'",
					       s->tmp_path, s->path);
		else
			r = atomic_file_sync_dir(qemud.save_dir, &err);
		if (r >= 0) {
			free(s->tmp_path);
			s->tmp_path = NULL;
		}
	}
	if (r < 0)
		return save_fail(j, d, r, &err);
	log_info("domain '%s' saved%s", j->name, s->managed ? " (managed)" : "");
	qemud_run_of(d)->saved = true;
	qemud_stop_qemu(j, d);
}

static void save_poll_again(struct evwatch *w, void *opaque)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d;
	struct sv_error err;
	int r;

	evwatch_remove(w);
	if (!j)
		return;
	((struct qemud_save *)j->state)->poll_timer = NULL;
	if (!(d = save_domain(j)))
		return;
	if ((r = save_send(j, d, SAVE_POLL, "query-migrate", NULL, -1, &err)) < 0)
		save_fail(j, d, r, &err);
}

static void save_polled(struct domain_job *j, struct domain_obj *d, struct json_object *ret)
{
	struct qemud_save *s = j->state;
	const char *status = qemud_qmp_str(ret, "status");
	struct sv_error err;

	if (status && streq(status, "completed"))
		return save_complete(j, d);
	if (!status || streq(status, "failed") || streq(status, "cancelled")) {
		const char *why = qemud_qmp_str(ret, "error-desc");
		return save_fail(j, d, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EIO,
						    "domain '%s': QEMU could not save its state: %s", j->name,
						    why ? why : status ? status : "no migration status"), &err);
	}
	if (domain_job_now_ms() - j->started_ms > SAVE_DEADLINE_MS) {
		qemud_qmp_send(qemud_run_of(d)->qmp, "migrate_cancel", NULL, 0, NULL, NULL, &err);
		return save_fail(j, d, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ETIMEDOUT,
						    "domain '%s': saving its state took longer than %d s", j->name,
						    SAVE_DEADLINE_MS / 1000), &err);
	}
	s->poll_timer = evloop_timer(qemud.loop, SAVE_POLL_MS, 0, save_poll_again, domain_job_ref(j));
}

/* Each step's answer: stop, unlimited bandwidth, the fd, migrate, then its progress. */
static void save_answered(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct domain_job *j = domain_job_find(opaque);
	struct domain_obj *d = j ? save_domain(j) : NULL;
	struct qemud_save *s;
	struct json_object *args;
	struct sv_error e;

	if (!d)
		return;
	s = j->state;
	if (r < 0)
		return save_fail(j, d, r, err);
	switch (s->step) {
	case SAVE_STOP:
		domain_obj_set_state(&qemud.store, d, DOMAIN_PAUSED, PAUSED_SAVE);
		if (qemud_run_save_status(d, &e) < 0)
			log_warn("domain '%s': cannot save its status: %s", j->name, e.message);
		/* The guest is stopped: nothing gains from QEMU's default throttle of the stream. */
		args = json_object_new_object();
		json_object_object_add(args, "max-bandwidth", json_object_new_int64(INT64_C(1) << 40));
		r = save_send(j, d, SAVE_PARAMS, "migrate-set-parameters", args, -1, &e);
		break;
	case SAVE_PARAMS:
		args = json_object_new_object();
		json_object_object_add(args, "fdname", json_object_new_string(SAVE_FD_NAME));
		r = save_send(j, d, SAVE_GETFD, "getfd", args, s->fd, &e);
		break;
	case SAVE_GETFD:
		args = json_object_new_object();
		json_object_object_add(args, "uri", json_object_new_string("fd:" SAVE_FD_NAME));
		r = save_send(j, d, SAVE_MIGRATE, "migrate", args, -1, &e);
		break;
	case SAVE_MIGRATE:
		r = save_send(j, d, SAVE_POLL, "query-migrate", NULL, -1, &e);
		break;
	case SAVE_POLL:
		return save_polled(j, d, ret);
	}
	if (r < 0)
		save_fail(j, d, r, &e);
}

void qemud_job_save(struct domain_job *j)
{
	struct domain_obj *d = save_domain(j);
	struct qemud_save *s;
	struct sv_error err;
	bool running;
	int r;

	if (!d)
		return; /* j is gone */
	s = j->state;
	if (s->managed) {
		s->fd = open(s->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (s->fd < 0)
			return domain_job_done(j, sv_error_set_errno(&err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno,
								    "cannot create '%s'", s->tmp_path), &err);
	}
	s->was_running = d->state == DOMAIN_RUNNING;
	running = s->flags & QEMUD_SAVE_PAUSED ? false : s->flags & QEMUD_SAVE_RUNNING ? true : s->was_running;
	if ((r = qemud_save_image_write(s->fd, d->live, running, &err)) < 0)
		return domain_job_done(j, r, &err);
	if (s->was_running)
		r = save_send(j, d, SAVE_STOP, "stop", NULL, -1, &err);
	else
		return save_answered(domain_job_ref(j), 0, NULL, NULL);
	if (r < 0)
		domain_job_done(j, r, &err);
}

static int check_flags(unsigned flags, struct sv_error *err)
{
	if (flags & ~(QEMUD_SAVE_RUNNING | QEMUD_SAVE_PAUSED))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL, "unsupported flags 0x%x",
				    flags & ~(QEMUD_SAVE_RUNNING | QEMUD_SAVE_PAUSED));
	if ((flags & QEMUD_SAVE_RUNNING) && (flags & QEMUD_SAVE_PAUSED))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL,
				    "running and paused are mutually exclusive");
	return 0;
}

/* The one fd a call brought, taken from it; the call is refused without it. */
static int take_call_fd(struct rpc_request *req, int accmode, const char *what, struct sv_error *err)
{
	int fd, fl;

	if (req->nfds != 1 || req->fds[0] < 0)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EBADF,
				    "%s needs the state file's descriptor with the call (a remote connection cannot pass one)",
				    what);
	fl = fcntl(req->fds[0], F_GETFL);
	if (fl < 0 || ((fl & O_ACCMODE) != accmode && (fl & O_ACCMODE) != O_RDWR))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EBADF, "%s: the state file is not open for %s",
				    what, accmode == O_RDONLY ? "reading" : "writing");
	fd = req->fds[0];
	req->fds[0] = -1;
	return fd;
}

static int submit_save(struct rpc_request *req, const char *ref, unsigned flags, int fd, bool managed,
		       struct sv_error *err)
{
	struct domain_obj *d = domain_store_lookup(&qemud.store, ref, err);
	struct qemud_save *s;
	struct domain_job *j;
	int r;

	if (!d || (r = check_flags(flags, err)) < 0) {
		if (fd >= 0)
			close(fd);
		return d ? r : -ENOENT;
	}
	if (managed && !d->def) {
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: cannot do managed save for transient domain");
	}
	s = xcalloc(1, sizeof(*s));
	s->fd = fd;
	s->flags = flags;
	s->managed = managed;
	if (managed) {
		s->path = qemud_managed_save_path(domain_obj_name(d));
		s->tmp_path = xasprintf("%s.tmp", s->path);
	}
	domain_job_submit(d, managed ? "managedsave" : "save", qemud_job_save, req, &j);
	j->state = s;
	j->state_free = save_free;
	return 0;
}

QEMUD_HANDLER(qemud_handle_save)
{
	const Sepvirt__DomainSaveRequest *in = (const Sepvirt__DomainSaveRequest *)msg;
	int fd = take_call_fd(req, O_WRONLY, "save", err);

	return fd < 0 ? fd : submit_save(req, in->domain, in->flags, fd, false, err);
}

QEMUD_HANDLER(qemud_handle_managed_save)
{
	const Sepvirt__DomainSaveRequest *in = (const Sepvirt__DomainSaveRequest *)msg;

	return submit_save(req, in->domain, in->flags, -1, true, err);
}

QEMUD_HANDLER(qemud_handle_restore)
{
	const Sepvirt__DomainRestoreRequest *in = (const Sepvirt__DomainRestoreRequest *)msg;
	const char *what = in->path && in->path[0] ? in->path : "the state file";
	struct qemud_restore *from;
	struct domain_obj *d, *by_name;
	struct domain_job *j;
	char uuid[SV_UUID_STRING_LEN];
	bool running, create = false;
	int r, fd;

	if ((r = check_flags(in->flags, err)) < 0)
		return r;
	if ((fd = take_call_fd(req, O_RDONLY, "restore", err)) < 0)
		return fd;
	from = xcalloc(1, sizeof(*from));
	from->fd = fd;
	r = qemud_save_image_read(fd, what, &from->def, &running, err);
	if (r >= 0)
		r = qemud_check_runnable(from->def, err);
	if (r < 0) {
		qemud_restore_free(from);
		return r;
	}
	sv_uuid_format(from->def->uuid, uuid);
	d = domain_store_find_uuid(&qemud.store, uuid);
	by_name = domain_store_find_name(&qemud.store, from->def->name);
	if (by_name && by_name != d)
		r = sv_error_set(err, SV_FROM_QEMU, SV_ERR_EXISTS, EEXIST,
				 "operation failed: domain '%s' already exists with uuid %s", from->def->name, by_name->uuid);
	else if (d && !streq(domain_obj_name(d), from->def->name))
		r = sv_error_set(err, SV_FROM_QEMU, SV_ERR_EXISTS, EEXIST,
				 "operation failed: domain '%s' is already defined with uuid %s", domain_obj_name(d), uuid);
	else if (d && domain_obj_active(d))
		r = sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EBUSY,
				 "Requested operation is not valid: domain '%s' is already active", domain_obj_name(d));
	if (r < 0) {
		qemud_restore_free(from);
		return r;
	}
	if (!d) {
		/* Not defined here: restored as a transient domain, gone when it stops. */
		struct domain_def *copy;
		if ((r = domain_def_copy(from->def, &copy, err)) < 0) {
			qemud_restore_free(from);
			return r;
		}
		d = domain_store_add(&qemud.store, copy);
		create = true;
	}
	from->paused = in->flags & QEMUD_SAVE_PAUSED ? true : in->flags & QEMUD_SAVE_RUNNING ? false : !running;
	domain_job_submit(d, "restore", qemud_job_restore, req, &j);
	j->state = from;
	j->state_free = qemud_restore_free;
	j->create = create;
	j->reply_summary = true;
	return 0;
}

QEMUD_HANDLER(qemud_handle_managed_save_remove)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);
	_cleanup_free_ char *path = NULL;

	if (!d)
		return -ENOENT;
	path = qemud_managed_save_path(domain_obj_name(d));
	return atomic_file_remove(path, err) < 0 ? -EIO : 0;
}

QEMUD_HANDLER(qemud_handle_has_managed_save)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	Sepvirt__DomainManagedSaveReply out = SEPVIRT__DOMAIN_MANAGED_SAVE_REPLY__INIT;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);

	if (!d)
		return -ENOENT;
	out.present = qemud_has_managed_save(domain_obj_name(d));
	rpc_reply_pack(reply, &out.base);
	return 0;
}
