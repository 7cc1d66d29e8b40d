/* sepvirsh: a virsh-like command line on top of libsepvirt.
 *   sepvirsh [-c URI] [-r] [-q] COMMAND [ARG]...
 * Errors go to stderr as "error: ..." and the exit status is 1, as with virsh. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "sepvirsh.h"
#include "util.h"

static const struct vsh_command *const tables[] = { vsh_host_commands, vsh_domain_commands, NULL };

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

static const struct vsh_command *find_command(const char *name)
{
	for (size_t t = 0; tables[t]; t++)
		for (const struct vsh_command *c = tables[t]; c->name; c++)
			if (streq(c->name, name))
				return c;
	return NULL;
}

bool vsh_has(const struct vsh_cmd *cmd, const struct vsh_command *def, const char *opt)
{
	for (int i = 0; def->options && def->options[i]; i++)
		if (streq(def->options[i], opt))
			return cmd->flags & (1u << i);
	return false;
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
			for (int o = 0; def->options && def->options[o]; o++)
				if (streq(def->options[o], a + 2)) {
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
