/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh: a virsh-like command line on top of libsepvirt.
 *   sepvirsh [-c URI] [-r] [-q] COMMAND [ARG]...
 *   sepvirsh help [COMMAND]
 *   sepvirsh [-c URI] [-r] [-q]           (an interactive shell)
 * Errors go to stderr as "error: ..." and the exit status is 1, as with virsh. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "sepvirsh.h"
#include "util.h"

static const struct vsh_command *const tables[] = { vsh_host_commands, vsh_domain_commands,
						     vsh_storage_commands, vsh_network_commands, vsh_event_commands,
						     vsh_console_commands, vsh_stats_commands, vsh_hotplug_commands,
						     vsh_save_commands, vsh_snapshot_commands, vsh_resize_commands,
						     vsh_undefine_commands, NULL };

bool vsh_quiet;

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

int vsh_lookup_domain(struct vsh_ctl *ctl, const char *arg, sepvirt_domain *d)
{
	sepvirt_conn *conn = vsh_conn(ctl);
	const sepvirt_error *e;

	if (!conn)
		return -1;
	if (sepvirt_domain_lookup(conn, arg, d) == 0)
		return 0;
	e = sepvirt_last_error();
	/* "not found" is all virsh says: it drops the library's own words for it */
	fprintf(stderr, "error: failed to get domain '%s'\n", arg);
	if (!e || e->code != SEPVIRT_ERR_NO_DOMAIN)
		fprintf(stderr, "error: %s\n", e && e->message ? e->message : "unknown error");
	return -1;
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

bool vsh_flag(const struct vsh_cmd *cmd, const char *const *options, const char *opt)
{
	for (int i = 0; options && options[i]; i++)
		if (opt_is(options[i], opt, strlen(opt)))
			return cmd->flags & (1u << i);
	return false;
}

bool vsh_has(const struct vsh_cmd *cmd, const struct vsh_command *def, const char *opt)
{
	return vsh_flag(cmd, def->options, opt);
}

const char *vsh_opt_value(const struct vsh_cmd *cmd, const struct vsh_command *def, const char *opt)
{
	for (int i = 0; def->options && def->options[i] && i < (int)ARRAY_SIZE(cmd->optvals); i++)
		if (opt_is(def->options[i], opt, strlen(opt)))
			return cmd->optvals[i];
	return NULL;
}

/* virsh -V: what this sepvirsh was built with and drives. */
static void print_build_info(void)
{
	printf("sepvirsh command line tool of sepvirt %s\n\n"
	       "Compiled with support for:\n"
	       " Hypervisors: QEMU/KVM (sepvirt-qemud) LXC (sepvirt-lxcd)\n"
	       " Networking: Remote (qemu+ssh) Ethernet Bridging Virtual-networks (sepvirt-netd: nftables, dnsmasq)\n"
	       " Storage: Dir\n"
	       " Miscellaneous: Daemon (sepvirtd) libvirt remote protocol (sepvirt-proxyd)\n",
	       sepvirt_library_version());
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: sepvirsh [-c URI] [-r] [-q] [COMMAND [ARG]...]\n"
		   "       (without a command: an interactive shell; commands end with ';' or a new line)\n\n"
		   "  -c, --connect URI   qemu:///system (default as root), qemu:///session, lxc:///system\n"
		   "  -r, --readonly      connect to the read-only socket\n"
		   "  -q, --quiet         quieter output\n"
		   "  -v, --version       print the library version\n"
		   "  -V                  print what sepvirsh was built with\n\n"
		   "Commands:\n");
	for (size_t t = 0; tables[t]; t++)
		for (const struct vsh_command *c = tables[t]; c->name; c++)
			fprintf(f, "    %-16s %s\n", c->name, c->help);
	fprintf(f, "    %-16s %s\n", "help", "print help for a command (help COMMAND), or this list");
}

/* A positional argument is declared "name", "name?" (optional) or "name..." (the rest of the
 * words, none or more; the last one only). */
static size_t pos_len(const char *decl) { return strcspn(decl, "?."); }
static bool pos_optional(const char *decl) { return decl[pos_len(decl)] != '\0'; }
static bool pos_rest(const char *decl) { return decl[pos_len(decl)] == '.'; }

/* virsh's "help COMMAND": NAME and SYNOPSIS, every option the command takes. The man page test
 * and the bash completion read this, so neither drifts from the tables. */
static void print_synopsis(const struct vsh_command *c)
{
	printf("  NAME\n    %s - %s\n\n  SYNOPSIS\n    %s", c->name, c->help, c->name);
	for (int i = 0; c->positional && c->positional[i]; i++) {
		const char *d = c->positional[i];
		printf(pos_optional(d) ? " [<%.*s>]%s" : " <%.*s>%s", (int)pos_len(d), d, pos_rest(d) ? "..." : "");
	}
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
		fprintf(stderr, "error: command or command group '%s' doesn't exist\n", argv[0]);
		return 1;
	}
	print_synopsis(c);
	return 0;
}

