/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh setmem, setmaxmem, setvcpus and shutdown --mode, with virsh's options, messages and
 * the calls virsh makes (no flag given: the call without flags, which the QEMU driver runs on the
 * running domain). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sepvirsh.h"
#include "util.h"
#include "xml/units.h"

static const char *const size_pos[] = { "domain", "size", NULL };
static const char *const count_pos[] = { "domain", "count", NULL };
static const char *const mem_opts[] = { "config", "live", "current", NULL };
static const char *const vcpus_opts[] = { "maximum", "config", "live", "current", "guest", "hotpluggable", NULL };

/* --current excludes --live and --config, as virsh; the flags, or -1 after the error. */
static int affect_flags(const struct vsh_cmd *cmd, const char *const *opts)
{
	bool current = vsh_flag(cmd, opts, "current"), live = vsh_flag(cmd, opts, "live");
	bool config = vsh_flag(cmd, opts, "config");

	if (current && (live || config)) {
		fprintf(stderr, "error: Options --current and --%s are mutually exclusive\n", live ? "live" : "config");
		return -1;
	}
	return (live ? SEPVIRT_AFFECT_LIVE : 0) | (config ? SEPVIRT_AFFECT_CONFIG : 0);
}

/* virsh's scaled integer: digits, then a unit (default KiB); in KiB, rounded up. */
static int parse_kib(const char *arg, const char *opt, unsigned long long *kib)
{
	_cleanup_free_ char *number = xstrdup(arg);
	unsigned long long bytes;
	struct sv_error err;
	char *unit = number;

	while (isdigit((unsigned char)*unit))
		unit++;
	_cleanup_free_ char *u = xstrdup(unit);
	*unit = '\0';
	if (!*number || sv_units_parse(number, u, 1024, (unsigned long long)INT64_MAX, &bytes, &err) < 0) {
		fprintf(stderr, "error: Scaled numeric value '%s' for <%s> option is malformed or out of range\n", arg, opt);
		return -1;
	}
	*kib = bytes / 1024 + (bytes % 1024 != 0);
	return 0;
}

static int cmd_setmem(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	bool max = streq(cmd->name, "setmaxmem");
	int flags = affect_flags(cmd, mem_opts);
	unsigned long long kib;
	sepvirt_domain d;

	if (flags < 0 || vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	if (parse_kib(cmd->argv[1], "size", &kib) < 0)
		return 1;
	/* without flags virsh calls virDomainSetMemory / virDomainSetMaxMemory: the QEMU driver runs
	 * them on the running domain, the maximum on its current state */
	if (!flags && !max)
		flags = SEPVIRT_AFFECT_LIVE;
	if (sepvirt_domain_set_memory_flags(ctl->conn, d.name, kib, (unsigned)flags | (max ? SEPVIRT_SET_MAXIMUM : 0)) < 0)
		return vsh_fail(max ? "Unable to change MaxMemorySize" : NULL);
	return 0;
}

static int cmd_setvcpus(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	int flags = affect_flags(cmd, vcpus_opts);
	unsigned extra = 0;
	sepvirt_domain d;
	char *end;
	long count;

	if (flags < 0)
		return 1;
	if (vsh_flag(cmd, vcpus_opts, "maximum") && !vsh_flag(cmd, vcpus_opts, "config")) {
		fprintf(stderr, "error: Option --config is required by option --maximum\n");
		return 1;
	}
	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	errno = 0;
	count = strtol(cmd->argv[1], &end, 10);
	if (errno || end == cmd->argv[1] || *end || count > INT32_MAX || count < INT32_MIN) {
		fprintf(stderr, "error: Numeric value '%s' for <count> option is malformed or out of range\n", cmd->argv[1]);
		return 1;
	}
	if (count < 0) {
		fprintf(stderr, "error: Invalid number of virtual CPUs\n");
		return 1;
	}
	/* libvirt's VIR_DOMAIN_VCPU_GUEST and _HOTPLUGGABLE: passed on, the driver refuses them by value */
	extra |= vsh_flag(cmd, vcpus_opts, "maximum") ? SEPVIRT_SET_MAXIMUM : 0;
	extra |= vsh_flag(cmd, vcpus_opts, "guest") ? 8u : 0;
	extra |= vsh_flag(cmd, vcpus_opts, "hotpluggable") ? 16u : 0;
	if (!flags && !extra)
		flags = SEPVIRT_AFFECT_LIVE; /* virDomainSetVcpus */
	if (sepvirt_domain_set_vcpus_flags(ctl->conn, d.name, (unsigned)count, (unsigned)flags | extra) < 0)
		return vsh_fail(NULL);
	return 0;
}

static const char *const shutdown_opts[] = { "mode=", NULL };

/* virsh shutdown [--mode acpi,agent,...]: libvirt's modes, in its order of bits. */
static int cmd_shutdown(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	static const char *const modes[] = { "acpi", "agent", "initctl", "signal", "paravirt" };
	const char *mode = cmd->optvals[0]; /* shutdown_opts[0] */
	unsigned flags = 0;
	sepvirt_domain d;
	char msg[512];
	int r;

	if (mode) {
		_cleanup_free_ char *list = xstrdup(mode);
		char *save = NULL;
		for (char *m = strtok_r(list, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
			size_t i;
			for (i = 0; i < ARRAY_SIZE(modes) && !streq(m, modes[i]); i++)
				;
			if (i == ARRAY_SIZE(modes)) {
				fprintf(stderr, "error: Unknown mode %s value, expecting 'acpi', 'agent', 'initctl', 'signal', or 'paravirt'\n", m);
				return 1;
			}
			flags |= 1u << i;
		}
	}
	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	r = flags ? sepvirt_domain_shutdown_flags(ctl->conn, d.name, flags) : sepvirt_domain_shutdown(ctl->conn, d.name);
	if (r < 0) {
		snprintf(msg, sizeof(msg), "Failed to shutdown domain '%s'", d.name);
		return vsh_fail(msg);
	}
	printf("Domain '%s' is being shutdown\n", d.name);
	return 0;
}

static const char *const dom_pos[] = { "domain", NULL };

const struct vsh_command vsh_resize_commands[] = {
	{ "setmem", "change memory allocation, through the balloon while running (--config, --live, --current)", mem_opts, size_pos, cmd_setmem },
	{ "setmaxmem", "change maximum memory limit (--config; not while running)", mem_opts, size_pos, cmd_setmem },
	{ "setvcpus", "change number of virtual CPUs (--maximum, --config, --live, --current)", vcpus_opts, count_pos, cmd_setvcpus },
	{ "shutdown", "gracefully shut down a domain (--mode acpi|agent)", shutdown_opts, dom_pos, cmd_shutdown },
	{ NULL },
};
