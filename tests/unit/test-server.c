/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A real rpc_server in a child process, fed good and bad frames over a real socket:
 * bad frames are refused, the server keeps serving everyone, fds come back with replies. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test-skip.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "client.h"
#include "daemon.h"
#include "server.h"

static char sock_path[108];
static char tmpdir[64];
static pid_t server_pid;

/* Test handler: replies with the read end of a pipe holding "fd!". */
static int handle_give_fd(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply,
			  struct sv_error *err)
{
	Sepvirt__NetOpenTapReply rep = SEPVIRT__NET_OPEN_TAP_REPLY__INIT;
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, errno, "pipe");
	(void)!write(p[1], "fd!", 3);
	close(p[1]);
	rep.ifname = "test0";
	rpc_reply_pack(reply, &rep.base);
	return rpc_reply_add_fd(reply, p[0]);
}

/* Deferred replies: NODE_GET_INFO answers 300 ms later from a timer, NET_LIST_TAPS fails 100 ms
 * later, NET_CREATE_VETH never answers (kept until the server ends). */
static struct evloop *test_loop;
static struct rpc_pending *kept[64];
static size_t nkept;

static void answer_later(struct evwatch *w, void *userdata)
{
	struct rpc_pending *p = userdata;
	Sepvirt__NodeInfoReply rep = SEPVIRT__NODE_INFO_REPLY__INIT;
	struct rpc_reply reply = { .env = SEPVIRT__ENVELOPE__INIT };

	evwatch_remove(w);
	rep.model = (char *)"later";
	rpc_reply_pack(&reply, &rep.base);
	rpc_pending_reply(p, &reply);
}

static void fail_later(struct evwatch *w, void *userdata)
{
	struct sv_error err;

	evwatch_remove(w);
	sv_error_set(&err, SV_FROM_NET, SV_ERR_OPERATION_FAILED, ETIMEDOUT, "failed later, from the loop");
	rpc_pending_fail(userdata, &err);
}

static int handle_later(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply,
			struct sv_error *err)
{
	struct rpc_pending *p = rpc_request_defer(req);
	bool fail = req->env->procedure == SEPVIRT__PROCEDURE__PROC_NET_LIST_TAPS;

	evloop_timer(test_loop, fail ? 100 : 300, 0, fail ? fail_later : answer_later, p);
	return 0;
}

static int handle_never(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply,
			struct sv_error *err)
{
	if (nkept == ARRAY_SIZE(kept))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INTERNAL, EMFILE, "too many kept");
	kept[nkept++] = rpc_request_defer(req);
	return 0;
}

static const struct rpc_proc procs[] = {
	{ SEPVIRT__PROCEDURE__PROC_PING, &sepvirt__ping_request__descriptor, daemon_handle_ping, ROLE_ANY },
	{ SEPVIRT__PROCEDURE__PROC_NET_OPEN_TAP, &sepvirt__net_open_tap_request__descriptor, handle_give_fd, ROLE_ANY },
	{ SEPVIRT__PROCEDURE__PROC_NET_RELEASE_TAPS, &sepvirt__net_release_taps_request__descriptor, handle_give_fd,
	  ROLE_ANY },
	{ SEPVIRT__PROCEDURE__PROC_NODE_GET_INFO, &sepvirt__node_info_request__descriptor, handle_later, ROLE_ANY },
	{ SEPVIRT__PROCEDURE__PROC_NET_LIST_TAPS, &sepvirt__net_list_taps_request__descriptor, handle_later, ROLE_ANY },
	{ SEPVIRT__PROCEDURE__PROC_NET_CREATE_VETH, &sepvirt__net_create_veth_request__descriptor, handle_never,
	  ROLE_ANY },
};

static void on_term(int signo, void *ud) { evloop_quit(ud); }

static void run_server(int ready_fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct rpc_server_config cfg = {
		.daemon = "test-server",
		.program = SEPVIRT__PROGRAM__PROGRAM_NET,
		.error_domain = SV_FROM_NET,
		.procs = procs,
		.nprocs = ARRAY_SIZE(procs),
	};
	struct evloop *loop = evloop_new();
	int fd;

	test_loop = loop;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	strcpy(sa.sun_path, sock_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0)
		_exit(1);
	struct rpc_server *s = rpc_server_new(loop, fd, &cfg);
	evloop_signal(loop, SIGTERM, on_term, loop);
	(void)!write(ready_fd, "r", 1);
	evloop_run(loop);
	rpc_server_free(s);
	/* Kept calls outlive the server: their owner frees them (the answer goes nowhere). */
	for (size_t i = 0; i < nkept; i++)
		rpc_pending_fail(kept[i], &(struct sv_error){ .message = "server gone" });
	evloop_free(loop);
	_exit(0);
}