/* Options are --name (a flag) or --name VALUE for a positional given by name, as virsh allows. */
static int parse_command(const struct vsh_command *def, int argc, char **argv, struct vsh_cmd *cmd,
			 const char **pos)
{
	int npos = 0, nposdef = 0, nrest = 0;
	bool only_values = false;

	while (def->positional && def->positional[nposdef])
		nposdef++;
	memset(cmd, 0, sizeof(*cmd));
	cmd->name = def->name;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool matched = false;
		if (streq(a, "--") && !only_values) {
			only_values = true; /* what follows is data, even when it starts with "--" */
			continue;
		}
		if (startswith(a, "--") && !only_values) {
			size_t nlen = strcspn(a + 2, "=");
			for (int o = 0; !matched && def->options && def->options[o]; o++) {
				bool valued = strchr(def->options[o], '=') != NULL;
				if (!opt_is(def->options[o], a + 2, nlen) || (!valued && a[2 + nlen]))
					continue;
				if (cmd->flags & (1u << o)) {
					fprintf(stderr, "error: option --%.*s already seen\n", (int)nlen, a + 2);
					return -1;
				}
				if (valued && o < (int)ARRAY_SIZE(cmd->optvals)) {
					/* --name VALUE or --name=VALUE */
					if (a[2 + nlen] == '=') {
						cmd->optvals[o] = a + 3 + nlen;
					} else if (i + 1 < argc) {
						cmd->optvals[o] = argv[++i];
					} else {
						fprintf(stderr, "error: expected syntax: --%.*s <string>\n", (int)nlen, a + 2);
						return -1;
					}
				}
				cmd->flags |= 1u << o;
				matched = true;
			}
			/* a positional given by name: --domain NAME or --domain=NAME */
			for (int p = 0; !matched && p < nposdef; p++) {
				const char *d = def->positional[p];
				if (pos_rest(d) || pos_len(d) != nlen || strncmp(d, a + 2, nlen))
					continue;
				if (pos[p]) {
					fprintf(stderr, "error: option --%.*s already seen\n", (int)nlen, d);
					return -1;
				}
				if (a[2 + nlen] == '=')
					pos[p] = a + 3 + nlen;
				else if (i + 1 < argc)
					pos[p] = argv[++i];
				else {
					fprintf(stderr, "error: expected syntax: --%.*s <string>\n", (int)nlen, d);
					return -1;
				}
				matched = true;
			}
			if (!matched) {
				fprintf(stderr, "error: command '%s' doesn't support option %s\n", def->name, a);
				return -1;
			}
			continue;
		}
		while (npos < nposdef && pos[npos] && !pos_rest(def->positional[npos]))
			npos++;
		if (npos < nposdef && pos_rest(def->positional[npos])) {
			if (nrest == VSH_POS_MAX - nposdef) {
				fprintf(stderr, "error: too many arguments (limit %d)\n", VSH_POS_MAX - nposdef);
				return -1;
			}
			pos[npos + nrest++] = a;
			continue;
		}
		if (npos >= nposdef) {
			fprintf(stderr, "error: unexpected data '%s'\n", a);
			return -1;
		}
		pos[npos++] = a;
	}
	for (int p = 0; p < nposdef; p++)
		if (!pos[p] && !pos_optional(def->positional[p])) {
			fprintf(stderr, "error: command '%s' requires <%s> option\n", def->name, def->positional[p]);
			return -1;
		}
	cmd->argv = pos;
	cmd->argc = nposdef && pos_rest(def->positional[nposdef - 1]) ? nposdef - 1 + nrest : nposdef;
	return 0;
}

int vsh_run(struct vsh_ctl *ctl, int argc, char **argv)
{
	const struct vsh_command *def;
	struct vsh_cmd cmd;
	const char *pos[VSH_POS_MAX] = { 0 };
	int r;

	if (streq(argv[0], "help")) {
		r = cmd_help(argc - 1, argv + 1);
		if (!ctl->quiet)
			putchar('\n');
		return r;
	}
	def = find_command(argv[0]);
	if (!def) {
		fprintf(stderr, "error: unknown command: '%s'\n", argv[0]);
		return 1;
	}
	if (parse_command(def, argc - 1, argv + 1, &cmd, pos) < 0)
		return 1;
	r = def->run(ctl, &cmd) ? 1 : 0;
	/* virsh ends every command that ran, failed or not, with a blank line (not with -q) */
	if (!ctl->quiet)
		putchar('\n');
	return r;
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
	int c, r;

	opterr = 0; /* virsh's one line instead of getopt's */
	while ((c = getopt_long(argc, argv, "+:c:rqhvV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			ctl.uri = optarg;
			break;
		case 'r':
			ctl.readonly = true;
			break;
		case 'q':
			ctl.quiet = vsh_quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'v':
			printf("%s\n", sepvirt_library_version());
			return 0;
		case 'V':
			print_build_info();
			return 0;
		case ':':
			fprintf(stderr, "error: option '%s' requires an argument\n", argv[optind - 1]);
			return 1;
		default:
			if (optopt)
				fprintf(stderr, "error: unsupported option '-%c'. See --help.\n", optopt);
			else
				fprintf(stderr, "error: unsupported option '%s'. See --help.\n", argv[optind - 1]);
			return 1;
		}
	}
	/* no command: the interactive shell, as virsh */
	r = optind >= argc ? vsh_shell(&ctl) : vsh_run(&ctl, argc - optind, argv + optind);
	sepvirt_close(ctl.conn);
	free(ctl.uri_owned);
	return r;
}
