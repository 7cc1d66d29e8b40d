/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirtd: starts the five daemons where there is no systemd, restarts one that crashes
 * (with backoff), and stops them all on SIGTERM. Each daemon drops to its own row of the
 * privilege table by itself; sepvirtd only starts them. It is also the subreaper of the
 * QEMU processes and containers that outlive a restarted driver, and reaps them.
 * One sepvirtd per set of paths (a lock on run/sepvirtd.pid), and never a second copy of a
 * daemon: each one holds its own lock (libshared/instance.h), and dies with sepvirtd. */
#include "config.h"

#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "evloop.h"
#include "instance.h"
#include "log.h"
#include "settings.h"
#include "paths.h"
#include "sepvirtd-check.h"

#define BACKOFF_MIN_MS 200
/* A daemon that exits this many times in a row before its socket ever answers is failing at
 * start, not crashing: it is reported and given up (after 200+400+800+1600 ms of backoff). */
#define MAX_START_FAILURES 5
#define BACKOFF_MAX_MS 10000
/* A daemon whose socket answered this long before it died was serving, not failing at start:
 * its backoff resets and it is back after BACKOFF_MIN_MS. One that dies sooner backs off. */
#define STABLE_MS 1000
#define STOP_TIMEOUT_MS 10000
/* Daemons of an earlier sepvirtd that was killed get SIGTERM (parent-death signal) and stop
 * within this; one still running after it is not ours to replace. */
#define PREDECESSOR_WAIT_MS 5000

struct child {
	const char *name;     /* "sepvirt-netd" */
	const char *sockname; /* "netd" */
	pid_t pid;
	uint64_t started_ms;
	uint64_t backoff_ms;
	unsigned restarts;
	struct evwatch *restart_timer;
	bool up;                 /* its socket answered since it was last started */
	uint64_t up_ms;          /* when it did */
	unsigned start_failures; /* exits in a row before its socket answered */
	bool given_up;
};

/* Start order: what others call comes first. */
static struct child children[] = {
	{ "sepvirt-netd", "netd" },
	{ "sepvirt-storaged", "storaged" },
	{ "sepvirt-qemud", "qemud" },
	{ "sepvirt-lxcd", "lxcd" },
	{ "sepvirt-proxyd", "proxyd" },
};

static struct {
	struct evloop *loop;
	struct sv_paths paths;
	char *daemon_dir;
	const char *log_level;
	enum log_output output;  /* log_output of sepvirt.conf: the daemons' and its own */
	bool stopping;
	struct evwatch *stop_timer;
	int *notify_fd;          /* the foreground starter, until the suite is up (or is not) */
	bool failed;             /* a daemon was given up while the suite was starting */
} sup;

static void on_term(int signo, void *userdata);
static void notify_parent(int *notify_fd, const char *msg);

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool is_exec(const char *path) { return access(path, X_OK) == 0; }

/* $SEPVIRT_DAEMON_DIR, else beside this binary (a build tree or an install), else sbindir. */
static char *find_daemon_dir(void)
{
	const char *env = getenv("SEPVIRT_DAEMON_DIR");
	char self[4096];
	ssize_t n;

	if (env && env[0])
		return xstrdup(env);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			_cleanup_free_ char *probe = xasprintf("%s/sepvirt-proxyd", self);
			if (is_exec(probe))
				return xstrdup(self);
		}
	}
	return xstrdup(SBINDIR);
}

