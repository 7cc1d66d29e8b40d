/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rpc_conn's output queue: a peer that does not read is dropped past its bound, alone or with
 * the other connections that share a budget, and the queue is settled at close. Its input can
 * be paused: nothing is handed on until it is resumed, and a peer that hangs up meanwhile is
 * closed. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test-skip.h"
#include <sys/socket.h>

#include "conn.h"

static int closes;

static void on_frame(struct rpc_conn *c, rpc_envelope *env, int *fds, size_t nfds, void *userdata)
{
	rpc_close_fds(fds, nfds);
	rpc_envelope_free(env);
}

static void on_close(struct rpc_conn *c, void *userdata) { closes++; }

static const struct rpc_conn_ops ops = { .on_frame = on_frame, .on_close = on_close };

/* A connection whose peer (returned in *peer) never reads. */
static struct rpc_conn *conn_to_sleeper(struct evloop *loop, int *peer)
{
	int sv[2], small = 4096;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	/* a small socket buffer: what is sent stays in the queue under test */
	assert_int_equal(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	*peer = sv[1];
	return rpc_conn_new(loop, sv[0], &ops, NULL);
}

/* Queues 4 KiB events until the connection refuses; returns how many went. */
static size_t send_until_dropped(struct rpc_conn *c, size_t max_frames)
{
	static uint8_t body[4096];
	rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
	size_t n = 0;

	env.status = SEPVIRT__STATUS__STATUS_EVENT;
	env.body.data = body;
	env.body.len = sizeof(body);
	while (n < max_frames && rpc_conn_send(c, &env, NULL, 0) == 0)
		n++;
	return n;
}

/* ---- pausing input (raw messages: a 4-byte length that counts itself, then the rest) ---- */

static size_t raws;
static bool pause_in_handler;

static void on_raw(struct rpc_conn *c, const uint8_t *msg, size_t len, void *userdata)
{
	raws++;
	if (pause_in_handler)
		rpc_conn_pause_input(c, true);
}

static const struct rpc_conn_ops raw_ops = { .on_close = on_close, .on_raw = on_raw, .raw_min = 8, .raw_max = 64 };

static void quit_loop(struct evwatch *w, void *userdata) { evloop_quit(userdata); }

/* Runs the loop for ms. */
static void spin(struct evloop *loop, uint64_t ms)
{
	struct evwatch *t = evloop_timer(loop, ms, 0, quit_loop, loop);

	evloop_run(loop);
	evwatch_remove(t);
}

static void send_messages(int fd, int n)
{
	static const uint8_t msg[8] = { 0, 0, 0, 8, 'd', 'a', 't', 'a' };
	for (int i = 0; i < n; i++)
		assert_int_equal(write(fd, msg, sizeof(msg)), (ssize_t)sizeof(msg));
}

/* A raw connection on sv[0]; the test writes on sv[1]. */
static struct rpc_conn *raw_pair(struct evloop *loop, int sv[2])
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	raws = 0;
	closes = 0;
	pause_in_handler = false;
	return rpc_conn_new(loop, sv[0], &raw_ops, NULL);
}

static void test_paused_input_waits(void **state)
{
	struct evloop *loop = evloop_new();
	int sv[2];
	struct rpc_conn *c = raw_pair(loop, sv);

	rpc_conn_pause_input(c, true);
	send_messages(sv[1], 3);
	spin(loop, 30);
	assert_int_equal(raws, 0);
	rpc_conn_pause_input(c, false);
	spin(loop, 30);
	assert_int_equal(raws, 3);
	/* paused from the handler: the messages already read wait, and come at the resume */
	pause_in_handler = true;
	send_messages(sv[1], 3);
	spin(loop, 30);
	assert_int_equal(raws, 4);
	pause_in_handler = false;
	rpc_conn_pause_input(c, false);
	assert_int_equal(raws, 6);
	assert_false(rpc_conn_is_closed(c));
	rpc_conn_close(c);
	evloop_free(loop);
	close(sv[1]);
}

