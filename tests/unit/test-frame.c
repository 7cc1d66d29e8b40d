/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Framing and fd passing: what reaches a daemon from a socket. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test-skip.h"
#include <fcntl.h>
#include <sys/socket.h>

#include "frame.h"

static void test_pack_unpack_roundtrip(void **state)
{
	rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
	Sepvirt__PingRequest ping = SEPVIRT__PING_REQUEST__INIT;
	_cleanup_free_ uint8_t *buf = NULL;
	rpc_envelope *back = NULL;
	struct sv_error err;
	size_t len;

	env.program = SEPVIRT__PROGRAM__PROGRAM_QEMU;
	env.procedure = SEPVIRT__PROCEDURE__PROC_DOMAIN_START;
	env.serial = 0x1234567890ull;
	rpc_body_pack(&env, &ping.base);
	assert_int_equal(rpc_frame_pack(&env, &buf, &len, &err), 0);
	rpc_envelope_body_free(&env);
	assert_int_equal(rpc_frame_read_len(buf), len - RPC_FRAME_HEADER);
	assert_int_equal(rpc_frame_unpack(buf + 4, len - 4, &back, &err), 0);
	assert_int_equal(back->program, SEPVIRT__PROGRAM__PROGRAM_QEMU);
	assert_int_equal(back->procedure, SEPVIRT__PROCEDURE__PROC_DOMAIN_START);
	assert_true(back->serial == 0x1234567890ull);
	rpc_envelope_free(back);
}

static void test_zero_length_rejected(void **state)
{
	struct sv_error err;
	assert_int_equal(rpc_frame_check_len(0, &err), -EBADMSG);
	assert_string_equal(err.message, "empty RPC frame");
}

static void test_oversized_rejected_before_allocation(void **state)
{
	struct sv_error err;
	assert_int_equal(rpc_frame_check_len(RPC_FRAME_MAX + 1, &err), -EMSGSIZE);
	assert_non_null(strstr(err.message, "exceeds the maximum"));
	assert_int_equal(rpc_frame_check_len(RPC_FRAME_MAX, &err), 0);
}

static void test_garbage_rejected(void **state)
{
	uint8_t junk[32];
	rpc_envelope *env = NULL;
	struct sv_error err;

	memset(junk, 0xff, sizeof(junk));
	assert_true(rpc_frame_unpack(junk, sizeof(junk), &env, &err) < 0);
	assert_null(env);
	assert_non_null(strstr(err.message, "malformed RPC envelope"));
}

/* A frame cut anywhere (a client that dies mid-write, a corrupted stream): each prefix either
 * decodes to an envelope (protobuf fields end there) or is refused with an error naming its
 * size; never a crash, never a read past the end (the sanitizer build checks that). */
static void test_truncated_envelope_every_length(void **state)
{
	rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
	Sepvirt__Identity who = SEPVIRT__IDENTITY__INIT;
	Sepvirt__Error error = SEPVIRT__ERROR__INIT;
	Sepvirt__DomainDefineRequest def = SEPVIRT__DOMAIN_DEFINE_REQUEST__INIT;
	_cleanup_free_ uint8_t *buf = NULL;
	struct sv_error err;
	size_t len, body_len;
	int refused = 0;

	env.program = SEPVIRT__PROGRAM__PROGRAM_QEMU;
	env.procedure = SEPVIRT__PROCEDURE__PROC_DOMAIN_DEFINE;
	env.serial = 77;
	env.caller = &who;
	env.error = &error;
	error.message = "a message";
	def.xml = "<domain type='qemu'><name>vm</name></domain>";
	rpc_body_pack(&env, &def.base);
	assert_int_equal(rpc_frame_pack(&env, &buf, &len, &err), 0);
	body_len = env.body.len;
	rpc_envelope_body_free(&env);
	for (size_t cut = 0; cut < len - RPC_FRAME_HEADER; cut++) {
		/* A copy of exactly cut bytes: the sanitizer sees any read past it. */
		_cleanup_free_ uint8_t *part = xmalloc(cut ? cut : 1);
		rpc_envelope *back = NULL;

		memcpy(part, buf + RPC_FRAME_HEADER, cut);
		if (rpc_frame_unpack(part, cut, &back, &err) < 0) {
			_cleanup_free_ char *want = xasprintf("malformed RPC envelope (%zu bytes)", cut);
			assert_null(back);
			assert_string_equal(err.message, want);
			refused++;
		} else {
			/* A field is there whole or not at all: never part of the body. */
			assert_true(back->body.len == 0 || back->body.len == body_len);
			rpc_envelope_free(back);
		}
	}
	assert_true(refused > 0);
}

