/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libsepvirt: save, restore and managed save. The state file is opened here, with the caller's
 * own rights, and its fd travels with the call (qemud never opens a user's path). */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>

#include "libsepvirt-priv.h"

#define PROC(x) SEPVIRT__PROCEDURE__PROC_##x

static int remote_refused(sepvirt_conn *conn, const char *what)
{
	if (conn->ssh_pid > 0) /* the helper copies bytes; an fd cannot cross ssh */
		return client_error(SV_ERR_NOT_SUPPORTED,
				    "%s cannot pass the state file over a remote (ssh) connection: run it on the host", what);
	return 0;
}

int sepvirt_domain_save(sepvirt_conn *conn, const char *dom, const char *path, unsigned int flags)
{
	Sepvirt__DomainSaveRequest req = SEPVIRT__DOMAIN_SAVE_REQUEST__INIT;
	struct sv_error err;
	int fd, r;

	client_clear_error();
	if (!conn || !dom || !path)
		return client_error(SV_ERR_INVALID_ARG, "no connection, domain or file given");
	if (remote_refused(conn, "save") < 0)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return client_error(SV_ERR_SYSTEM, "Failed to create file '%s': %s", path, strerror(errno));
	req.domain = (char *)dom;
	req.flags = flags;
	r = rpc_client_call(conn->rpc, conn->program, PROC(DOMAIN_SAVE), &req.base, &fd, 1, NULL, NULL, NULL, NULL,
			    &err);
	close(fd);
	if (r < 0) {
		unlink(path); /* as libvirt: no half-written image is left */
		return client_set_error(&err);
	}
	return 0;
}

int sepvirt_domain_restore(sepvirt_conn *conn, const char *path, unsigned int flags, sepvirt_domain *out)
{
	Sepvirt__DomainRestoreRequest req = SEPVIRT__DOMAIN_RESTORE_REQUEST__INIT;
	_cleanup_message_ Sepvirt__DomainSummary *rep = NULL;
	struct sv_error err;
	int fd, r;

	client_clear_error();
	if (!conn || !path)
		return client_error(SV_ERR_INVALID_ARG, "no connection or file given");
	if (remote_refused(conn, "restore") < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return client_error(SV_ERR_SYSTEM, "Failed to open file '%s': %s", path, strerror(errno));
	req.flags = flags;
	req.path = (char *)path;
	r = rpc_client_call(conn->rpc, conn->program, PROC(DOMAIN_RESTORE), &req.base, &fd, 1,
			    &sepvirt__domain_summary__descriptor, (ProtobufCMessage **)&rep, NULL, NULL, &err);
	close(fd);
	if (r < 0)
		return client_set_error(&err);
	if (out) {
		memset(out, 0, sizeof(*out));
		out->id = rep->id;
		COPY_FIELD(out->name, rep->name);
		COPY_FIELD(out->uuid, rep->uuid);
		out->state = rep->state;
		out->reason = rep->reason;
		out->persistent = rep->persistent;
	}
	return 0;
}

int sepvirt_domain_managed_save(sepvirt_conn *conn, const char *dom, unsigned int flags)
{
	Sepvirt__DomainSaveRequest req = SEPVIRT__DOMAIN_SAVE_REQUEST__INIT;

	client_clear_error();
	if (!dom)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	req.flags = flags;
	return client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_MANAGED_SAVE), &req.base, NULL, NULL);
}

int sepvirt_domain_managed_save_remove(sepvirt_conn *conn, const char *dom)
{
	Sepvirt__DomainRef req = SEPVIRT__DOMAIN_REF__INIT;

	client_clear_error();
	if (!dom)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	return client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_MANAGED_SAVE_REMOVE), &req.base, NULL, NULL);
}

int sepvirt_domain_has_managed_save(sepvirt_conn *conn, const char *dom)
{
	Sepvirt__DomainRef req = SEPVIRT__DOMAIN_REF__INIT;
	_cleanup_message_ Sepvirt__DomainManagedSaveReply *rep = NULL;

	client_clear_error();
	if (!dom)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	if (client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_HAS_MANAGED_SAVE), &req.base,
			&sepvirt__domain_managed_save_reply__descriptor, (ProtobufCMessage **)&rep) < 0)
		return -1;
	return rep->present ? 1 : 0;
}
