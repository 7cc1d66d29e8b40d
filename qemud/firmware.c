/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* UEFI firmware: QEMU's firmware descriptors (docs/interop/firmware.json) read with json-c, and
 * the per-domain NVRAM copy. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic-file.h"
#include "argv.h"
#include "firmware.h"
#include "util.h"

#define UNSUPPORTED(err, ...) sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP, __VA_ARGS__)

/* Where firmware files may come from: qemud opens them for QEMU, and only there. */
static const char *const firmware_dirs[] = { "/usr/share/OVMF/", "/usr/share/qemu/", "/usr/share/edk2/" };

/* What one descriptor says, as far as sepvirt uses it. */
struct descriptor {
	const char *code, *vars;   /* mapping executable / nvram-template filenames */
	bool uefi, flash, raw;
	bool secure_boot, enrolled_keys, requires_smm;
	bool machine_ok;           /* targets name x86_64 and a pattern matching the machine */
};

static bool str_in_array(struct json_object *arr, const char *s)
{
	size_t n = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;

	for (size_t i = 0; i < n; i++) {
		const char *v = json_object_get_string(json_object_array_get_idx(arr, i));
		if (v && streq(v, s))
			return true;
	}
	return false;
}

static const char *get_str(struct json_object *o, const char *k1, const char *k2)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, k1, &v))
		return NULL;
	if (k2 && !json_object_object_get_ex(v, k2, &v))
		return NULL;
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* QEMU's aliases pc and q35 stand for the newest i440fx and q35 machine types. */
static bool machine_matches(struct json_object *targets, const char *machine)
{
	const char *m = !machine || streq(machine, "pc") ? "pc-i440fx-latest"
			: streq(machine, "q35") ? "pc-q35-latest" : machine;
	size_t n = json_object_is_type(targets, json_type_array) ? json_object_array_length(targets) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *t = json_object_array_get_idx(targets, i), *machines = NULL;
		const char *arch = get_str(t, "architecture", NULL);

		if (!arch || !streq(arch, "x86_64") || !json_object_object_get_ex(t, "machines", &machines))
			continue;
		for (size_t k = 0; k < json_object_array_length(machines); k++) {
			const char *pat = json_object_get_string(json_object_array_get_idx(machines, k));
			if (pat && fnmatch(pat, m, 0) == 0)
				return true;
		}
	}
	return false;
}

static void describe(struct json_object *o, const char *machine, struct descriptor *d)
{
	struct json_object *v = NULL, *mapping = NULL;
	const char *fmt;

	*d = (struct descriptor){ 0 };
	json_object_object_get_ex(o, "interface-types", &v);
	d->uefi = str_in_array(v, "uefi");
	json_object_object_get_ex(o, "mapping", &mapping);
	d->flash = streq(get_str(mapping, "device", NULL) ? get_str(mapping, "device", NULL) : "", "flash");
	d->code = get_str(mapping, "executable", "filename");
	d->vars = get_str(mapping, "nvram-template", "filename");
	fmt = get_str(mapping, "executable", "format");
	d->raw = !fmt || streq(fmt, "raw");
	v = NULL;
	json_object_object_get_ex(o, "features", &v);
	d->secure_boot = str_in_array(v, "secure-boot");
	d->enrolled_keys = str_in_array(v, "enrolled-keys");
	d->requires_smm = str_in_array(v, "requires-smm");
	v = NULL;
	json_object_object_get_ex(o, "targets", &v);
	d->machine_ok = machine_matches(v, machine);
}

static int by_name(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }

/* The descriptors of dir in order, each parsed; for each, want() decides. Returns the first that
 * wants, with its parsed object in *json (the caller puts it), or NULL. */
static struct json_object *find_descriptor(const char *dir, const char *machine,
					   bool (*want)(const struct descriptor *d, const void *arg), const void *arg,
					   struct descriptor *out)
{
	struct dirent **names = NULL;
	struct json_object *found = NULL;
	int n = scandir(dir, &names, NULL, by_name);

	for (int i = 0; i < n; i++) {
		size_t l = strlen(names[i]->d_name);
		if (!found && l > 5 && streq(names[i]->d_name + l - 5, ".json")) {
			_cleanup_free_ char *path = xasprintf("%s/%s", dir, names[i]->d_name);
			struct json_object *o = json_object_from_file(path);
			struct descriptor d;

			if (o) {
				describe(o, machine, &d);
				if (d.code && want(&d, arg)) {
					*out = d;
					found = o;
				} else {
					json_object_put(o);
				}
			}
		}
		free(names[i]);
	}
	free(names);
	return found;
}