static void spawn(struct child *c)
{
	_cleanup_free_ char *bin = xasprintf("%s/%s", sup.daemon_dir, c->name);
	_cleanup_free_ char *logf = xasprintf("%s/%s.log", sup.paths.log_dir, c->name);
	pid_t pid = fork();

	if (pid < 0) {
		log_error("cannot fork for %s: %s", c->name, strerror(errno));
		return;
	}
	if (pid == 0) {
		sigset_t all;
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		/* A daemon outliving sepvirtd would be unsupervised: it gets SIGTERM instead. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		/* With syslog the file keeps what a daemon writes other than log lines (a crash's
		 * report); with stderr it all goes where sepvirtd's own stderr goes. */
		int fd = sup.output == LOG_OUT_STDERR ? -1 : open(logf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execl(bin, c->name, "--log-level", sup.log_level, (char *)NULL);
		fprintf(stderr, "sepvirtd: cannot execute '%s': %s\n", bin, strerror(errno));
		_exit(127);
	}
	c->pid = pid;
	c->up = false;
	c->started_ms = now_ms();
	log_info("started %s (pid %d)", c->name, (int)pid);
}

static void on_restart_timer(struct evwatch *w, void *userdata)
{
	struct child *c = userdata;

	evwatch_remove(w);
	c->restart_timer = NULL;
	if (!sup.stopping)
		spawn(c);
}

static bool all_stopped(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(children); i++)
		if (children[i].pid > 0)
			return false;
	return true;
}

/* The last line its log has: what the daemon said before it exited. */
static char *last_log_line(const char *name)
{
	_cleanup_free_ char *path = xasprintf("%s/%s.log", sup.paths.log_dir, name);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	char buf[4096];
	off_t size;
	ssize_t n;

	if (fd < 0 || (size = lseek(fd, 0, SEEK_END)) < 0)
		return xstrdup("");
	n = pread(fd, buf, sizeof(buf) - 1, size > (off_t)sizeof(buf) - 1 ? size - (off_t)sizeof(buf) + 1 : 0);
	if (n <= 0)
		return xstrdup("");
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	char *nl = strrchr(buf, '\n');
	return xstrdup(nl ? nl + 1 : buf);
}

static void give_up(struct child *c, int status)
{
	_cleanup_free_ char *last = last_log_line(c->name);
	_cleanup_free_ char *where = sup.output == LOG_OUT_FILE ? xasprintf("%s/%s.log", sup.paths.log_dir, c->name)
				    : xstrdup(sup.output == LOG_OUT_SYSLOG ? "the system logger" : "standard error");
	_cleanup_free_ char *msg = xasprintf(
		"%s failed at start %u times in a row (%s %d): not restarting it. Its last words: %s "
		"(log: %s)", c->name, c->start_failures, WIFSIGNALED(status) ? "signal" : "exit status",
		WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), last[0] ? last : "(none)", where);

	c->given_up = true;
	log_error("%s", msg);
	/* Still starting up: the suite will not come up, and the starter is told why. */
	if (sup.notify_fd && *sup.notify_fd >= 0) {
		sup.failed = true;
		notify_parent(sup.notify_fd, msg);
		on_term(SIGTERM, NULL);
	}
}

static void child_exited(pid_t pid, int status)
{
	for (size_t i = 0; i < ARRAY_SIZE(children); i++) {
		struct child *c = &children[i];
		if (c->pid != pid)
			continue;
		c->pid = 0;
		if (sup.stopping) {
			log_info("%s stopped", c->name);
			if (all_stopped())
				evloop_quit(sup.loop);
			return;
		}
		if (WIFSIGNALED(status))
			log_warn("%s (pid %d) killed by signal %d", c->name, (int)pid, WTERMSIG(status));
		else
			log_warn("%s (pid %d) exited with status %d", c->name, (int)pid, WEXITSTATUS(status));
		/* Exiting (or crashing) before its socket ever answered is a start that fails, and
		 * starting it again will not help forever. SIGKILL comes from outside (an
		 * administrator, the OOM killer): the daemon itself did not fail. */
		if (!c->up && !(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) &&
		    ++c->start_failures >= MAX_START_FAILURES) {
			give_up(c, status);
			return;
		}
		if (c->up)
			c->start_failures = 0;
		if (c->up && now_ms() - c->up_ms >= STABLE_MS)
			c->backoff_ms = 0;
		c->backoff_ms = c->backoff_ms ? c->backoff_ms * 2 : BACKOFF_MIN_MS;
		if (c->backoff_ms > BACKOFF_MAX_MS)
			c->backoff_ms = BACKOFF_MAX_MS;
		c->restarts++;
		log_info("restarting %s in %llu ms (restart %u)", c->name, (unsigned long long)c->backoff_ms, c->restarts);
		c->restart_timer = evloop_timer(sup.loop, c->backoff_ms, 0, on_restart_timer, c);
		return;
	}
	/* Not one of ours: an orphaned QEMU or container init reparented to us as subreaper. */
	log_debug("reaped pid %d", (int)pid);
}