static int setup(void **state)
{
	int p[2];
	char c;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sv-test-server.XXXXXX");
	if (!mkdtemp(tmpdir) || pipe(p) < 0)
		return -1;
	snprintf(sock_path, sizeof(sock_path), "%s/s.sock", tmpdir);
	server_pid = fork();
	if (server_pid == 0) {
		close(p[0]);
		run_server(p[1]);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		return -1;
	close(p[0]);
	return 0;
}

static int teardown(void **state)
{
	int status;
	kill(server_pid, SIGTERM);
	waitpid(server_pid, &status, 0);
	unlink(sock_path);
	rmdir(tmpdir);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int raw_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	strcpy(sa.sun_path, sock_path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Reads one frame with a timeout. Returns 1 with *env, 0 on EOF, -1 on timeout. */
static int read_one(int fd, rpc_envelope **env)
{
	uint8_t buf[4096];
	size_t got = 0;
	struct sv_error err;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (got >= 4 && got >= 4 + rpc_frame_read_len(buf))
			return rpc_frame_unpack(buf + 4, rpc_frame_read_len(buf), env, &err) == 0 ? 1 : -1;
		if (poll(&p, 1, 3000) <= 0)
			return -1;
		ssize_t n = read(fd, buf + got, sizeof(buf) - got);
		if (n <= 0)
			return 0;
		got += n;
	}
}

static void assert_ping_works(void)
{
	_cleanup_rpc_client_ struct rpc_client *c = NULL;
	struct sv_error err;
	Sepvirt__PingReply *rep = NULL;

	assert_int_equal(rpc_client_connect(sock_path, &c, &err), 0);
	assert_int_equal(rpc_client_call(c, SEPVIRT__PROGRAM__PROGRAM_NET, SEPVIRT__PROCEDURE__PROC_PING, NULL,
					 NULL, 0, &sepvirt__ping_reply__descriptor, (ProtobufCMessage **)&rep, NULL,
					 NULL, &err), 0);
	assert_int_equal(rep->pid, server_pid);
	assert_int_equal(rep->caller->pid, getpid());
	protobuf_c_message_free_unpacked(&rep->base, NULL);
}

static void test_ping(void **state) { assert_ping_works(); }

static void test_oversized_frame_closes_only_that_connection(void **state)
{
	int fd = raw_connect();
	uint8_t hdr[4] = { 0x7f, 0xff, 0xff, 0xff };
	rpc_envelope *env = NULL;

	assert_int_equal(write(fd, hdr, 4), 4);
	assert_int_equal(read_one(fd, &env), 1);
	assert_non_null(strstr(env->error->message, "exceeds the maximum"));
	rpc_envelope_free(env);
	assert_int_equal(read_one(fd, &env), 0); /* then closed */
	close(fd);
	assert_ping_works();
}

static void test_garbage_frame_is_answered_and_connection_goes_on(void **state)
{
	int fd = raw_connect();
	uint8_t junk[4 + 8] = { 0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	rpc_envelope ping = SEPVIRT__ENVELOPE__INIT;
	_cleanup_free_ uint8_t *buf = NULL;
	rpc_envelope *env = NULL;
	struct sv_error err;
	size_t len;

	assert_int_equal(write(fd, junk, sizeof(junk)), sizeof(junk));
	assert_int_equal(read_one(fd, &env), 1);
	assert_non_null(strstr(env->error->message, "malformed RPC envelope"));
	rpc_envelope_free(env);
	/* The same connection still works. */
	ping.program = SEPVIRT__PROGRAM__PROGRAM_NET;
	ping.procedure = SEPVIRT__PROCEDURE__PROC_PING;
	ping.serial = 42;
	assert_int_equal(rpc_frame_pack(&ping, &buf, &len, &err), 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	assert_int_equal(read_one(fd, &env), 1);
	assert_int_equal(env->status, SEPVIRT__STATUS__STATUS_OK);
	assert_int_equal(env->serial, 42);
	rpc_envelope_free(env);
	close(fd);
}

static void test_zero_length_frame(void **state)
{
	int fd = raw_connect();
	uint8_t hdr[4] = { 0 };
	rpc_envelope *env = NULL;

	assert_int_equal(write(fd, hdr, 4), 4);
	assert_int_equal(read_one(fd, &env), 1);
	assert_string_equal(env->error->message, "empty RPC frame");
	rpc_envelope_free(env);
	assert_int_equal(read_one(fd, &env), 0);
	close(fd);
	assert_ping_works();
}

static void test_truncated_frame_then_hangup(void **state)
{
	int fd = raw_connect();
	uint8_t part[4 + 3] = { 0, 0, 1, 0, 1, 2, 3 };

	assert_int_equal(write(fd, part, sizeof(part)), sizeof(part));
	close(fd);
	assert_ping_works();
}

static void test_unknown_procedure_not_supported(void **state)
{
	_cleanup_rpc_client_ struct rpc_client *c = NULL;
	struct sv_error err;

	assert_int_equal(rpc_client_connect(sock_path, &c, &err), 0);
	assert_true(rpc_client_call(c, SEPVIRT__PROGRAM__PROGRAM_NET, SEPVIRT__PROCEDURE__PROC_DOMAIN_START, NULL,
				    NULL, 0, NULL, NULL, NULL, NULL, &err) < 0);
	assert_int_equal(err.code, SV_ERR_NOT_SUPPORTED);
	assert_string_equal(err.message, "procedure DOMAIN_START (104) is not supported by test-server");
	assert_true(rpc_client_call(c, SEPVIRT__PROGRAM__PROGRAM_NET, 9999, NULL, NULL, 0, NULL, NULL, NULL, NULL,
				    &err) < 0);
	assert_int_equal(err.code, SV_ERR_NOT_SUPPORTED);
	assert_true(rpc_client_call(c, SEPVIRT__PROGRAM__PROGRAM_QEMU, SEPVIRT__PROCEDURE__PROC_PING, NULL, NULL, 0,
				    NULL, NULL, NULL, NULL, &err) < 0);
	assert_non_null(strstr(err.message, "serves program 'net', not 'qemu'"));
}

/* A frame carrying a proxy-stamped identity: the driver applies the procedure flags again. */
static void call_as_client(bool read_only, uint32_t proc, rpc_envelope **out)
{
	int fd = raw_connect();
	rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
	Sepvirt__Identity id = SEPVIRT__IDENTITY__INIT;
	_cleanup_free_ uint8_t *buf = NULL;
	struct sv_error err;
	size_t len;

	id.uid = 1000;
	id.read_only = read_only;
	env.program = SEPVIRT__PROGRAM__PROGRAM_NET;
	env.procedure = proc;
	env.serial = 5;
	env.caller = &id;
	assert_int_equal(rpc_frame_pack(&env, &buf, &len, &err), 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	assert_int_equal(read_one(fd, out), 1);
	close(fd);
}

static void test_driver_only_procedure_refused_for_clients(void **state)
{
	rpc_envelope *env = NULL;

	call_as_client(false, SEPVIRT__PROCEDURE__PROC_NET_OPEN_TAP, &env);
	assert_int_equal(env->status, SEPVIRT__STATUS__STATUS_ERROR);
	assert_int_equal(env->error->code, SV_ERR_PERMISSION);
	assert_string_equal(env->error->message,
			    "procedure NET_OPEN_TAP may only be called by the driver daemons, not by clients");
	rpc_envelope_free(env);
	call_as_client(true, SEPVIRT__PROCEDURE__PROC_PING, &env);
	assert_int_equal(env->status, SEPVIRT__STATUS__STATUS_OK);
	rpc_envelope_free(env);
}

static void assert_fd_reply_arrives(int spin_us)
{
	_cleanup_rpc_client_ struct rpc_client *c = NULL;
	Sepvirt__NetOpenTapRequest req = SEPVIRT__NET_OPEN_TAP_REQUEST__INIT;
	Sepvirt__NetOpenTapReply *rep = NULL;
	struct sv_error err;
	int fds[RPC_MAX_FDS];
	size_t nfds = 0;
	char buf[8] = { 0 };

	assert_int_equal(rpc_client_connect(sock_path, &c, &err), 0);
	rpc_client_set_spin(c, spin_us);
	assert_int_equal(rpc_client_call(c, SEPVIRT__PROGRAM__PROGRAM_NET, SEPVIRT__PROCEDURE__PROC_NET_OPEN_TAP,
					 &req.base, NULL, 0, &sepvirt__net_open_tap_reply__descriptor,
					 (ProtobufCMessage **)&rep, fds, &nfds, &err), 0);
	assert_string_equal(rep->ifname, "test0");
	assert_int_equal(nfds, 1);
	assert_int_equal(read(fds[0], buf, sizeof(buf)), 3);
	assert_string_equal(buf, "fd!");
	close(fds[0]);
	protobuf_c_message_free_unpacked(&rep->base, NULL);
}

static void test_reply_fd_arrives(void **state) { assert_fd_reply_arrives(0); }
/* A polling client reads fds with the reply too (its non-blocking recvmsg path). */
static void test_reply_fd_arrives_polling(void **state) { assert_fd_reply_arrives(100); }

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A reply later than the spin window still arrives: the client falls back to sleeping. */
static void test_polling_client_waits_past_its_window(void **state)
{
	_cleanup_rpc_client_ struct rpc_client *c = NULL;
	struct sv_error err;

	assert_int_equal(rpc_client_connect(sock_path, &c, &err), 0);
	rpc_client_set_spin(c, 100);
	assert_int_equal(rpc_client_call(c, SEPVIRT__PROGRAM__PROGRAM_NET, SEPVIRT__PROCEDURE__PROC_PING, NULL,
					 NULL, 0, NULL, NULL, NULL, NULL, &err), 0);
	assert_int_equal(kill(server_pid, SIGSTOP), 0);
	pid_t waker = fork();
	if (waker == 0) {
		usleep(50000);
		kill(server_pid, SIGCONT);
		_exit(0);
	}
	int64_t t0 = mono_ms();
	assert_int_equal(rpc_client_call(c, SEPVIRT__PROGRAM__PROGRAM_NET, SEPVIRT__PROCEDURE__PROC_PING, NULL,
					 NULL, 0, NULL, NULL, NULL, NULL, &err), 0);
	assert_true(mono_ms() - t0 >= 40);
	assert_int_equal(waitpid(waker, NULL, 0), waker);
}

static void test_missing_fds_close_connection(void **state)
{
	int fd = raw_connect();
	rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
	_cleanup_free_ uint8_t *buf = NULL;
	rpc_envelope *back = NULL;
	struct sv_error err;
	size_t len;
	int one = STDIN_FILENO;

	env.program = SEPVIRT__PROGRAM__PROGRAM_NET;
	env.procedure = SEPVIRT__PROCEDURE__PROC_PING;
	env.serial = 9;
	env.nfds = 2;
	assert_int_equal(rpc_frame_pack(&env, &buf, &len, &err), 0);
	assert_int_equal(rpc_send_all(fd, buf, len, &one, 1), 0);
	assert_int_equal(read_one(fd, &back), 1);
	assert_non_null(strstr(back->error->message, "announces 2 file descriptors but 1 arrived"));
	rpc_envelope_free(back);
	assert_int_equal(read_one(fd, &back), 0);
	close(fd);
	assert_ping_works();
}

static void call_async(struct rpc_client *c, uint32_t proc, uint64_t *serial)
{
	Sepvirt__NodeInfoRequest a = SEPVIRT__NODE_INFO_REQUEST__INIT;
	Sepvirt__NetListTapsRequest b = SEPVIRT__NET_LIST_TAPS_REQUEST__INIT;
	Sepvirt__NetCreateVethRequest v = SEPVIRT__NET_CREATE_VETH_REQUEST__INIT;
	const ProtobufCMessage *m = proc == SEPVIRT__PROCEDURE__PROC_NODE_GET_INFO ? &a.base
				    : proc == SEPVIRT__PROCEDURE__PROC_NET_LIST_TAPS ? &b.base : &v.base;
	struct sv_error err;

	assert_int_equal(rpc_client_send(c, SEPVIRT__PROGRAM__PROGRAM_NET, proc, m, NULL, 0, serial, &err), 0);
}

/* A kept call does not hold up the loop: another connection's ping answers at once, and the
 * kept reply (and a kept failure) arrive later, from the loop. */
static void test_deferred_reply(void **state)
{
	_cleanup_rpc_client_ struct rpc_client *c = NULL, *d = NULL;
	_cleanup_message_ Sepvirt__NodeInfoReply *rep = NULL;
	uint64_t s1, s2;
	struct sv_error err;
	int64_t t0 = mono_ms();

	assert_int_equal(rpc_client_connect(sock_path, &c, &err), 0);
	assert_int_equal(rpc_client_connect(sock_path, &d, &err), 0);
	call_async(c, SEPVIRT__PROCEDURE__PROC_NODE_GET_INFO, &s1);
	call_async(d, SEPVIRT__PROCEDURE__PROC_NET_LIST_TAPS, &s2);
	assert_ping_works();
	assert_true(mono_ms() - t0 < 250);
	/* The failure (100 ms) first, on its own connection, with its message unchanged. */
	assert_true(rpc_client_recv(d, s2, NULL, NULL, NULL, NULL, &err) < 0);
	assert_string_equal(err.message, "failed later, from the loop");
	assert_int_equal(err.code, SV_ERR_OPERATION_FAILED);
	assert_int_equal(rpc_client_recv(c, s1, &sepvirt__node_info_reply__descriptor, (ProtobufCMessage **)&rep,
					 NULL, NULL, &err), 0);
	assert_string_equal(rep->model, "later");
	assert_true(mono_ms() - t0 >= 290);
}

/* The caller hangs up before the answer: the server drops it and goes on serving. */
static void test_deferred_reply_to_closed_connection(void **state)
{
	struct rpc_client *c = NULL;
	uint64_t s1;
	struct sv_error err;

	assert_int_equal(rpc_client_connect(sock_path, &c, &err), 0);
	call_async(c, SEPVIRT__PROCEDURE__PROC_NODE_GET_INFO, &s1);
	call_async(c, SEPVIRT__PROCEDURE__PROC_NET_LIST_TAPS, &s1);
	assert_ping_works(); /* both are kept now */
	rpc_client_free(c);
	usleep(400000); /* both answers went into the void */
	assert_ping_works();
}

/* A server that accepts the call and never answers: the client gives up at its deadline with
 * an error that says so, never hangs. */
static void test_client_deadline(void **state)
{
	_cleanup_rpc_client_ struct rpc_client *c = NULL;
	Sepvirt__NetCreateVethRequest v = SEPVIRT__NET_CREATE_VETH_REQUEST__INIT;
	struct sv_error err;
	int64_t t0, took;

	assert_int_equal(rpc_client_connect(sock_path, &c, &err), 0);
	rpc_client_set_timeout(c, 300);
	t0 = mono_ms();
	assert_true(rpc_client_call(c, SEPVIRT__PROGRAM__PROGRAM_NET, SEPVIRT__PROCEDURE__PROC_NET_CREATE_VETH, &v.base,
				    NULL, 0, NULL, NULL, NULL, NULL, &err) < 0);
	took = mono_ms() - t0;
	assert_true(took >= 290 && took < 5000);
	assert_non_null(strstr(err.message, "no reply from"));
	assert_non_null(strstr(err.message, "within 300 ms"));
	assert_ping_works();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ping),
		cmocka_unit_test(test_oversized_frame_closes_only_that_connection),
		cmocka_unit_test(test_garbage_frame_is_answered_and_connection_goes_on),
		cmocka_unit_test(test_zero_length_frame),
		cmocka_unit_test(test_truncated_frame_then_hangup),
		cmocka_unit_test(test_unknown_procedure_not_supported),
		cmocka_unit_test(test_driver_only_procedure_refused_for_clients),
		cmocka_unit_test(test_reply_fd_arrives),
		cmocka_unit_test(test_reply_fd_arrives_polling),
		cmocka_unit_test(test_polling_client_waits_past_its_window),
		cmocka_unit_test(test_missing_fds_close_connection),
		cmocka_unit_test(test_deferred_reply),
		cmocka_unit_test(test_deferred_reply_to_closed_connection),
		cmocka_unit_test(test_client_deadline),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
