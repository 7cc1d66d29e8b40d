/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh: a virsh-like command line on top of libsepvirt.
 *   sepvirsh [-c URI] [-r] [-q] COMMAND [ARG]...
 *   sepvirsh help [COMMAND]
 * Errors go to stderr as "error: ..." and the exit status is 1, as with virsh. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "sepvirsh.h"
#include "util.h"

static const struct vsh_command *const tables[] = { vsh_host_commands, vsh_domain_commands,
						     vsh_storage_commands, vsh_network_commands, vsh_event_commands,
						     vsh_console_commands, NULL };

sepvirt_conn *vsh_conn(struct vsh_ctl *ctl)
{
	if (!ctl->conn) {
		ctl->conn = sepvirt_connect(ctl->uri, ctl->readonly ? SEPVIRT_CONNECT_RO : 0);
		if (!ctl->conn)
			vsh_fail(NULL);
	}
	return ctl->conn;
}

int vsh_fail(const char *prefix)
{
	const sepvirt_error *e = sepvirt_last_error();

	if (prefix)
		fprintf(stderr, "error: %s\n", prefix);
	fprintf(stderr, "error: %s\n", e && e->message ? e->message : "unknown error");
	return 1;
}

/* Reads a whole XML file; prints virsh's error when it cannot. */
int vsh_read_file(const char *path, char **out)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "error: Failed to open file '%s': %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap + 1);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	*out = buf;
	return 0;
}

static const struct vsh_command *find_command(const char *name)
{
	for (size_t t = 0; tables[t]; t++)
		for (const struct vsh_command *c = tables[t]; c->name; c++)
			if (streq(c->name, name))
				return c;
	return NULL;
}

/* "format=" names an option that takes a value; "all" a flag. */
static bool opt_is(const char *decl, const char *name, size_t len)
{
	size_t dl = strcspn(decl, "=");
	return dl == len && !strncmp(decl, name, len);
}

bool vsh_has(const struct vsh_cmd *cmd, const struct vsh_command *def, const char *opt)
{
	for (int i = 0; def->options && def->options[i]; i++)
		if (opt_is(def->options[i], opt, strlen(opt)))
			return cmd->flags & (1u << i);
	return false;
}

const char *vsh_opt_value(const struct vsh_cmd *cmd, const struct vsh_command *def, const char *opt)
{
	for (int i = 0; def->options && def->options[i] && i < (int)ARRAY_SIZE(cmd->optvals); i++)
		if (opt_is(def->options[i], opt, strlen(opt)))
			return cmd->optvals[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: sepvirsh [-c URI] [-r] [-q] COMMAND [ARG]...\n\n"
		   "  -c, --connect URI   qemu:///system (default as root), qemu:///session, lxc:///system\n"
		   "  -r, --readonly      connect to the read-only socket\n"
		   "  -q, --quiet         quieter output\n"
		   "  -v, --version       print the library version\n\n"
		   "Commands:\n");
	for (size_t t = 0; tables[t]; t++)
		for (const struct vsh_command *c = tables[t]; c->name; c++)
			fprintf(f, "    %-16s %s\n", c->name, c->help);
	fprintf(f, "    %-16s %s\n", "help", "print help for a command (help COMMAND), or this list");
}

/* virsh's "help COMMAND": NAME and SYNOPSIS, every option the command takes. The man page test
 * and the bash completion read this, so neither drifts from the tables. */
static void print_synopsis(const struct vsh_command *c)
{
	printf("  NAME\n    %s - %s\n\n  SYNOPSIS\n    %s", c->name, c->help, c->name);
	for (int i = 0; c->positional && c->positional[i]; i++)
		printf(" <%s>", c->positional[i]);
	for (int i = 0; c->options && c->options[i]; i++) {
		size_t len = strcspn(c->options[i], "=");

		if (c->options[i][len] == '=')
			printf(" [--%.*s <%.*s>]", (int)len, c->options[i], (int)len, c->options[i]);
		else
			printf(" [--%s]", c->options[i]);
	}
	printf("\n\n");
}