static void on_sigchld(int signo, void *userdata)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		child_exited(pid, status);
}

static void on_stop_timeout(struct evwatch *w, void *userdata)
{
	for (size_t i = 0; i < ARRAY_SIZE(children); i++)
		if (children[i].pid > 0) {
			log_warn("%s did not stop in time: SIGKILL", children[i].name);
			kill(children[i].pid, SIGKILL);
		}
}

static void on_term(int signo, void *userdata)
{
	if (sup.stopping)
		return;
	sup.stopping = true;
	log_info("signal %d: stopping all daemons", signo);
	/* proxyd first so no new calls arrive, netd last so drivers can release their taps. */
	for (size_t i = ARRAY_SIZE(children); i-- > 0;) {
		struct child *c = &children[i];
		if (c->restart_timer) {
			evwatch_remove(c->restart_timer);
			c->restart_timer = NULL;
		}
		if (c->pid > 0)
			kill(c->pid, SIGTERM);
	}
	if (all_stopped())
		evloop_quit(sup.loop);
	else
		sup.stop_timer = evloop_timer(sup.loop, STOP_TIMEOUT_MS, 0, on_stop_timeout, NULL);
}

/* A daemon listens only once it is confined: ready means a connect succeeds. */
static bool daemon_ready(const char *sockname)
{
	_cleanup_free_ char *path = paths_socket(&sup.paths, sockname);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	return fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
}

/* Marks the daemons whose socket answers now; true when every daemon is up. */
static bool sockets_ready(void)
{
	bool all = true;

	for (size_t i = 0; i < ARRAY_SIZE(children); i++) {
		struct child *c = &children[i];
		if (!c->up && c->pid > 0 && daemon_ready(c->sockname)) {
			c->up = true;
			c->up_ms = now_ms();
			c->start_failures = 0;
		}
		all = all && c->up;
	}
	return all;
}

/* To the process waiting in the foreground: "R" once up, or "E" and why it will not be. */
static void notify_parent(int *notify_fd, const char *msg)
{
	if (*notify_fd < 0)
		return;
	if (msg) {
		_cleanup_free_ char *text = xasprintf("E%s", msg);
		(void)!write(*notify_fd, text, strlen(text));
	} else {
		(void)!write(*notify_fd, "R", 1);
	}
	close(*notify_fd);
	*notify_fd = -1;
}

static void on_ready_poll(struct evwatch *w, void *userdata)
{
	int *notify_fd = userdata;
	static bool announced;

	/* Kept running, slower once the suite is up: a daemon restarted later is "up" again once
	 * its socket answers (only daemons not up yet are asked). */
	if (!sockets_ready() || announced)
		return;
	announced = true;
	log_info("all daemons are up");
	notify_parent(notify_fd, NULL);
	evwatch_remove(w);
	evloop_timer(sup.loop, 200, 200, on_ready_poll, notify_fd);
}

/* The lock of this supervisor: < 0 with err naming the one already running. */
static int claim_supervisor(struct sv_error *err)
{
	_cleanup_free_ char *path = instance_lock_path(sup.paths.run_dir, "sepvirtd");
	pid_t holder = 0;
	int fd = instance_lock(path, &holder);

	if (fd == -EAGAIN)
		return sv_error_set(err, SV_FROM_NONE, SV_ERR_OPERATION_INVALID, EAGAIN,
				    "sepvirtd is already running (pid %d): its lock '%s' is held", (int)holder, path);
	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, -fd, "cannot lock '%s'", path);
	return fd;
}

/* A daemon still running from an earlier start (its own lock held) is never started twice:
 * wait a little for the ones told to stop by their supervisor's death, then refuse. */
