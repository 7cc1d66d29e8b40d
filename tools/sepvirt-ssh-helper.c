/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-ssh-helper: the remote end of a qemu+ssh:// connection. ssh runs it as the
 * connecting user; it connects to this host's proxyd socket and copies bytes both ways
 * between its stdin/stdout and that socket. proxyd then sees the ssh user's uid through
 * SO_PEERCRED, so the remote client gets exactly the access that user has locally.
 *   sepvirt-ssh-helper [--system|--session] [--readonly] */
#include "config.h"

#include <poll.h>
#include <stdio.h>

#include "client.h"
#include "paths.h"

/* Copies what is readable on in to out; false at EOF or error. */
static bool pump(int in, int out)
{
	char buf[65536];
	ssize_t n = read(in, buf, sizeof(buf));

	if (n <= 0)
		return false;
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(out, buf + off, n - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		off += w;
	}
	return true;
}

int main(int argc, char **argv)
{
	bool session = geteuid() != 0, ro = false;
	struct rpc_client *c = NULL;
	struct sv_paths paths;
	struct sv_error err;

	for (int i = 1; i < argc; i++) {
		if (streq(argv[i], "--system"))
			session = false;
		else if (streq(argv[i], "--session"))
			session = true;
		else if (streq(argv[i], "--readonly"))
			ro = true;
		else {
			fprintf(stderr, "sepvirt-ssh-helper: unknown argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (paths_init_mode(&paths, session, &err) < 0) {
		fprintf(stderr, "sepvirt-ssh-helper: %s\n", err.message);
		return 1;
	}
	_cleanup_free_ char *path = paths_socket(&paths, ro ? "proxyd-ro" : "proxyd");
	paths_free(&paths);
	if (rpc_client_connect(path, &c, &err) < 0) {
		/* Tell the client in its own protocol, so its error names the real cause. */
		rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
		Sepvirt__Error holder;
		_cleanup_free_ uint8_t *buf = NULL;
		size_t len;
		rpc_envelope_set_error(&env, &holder, &err);
		if (rpc_frame_pack(&env, &buf, &len, NULL) == 0)
			(void)!write(STDOUT_FILENO, buf, len);
		fprintf(stderr, "sepvirt-ssh-helper: %s\n", err.message);
		return 1;
	}
	int sock = rpc_client_fd(c);
	struct pollfd p[2] = { { .fd = STDIN_FILENO, .events = POLLIN }, { .fd = sock, .events = POLLIN } };
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents && !pump(STDIN_FILENO, sock))
			break;
		if (p[1].revents && !pump(sock, STDOUT_FILENO))
			break;
	}
	rpc_client_free(c);
	return 0;
}
