/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "spawner-wire.h"
#include "util.h"

int qemud_spawner_send(int sock, const ProtobufCMessage *msg, const int *fds, size_t nfds)
{
	size_t len = protobuf_c_message_get_packed_size(msg);
	_cleanup_free_ uint8_t *buf = xmalloc(len + RPC_FRAME_HEADER);

	buf[0] = (uint8_t)(len >> 24);
	buf[1] = (uint8_t)(len >> 16);
	buf[2] = (uint8_t)(len >> 8);
	buf[3] = (uint8_t)len;
	protobuf_c_message_pack(msg, buf + RPC_FRAME_HEADER);
	return rpc_send_all(sock, buf, len + RPC_FRAME_HEADER, fds, nfds);
}

static int recv_exact(int sock, uint8_t *buf, size_t len, int *fds, size_t *nfds)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = rpc_recv_some(sock, buf + off, len - off, fds, nfds, RPC_MAX_FDS);
		if (n < 0)
			return (int)n;
		if (n == 0)
			return -EPIPE;
		off += (size_t)n;
	}
	return 0;
}

int qemud_spawner_recv(int sock, const ProtobufCMessageDescriptor *desc, ProtobufCMessage **msg, int *fds,
		       size_t *nfds)
{
	uint8_t hdr[RPC_FRAME_HEADER];
	_cleanup_free_ uint8_t *buf = NULL;
	uint32_t len;
	int r;

	*nfds = 0;
	r = recv_exact(sock, hdr, sizeof(hdr), fds, nfds);
	if (r < 0)
		return r;
	len = rpc_frame_read_len(hdr);
	if (rpc_frame_check_len(len, NULL) < 0)
		return -EMSGSIZE;
	buf = xmalloc(len ? len : 1);
	r = recv_exact(sock, buf, len, fds, nfds);
	if (r < 0)
		return r;
	*msg = protobuf_c_message_unpack(desc, NULL, len, buf);
	return *msg ? 0 : -EBADMSG;
}

void qemud_spawner_answer(int sock, int r, pid_t pid, const char *msg, int out_fd)
{
	Sepvirt__SpawnReply rep = SEPVIRT__SPAWN_REPLY__INIT;

	rep.pid = r < 0 ? -1 : pid;
	rep.error = r < 0 ? -r : 0;
	rep.message = (char *)(msg ? msg : "");
	r = qemud_spawner_send(sock, &rep.base, &out_fd, out_fd >= 0 ? 1 : 0);
	if (out_fd >= 0)
		close(out_fd);
	if (r < 0)
		_exit(0);
}