static int check_no_predecessors(struct sv_error *err)
{
	uint64_t deadline = now_ms() + PREDECESSOR_WAIT_MS;

	for (size_t i = 0; i < ARRAY_SIZE(children); i++) {
		_cleanup_free_ char *path = instance_lock_path(sup.paths.run_dir, children[i].name);
		pid_t pid;

		while ((pid = instance_holder(path)) > 0 && now_ms() < deadline)
			usleep(50 * 1000);
		if (pid > 0)
			return sv_error_set(err, SV_FROM_NONE, SV_ERR_OPERATION_INVALID, EBUSY,
					    "%s (pid %d) of an earlier start is still running: stop it first; "
					    "sepvirtd never starts a second copy", children[i].name, (int)pid);
	}
	return 0;
}

/* Each daemon holds a socket per client, and proxyd one per client plus one per driver: the
 * soft limit of open files (often 1024) is raised to the hard one, inherited by every daemon. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= rl.rlim_max)
		return;
	rlim_t was = rl.rlim_cur;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		log_warn("cannot raise the open files limit from %llu to %llu: %s", (unsigned long long)was,
			 (unsigned long long)rl.rlim_max, strerror(errno));
	else
		log_info("open files limit raised from %llu to %llu", (unsigned long long)was,
			 (unsigned long long)rl.rlim_max);
}

static void usage(void)
{
	printf("Usage: sepvirtd [--foreground] [--log-level LEVEL]\n"
	       "Starts sepvirt-netd, -storaged, -qemud, -lxcd and -proxyd, restarts any that\n"
	       "crashes and stops them all on SIGTERM. It refuses to start beside a running sepvirtd or\n"
	       "daemon on the same paths. Without --foreground it detaches once every\n"
	       "daemon's socket is up. SEPVIRT_ROOT puts every path under one directory;\n"
	       "SEPVIRT_DAEMON_DIR says where the daemon binaries are.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	bool foreground = false;
	int notify[2] = { -1, -1 };
	int notify_fd = -1, lock_fd;
	struct sv_error err;
	enum log_level lvl;
	int c, r;

	sup.log_level = "info";
	while ((c = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			foreground = true;
			break;
		case 'L':
			if (log_level_parse(optarg, &lvl) < 0) {
				fprintf(stderr, "sepvirtd: invalid log level '%s'\n", optarg);
				return 2;
			}
			sup.log_level = optarg;
			break;
		case 'h':
			usage();
			return 0;
		case 'V':
			printf("sepvirtd %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage();
			return 2;
		}
	}
	/* A bad configuration file is said once, here, rather than by each daemon it would start. */
	if (paths_init(&sup.paths, &err) < 0 || settings_load(sup.paths.config_dir, &err) < 0) {
		fprintf(stderr, "sepvirtd: %s\n", err.message);
		return 1;
	}
	sup.output = log_output_configured();
	if (paths_mkdir_p(sup.paths.run_dir, 0755) < 0 || paths_mkdir_p(sup.paths.log_dir, 0755) < 0 ||
	    paths_mkdir_p(sup.paths.config_dir, 0755) < 0 || paths_mkdir_p(sup.paths.state_dir, 0755) < 0) {
		fprintf(stderr, "sepvirtd: cannot create the directories under '%s': %s\n",
			sup.paths.root ? sup.paths.root : sup.paths.run_dir, strerror(errno));
		return 1;
	}
	sup.daemon_dir = find_daemon_dir();
	if (!foreground) {
		_cleanup_free_ char *lock = instance_lock_path(sup.paths.run_dir, "sepvirtd");
		pid_t holder = instance_holder(lock);
		if (holder > 0) {
			fprintf(stderr, "sepvirtd: sepvirtd is already running (pid %d): its lock '%s' is held\n",
				(int)holder, lock);
			return 1;
		}
		if (pipe2(notify, O_CLOEXEC) < 0)
			return 1;
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid > 0) {
			struct pollfd pfd = { .fd = notify[0], .events = POLLIN };
			char msg[SV_ERROR_MSG_MAX + 2];
			ssize_t n = 0;
			close(notify[1]);
			/* Exit 0 once the daemons are up, 1 if the supervisor refused, died first or they
			 * are slow. */
			if (poll(&pfd, 1, 30000) == 1)
				n = read(notify[0], msg, sizeof(msg) - 1);
			if (n >= 1 && msg[0] == 'R')
				return 0;
			if (n > 1 && msg[0] == 'E') {
				msg[n] = '\0';
				fprintf(stderr, "sepvirtd: %s\n", msg + 1);
				return 1;
			}
			fprintf(stderr, "sepvirtd: the daemons did not come up within 30 s: see %s/\n",
				sup.paths.log_dir);
			return 1;
		}
		close(notify[0]);
		notify_fd = notify[1];
		setsid();
		int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDOUT_FILENO);
		}
		_cleanup_free_ char *logf = xasprintf("%s/sepvirtd.log", sup.paths.log_dir);
		log_init("sepvirtd", sup.output == LOG_OUT_FILE ? logf : NULL, LOG_LVL_INFO);
	} else {
		log_init("sepvirtd", NULL, LOG_LVL_INFO);
	}
	if (sup.output == LOG_OUT_SYSLOG && (r = log_use_syslog()) < 0) {
		_cleanup_free_ char *msg = xasprintf("log_output is syslog but the system logger's socket "
						     "/dev/log cannot be reached: %s", strerror(-r));
		log_error("%s", msg);
		notify_parent(&notify_fd, msg);
		return 1;
	}
	/* Before anything is unlinked or started: one supervisor per root, one copy per daemon. */
	lock_fd = claim_supervisor(&err);
	if (lock_fd < 0 || check_no_predecessors(&err) < 0) {
		log_error("%s", err.message);
		notify_parent(&notify_fd, err.message);
		return 1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(children); i++) {
		_cleanup_free_ char *s = paths_socket(&sup.paths, children[i].sockname);
		unlink(s); /* readiness is the socket appearing anew; its daemon is not running */
	}
	log_level_parse(sup.log_level, &lvl);
	if (!getenv("SEPVIRT_LOG_LEVEL"))
		log_set_level(lvl);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sup.loop = evloop_new();
	if (!sup.loop || evloop_signal(sup.loop, SIGCHLD, on_sigchld, NULL) < 0 ||
	    evloop_signal(sup.loop, SIGTERM, on_term, NULL) < 0 || evloop_signal(sup.loop, SIGINT, on_term, NULL) < 0) {
		log_error("cannot set up the event loop: %s", strerror(errno));
		return 1;
	}
	raise_nofile();
	log_info("sepvirtd %s: daemons from %s, paths under %s", PACKAGE_VERSION, sup.daemon_dir,
		 sup.paths.root ? sup.paths.root : "the system defaults");
	/* Each daemon's user must reach its directories: said once here, not by a restart loop. */
	{
		_cleanup_free_ char *msg = NULL;
		if (sepvirtd_check_access(&sup.paths, &msg) < 0) {
			log_error("%s", msg);
			notify_parent(&notify_fd, msg);
			return 1;
		}
	}
	sup.notify_fd = &notify_fd;
	for (size_t i = 0; i < ARRAY_SIZE(children); i++)
		spawn(&children[i]);
	evloop_timer(sup.loop, 20, 20, on_ready_poll, &notify_fd);
	r = evloop_run(sup.loop);
	{
		/* Unlinked while still locked: a starter that opened it meanwhile sees it is gone. */
		_cleanup_free_ char *pidf = instance_lock_path(sup.paths.run_dir, "sepvirtd");
		unlink(pidf);
		close(lock_fd);
	}
	log_info("stopped");
	if (notify_fd >= 0)
		close(notify_fd);
	evloop_free(sup.loop);
	free(sup.daemon_dir);
	paths_free(&sup.paths);
	return r < 0 || sup.failed ? 1 : 0;
}
