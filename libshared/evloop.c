/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include "evloop.h"

#define MAX_EVENTS 64
#define MAX_SIGNALS 8

enum watch_kind { WATCH_FD, WATCH_TIMER, WATCH_SIGNAL };

struct evwatch {
	struct evloop *loop;
	enum watch_kind kind;
	int fd;
	bool removed;
	evwatch_fn fn;
	evtimer_fn timer_fn;
	void *userdata;
	struct evwatch *next_dead;
	struct evwatch *prev_all, *next_all; /* every watch of the loop, freed with it */
};

struct deferred {
	evfree_fn fn;
	void *ptr;
	struct deferred *next;
};

struct sigentry {
	int signo;
	evsignal_fn fn;
	void *userdata;
};

struct evloop {
	int epfd;
	struct evwatch *all;
	bool quit;
	struct evwatch *dead;
	struct deferred *deferred;
	int sigfd;
	sigset_t sigmask;
	struct evwatch *sigwatch;
	struct sigentry sigs[MAX_SIGNALS];
	size_t nsigs;
};

struct evloop *evloop_new(void)
{
	struct evloop *loop = xcalloc(1, sizeof(*loop));

	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		free(loop);
		return NULL;
	}
	loop->sigfd = -1;
	sigemptyset(&loop->sigmask);
	return loop;
}

static void unlink_all(struct evwatch *w)
{
	if (w->prev_all)
		w->prev_all->next_all = w->next_all;
	else
		w->loop->all = w->next_all;
	if (w->next_all)
		w->next_all->prev_all = w->prev_all;
}

static void run_deferred(struct evloop *loop)
{
	while (loop->dead) {
		struct evwatch *w = loop->dead;
		loop->dead = w->next_dead;
		unlink_all(w);
		if (w->kind == WATCH_TIMER)
			close(w->fd);
		free(w);
	}
	while (loop->deferred) {
		struct deferred *d = loop->deferred;
		loop->deferred = d->next;
		d->fn(d->ptr);
		free(d);
	}
}

void evloop_free(struct evloop *loop)
{
	if (!loop)
		return;
	if (loop->sigwatch)
		evwatch_remove(loop->sigwatch);
	run_deferred(loop);
	/* Watches their owners never removed (a periodic timer kept for the daemon's life). */
	while (loop->all) {
		evwatch_remove(loop->all);
		run_deferred(loop);
	}
	if (loop->sigfd >= 0)
		close(loop->sigfd);
	close(loop->epfd);
	free(loop);
}

int evloop_run(struct evloop *loop)
{
	struct epoll_event ev[MAX_EVENTS];

	loop->quit = false;
	while (!loop->quit) {
		int n = epoll_wait(loop->epfd, ev, MAX_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n; i++) {
			struct evwatch *w = ev[i].data.ptr;
			if (w->removed)
				continue;
			if (w->kind == WATCH_TIMER) {
				uint64_t expirations;
				if (read(w->fd, &expirations, sizeof(expirations)) != sizeof(expirations))
					continue;
				w->timer_fn(w, w->userdata);
			} else {
				w->fn(w, w->fd, ev[i].events, w->userdata);
			}
		}
		run_deferred(loop);
	}
	return 0;
}

void evloop_quit(struct evloop *loop) { loop->quit = true; }

static struct evwatch *add_watch(struct evloop *loop, enum watch_kind kind, int fd, uint32_t events, void *userdata)
{
	struct evwatch *w = xcalloc(1, sizeof(*w));
	struct epoll_event ev = { .events = events, .data.ptr = w };

	w->loop = loop;
	w->kind = kind;
	w->fd = fd;
	w->userdata = userdata;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(w);
		return NULL;
	}
	w->next_all = loop->all;
	if (loop->all)
		loop->all->prev_all = w;
	loop->all = w;
	return w;
}

struct evwatch *evloop_watch_fd(struct evloop *loop, int fd, uint32_t events, evwatch_fn fn, void *userdata)
{
	struct evwatch *w = add_watch(loop, WATCH_FD, fd, events, userdata);
	if (w)
		w->fn = fn;
	return w;
}

int evwatch_set_events(struct evwatch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };
	return epoll_ctl(w->loop->epfd, EPOLL_CTL_MOD, w->fd, &ev) < 0 ? -errno : 0;
}

void evwatch_remove(struct evwatch *w)
{
	if (!w || w->removed)
		return;
	w->removed = true;
	epoll_ctl(w->loop->epfd, EPOLL_CTL_DEL, w->fd, NULL);
	w->next_dead = w->loop->dead;
	w->loop->dead = w;
}

int evtimer_rearm(struct evwatch *w, uint64_t ms, uint64_t interval_ms)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 },
		.it_interval = { .tv_sec = interval_ms / 1000, .tv_nsec = (interval_ms % 1000) * 1000000 },
	};
	if (ms == 0)
		its.it_value.tv_nsec = 1; /* zero would disarm: fire as soon as possible instead */
	return timerfd_settime(w->fd, 0, &its, NULL) < 0 ? -errno : 0;
}

struct evwatch *evloop_timer(struct evloop *loop, uint64_t ms, uint64_t interval_ms, evtimer_fn fn, void *userdata)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	struct evwatch *w;

	if (fd < 0)
		return NULL;
	w = add_watch(loop, WATCH_TIMER, fd, EPOLLIN, userdata);
	if (!w) {
		close(fd);
		return NULL;
	}
	w->timer_fn = fn;
	if (evtimer_rearm(w, ms, interval_ms) < 0) {
		evwatch_remove(w);
		return NULL;
	}
	return w;
}

static void on_signalfd(struct evwatch *w, int fd, uint32_t events, void *userdata)
{
	struct evloop *loop = userdata;
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		for (size_t i = 0; i < loop->nsigs; i++)
			if ((int)si.ssi_signo == loop->sigs[i].signo)
				loop->sigs[i].fn(si.ssi_signo, loop->sigs[i].userdata);
	}
}

int evloop_signal(struct evloop *loop, int signo, evsignal_fn fn, void *userdata)
{
	if (loop->nsigs == MAX_SIGNALS)
		return -ENOSPC;
	sigaddset(&loop->sigmask, signo);
	if (sigprocmask(SIG_BLOCK, &loop->sigmask, NULL) < 0)
		return -errno;
	loop->sigfd = signalfd(loop->sigfd, &loop->sigmask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (loop->sigfd < 0)
		return -errno;
	if (!loop->sigwatch) {
		loop->sigwatch = evloop_watch_fd(loop, loop->sigfd, EPOLLIN, on_signalfd, loop);
		if (!loop->sigwatch)
			return -errno;
	}
	loop->sigs[loop->nsigs++] = (struct sigentry){ signo, fn, userdata };
	return 0;
}

void evloop_defer_free(struct evloop *loop, evfree_fn fn, void *ptr)
{
	struct deferred *d = xmalloc(sizeof(*d));
	d->fn = fn;
	d->ptr = ptr;
	d->next = loop->deferred;
	loop->deferred = d;
}
