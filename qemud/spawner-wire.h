/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The spawner's socketpair: a 4-byte big-endian length, the message, fds with the first byte. */
#pragma once

#include <sys/types.h>

#include "frame.h"
#include "sepvirt.pb-c.h"

int qemud_spawner_send(int sock, const ProtobufCMessage *msg, const int *fds, size_t nfds);
/* *nfds: how many fds came with the message (at most RPC_MAX_FDS). -EPIPE at EOF. */
int qemud_spawner_recv(int sock, const ProtobufCMessageDescriptor *desc, ProtobufCMessage **msg, int *fds,
		       size_t *nfds);
/* The spawner's answer to one request: r < 0 is the error (msg says why), else pid and out_fd
 * (a pidfd, -1 for none; closed here). A daemon that went away ends the spawner. */
void qemud_spawner_answer(int sock, int r, pid_t pid, const char *msg, int out_fd);