static void test_paused_peer_hangs_up(void **state)
{
	struct evloop *loop = evloop_new();
	int sv[2];
	struct rpc_conn *c = raw_pair(loop, sv);

	rpc_conn_pause_input(c, true);
	send_messages(sv[1], 1);
	close(sv[1]);
	spin(loop, 30);
	assert_int_equal(raws, 0);
	assert_int_equal(closes, 1); /* closed (and freed by the loop) */
	evloop_free(loop);
}

static void test_slow_reader_dropped(void **state)
{
	struct evloop *loop = evloop_new();
	int peer;
	struct rpc_conn *c = conn_to_sleeper(loop, &peer);
	size_t sent;

	closes = 0;
	rpc_conn_set_out_limit(c, 256 * 1024, NULL);
	sent = send_until_dropped(c, 100000);
	assert_true(sent < 100000);
	assert_true(rpc_conn_is_closed(c));
	assert_int_equal(rpc_conn_close_reason(c), -ENOBUFS);
	/* What the kernel took plus the bound: not one frame more. */
	assert_true(rpc_conn_queued(c) > 256 * 1024 && rpc_conn_queued(c) <= 256 * 1024 + 4096 + 512);
	assert_int_equal(rpc_conn_send(c, &(rpc_envelope)SEPVIRT__ENVELOPE__INIT, NULL, 0), -EPIPE);
	/* closed from the loop, not inside the send that found it broken (the loop frees it) */
	assert_int_equal(closes, 0);
	spin(loop, 10);
	assert_int_equal(closes, 1);
	evloop_free(loop);
	close(peer);
}

static void test_reader_not_dropped(void **state)
{
	struct evloop *loop = evloop_new();
	int peer;
	struct rpc_conn *c = conn_to_sleeper(loop, &peer);

	closes = 0;
	rpc_conn_set_out_limit(c, 1024 * 1024, NULL);
	assert_int_equal(send_until_dropped(c, 20), 20);
	assert_false(rpc_conn_is_closed(c));
	rpc_conn_close(c);
	assert_int_equal(rpc_conn_close_reason(c), 0);
	evloop_free(loop);
	close(peer);
}

/* Two connections of one budget: the one that pushes it over is dropped, and what it queued
 * leaves the budget with it; closing the other empties it. */
static void test_shared_budget(void **state)
{
	struct evloop *loop = evloop_new();
	struct rpc_out_budget budget = { .max = 512 * 1024 };
	int pa, pb;
	struct rpc_conn *a = conn_to_sleeper(loop, &pa), *b = conn_to_sleeper(loop, &pb);
	size_t sent;

	closes = 0;
	rpc_conn_set_out_limit(a, 8u << 20, &budget);
	rpc_conn_set_out_limit(b, 8u << 20, &budget);
	sent = send_until_dropped(a, 100000);
	assert_true(rpc_conn_is_closed(a));
	assert_int_equal(rpc_conn_close_reason(a), -ENOBUFS);
	assert_true(sent < 100000);
	assert_int_equal(budget.queued, 0); /* at once, before the loop closes it */
	spin(loop, 10);
	assert_int_equal(closes, 1);
	/* b alone has the whole budget again */
	assert_int_equal(send_until_dropped(b, 20), 20);
	assert_false(rpc_conn_is_closed(b));
	assert_true(budget.queued > 0);
	rpc_conn_close(b);
	assert_int_equal(budget.queued, 0);
	assert_int_equal(closes, 2);
	evloop_free(loop);
	close(pa);
	close(pb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slow_reader_dropped),
		cmocka_unit_test(test_reader_not_dropped),
		cmocka_unit_test(test_shared_budget),
		cmocka_unit_test(test_paused_input_waits),
		cmocka_unit_test(test_paused_peer_hangs_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
