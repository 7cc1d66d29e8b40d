/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemud's side of the spawner: one request, one reply, over the socketpair. */
#include "config.h"

#include <signal.h>

#include "spawner-priv.h"
#include "spawner-wire.h"

static int spawner_sock = -1;
static pid_t spawner_pid = -1;

int qemud_spawner_start(const struct suite_ids *ids, const struct sv_paths *paths, struct sv_error *err)
{
	return qemud_spawner_fork(ids, paths, &spawner_sock, &spawner_pid, err);
}

void qemud_spawner_stop(void)
{
	if (spawner_sock >= 0)
		close(spawner_sock); /* the spawner reads EOF and exits */
	spawner_sock = -1;
	spawner_pid = -1; /* not reaped: qemud has no wait4; sepvirtd reaps it after qemud exits */
}

/* Sends req with fds; the reply's error becomes err; an fd that came back goes to *out_fd. */
static int call(Sepvirt__SpawnRequest *req, const int *fds, size_t nfds, int *out_fd, struct sv_error *err,
		pid_t *pid)
{
	_cleanup_message_ Sepvirt__SpawnReply *rep = NULL;
	int rfds[RPC_MAX_FDS];
	size_t nrfds = 0;
	int r;

	if (spawner_sock < 0)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EPIPE, "the spawner is not running");
	r = qemud_spawner_send(spawner_sock, &req->base, fds, nfds);
	if (r >= 0)
		r = qemud_spawner_recv(spawner_sock, &sepvirt__spawn_reply__descriptor, (ProtobufCMessage **)&rep, rfds,
				       &nrfds);
	if (r >= 0 && out_fd && nrfds == 1 && !rep->error) {
		*out_fd = rfds[0];
		nrfds = 0;
	}
	rpc_close_fds(rfds, nrfds);
	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_INTERNAL, -r, "the spawner did not answer");
	if (rep->error)
		return sv_error_set(err, SV_FROM_QEMU, rep->error == EPERM ? SV_ERR_PERMISSION : SV_ERR_OPERATION_FAILED,
				    rep->error, "%s", rep->message);
	if (pid)
		*pid = rep->pid;
	return 0;
}

static int request(const struct command *cmd, uid_t uid, bool wait, pid_t *pid, struct sv_error *err)
{
	Sepvirt__SpawnRequest req = SEPVIRT__SPAWN_REQUEST__INIT;
	int fds[RPC_MAX_FDS];
	size_t nslots, nfds = 0, nfiles = 0, n;
	const int *slots = command_fds(cmd, &nslots);
	char *const *argv = command_argv(cmd), *const *env = command_env(cmd);
	_cleanup_free_ Sepvirt__SpawnFile *files = xcalloc(nslots + 1, sizeof(*files));
	_cleanup_free_ Sepvirt__SpawnFile **filev = xcalloc(nslots + 1, sizeof(*filev));

	/* The paths are opened by the spawner into their slots; the rest travel as fds. */
	for (size_t i = 0; i < nslots; i++) {
		bool ro;
		const char *path = command_path(cmd, i, &ro);
		if (path) {
			sepvirt__spawn_file__init(&files[nfiles]);
			files[nfiles].path = (char *)path;
			files[nfiles].read_only = ro;
			files[nfiles].index = (uint32_t)i;
			filev[nfiles] = &files[nfiles];
			nfiles++;
		} else if (nfds + 1 >= RPC_MAX_FDS) {
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, EMFILE,
					    "too many file descriptors for one QEMU (at most %u)", RPC_MAX_FDS - 1);
		} else {
			fds[nfds++] = slots[i];
		}
	}
	for (n = 0; argv[n]; n++)
		;
	req.n_argv = n;
	req.argv = (char **)argv;
	for (n = 0; env[n]; n++)
		;
	req.n_env = n;
	req.env = (char **)env;
	req.nfds = (uint32_t)nfds;
	req.n_files = nfiles;
	req.files = filev;
	req.wait = wait;
	req.uid = uid;
	if (command_output_fd(cmd) >= 0) {
		req.has_output = true;
		fds[nfds++] = command_output_fd(cmd);
	}
	return call(&req, fds, nfds, NULL, err, pid);
}

int qemud_spawner_launch(const struct command *cmd, uid_t uid, pid_t *pid, struct sv_error *err)
{
	return request(cmd, uid, false, pid, err);
}

int qemud_spawner_run(const struct command *cmd, uid_t uid, struct sv_error *err)
{
	pid_t unused;
	return request(cmd, uid, true, &unused, err);
}

int qemud_spawner_signal(int pidfd, uid_t uid, int sig, struct sv_error *err)
{
	Sepvirt__SpawnRequest req = SEPVIRT__SPAWN_REQUEST__INIT;

	req.action = SEPVIRT__SPAWN_ACTION__SPAWN_SIGNAL;
	req.uid = uid;
	req.signal = sig;
	return call(&req, &pidfd, 1, NULL, err, NULL);
}

int qemud_spawner_open_pty(const char *path, uid_t uid, int *fd, struct sv_error *err)
{
	Sepvirt__SpawnRequest req = SEPVIRT__SPAWN_REQUEST__INIT;

	*fd = -1;
	req.action = SEPVIRT__SPAWN_ACTION__SPAWN_OPEN_PTY;
	req.uid = uid;
	req.pty = (char *)path;
	return call(&req, NULL, 0, fd, err, NULL);
}
