// SPDX-License-Identifier: LGPL-2.1-or-later
/* For each domain XML given: whether sepvirt accepts it at define (parse + the dry-run argv
 * build qemud's define runs) and, when it does, the QEMU command line, one argument per line.
 * Output, per file:  "== NAME", then "OK" and the arguments, or "REFUSED <message>".
 * tests/xml/argv-coverage.py compares that with libvirt's .args for the same inputs. */
#include "config.h"

#include <stdio.h>

#include "atomic-file.h"
#include "../../qemud/argv.h"
#include "../../qemud/firmware.h"

static void dump_one(const char *path)
{
	_cleanup_free_ char *xml = NULL;
	_cleanup_command_ struct command *cmd = NULL;
	_cleanup_domain_def_ struct domain_def *def = NULL;
	struct qemud_argv_fds fds = { .qmp_listen = -1, .loader = -1, .nvram = -1, .dry_run = true };
	struct sv_error err = { 0 };
	size_t len;
	int r;

	printf("== %s\n", path);
	if (file_read_all(path, &xml, &len, NULL) < 0) {
		printf("REFUSED cannot read %s\n", path);
		return;
	}
	r = domain_def_parse(xml, len, DOMAIN_PARSE_INACTIVE, &def, &err);
	if (r >= 0 && def->type != DOMAIN_VIRT_KVM && def->type != DOMAIN_VIRT_QEMU)
		r = sv_error_set(&err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP, "domain type '%s'",
				 domain_virt_type_to_string(def->type));
	if (r >= 0) {
		_cleanup_free_ int *taps = xmalloc((def->ninterfaces + 1) * sizeof(int));

		for (size_t i = 0; i < def->ninterfaces; i++)
			taps[i] = -1;
		fds.taps = taps;
		r = qemud_firmware_resolve(def, QEMUD_FIRMWARE_DESCRIPTORS, "/var/lib/sepvirt/qemu/nvram", &err);
		if (r >= 0)
			r = qemud_argv_build(def, def->emulator ? def->emulator : "/usr/bin/qemu-system-x86_64", &fds, &cmd,
					     &err);
	}
	if (r < 0) {
		printf("REFUSED %s\n", err.message);
		return;
	}
	printf("OK\n");
	for (char *const *a = command_argv(cmd); *a; a++)
		printf("%s\n", *a);
}

/* --xml FILE: the canonical XML of FILE instead (what dumpxml of the definition would print),
 * to write a corpus case's NAME.out.xml. */
static int format_one(const char *path)
{
	_cleanup_free_ char *xml = NULL, *out = NULL;
	_cleanup_domain_def_ struct domain_def *def = NULL;
	struct sv_error err = { 0 };
	size_t len;

	if (file_read_all(path, &xml, &len, NULL) < 0 ||
	    domain_def_parse(xml, len, DOMAIN_PARSE_INACTIVE, &def, &err) < 0 ||
	    domain_def_format(def, DOMAIN_FORMAT_INACTIVE, &out, &err) < 0) {
		fprintf(stderr, "%s: %s\n", path, err.message);
		return 1;
	}
	fputs(out, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && streq(argv[1], "--xml"))
		return format_one(argv[2]);
	for (int i = 1; i < argc; i++)
		dump_one(argv[i]);
	return 0;
}