static int cmd_help(int argc, char **argv)
{
	const struct vsh_command *c;

	if (argc == 0) {
		usage(stdout);
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "error: unexpected data '%s'\n", argv[1]);
		return 1;
	}
	if (streq(argv[0], "help")) {
		printf("  NAME\n    help - print help for a command, or list the commands\n\n"
		       "  SYNOPSIS\n    help [<command>]\n\n");
		return 0;
	}
	c = find_command(argv[0]);
	if (!c) {
		fprintf(stderr, "error: command '%s' doesn't exist\n", argv[0]);
		return 1;
	}
	print_synopsis(c);
	return 0;
}

/* Options are --name (a flag) or --name VALUE for a positional given by name, as virsh allows. */
static int parse_command(const struct vsh_command *def, int argc, char **argv, struct vsh_cmd *cmd,
			 const char **pos)
{
	int npos = 0, nposdef = 0;

	while (def->positional && def->positional[nposdef])
		nposdef++;
	memset(cmd, 0, sizeof(*cmd));
	cmd->name = def->name;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool matched = false;
		if (startswith(a, "--")) {
			size_t nlen = strcspn(a + 2, "=");
			for (int o = 0; !matched && def->options && def->options[o]; o++) {
				bool valued = strchr(def->options[o], '=') != NULL;
				if (!opt_is(def->options[o], a + 2, nlen) || (!valued && a[2 + nlen]))
					continue;
				if (valued && o < (int)ARRAY_SIZE(cmd->optvals)) {
					/* --name VALUE or --name=VALUE */
					if (a[2 + nlen] == '=') {
						cmd->optvals[o] = a + 3 + nlen;
					} else if (i + 1 < argc) {
						cmd->optvals[o] = argv[++i];
					} else {
						fprintf(stderr, "error: option --%.*s requires a value\n", (int)nlen, a + 2);
						return -1;
					}
				}
				cmd->flags |= 1u << o;
				matched = true;
			}
			for (int p = 0; !matched && p < nposdef; p++)
				if (streq(def->positional[p], a + 2) && i + 1 < argc) {
					pos[p] = argv[++i];
					matched = true;
				}
			if (!matched) {
				fprintf(stderr, "error: command '%s' doesn't support option %s\n", def->name, a);
				return -1;
			}
			continue;
		}
		while (npos < nposdef && pos[npos])
			npos++;
		if (npos >= nposdef) {
			fprintf(stderr, "error: unexpected data '%s'\n", a);
			return -1;
		}
		pos[npos++] = a;
	}
	for (int p = 0; p < nposdef; p++)
		if (!pos[p]) {
			fprintf(stderr, "error: command '%s' requires <%s> option\n", def->name, def->positional[p]);
			return -1;
		}
	cmd->argv = pos;
	cmd->argc = nposdef;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "readonly", no_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ 0 },
	};
	struct vsh_ctl ctl = { 0 };
	const struct vsh_command *def;
	struct vsh_cmd cmd;
	const char *pos[8] = { 0 };
	int c, r;

	while ((c = getopt_long(argc, argv, "+c:rqhv", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			ctl.uri = optarg;
			break;
		case 'r':
			ctl.readonly = true;
			break;
		case 'q':
			ctl.quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'v':
			printf("%s\n", sepvirt_library_version());
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	if (streq(argv[optind], "help"))
		return cmd_help(argc - optind - 1, argv + optind + 1);
	def = find_command(argv[optind]);
	if (!def) {
		fprintf(stderr, "error: unknown command: '%s'\n", argv[optind]);
		return 1;
	}
	if (parse_command(def, argc - optind - 1, argv + optind + 1, &cmd, pos) < 0)
		return 1;
	r = def->run(&ctl, &cmd);
	sepvirt_close(ctl.conn);
	return r ? 1 : 0;
}