/* A good envelope whose body is not the procedure's message: refused, naming both. */
static void test_body_garbage_names_the_message(void **state)
{
	static const uint8_t junk[] = { 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 'x' };
	rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
	ProtobufCMessage *msg = NULL;
	struct sv_error err;

	env.procedure = SEPVIRT__PROCEDURE__PROC_DOMAIN_DEFINE;
	env.body.data = (uint8_t *)junk;
	env.body.len = sizeof(junk);
	assert_true(rpc_body_unpack(&env, &sepvirt__domain_define_request__descriptor, &msg, &err) < 0);
	assert_null(msg);
	assert_non_null(strstr(err.message, "malformed DomainDefineRequest message for procedure"));
	assert_int_equal(err.code, SV_ERR_RPC);
	/* Truncated inside the string: refused too. */
	env.body.len = 3;
	assert_true(rpc_body_unpack(&env, &sepvirt__domain_define_request__descriptor, &msg, &err) < 0);
}

/* Found by fuzz-frame: protobuf-c decodes a field numbered 0 into the unknown fields and packs
 * it again into bytes it refuses, so proxyd would forward to a driver a frame the driver cannot
 * read. Such an envelope is refused when it arrives, naming the reason. */
static void test_field_number_zero_refused(void **state)
{
	/* status 1000, procedure 104 (a two-byte varint), then tag 0 with the varint 9 */
	static const uint8_t bad[] = { 0x28, 0xe8, 0x07, 0x10, 0xe8, 0x00, 0x80, 0x00, 0x09 };
	static const uint8_t good[] = { 0x28, 0xe8, 0x07, 0x10, 0xe8, 0x00, 0xf8, 0x3f, 0x09 }; /* field 999 */
	rpc_envelope *env = NULL;
	struct sv_error err;
	_cleanup_free_ uint8_t *buf = NULL;
	size_t len;

	assert_true(rpc_frame_unpack(bad, sizeof(bad), &env, &err) < 0);
	assert_null(env);
	assert_string_equal(err.message, "malformed RPC envelope (9 bytes): field number 0");
	/* An unknown field of a newer peer is kept, and what is packed again decodes again. */
	assert_int_equal(rpc_frame_unpack(good, sizeof(good), &env, &err), 0);
	assert_int_equal(env->base.n_unknown_fields, 1);
	assert_int_equal(rpc_frame_pack(env, &buf, &len, &err), 0);
	rpc_envelope_free(env);
	env = NULL;
	assert_int_equal(rpc_frame_unpack(buf + RPC_FRAME_HEADER, len - RPC_FRAME_HEADER, &env, &err), 0);
	assert_int_equal(env->procedure, 104);
	rpc_envelope_free(env);
}

/* A body whose nested message holds field number 0 (a DomainListReply whose DomainSummary has
 * one, as fuzz-frame found): refused, where it used to decode into something that packs again
 * into bytes that do not decode. */
static void test_nested_field_number_zero_refused(void **state)
{
	/* domains { id: 1, tag 0 (as a two-byte varint) varint 5 }, then domains { id: 2 } */
	static const uint8_t bad[] = { 0x0a, 0x05, 0x08, 0x01, 0x80, 0x00, 0x05, 0x0a, 0x02, 0x08, 0x02 };
	static const uint8_t good[] = { 0x0a, 0x02, 0x08, 0x01, 0x0a, 0x02, 0x08, 0x02 };
	rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
	ProtobufCMessage *m = NULL;
	struct sv_error err;

	env.procedure = SEPVIRT__PROCEDURE__PROC_DOMAIN_LIST;
	env.body.data = (uint8_t *)bad;
	env.body.len = sizeof(bad);
	assert_true(rpc_body_unpack(&env, &sepvirt__domain_list_reply__descriptor, &m, &err) < 0);
	assert_null(m);
	assert_string_equal(err.message, "malformed DomainListReply message for procedure 102: field number 0");
	env.body.data = (uint8_t *)good;
	env.body.len = sizeof(good);
	assert_int_equal(rpc_body_unpack(&env, &sepvirt__domain_list_reply__descriptor, &m, &err), 0);
	assert_int_equal(((Sepvirt__DomainListReply *)m)->n_domains, 2);
	protobuf_c_message_free_unpacked(m, NULL);
}

/* Announced lengths at the edges of what is allowed, read from real header bytes. */
static void test_header_lengths(void **state)
{
	static const uint8_t max[4] = { 0x00, 0x40, 0x00, 0x00 }, over[4] = { 0x00, 0x40, 0x00, 0x01 },
			     huge[4] = { 0xff, 0xff, 0xff, 0xff };
	struct sv_error err;

	assert_int_equal(rpc_frame_read_len(max), RPC_FRAME_MAX);
	assert_int_equal(rpc_frame_check_len(rpc_frame_read_len(max), &err), 0);
	assert_int_equal(rpc_frame_check_len(rpc_frame_read_len(over), &err), -EMSGSIZE);
	assert_int_equal(rpc_frame_check_len(rpc_frame_read_len(huge), &err), -EMSGSIZE);
	assert_non_null(strstr(err.message, "4294967295"));
}

static void test_too_many_fds_announced(void **state)
{
	rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
	_cleanup_free_ uint8_t *buf = NULL;
	rpc_envelope *back = NULL;
	struct sv_error err;
	size_t len;

	env.nfds = RPC_MAX_FDS + 1;
	assert_int_equal(rpc_frame_pack(&env, &buf, &len, &err), 0);
	assert_true(rpc_frame_unpack(buf + 4, len - 4, &back, &err) < 0);
	assert_non_null(strstr(err.message, "file descriptors"));
}

