/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A network's dnsmasq (see dnsmasq.h). */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>

#include "atomic-file.h"
#include "dnsmasq-conf.h"
#include "dnsmasq.h"
#include "evloop.h"
#include "log.h"
#include "netd.h"
#include "spawner.h"

#define DNSMASQ_USER "dnsmasq"      /* Debian's dnsmasq-base creates it */
#define STARTUP_CHECK_MS 300        /* a config dnsmasq refuses makes it exit at once */
#define RESTARTS_MAX 5              /* in a row, each within RESTART_WINDOW_S of its start */
#define RESTART_WINDOW_S 30

static const char *dnsmasq_user(void)
{
	const char *u = getenv("SEPVIRT_DNSMASQ_USER");

	return u && *u ? u : DNSMASQ_USER;
}

static void on_exit_cb(struct evwatch *w, int fd, uint32_t events, void *userdata);

static void forget_process(struct netd_network *n)
{
	if (n->dnsmasq_watch)
		evwatch_remove(n->dnsmasq_watch);
	if (n->dnsmasq_pidfd >= 0)
		close(n->dnsmasq_pidfd);
	n->dnsmasq_watch = NULL;
	n->dnsmasq_pidfd = -1;
	n->dnsmasq_pid = 0;
}

static int watch(struct netd_network *n, pid_t pid, int pidfd, struct sv_error *err)
{
	n->dnsmasq_pid = pid;
	n->dnsmasq_pidfd = pidfd;
	n->dnsmasq_watch = evloop_watch_fd(netd.loop, pidfd, EPOLLIN, on_exit_cb, n);
	if (!n->dnsmasq_watch) {
		forget_process(n);
		return sv_error_set(err, SV_FROM_NET, SV_ERR_SYSTEM, ENOMEM, "cannot watch the dnsmasq of network '%s'",
				    n->live->name);
	}
	return 0;
}

static int launch(struct netd_network *n, struct sv_error *err)
{
	_cleanup_free_ char *conf = netd_dnsmasq_conf_name(n->live->name);
	struct pollfd p;
	pid_t pid;
	int pidfd, r = netd_spawner_launch(conf, &pid, &pidfd, err);

	if (r < 0)
		return r;
	/* a configuration dnsmasq refuses (an address in use, a bad range) ends it at once */
	p = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	if (poll(&p, 1, STARTUP_CHECK_MS) > 0) {
		close(pidfd);
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_FAILED, EIO,
				    "the dnsmasq of network '%s' exited at once: see %s/dnsmasq-%s.log", n->live->name,
				    netd.state_dir_path, n->live->name);
	}
	n->dnsmasq_started = time(NULL);
	log_info("network '%s': dnsmasq started (pid %d)", n->live->name, (int)pid);
	return watch(n, pid, pidfd, err);
}

static void on_exit_cb(struct evwatch *w, int fd, uint32_t events, void *userdata)
{
	struct netd_network *n = userdata;
	pid_t old = n->dnsmasq_pid;
	struct sv_error err;

	forget_process(n);
	if (time(NULL) - n->dnsmasq_started > RESTART_WINDOW_S)
		n->dnsmasq_restarts = 0;
	if (++n->dnsmasq_restarts > RESTARTS_MAX) {
		log_error("network '%s': its dnsmasq (pid %d) exited again; %d restarts in a row failed, DHCP and DNS "
			  "are down until net-destroy and net-start", n->live->name, (int)old, RESTARTS_MAX);
		return;
	}
	log_warn("network '%s': its dnsmasq (pid %d) exited; starting it again (leases kept)", n->live->name, (int)old);
	if (launch(n, &err) < 0)
		log_error("network '%s': %s", n->live->name, err.message);
}

int netd_dnsmasq_start(struct netd_network *n, struct sv_error *err)
{
	_cleanup_free_ char *conf = NULL, *name = netd_dnsmasq_conf_name(n->live->name), *text = NULL;
	_cleanup_free_ char *logline = NULL;
	int r;

	if (!netd_dnsmasq_needed(n->live))
		return 0;
	r = netd_dnsmasq_conf(n->live, netd.state_dir_path, dnsmasq_user(), &conf, err);
	if (r < 0)
		return r;
	logline = xasprintf("log-facility=%s/dnsmasq-%s.log\n", netd.state_dir_path, n->live->name);
	text = xasprintf("%s%s", conf, logline);
	r = atomic_file_write_at(netd.state_dirfd, name, text, strlen(text), 0600, err);
	if (r < 0)
		return r;
	n->dnsmasq_restarts = 0;
	return launch(n, err);
}

static void remove_file(char *name)
{
	struct sv_error err;

	if (atomic_file_remove_at(netd.state_dirfd, name, &err) < 0)
		log_warn("%s", err.message);
	free(name);
}

void netd_dnsmasq_stop(struct netd_network *n, bool forget_leases)
{
	struct sv_error err;

	if (n->dnsmasq_pidfd >= 0 && netd_spawner_signal(n->dnsmasq_pidfd, SIGTERM, &err) < 0)
		log_warn("network '%s': cannot stop its dnsmasq (pid %d): %s", n->live->name, (int)n->dnsmasq_pid,
			 err.message);
	else if (n->dnsmasq_pidfd >= 0)
		poll(&(struct pollfd){ .fd = n->dnsmasq_pidfd, .events = POLLIN }, 1, 1000); /* its sockets go */
	forget_process(n);
	if (!netd_dnsmasq_needed(n->live))
		return;
	remove_file(netd_dnsmasq_conf_name(n->live->name));
	remove_file(netd_dnsmasq_pid_name(n->live->name));
	remove_file(xasprintf("dnsmasq-%s.log", n->live->name));
	if (forget_leases)
		remove_file(netd_dnsmasq_leases_name(n->live->name));
}

void netd_dnsmasq_adopt(struct netd_network *n)
{
	_cleanup_free_ char *pidname = NULL, *conf = NULL, *text = NULL;
	struct sv_error err;
	int pidfd;
	long pid;

	if (!netd_dnsmasq_needed(n->live))
		return;
	pidname = netd_dnsmasq_pid_name(n->live->name);
	conf = netd_dnsmasq_conf_name(n->live->name);
	if (file_read_all_at(netd.state_dirfd, pidname, &text, NULL, &err) == 0 && (pid = strtol(text, NULL, 10)) > 1 &&
	    netd_spawner_adopt(conf, (pid_t)pid, &pidfd, &err) == 0 && watch(n, (pid_t)pid, pidfd, &err) == 0) {
		n->dnsmasq_started = time(NULL);
		log_info("network '%s': dnsmasq (pid %ld) re-adopted", n->live->name, pid);
		return;
	}
	log_warn("network '%s': its dnsmasq is not running (%s); starting it", n->live->name, err.message);
	if (netd_dnsmasq_start(n, &err) < 0)
		log_error("network '%s': %s", n->live->name, err.message);
}
