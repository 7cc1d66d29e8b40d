/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for what a daemon reads from a socket: a stream of frames (4-byte big-endian
 * length, then an Envelope), each length checked before anything is allocated, each envelope
 * decoded, and its body decoded as the message the envelope's procedure selects among every
 * message of sepvirt.proto (messages.h, generated from sepvirt.pb-c.h). A decoded message must
 * pack again to something that decodes. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "frame.h"
#include "util.h"

static const ProtobufCMessageDescriptor *const messages[] = {
#include "tests/fuzz/messages.h"
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void repack(const ProtobufCMessage *m)
{
	size_t n = protobuf_c_message_get_packed_size(m);
	uint8_t *buf = xmalloc(n ? n : 1);
	ProtobufCMessage *back;

	if (protobuf_c_message_pack(m, buf) != n)
		abort();
	back = protobuf_c_message_unpack(m->descriptor, NULL, n, buf);
	if (!back) {
		fprintf(stderr, "a decoded %s does not decode once packed again\n", m->descriptor->name);
		abort();
	}
	protobuf_c_message_free_unpacked(back, NULL);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;

	/* The buffer sizing a connection uses while the stream arrives. */
	for (size_t have = 0; have <= size && have < 64; have++)
		(void)rpc_frame_buf_size(data, have, RPC_FRAME_READ_MIN);
	while (size - off >= RPC_FRAME_HEADER) {
		uint32_t len = rpc_frame_read_len(data + off);
		rpc_envelope *env = NULL;
		struct sv_error err = { 0 };

		if (rpc_frame_check_len(len, &err) < 0) {
			if (!err.message[0])
				abort();
			return 0; /* the connection is closed */
		}
		off += RPC_FRAME_HEADER;
		if (size - off < len)
			return 0; /* waits for the rest */
		if (rpc_frame_unpack(data + off, len, &env, &err) == 0) {
			const ProtobufCMessageDescriptor *d = messages[(unsigned)env->procedure % ARRAY_SIZE(messages)];
			ProtobufCMessage *msg = NULL;
			struct sv_error e2 = { 0 };

			repack(&env->base);
			if (rpc_body_unpack(env, d, &msg, &e2) == 0) {
				repack(msg);
				protobuf_c_message_free_unpacked(msg, NULL);
			} else if (!e2.message[0]) {
				abort();
			}
			rpc_envelope_get_error(env, &e2);
			rpc_envelope_free(env);
		} else if (!err.message[0]) {
			abort();
		}
		off += len;
	}
	return 0;
}
