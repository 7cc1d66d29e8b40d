/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Framing: a 4-byte big-endian length, then one serialized Envelope.
 * The length is checked against the maximum before anything is allocated. */
#pragma once

#include <stdint.h>
#include <sys/socket.h>

#include "error.h"
#include "sepvirt.pb-c.h"

#define RPC_FRAME_HEADER 4u
#define RPC_FRAME_MAX (4u * 1024 * 1024)
#define RPC_MAX_FDS 16u
/* The smallest input buffer: a few small frames per read; larger ones grow from it. */
#define RPC_FRAME_READ_MIN (16u * 1024)

typedef Sepvirt__Envelope rpc_envelope;

/* Large frames (stream chunks of 1 MiB) stay on the heap, and the heap is kept, rather than
 * being mmap'd, faulted in and zeroed afresh for every frame (a third of an upload's time). */
void rpc_keep_frames_on_heap(void);

/* Validates the payload length announced in a header. */
int rpc_frame_check_len(uint32_t len, struct sv_error *err);
uint32_t rpc_frame_read_len(const uint8_t hdr[RPC_FRAME_HEADER]);
/* The capacity an input buffer needs before the next read, given the have bytes it holds from
 * the start of the frame being read (complete frames already taken out) and its capacity cap.
 * It grows geometrically with what has arrived, never beyond the end of that frame: a header
 * announcing RPC_FRAME_MAX costs what was actually sent, not what was announced. Returns cap
 * when there is room enough. */
size_t rpc_frame_buf_size(const uint8_t *buf, size_t have, size_t cap);
/* The same for a frame known to end at end bytes from its start (0: not known yet, max bytes). */
size_t rpc_frame_buf_size_to(size_t end, size_t max, size_t have, size_t cap);
/* Serializes env with its header into a new buffer. */
int rpc_frame_pack(const rpc_envelope *env, uint8_t **buf, size_t *len, struct sv_error *err);
/* Parses one envelope payload (without header). */
int rpc_frame_unpack(const uint8_t *payload, size_t len, rpc_envelope **env, struct sv_error *err);
void rpc_envelope_free(rpc_envelope *env);
static inline void rpc_envelope_freep(rpc_envelope **env) { rpc_envelope_free(*env); }
#define _cleanup_envelope_ _cleanup_(rpc_envelope_freep)

/* Packs a procedure message into an envelope's body (allocated; freed by rpc_envelope_body_free). */
void rpc_body_pack(rpc_envelope *env, const ProtobufCMessage *msg);
void rpc_envelope_body_free(rpc_envelope *env);
/* Unpacks an envelope's body as desc; names the procedure in the error. */
int rpc_body_unpack(const rpc_envelope *env, const ProtobufCMessageDescriptor *desc,
		    ProtobufCMessage **msg, struct sv_error *err);
void rpc_message_freep(void *p);
#define _cleanup_message_ _cleanup_(rpc_message_freep)

/* Error envelope fields from/to a struct sv_error. */
void rpc_envelope_set_error(rpc_envelope *env, Sepvirt__Error *holder, const struct sv_error *err);
void rpc_envelope_get_error(const rpc_envelope *env, struct sv_error *err);

/* Room for one SCM_RIGHTS control message of up to RPC_MAX_FDS fds. */
union rpc_cmsg_buf {
	char buf[CMSG_SPACE(sizeof(int) * RPC_MAX_FDS)];
	struct cmsghdr align;
};
/* Attaches fds (nfds <= RPC_MAX_FDS) to mh as one SCM_RIGHTS message kept in ctl. */
void rpc_attach_fds(struct msghdr *mh, union rpc_cmsg_buf *ctl, const int *fds, size_t nfds);

/* Sends all of buf with fds attached to the first byte. Blocking fds only. */
int rpc_send_all(int sock, const uint8_t *buf, size_t len, const int *fds, size_t nfds);
/* One recvmsg: reads up to len bytes, appends received fds (O_CLOEXEC) to fds/nfds (max RPC_MAX_FDS*4). */
ssize_t rpc_recv_some(int sock, uint8_t *buf, size_t len, int *fds, size_t *nfds, size_t max_fds);
ssize_t rpc_recv_some_flags(int sock, uint8_t *buf, size_t len, int *fds, size_t *nfds, size_t max_fds, int flags);
void rpc_close_fds(int *fds, size_t nfds);
