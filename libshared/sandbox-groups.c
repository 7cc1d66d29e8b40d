/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared syscall groups. A daemon's sandbox.c includes them by name; each entry says why. */
#include "config.h"

#include <fcntl.h>
#include <sys/socket.h>

#include "sandbox.h"

#define ALLOW(n, why) { .name = n, .reason = why }
#define GROUP(var, gname, table) \
	const struct sandbox_group var = { .name = gname, .calls = table, .ncalls = ARRAY_SIZE(table) }

static const struct sandbox_syscall base[] = {
	ALLOW("read", "read from sockets, pipes and files already open"),
	ALLOW("write", "write replies and log lines"),
	ALLOW("readv", "glibc stdio"),
	ALLOW("writev", "glibc stdio and abort messages"),
	ALLOW("pread64", "re-read /proc/self/status through an fd opened before confinement"),
	ALLOW("close", "release fds"),
	ALLOW("fstat", "glibc stdio buffering"),
	ALLOW("newfstatat", "glibc fstat on an open fd"),
	ALLOW("lseek", "rewind files already open"),
	ALLOW("fcntl", "O_NONBLOCK and F_DUPFD_CLOEXEC on received fds"),
	ALLOW("dup", "duplicate fds queued for sending"),
	ALLOW("dup3", "duplicate fds queued for sending"),
	ALLOW("mmap", "malloc of large blocks"),
	ALLOW("munmap", "free of large blocks"),
	ALLOW("mremap", "realloc of large buffers"),
	ALLOW("mprotect", "malloc arenas"),
	ALLOW("brk", "malloc heap growth"),
	ALLOW("madvise", "free returns memory"),
	ALLOW("rt_sigreturn", "return from signal handlers"),
	ALLOW("rt_sigprocmask", "block signals delivered through signalfd"),
	ALLOW("rt_sigaction", "abort() resets SIGABRT"),
	ALLOW("sigaltstack", "glibc and sanitizer signal stacks"),
	ALLOW("exit", "thread exit"),
	ALLOW("exit_group", "process exit"),
	ALLOW("getpid", "logging and ping"),
	ALLOW("gettid", "abort() raises on the current thread"),
	ALLOW("tgkill", "abort() raises SIGABRT"),
	ALLOW("getuid", "ping reports identity"),
	ALLOW("geteuid", "ping reports identity"),
	ALLOW("getgid", "ping reports identity"),
	ALLOW("getegid", "ping reports identity"),
	ALLOW("clock_gettime", "timestamps in logs and latency bookkeeping"),
	ALLOW("clock_nanosleep", "short backoff sleeps"),
	ALLOW("nanosleep", "short backoff sleeps"),
	ALLOW("futex", "glibc locks"),
	ALLOW("getrandom", "UUID and MAC generation, malloc hardening"),
	ALLOW("restart_syscall", "restart after a signal"),
	ALLOW("poll", "wait for a reply on a blocking RPC call"),
	ALLOW("ppoll", "wait for a reply on a blocking RPC call"),
	ALLOW("sched_yield", "glibc spin locks"),
	ALLOW("rseq", "glibc restartable sequences"),
	ALLOW("set_robust_list", "glibc thread set-up"),
	ALLOW("prlimit64", "glibc queries of resource limits"),
	ALLOW("uname", "glibc feature checks"),
};
GROUP(sandbox_group_base, "@base", base);

static const struct sandbox_syscall event_loop[] = {
	ALLOW("epoll_create1", "the event loop"),
	ALLOW("epoll_ctl", "the event loop"),
	ALLOW("epoll_wait", "the event loop"),
	ALLOW("epoll_pwait", "the event loop"),
	ALLOW("timerfd_create", "timers of the event loop"),
	ALLOW("timerfd_settime", "timers of the event loop"),
	ALLOW("timerfd_gettime", "timers of the event loop"),
	ALLOW("signalfd4", "SIGTERM and SIGCHLD through the event loop"),
	ALLOW("eventfd2", "wake-ups inside the event loop"),
	ALLOW("pipe2", "wake-ups inside the event loop"),
};
GROUP(sandbox_group_event_loop, "@event-loop", event_loop);

static const struct sandbox_syscall unix_server[] = {
	ALLOW("listen", "start accepting on the socket bound before confinement, once confined"),
	ALLOW("accept4", "accept clients on the listening socket opened before confinement"),
	ALLOW("recvmsg", "frames and SCM_RIGHTS fds"),
	ALLOW("sendmsg", "frames and SCM_RIGHTS fds"),
	ALLOW("recvfrom", "glibc recv"),
	ALLOW("sendto", "glibc send"),
	ALLOW("getsockopt", "SO_PEERCRED: who is calling"),
	ALLOW("shutdown", "close a misbehaving peer"),
};
GROUP(sandbox_group_unix_server, "@unix-server", unix_server);