/* An fd sent over SCM_RIGHTS is the same open file on the other side: data written into the
 * received pipe end comes out of the original read end. */
static void test_fds_really_arrive(void **state)
{
	int sv[2], pipefd[2], fds[RPC_MAX_FDS];
	size_t nfds = 0;
	uint8_t buf[16];
	char out[8] = { 0 };

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	assert_int_equal(rpc_send_all(sv[0], (const uint8_t *)"frame", 5, &pipefd[1], 1), 0);
	close(pipefd[1]);
	assert_int_equal(rpc_recv_some(sv[1], buf, sizeof(buf), fds, &nfds, RPC_MAX_FDS), 5);
	assert_int_equal(nfds, 1);
	assert_int_equal(fcntl(fds[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(write(fds[0], "hello", 5), 5);
	close(fds[0]);
	assert_int_equal(read(pipefd[0], out, sizeof(out)), 5);
	assert_string_equal(out, "hello");
	close(pipefd[0]);
	close(sv[0]);
	close(sv[1]);
}

/* A header announcing the largest frame, then nothing: the reader holds what arrived. */
static void test_announced_frame_not_allocated(void **state)
{
	uint8_t hdr[RPC_FRAME_HEADER] = { (uint8_t)(RPC_FRAME_MAX >> 24), (uint8_t)(RPC_FRAME_MAX >> 16),
					  (uint8_t)(RPC_FRAME_MAX >> 8), (uint8_t)RPC_FRAME_MAX };
	size_t cap = rpc_frame_buf_size(NULL, 0, 0);

	assert_int_equal(cap, RPC_FRAME_READ_MIN);
	assert_int_equal(rpc_frame_buf_size(hdr, sizeof(hdr), cap), RPC_FRAME_READ_MIN);
}

/* The buffer grows geometrically as bytes arrive: never more than twice what came (past the
 * minimum), never beyond the announced end, and it ends exactly there. */
static void test_buffer_grows_as_bytes_arrive(void **state)
{
	const uint32_t len = 3 * 1024 * 1024 + 17;
	uint8_t hdr[RPC_FRAME_HEADER] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len };
	size_t have = 0, cap = 0, grows = 0;

	while (have < RPC_FRAME_HEADER + len) {
		size_t next = rpc_frame_buf_size(hdr, have, cap);

		assert_true(next >= cap);
		assert_true(next > have);
		assert_true(next <= RPC_FRAME_HEADER + len || next == RPC_FRAME_READ_MIN);
		assert_true(next <= 2 * have || next <= RPC_FRAME_READ_MIN);
		grows += next != cap;
		cap = next;
		have = cap; /* a read fills all the room */
	}
	assert_int_equal(cap, RPC_FRAME_HEADER + len);
	assert_true(grows <= 10); /* 16 KiB doubling to 3 MiB: amortised copies */
	/* Complete: no more room is asked for that frame. */
	assert_int_equal(rpc_frame_buf_size(hdr, have, cap), cap + RPC_FRAME_READ_MIN / 4);
}

/* Small frames read into the minimum buffer without growing it; an oversized announcement is
 * never used as a size (the caller refuses it). */
static void test_small_and_oversized(void **state)
{
	uint8_t small[RPC_FRAME_HEADER] = { 0, 0, 0, 100 };
	uint8_t huge[RPC_FRAME_HEADER] = { 0x7f, 0xff, 0xff, 0xff };

	assert_int_equal(rpc_frame_buf_size(small, 4, RPC_FRAME_READ_MIN), RPC_FRAME_READ_MIN);
	assert_int_equal(rpc_frame_buf_size(small, 50, RPC_FRAME_READ_MIN), RPC_FRAME_READ_MIN);
	assert_int_equal(rpc_frame_buf_size(huge, 4, RPC_FRAME_READ_MIN), RPC_FRAME_READ_MIN);
	assert_true(rpc_frame_buf_size(huge, RPC_FRAME_HEADER + RPC_FRAME_MAX - 1,
				       RPC_FRAME_HEADER + RPC_FRAME_MAX - 1) <= RPC_FRAME_HEADER + RPC_FRAME_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_unpack_roundtrip),
		cmocka_unit_test(test_zero_length_rejected),
		cmocka_unit_test(test_oversized_rejected_before_allocation),
		cmocka_unit_test(test_garbage_rejected),
		cmocka_unit_test(test_truncated_envelope_every_length),
		cmocka_unit_test(test_body_garbage_names_the_message),
		cmocka_unit_test(test_header_lengths),
		cmocka_unit_test(test_field_number_zero_refused),
		cmocka_unit_test(test_nested_field_number_zero_refused),
		cmocka_unit_test(test_too_many_fds_announced),
		cmocka_unit_test(test_fds_really_arrive),
		cmocka_unit_test(test_announced_frame_not_allocated),
		cmocka_unit_test(test_buffer_grows_as_bytes_arrive),
		cmocka_unit_test(test_small_and_oversized),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
