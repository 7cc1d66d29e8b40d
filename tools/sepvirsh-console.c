/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh console: the domain's console on this terminal until Ctrl+] (or the domain stops). */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sepvirsh.h"

#define ESCAPE 0x1d /* Ctrl + ] */

static const char *const console_opts[] = { "devname=", NULL };
static const char *const console_pos[] = { "domain", NULL };

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copies both ways until the escape character, the end of our input or of the console. */
static void relay(int con)
{
	struct pollfd p[2] = { { .fd = STDIN_FILENO, .events = POLLIN }, { .fd = con, .events = POLLIN } };
	char buf[4096];

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(con, buf, sizeof(buf));
			if (n <= 0 || write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
				return; /* the domain stopped: its pty is gone */
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n <= 0)
				return;
			char *esc = memchr(buf, ESCAPE, (size_t)n);
			if (write_all(con, buf, esc ? (size_t)(esc - buf) : (size_t)n) < 0 || esc)
				return;
		}
	}
}

int vsh_console_run(struct vsh_ctl *ctl, const sepvirt_domain *d, const char *dev)
{
	struct termios saved, raw;
	bool tty = isatty(STDIN_FILENO);
	int con;

	if (sepvirt_domain_open_console(ctl->conn, d->uuid, dev, &con) < 0)
		return vsh_fail(NULL);
	printf("Connected to domain '%s'\nEscape character is ^] (Ctrl + ])\n", d->name);
	fflush(stdout);
	/* On a terminal, keys go to the domain as typed; without one (a pipe) bytes pass as they are. */
	if (tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
	}
	relay(con);
	if (tty)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	close(con);
	return 0;
}

static int cmd_console(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	const char *dev = vsh_opt_value(cmd, &vsh_console_commands[0], "devname");
	sepvirt_domain d;

	if (!vsh_conn(ctl))
		return 1;
	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	return vsh_console_run(ctl, &d, dev);
}

const struct vsh_command vsh_console_commands[] = {
	{ "console", "connect to the domain's console (--devname serial0; Ctrl+] leaves)", console_opts, console_pos,
	  cmd_console },
	{ NULL },
};
