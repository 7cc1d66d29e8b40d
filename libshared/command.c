/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>

#include "command.h"

struct strv {
	char **v;
	size_t n, cap;
};

struct command {
	struct strv argv;
	struct strv env;
	int fds[COMMAND_MAX_FDS];
	size_t nfds;
	/* Slots the spawner fills by opening a path (fds[i] is -1 until then). */
	char *paths[COMMAND_MAX_FDS];
	bool path_ro[COMMAND_MAX_FDS];
	int output_fd;
};

static void strv_push(struct strv *s, char *str)
{
	if (s->n + 2 > s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
}

static void strv_clear(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

struct command *command_new(const char *binary)
{
	struct command *c = xcalloc(1, sizeof(*c));

	c->output_fd = -1;
	strv_push(&c->argv, xstrdup(binary));
	strv_push(&c->env, NULL); /* an empty vector that is still NULL-terminated */
	c->env.n = 0;
	return c;
}

void command_free(struct command *c)
{
	if (!c)
		return;
	strv_clear(&c->argv);
	strv_clear(&c->env);
	for (size_t i = 0; i < c->nfds; i++) {
		if (c->fds[i] >= 0)
			close(c->fds[i]);
		free(c->paths[i]);
	}
	if (c->output_fd >= 0)
		close(c->output_fd);
	free(c);
}

void command_add_arg(struct command *c, const char *arg) { strv_push(&c->argv, xstrdup(arg)); }

static char *vformat(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	return s;
}

void command_add_argf(struct command *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strv_push(&c->argv, vformat(fmt, ap));
	va_end(ap);
}

void command_add_opt(struct command *c, const char *opt, const char *fmt, ...)
{
	va_list ap;

	command_add_arg(c, opt);
	va_start(ap, fmt);
	strv_push(&c->argv, vformat(fmt, ap));
	va_end(ap);
}

void command_add_env(struct command *c, const char *name, const char *value)
{
	strv_push(&c->env, xasprintf("%s=%s", name, value));
}

int command_pass_fd(struct command *c, int fd)
{
	if (c->nfds == COMMAND_MAX_FDS) {
		close(fd);
		return -EMFILE;
	}
	c->fds[c->nfds++] = fd;
	return COMMAND_FIRST_FD + (int)c->nfds - 1;
}

int command_pass_path(struct command *c, const char *path, bool read_only)
{
	if (c->nfds == COMMAND_MAX_FDS)
		return -EMFILE;
	c->paths[c->nfds] = xstrdup(path);
	c->path_ro[c->nfds] = read_only;
	c->fds[c->nfds++] = -1;
	return COMMAND_FIRST_FD + (int)c->nfds - 1;
}

const char *command_path(const struct command *c, size_t i, bool *read_only)
{
	if (i >= c->nfds || !c->paths[i])
		return NULL;
	*read_only = c->path_ro[i];
	return c->paths[i];
}

void command_fill_path(struct command *c, size_t i, int fd)
{
	if (c->fds[i] >= 0)
		close(c->fds[i]);
	c->fds[i] = fd;
}

void command_set_output(struct command *c, int fd)
{
	if (c->output_fd >= 0)
		close(c->output_fd);
	c->output_fd = fd;
}

char *const *command_argv(const struct command *c) { return c->argv.v; }
char *const *command_env(const struct command *c) { return c->env.v; }
int command_output_fd(const struct command *c) { return c->output_fd; }

const int *command_fds(const struct command *c, size_t *n)
{
	*n = c->nfds;
	return c->fds;
}

/* Characters that a shell reads literally. */
static bool shell_safe(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=,./:@+%", *s))
			return false;
	return true;
}

static void append_quoted(char **buf, size_t *len, const char *s)
{
	FILE *f;
	char *part = NULL;
	size_t plen = 0;

	f = open_memstream(&part, &plen);
	if (!f)
		abort();
	if (shell_safe(s)) {
		fputs(s, f);
	} else {
		fputc('\'', f);
		for (; *s; s++) {
			if (*s == '\'')
				fputs("'\\''", f);
			else
				fputc(*s, f);
		}
		fputc('\'', f);
	}
	fclose(f);
	*buf = xrealloc(*buf, *len + plen + 1);
	memcpy(*buf + *len, part, plen + 1);
	*len += plen;
	free(part);
}

static void append(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);
	*buf = xrealloc(*buf, *len + n + 1);
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

static char *to_string(const struct command *c, const char *newline, const char *end)
{
	char *buf = xstrdup("");
	size_t len = 0;

	for (size_t i = 0; i < c->env.n; i++) {
		append_quoted(&buf, &len, c->env.v[i]);
		append(&buf, &len, newline);
	}
	append_quoted(&buf, &len, c->argv.v[0]);
	for (size_t i = 1; i < c->argv.n; i++) {
		const char *a = c->argv.v[i];
		/* A new line for each option; its value stays beside it. */
		append(&buf, &len, a[0] == '-' ? newline : " ");
		append_quoted(&buf, &len, a);
	}
	append(&buf, &len, end);
	return buf;
}

char *command_to_string(const struct command *c) { return to_string(c, " \\\n", "\n"); }

char *command_to_line(const struct command *c) { return to_string(c, " ", ""); }

#define HIGH_FD 100

int command_exec_child(const struct command *c, int *keep_fd)
{
	int moved[COMMAND_MAX_FDS];
	int devnull, out;

	/* Lift everything above the target range first, so no dup2 overwrites a source. */
	if (*keep_fd >= 0) {
		int k = fcntl(*keep_fd, F_DUPFD_CLOEXEC, HIGH_FD);
		if (k < 0)
			return -errno;
		*keep_fd = k;
	}
	for (size_t i = 0; i < c->nfds; i++) {
		moved[i] = fcntl(c->fds[i], F_DUPFD_CLOEXEC, HIGH_FD);
		if (moved[i] < 0)
			return -errno;
	}
	out = c->output_fd >= 0 ? fcntl(c->output_fd, F_DUPFD_CLOEXEC, HIGH_FD) : -1;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0)
		return -errno;
	if (dup2(devnull, STDIN_FILENO) < 0 || dup2(out >= 0 ? out : devnull, STDOUT_FILENO) < 0 ||
	    dup2(out >= 0 ? out : devnull, STDERR_FILENO) < 0)
		return -errno;
	for (size_t i = 0; i < c->nfds; i++)
		if (dup2(moved[i], COMMAND_FIRST_FD + (int)i) < 0) /* dup2 clears FD_CLOEXEC */
			return -errno;
	/* Everything else goes: the child gets exactly stdio and the passed fds. */
	for (int fd = COMMAND_FIRST_FD + (int)c->nfds; fd < 65536; fd++) {
		if (fd == *keep_fd)
			continue;
		if (fd > *keep_fd) {
			syscall(SYS_close_range, fd, ~0U, 0);
			break;
		}
		close(fd);
	}
	execve(c->argv.v[0], c->argv.v, c->env.v);
	return -errno;
}
