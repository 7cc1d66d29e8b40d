/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A small epoll event loop: fd watches, one-shot/periodic timers (timerfd), signals (signalfd),
 * and deferred frees so an object may be released from inside its own callback. */
#pragma once

#include <stdint.h>
#include <sys/epoll.h>

#include "util.h"

struct evloop;
struct evwatch;

typedef void (*evwatch_fn)(struct evwatch *w, int fd, uint32_t events, void *userdata);
typedef void (*evtimer_fn)(struct evwatch *w, void *userdata);
typedef void (*evsignal_fn)(int signo, void *userdata);
typedef void (*evfree_fn)(void *ptr);

struct evloop *evloop_new(void);
void evloop_free(struct evloop *loop);
/* Runs until evloop_quit(). Returns 0, or -errno when epoll_wait fails. */
int evloop_run(struct evloop *loop);
void evloop_quit(struct evloop *loop);

struct evwatch *evloop_watch_fd(struct evloop *loop, int fd, uint32_t events, evwatch_fn fn, void *userdata);
int evwatch_set_events(struct evwatch *w, uint32_t events);
/* Stops watching; the watch is freed at the end of the loop iteration. The fd is not closed. */
void evwatch_remove(struct evwatch *w);

/* A timer firing after ms (and every interval_ms when not 0). */
struct evwatch *evloop_timer(struct evloop *loop, uint64_t ms, uint64_t interval_ms, evtimer_fn fn, void *userdata);
int evtimer_rearm(struct evwatch *w, uint64_t ms, uint64_t interval_ms);

/* Blocks signo and delivers it through the loop. */
int evloop_signal(struct evloop *loop, int signo, evsignal_fn fn, void *userdata);

/* fn(ptr) runs after the current iteration's callbacks. */
void evloop_defer_free(struct evloop *loop, evfree_fn fn, void *ptr);