/* firmware='efi': UEFI in flash, raw, for this machine, with Secure Boot and enrolled keys as the
 * <firmware> features ask (absent: without them, so a directly booted kernel is not checked). */
static bool want_auto(const struct descriptor *d, const void *arg)
{
	const struct domain_os *os = arg;
	bool sb = os->fw_secure_boot == DOMAIN_TRISTATE_YES, keys = os->fw_enrolled_keys == DOMAIN_TRISTATE_YES;

	return d->uefi && d->flash && d->raw && d->vars && d->machine_ok && d->secure_boot == (sb || keys) &&
	       d->enrolled_keys == keys && (d->requires_smm == d->secure_boot);
}

static bool want_code(const struct descriptor *d, const void *arg)
{
	return d->flash && streq(d->code, (const char *)arg);
}

static bool in_firmware_dirs(const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(firmware_dirs); i++)
		if (startswith(path, firmware_dirs[i]) && !strstr(path, "/../") && !strstr(path, "/./"))
			return true;
	return false;
}

static int check_firmware_path(const char *what, const char *path, struct sv_error *err)
{
	if (!in_firmware_dirs(path))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EACCES,
				    "%s '%s' is not in a firmware directory (/usr/share/OVMF, /usr/share/qemu, "
				    "/usr/share/edk2): qemud opens firmware for QEMU only there", what, path);
	return 0;
}

/* Secure Boot keeps the firmware's variables out of the guest OS's reach with SMM: q35 only. */
static int check_secure(const struct domain_def *def, struct sv_error *err)
{
	const struct domain_os *os = &def->os;
	const char *what = os->loader_secure == DOMAIN_TRISTATE_YES ? "loader secure='yes'"
			   : os->fw_secure_boot == DOMAIN_TRISTATE_YES ? "firmware feature 'secure-boot'"
			   : os->fw_enrolled_keys == DOMAIN_TRISTATE_YES ? "firmware feature 'enrolled-keys'" : NULL;

	if (what && !qemud_argv_is_q35(def))
		return UNSUPPORTED(err, "%s needs machine q35: Secure Boot relies on SMM, which sepvirt enables on q35 "
				   "only (machine '%s')", what, os->machine ? os->machine : "pc");
	if (os->fw_enrolled_keys == DOMAIN_TRISTATE_YES && os->fw_secure_boot == DOMAIN_TRISTATE_NO)
		return UNSUPPORTED(err, "firmware feature 'enrolled-keys' needs 'secure-boot'");
	return 0;
}

int qemud_firmware_resolve(struct domain_def *def, const char *descriptor_dir, const char *nvram_dir,
			   struct sv_error *err)
{
	struct domain_os *os = &def->os;
	struct json_object *o = NULL;
	struct descriptor d;
	int r = check_secure(def, err);

