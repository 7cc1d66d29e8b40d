/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemuxml2argv: for every tests/qemuxml2argv/NAME.xml, the QEMU command line qemud builds
 * equals NAME.args (fds are numbered 3, 4, ... in order, so they are stable), or the build
 * fails with the message in NAME.err. SV_REGENERATE=1 rewrites the .args files. */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "test-skip.h"

#include "atomic-file.h"
#include "../../qemud/argv.h"
#include "../../qemud/firmware.h"

static char *data_dir;

static char *path_of(const char *name, const char *ext)
{
	return xasprintf("%s/%s%s", data_dir, name, ext);
}

static void check_one(void **state)
{
	const char *name = *state;
	_cleanup_free_ char *xml_path = path_of(name, ".xml"), *args_path = path_of(name, ".args");
	_cleanup_free_ char *err_path = path_of(name, ".err");
	_cleanup_free_ char *xml = NULL, *expected = NULL, *got = NULL;
	_cleanup_command_ struct command *cmd = NULL;
	struct domain_def *def = NULL;
	struct qemud_argv_fds fds = { .qmp_listen = -1, .loader = -1, .nvram = -1, .dry_run = true };
	_cleanup_free_ char *fw_dir = xasprintf("%s/firmware", data_dir);
	struct sv_error err;
	size_t len;
	int r;

	assert_int_equal(file_read_all(xml_path, &xml, &len, NULL), 0);
	r = domain_def_parse(xml, len, DOMAIN_PARSE_INACTIVE, &def, &err);
	/* refused when defined: by the parser, or by the dry run below */
	if (r < 0 && file_read_all(err_path, &expected, NULL, NULL) == 0) {
		expected[strcspn(expected, "\n")] = '\0';
		assert_string_equal(err.message, expected);
		return;
	}
	if (r < 0)
		fail_msg("%s: %s", xml_path, err.message);
	/* the firmware as qemud resolves it at define and start, from the test's own descriptors */
	r = qemud_firmware_resolve(def, fw_dir, "/var/lib/sepvirt/qemu/nvram", &err);
	if (r < 0 && file_read_all(err_path, &expected, NULL, NULL) == 0) {
		domain_def_free(def);
		expected[strcspn(expected, "\n")] = '\0';
		assert_string_equal(err.message, expected);
		return;
	}
	if (r < 0)
		fail_msg("%s: %s", xml_path, err.message);
	_cleanup_free_ int *taps = xmalloc((def->ninterfaces + 1) * sizeof(int));
	_cleanup_free_ int *vhosts = xmalloc((def->ninterfaces + 1) * sizeof(int));
	for (size_t i = 0; i < def->ninterfaces; i++)
		taps[i] = vhosts[i] = -1;
	fds.taps = taps;
	/* A qcow2 volume disk stands as its volume over one qcow2 backing layer (storaged's reply). */
	_cleanup_free_ struct qemud_argv_volume *vols = xcalloc(def->ndisks + 1, sizeof(*vols));
	struct qemud_argv_layer layers[16][2];
	for (size_t i = 0; i < def->ndisks && i < 16; i++) {
		const struct domain_disk *d = &def->disks[i];
		if (d->type != DOMAIN_DISK_TYPE_VOLUME || d->format != DOMAIN_DISK_FORMAT_QCOW2)
			continue;
		layers[i][0] = (struct qemud_argv_layer){ .fd = -1, .read_only = d->readonly, .format = (char *)"qcow2" };
		layers[i][1] = (struct qemud_argv_layer){ .fd = -1, .read_only = true, .format = (char *)"qcow2" };
		vols[i].layers = layers[i];
		vols[i].nlayers = 2;
	}
	fds.volumes = vols;
	/* vhost-net is assumed usable for kvm domains, not for TCG ones. */
	fds.vhosts = def->type == DOMAIN_VIRT_KVM ? vhosts : NULL;
	r = qemud_argv_build(def, def->emulator ? def->emulator : "/usr/bin/qemu-system-x86_64", &fds, &cmd, &err);
	domain_def_free(def);
	if (file_read_all(err_path, &expected, NULL, NULL) == 0) {
		if (r >= 0)
			fail_msg("%s: built, but %s expects an error", name, err_path);
		expected[strcspn(expected, "\n")] = '\0';
		assert_string_equal(err.message, expected);
		return;
	}
	if (r < 0)
		fail_msg("%s: %s", name, err.message);
	got = command_to_string(cmd);
	if (getenv("SV_REGENERATE")) {
		assert_int_equal(atomic_file_write(args_path, got, strlen(got), 0644, NULL), 0);
		return;
	}
	if (file_read_all(args_path, &expected, NULL, NULL) < 0)
		fail_msg("%s missing; got:\n%s", args_path, got);
	if (!streq(expected, got))
		fail_msg("%s differs; got:\n%s", args_path, got);
}

static void escape(void **state)
{
	_cleanup_free_ char *a = qemud_argv_escape("a,b,,c");
	assert_string_equal(a, "a,,b,,,,c");
}

int main(void)
{
	const char *src = getenv("abs_top_srcdir");
	struct CMUnitTest tests[128];
	size_t n = 0;
	struct dirent *e;
	DIR *dir;

	data_dir = xasprintf("%s/tests/qemuxml2argv", src ? src : ".");
	dir = opendir(data_dir);
	if (!dir) {
		fprintf(stderr, "cannot open %s\n", data_dir);
		return 1;
	}
	tests[n++] = (struct CMUnitTest){ .name = "escape", .test_func = escape };
	while ((e = readdir(dir)) && n < ARRAY_SIZE(tests)) {
		size_t l = strlen(e->d_name);
		if (l < 5 || !streq(e->d_name + l - 4, ".xml"))
			continue;
		tests[n++] = (struct CMUnitTest){ .name = xstrndup(e->d_name, l - 4), .test_func = check_one,
						  .initial_state = (void *)xstrndup(e->d_name, l - 4) };
	}
	closedir(dir);
	int r = _cmocka_run_group_tests("qemuxml2argv", tests, n, NULL, NULL);
	for (size_t i = 1; i < n; i++) {
		free((char *)tests[i].name);
		free(tests[i].initial_state);
	}
	return r;
}
