/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* storaged-probe: what sepvirsh never sends, for the storaged integration tests.
 *   storaged-probe open SOCKET PROGRAM POOL VOLUME [ro]
 *     PROC_VOL_OPEN the way qemud calls it. SOCKET is storaged's own socket (a driver's call)
 *     or proxyd's (a client's: must be refused). POOL "" names the volume by path. Prints
 *     "layer N PATH FORMAT ro|rw fd-mode=ro|rw first=<first 8 bytes as text>" per layer.
 *   storaged-probe upload SOCKET POOL VOLUME TOTAL SEND final|hang|abort
 *     announces TOTAL bytes, sends SEND bytes of 'A' in 1 MiB chunks, then ends with final
 *     (the last chunk says final), hangs (prints "hanging" and sleeps) or aborts. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>

#include "client.h"

static int cmd_open(int argc, char **argv)
{
	Sepvirt__VolOpenRequest req = SEPVIRT__VOL_OPEN_REQUEST__INIT;
	_cleanup_message_ Sepvirt__VolOpenReply *rep = NULL;
	_cleanup_rpc_client_ struct rpc_client *c = NULL;
	int fds[RPC_MAX_FDS];
	size_t nfds = 0;
	struct sv_error err;

	req.pool = argv[3];
	req.volume = argv[4];
	req.read_only = argc > 5 && !strcmp(argv[5], "ro");
	if (rpc_client_connect(argv[1], &c, &err) < 0 ||
	    rpc_client_call(c, (uint32_t)atoi(argv[2]), SEPVIRT__PROCEDURE__PROC_VOL_OPEN, &req.base, NULL, 0,
			    &sepvirt__vol_open_reply__descriptor, (ProtobufCMessage **)&rep, fds, &nfds, &err) < 0) {
		printf("error: %s\n", err.message);
		return 1;
	}
	if (nfds != rep->n_layers) {
		printf("error: %zu fds for %zu layers\n", nfds, rep->n_layers);
		return 1;
	}
	for (size_t i = 0; i < nfds; i++) {
		int acc = fcntl(fds[i], F_GETFL) & O_ACCMODE;
		char first[9] = "";
		ssize_t n = pread(fds[i], first, 8, 0);
		for (ssize_t k = 0; k < n; k++)
			if (first[k] < 0x21 || first[k] > 0x7e)
				first[k] = '.';
		printf("layer %zu %s %s %s fd-mode=%s first=%s\n", i, rep->layers[i]->path, rep->layers[i]->format,
		       rep->layers[i]->read_only ? "ro" : "rw", acc == O_RDONLY ? "ro" : "rw", first);
		close(fds[i]);
	}
	return 0;
}

static int upload_call(struct rpc_client *c, Sepvirt__VolUploadRequest *req, char *token, size_t toklen)
{
	_cleanup_message_ Sepvirt__VolUploadReply *rep = NULL;
	struct sv_error err;

	if (rpc_client_call(c, SEPVIRT__PROGRAM__PROGRAM_STORAGE, SEPVIRT__PROCEDURE__PROC_VOL_UPLOAD, &req->base,
			    NULL, 0, &sepvirt__vol_upload_reply__descriptor, (ProtobufCMessage **)&rep, NULL, NULL,
			    &err) < 0) {
		printf("error: %s\n", err.message);
		return -1;
	}
	if (rep->token && rep->token[0])
		snprintf(token, toklen, "%s", rep->token);
	return 0;
}

static int cmd_upload(int argc, char **argv)
{
	Sepvirt__VolUploadRequest req = SEPVIRT__VOL_UPLOAD_REQUEST__INIT;
	_cleanup_rpc_client_ struct rpc_client *c = NULL;
	unsigned long long total = strtoull(argv[4], NULL, 10), send = strtoull(argv[5], NULL, 10), sent = 0;
	const char *mode = argv[6];
	_cleanup_free_ uint8_t *buf = xmalloc(1 << 20);
	char token[64] = "";
	struct sv_error err;

	memset(buf, 'A', 1 << 20);
	if (rpc_client_connect(argv[1], &c, &err) < 0) {
		printf("error: %s\n", err.message);
		return 1;
	}
	req.pool = argv[2];
	req.volume = argv[3];
	req.total = total;
	req.token = token;
	do {
		size_t n = send - sent < (1u << 20) ? (size_t)(send - sent) : (1u << 20);
		req.offset = sent;
		req.data.data = buf;
		req.data.len = n;
		req.final = sent + n == send && !strcmp(mode, "final");
		if (upload_call(c, &req, token, sizeof(token)) < 0)
			return 1;
		sent += n;
	} while (sent < send);
	if (!strcmp(mode, "hang")) {
		printf("hanging\n");
		fflush(stdout);
		pause();
	} else if (!strcmp(mode, "abort")) {
		req.abort = true;
		req.data.len = 0;
		if (upload_call(c, &req, token, sizeof(token)) < 0)
			return 1;
	}
	printf("ok %llu\n", sent);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 6 && !strcmp(argv[1], "open"))
		return cmd_open(argc - 1, argv + 1);
	if (argc == 8 && !strcmp(argv[1], "upload"))
		return cmd_upload(argc - 1, argv + 1);
	fprintf(stderr, "usage: %s open SOCKET PROGRAM POOL VOLUME [ro]\n"
			"       %s upload SOCKET POOL VOLUME TOTAL SEND final|hang|abort\n", argv[0], argv[0]);
	return 2;
}
