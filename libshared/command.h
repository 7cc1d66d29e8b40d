/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one command builder for child processes (QEMU, container init, helpers): it collects
 * argv, environment and the fds to pass, and can print the exact command line for golden
 * tests (dry run). It never runs anything by itself: a daemon hands the built command to its
 * spawner, which calls command_exec_child() in the forked child. */
#pragma once

#include <stdarg.h>

#include "util.h"

/* Passed fds land in the child at COMMAND_FIRST_FD, COMMAND_FIRST_FD + 1, ... in order. */
#define COMMAND_FIRST_FD 3
#define COMMAND_MAX_FDS 64

struct command;

struct command *command_new(const char *binary);
void command_free(struct command *c);
static inline void command_freep(struct command **c) { command_free(*c); }
#define _cleanup_command_ _cleanup_(command_freep)

void command_add_arg(struct command *c, const char *arg);
void command_add_argf(struct command *c, const char *fmt, ...) _printf_(2, 3);
/* An option and its value: "-m", "size=524288k". */
void command_add_opt(struct command *c, const char *opt, const char *fmt, ...) _printf_(3, 4);
void command_add_env(struct command *c, const char *name, const char *value);
/* Hands fd to the command (it closes it when freed) and returns the number the child will
 * see it under, to be written into an argument (fd=N); -EMFILE when too many. */
int command_pass_fd(struct command *c, int fd);
/* A file the spawner opens for the child (a disk image: the daemon has no right to): reserves
 * the fd number, returned as by command_pass_fd. The spawner checks the path and fills it. */
int command_pass_path(struct command *c, const char *path, bool read_only);
/* The path of slot i (0-based among the passed fds), NULL for a plain fd. */
const char *command_path(const struct command *c, size_t i, bool *read_only);
/* The spawner's side: slot i gets fd (owned by the command from now on). */
void command_fill_path(struct command *c, size_t i, int fd);
/* The child's stdout and stderr (a log file); the command owns it. -1: /dev/null. */
void command_set_output(struct command *c, int fd);

/* NULL-terminated vectors, owned by the command. */
char *const *command_argv(const struct command *c);
char *const *command_env(const struct command *c);
const int *command_fds(const struct command *c, size_t *n);
int command_output_fd(const struct command *c);

/* "ENV=V \\\n/usr/bin/qemu \\\n-opt value \\\n..." one option (and its value) per line,
 * shell-quoted where needed: libvirt's .args layout. */
char *command_to_string(const struct command *c);
/* The same on one line, without its end: what virsh domxml-to-native prints. */
char *command_to_line(const struct command *c);

/* In a freshly forked child only: moves the passed fds to COMMAND_FIRST_FD.., sets stdin to
 * /dev/null and stdout/stderr to the output fd, closes every other fd except *keep_fd (moved out of the way, updated), and
 * execs with exactly the command's environment. Returns -errno only when that failed. */
int command_exec_child(const struct command *c, int *keep_fd);