static const struct sandbox_syscall unix_client[] = {
	{ .name = "socket", .reason = "connect to another daemon: AF_UNIX only", .nargs = 1,
	  .args = { SCMP_A0(SCMP_CMP_EQ, AF_UNIX) } },
	ALLOW("connect", "connect to another daemon's socket"),
	ALLOW("setsockopt", "socket buffer sizes"),
};
GROUP(sandbox_group_unix_client, "@unix-client", unix_client);

/* Read-only opens: any flag that could write or create makes the call fail. */
#define WRITE_FLAGS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)
static const struct sandbox_syscall read_files[] = {
	{ .name = "openat", .reason = "read configuration and /proc files; never for writing", .nargs = 1,
	  .args = { SCMP_A2(SCMP_CMP_MASKED_EQ, WRITE_FLAGS, 0) } },
	ALLOW("getdents64", "list a configuration directory"),
	ALLOW("readlink", "resolve /proc/PID/exe"),
	ALLOW("readlinkat", "resolve /proc/PID/exe"),
	ALLOW("statx", "stat a configuration file"),
	ALLOW("faccessat", "check that a file exists"),
	ALLOW("faccessat2", "check that a file exists"),
	ALLOW("access", "check that a file exists"),
};
GROUP(sandbox_group_read_files, "@read-files", read_files);

static const struct sandbox_syscall write_files[] = {
	ALLOW("openat", "create state and definition files (temp file, fsync, rename)"),
	ALLOW("mkdir", "create state directories"),
	ALLOW("mkdirat", "create state directories"),
	ALLOW("unlink", "remove a definition or state file"),
	ALLOW("unlinkat", "remove a definition or state file"),
	ALLOW("rename", "atomic replace of a definition"),
	ALLOW("renameat", "atomic replace of a definition"),
	ALLOW("renameat2", "atomic replace of a definition"),
	ALLOW("fsync", "a definition reported saved survives a crash"),
	ALLOW("fdatasync", "a definition reported saved survives a crash"),
	ALLOW("ftruncate", "rewrite a state file"),
	ALLOW("fchmod", "mode of files it creates"),
	ALLOW("umask", "mode of files it creates"),
	ALLOW("fstatfs", "glibc opendir"),
};
GROUP(sandbox_group_write_files, "@write-files", write_files);

/* Sanitizer runtimes: LeakSanitizer stops the world from a helper thread with ptrace
 * and reads /proc/self/maps; none of this is in a production build. */
static const struct sandbox_syscall sanitizer[] = {
	ALLOW("clone", "LeakSanitizer's tracer thread"),
	ALLOW("clone3", "LeakSanitizer's tracer thread"),
	ALLOW("ptrace", "LeakSanitizer suspends threads to scan them"),
	ALLOW("wait4", "LeakSanitizer waits for its tracer"),
	ALLOW("waitid", "LeakSanitizer waits for its tracer"),
	ALLOW("prctl", "LeakSanitizer sets PR_SET_PTRACER and dumpable"),
	ALLOW("sched_getaffinity", "sanitizer runtime"),
	{ .name = "openat", .reason = "sanitizer runtime reads /proc/self/maps; never for writing", .nargs = 1,
	  .args = { SCMP_A2(SCMP_CMP_MASKED_EQ, WRITE_FLAGS, 0) } },
	{ .name = "open", .reason = "sanitizer runtime opens /proc/self/task; never for writing", .nargs = 1,
	  .args = { SCMP_A1(SCMP_CMP_MASKED_EQ, WRITE_FLAGS, 0) } },
	ALLOW("readlink", "sanitizer runtime symbolizes"),
	ALLOW("getdents64", "LeakSanitizer lists /proc/self/task"),
	ALLOW("getdents", "LeakSanitizer lists /proc/self/task"),
	ALLOW("mincore", "sanitizer runtime"),
	ALLOW("pipe2", "sanitizer runtime"),
	ALLOW("getppid", "sanitizer runtime"),
	ALLOW("kill", "sanitizer runtime"),
};
GROUP(sandbox_group_sanitizer, "@sanitizer", sanitizer);

static const struct sandbox_syscall killed_default[] = {
	ALLOW("execve", "a confined daemon never runs another program; the spawner does"),
	ALLOW("execveat", "a confined daemon never runs another program; the spawner does"),
	ALLOW("ptrace", "no debugging of other processes"),
	ALLOW("process_vm_readv", "no reading of other processes' memory"),
	ALLOW("process_vm_writev", "no writing of other processes' memory"),
	ALLOW("kexec_load", "never replace the kernel"),
	ALLOW("kexec_file_load", "never replace the kernel"),
	ALLOW("init_module", "never load kernel modules"),
	ALLOW("finit_module", "never load kernel modules"),
	ALLOW("delete_module", "never unload kernel modules"),
};
GROUP(sandbox_killed_default, "@killed", killed_default);