	if (r < 0)
		return r;
	if (!os->loader && (os->nvram || os->nvram_template))
		return UNSUPPORTED(err, "element 'os/nvram' needs a UEFI firmware (a pflash <loader> or firmware='efi')");
	if (os->firmware == DOMAIN_FIRMWARE_BIOS && os->loader)
		return UNSUPPORTED(err, "loader '%s' with firmware='bios' is not supported (BIOS boots QEMU's own SeaBIOS)",
				   os->loader);
	if (os->firmware != DOMAIN_FIRMWARE_EFI && !os->loader)
		return 0;
	if (!os->loader) {
		o = find_descriptor(descriptor_dir, os->machine, want_auto, os, &d);
		if (!o)
			return UNSUPPORTED(err, "firmware='efi': no firmware descriptor in %s offers UEFI for machine '%s' "
					   "%s Secure Boot%s (install Debian's ovmf)", descriptor_dir,
					   os->machine ? os->machine : "pc",
					   os->fw_secure_boot == DOMAIN_TRISTATE_YES ? "with" : "without",
					   os->fw_enrolled_keys == DOMAIN_TRISTATE_YES ? " and enrolled keys" : "");
		os->loader = xstrdup(d.code);
		os->loader_readonly = DOMAIN_TRISTATE_YES;
		os->loader_type = DOMAIN_LOADER_PFLASH;
		if (d.requires_smm)
			os->loader_secure = DOMAIN_TRISTATE_YES;
		if (!os->nvram_template)
			os->nvram_template = xstrdup(d.vars);
		json_object_put(o);
	}
	if (os->loader_type != DOMAIN_LOADER_PFLASH)
		return UNSUPPORTED(err, "loader '%s' of type '%s' is not supported: QEMU would open it by path (-bios); "
				   "use type='pflash'", os->loader, os->loader_type == DOMAIN_LOADER_ROM ? "rom" : "(none)");
	if (os->loader_readonly != DOMAIN_TRISTATE_YES)
		return UNSUPPORTED(err, "loader '%s' without readonly='yes' is not supported: the firmware code is shared "
				   "read-only, its variables live in <nvram>", os->loader);
	if ((r = check_firmware_path("loader", os->loader, err)) < 0)
		return r;
	o = find_descriptor(descriptor_dir, os->machine, want_code, os->loader, &d);
	if (o && d.requires_smm && os->loader_secure != DOMAIN_TRISTATE_YES) {
		json_object_put(o);
		return UNSUPPORTED(err, "loader '%s' is a Secure Boot build that requires SMM: give it secure='yes' "
				   "(machine q35)", os->loader);
	}
	if (o && !os->nvram_template && d.vars)
		os->nvram_template = xstrdup(d.vars);
	json_object_put(o);
	if (!os->nvram_template)
		return UNSUPPORTED(err, "loader '%s': no NVRAM template known for it (give <nvram template='...'/>)",
				   os->loader);
	if ((r = check_firmware_path("nvram template", os->nvram_template, err)) < 0)
		return r;
	_cleanup_free_ char *own = xasprintf("%s/%s_VARS.fd", nvram_dir, def->name);
	if (os->nvram && !streq(os->nvram, own))
		return UNSUPPORTED(err, "nvram '%s' is not supported: qemud keeps each domain's variable store as '%s'",
				   os->nvram, own);
	if (!os->nvram)
		os->nvram = TAKE_PTR(own);
	return 0;
}

static int open_firmware(const char *what, const char *path, struct sv_error *err)
{
	char real[PATH_MAX];
	int fd;

	/* Debian's .ms.fd names are symlinks within /usr/share/OVMF: checked once resolved. */
	if (!realpath(path, real))
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot open the %s '%s'", what, path);
	if (check_firmware_path(what, real, err) < 0)
		return -EACCES;
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot open the %s '%s'", what, path);
	return fd;
}

int qemud_firmware_open(const struct domain_def *def, int *loader_fd, int *nvram_fd, struct sv_error *err)
{
	const struct domain_os *os = &def->os;
	int lfd, nfd, r;

	if (!os->loader || !os->nvram || !os->nvram_template)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EINVAL, "domain '%s': firmware not resolved",
				    def->name);
	lfd = open_firmware("loader", os->loader, err);
	if (lfd < 0)
		return lfd;
	nfd = open(os->nvram, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (nfd < 0 && errno == ENOENT) {
		/* the domain's first start: its own copy of the template, on disk before QEMU writes it */
		_cleanup_free_ char *data = NULL;
		size_t len = 0;
		int tfd = open_firmware("nvram template", os->nvram_template, err);

		if (tfd < 0) {
			close(lfd);
			return tfd;
		}
		close(tfd);
		if ((r = file_read_all(os->nvram_template, &data, &len, err)) < 0 ||
		    (r = atomic_file_write(os->nvram, data, len, 0600, err)) < 0) {
			close(lfd);
			return r;
		}
		nfd = open(os->nvram, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	}
	if (nfd < 0) {
		r = sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot open the NVRAM '%s'", os->nvram);
		close(lfd);
		return r;
	}
	*loader_fd = lfd;
	*nvram_fd = nfd;
	return 0;
}

bool qemud_firmware_has_nvram(const char *nvram_dir, const char *name)
{
	_cleanup_free_ char *path = xasprintf("%s/%s_VARS.fd", nvram_dir, name);
	struct stat st;

	return lstat(path, &st) == 0;
}

int qemud_firmware_remove_nvram(const char *nvram_dir, const char *name, struct sv_error *err)
{
	_cleanup_free_ char *path = xasprintf("%s/%s_VARS.fd", nvram_dir, name);

	if (!qemud_firmware_has_nvram(nvram_dir, name))
		return 0;
	return atomic_file_remove(path, err);
}
