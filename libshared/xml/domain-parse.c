/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain XML → struct domain_def: the top-level elements, os, cpu and defaults.
 * Devices are in domain-parse-devices.c. Every element and attribute is either
 * understood, kept verbatim (when it does not change the guest) or refused by name. */
#include "config.h"

#include <errno.h>
#include <limits.h>

#include "util.h"
#include "xml/domain-priv.h"
#include "xml/xml-util.h"

#define DOMAIN_VCPUS_MAX 4096

static const char *const no_attrs[] = { NULL };

static int parse_string_once(const xmlNode *node, const char *path, char **field,
			     struct sv_error *err)
{
	int r = xml_check_once(*field, path, err);

	if (r < 0)
		return r;
	r = xml_check_attrs(node, path, no_attrs, err);
	if (r < 0)
		return r;
	*field = xml_text_trimmed(node);
	return 0;
}

static int parse_title(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	int r = xml_check_once(def->title, "title", err);

	if (r < 0)
		return r;
	def->title = xml_text(node);
	if (strchr(def->title, '\n'))
		return xml_err(err, "title can't contain newlines");
	return 0;
}

static int parse_description(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	int r = xml_check_once(def->description, "description", err);

	if (r < 0)
		return r;
	def->description = xml_text(node);
	return 0;
}

static int parse_memory(const xmlNode *node, const char *path, unsigned long long *kib,
			struct sv_error *err)
{
	static const char *const allowed[] = { "unit", NULL };
	_cleanup_free_ char *num = NULL;
	int r;

	if (*kib)
		return xml_check_once(path, path, err);
	r = xml_check_attrs(node, path, allowed, err);
	if (r < 0)
		return r;
	num = xml_text_trimmed(node);
	r = sv_units_parse_kib(num, xml_attr(node, "unit"), kib, err);
	if (r < 0)
		return r;
	if (*kib == 0)
		return xml_err(err, "element '%s' must be greater than 0", path);
	return 0;
}

static int parse_vcpu(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "placement", "cpuset", "current", NULL };
	const char *placement = xml_attr(node, "placement");
	const char *cpuset = xml_attr(node, "cpuset");
	unsigned long long n;
	int r;

	if (def->vcpus)
		return xml_check_once("vcpu", "vcpu", err);
	r = xml_check_attrs(node, "vcpu", allowed, err);
	if (r < 0)
		return r;
	if (placement && !streq(placement, "static"))
		return xml_err_unsupported(err, "vcpu placement '%s' is not supported", placement);
	r = xml_text_ull(node, "vcpu", DOMAIN_VCPUS_MAX, &n, err);
	if (r < 0)
		return r;
	if (n == 0)
		return xml_err(err, "Invalid number of vCPUs '0'");
	def->vcpus = (unsigned)n;
	r = xml_attr_uint(node, "vcpu", "current", DOMAIN_VCPUS_MAX, &def->vcpus_current, err);
	if (r < 0)
		return r;
	if (def->vcpus_current > def->vcpus)
		return xml_err(err, "current vcpus count (%u) must not exceed the maximum (%u)",
			       def->vcpus_current, def->vcpus);
	if (cpuset) {
		/* "1-4,8-20,^6": it reaches sched_setaffinity, so only these characters. */
		if (!*cpuset || cpuset[strspn(cpuset, "0123456789,-^ ")])
			return xml_err(err, "Invalid value for attribute 'cpuset' in element 'vcpu': '%s'",
				       cpuset);
		def->vcpu_cpuset = xstrdup(cpuset);
	}
	return 0;
}

static int parse_os_type(const xmlNode *node, struct domain_os *os, struct sv_error *err)
{
	static const char *const allowed[] = { "arch", "machine", NULL };
	_cleanup_free_ char *t = NULL;
	int r = xml_check_attrs(node, "os/type", allowed, err);

	if (r < 0)
		return r;
	if (os->arch || os->machine)
		return xml_check_once("os/type", "os/type", err);
	t = xml_text_trimmed(node);
	r = XML_ENUM_FROM(domain_os_type_names, t);
	if (r < 0)
		return xml_err_unsupported(err, "os type '%s' is not supported", t);
	os->type = r;
	os->arch = xml_attr_dup(node, "arch");
	os->machine = xml_attr_dup(node, "machine");
	/* Both end up in an argv or a path: keep them to plain identifiers. */
	if (os->arch && (!*os->arch || os->arch[strspn(os->arch, "abcdefghijklmnopqrstuvwxyz0123456789_")]))
		return xml_err(err, "Invalid value for attribute 'arch' in element 'type': '%s'", os->arch);
	if (os->machine && (!*os->machine || os->machine[strspn(os->machine,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")]))
		return xml_err(err, "Invalid value for attribute 'machine' in element 'type': '%s'",
			       os->machine);
	return 0;
}

static int parse_os_boot(const xmlNode *node, struct domain_os *os, struct sv_error *err)
{
	static const char *const allowed[] = { "dev", NULL };
	int r = xml_check_attrs(node, "os/boot", allowed, err), dev;

	if (r < 0)
		return r;
	r = XML_ATTR_ENUM(node, "boot", "dev", domain_boot_dev_names, -1, &dev, err);
	if (r < 0)
		return r;
	if (os->nboot == DOMAIN_BOOT_LAST)
		return xml_err(err, "at most %d boot devices can be given", DOMAIN_BOOT_LAST);
	os->boot[os->nboot++] = dev;
	return 0;
}

static int parse_os_initenv(const xmlNode *node, struct domain_os *os, struct sv_error *err)
{
	static const char *const allowed[] = { "name", NULL };
	struct domain_env *env;
	const char *name;
	int r = xml_check_attrs(node, "os/initenv", allowed, err);

	if (r < 0)
		return r;
	name = xml_attr(node, "name");
	/* An environment variable name: letters, digits, '_', not starting with a digit. */
	if (!name || !*name || (*name >= '0' && *name <= '9') ||
	    name[strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")])
		return xml_err(err, "Invalid value for attribute 'name' in element 'initenv': '%s'",
			       name ? name : "");
	env = MODEL_APPEND(os->initenv, os->ninitenv);
	env->name = xstrdup(name);
	env->value = xml_text(node);
	return 0;
}

/* <loader readonly=... secure=... type=...>PATH</loader>: the firmware's code. */
static int parse_os_loader(const xmlNode *node, struct domain_os *os, struct sv_error *err)
{
	static const char *const allowed[] = { "readonly", "secure", "type", NULL };
	static const char *const types[DOMAIN_LOADER_LAST] = { NULL, "rom", "pflash" };
	int r = xml_check_once(os->loader, "os/loader", err), v;

	if (r < 0 || (r = xml_check_attrs(node, "os/loader", allowed, err)) < 0)
		return r;
	if ((r = xml_attr_yesno(node, "loader", "readonly", &v, err)) < 0)
		return r;
	os->loader_readonly = v;
	if ((r = xml_attr_yesno(node, "loader", "secure", &v, err)) < 0)
		return r;
	os->loader_secure = v;
	if ((r = XML_ATTR_ENUM(node, "loader", "type", types, DOMAIN_LOADER_NONE, &v, err)) < 0)
		return r;
	os->loader_type = v;
	os->loader = xml_text_trimmed(node);
	/* it is opened for QEMU by path: an absolute one */
	if (os->loader[0] != '/')
		return xml_err(err, "loader path '%s' is not absolute", os->loader);
	return 0;
}

/* <nvram template=...>PATH</nvram>: the domain's own variable store and what it is copied from. */
static int parse_os_nvram(const xmlNode *node, struct domain_os *os, struct sv_error *err)
{
	static const char *const allowed[] = { "template", NULL };
	int r = xml_check_once(os->nvram || os->nvram_template ? "" : NULL, "os/nvram", err);

	if (r < 0 || (r = xml_check_attrs(node, "os/nvram", allowed, err)) < 0)
		return r;
	if ((r = xml_check_no_children(node, "os/nvram", err)) < 0)
		return r;
	os->nvram_template = xml_attr_dup(node, "template");
	os->nvram = xml_text_trimmed(node);
	if (!*os->nvram) {
		free(os->nvram);
		os->nvram = NULL;
	}
	if ((os->nvram && os->nvram[0] != '/') || (os->nvram_template && os->nvram_template[0] != '/'))
		return xml_err(err, "nvram path '%s' is not absolute",
			       os->nvram && os->nvram[0] != '/' ? os->nvram : os->nvram_template);
	return 0;
}

/* <firmware><feature enabled='yes|no' name='secure-boot|enrolled-keys'/></firmware> */
static int parse_os_firmware(const xmlNode *node, struct domain_os *os, struct sv_error *err)
{
	static const char *const allowed[] = { "enabled", "name", NULL };
	int r = xml_check_attrs(node, "os/firmware", no_attrs, err), v;

	for (const xmlNode *c = node->children; r >= 0 && c; c = c->next) {
		const char *name = xml_attr(c, "name");
		enum domain_tristate *slot;

		if (!xml_is_elem(c))
			continue;
		if (!xml_is(c, "feature"))
			return xml_err_element(err, "os/firmware", c);
		if ((r = xml_check_attrs(c, "os/firmware/feature", allowed, err)) < 0 ||
		    (r = xml_attr_yesno(c, "feature", "enabled", &v, err)) < 0)
			return r;
		if (name && streq(name, "secure-boot"))
			slot = &os->fw_secure_boot;
		else if (name && streq(name, "enrolled-keys"))
			slot = &os->fw_enrolled_keys;
		else
			return xml_err(err, "Invalid value for attribute 'name' in element 'feature': '%s'", name ? name : "");
		if (!v)
			return xml_err(err, "missing attribute 'enabled' in element 'feature'");
		if (*slot)
			return xml_err(err, "firmware feature '%s' specified more than once", name);
		*slot = v;
	}
	return r;
}

static int parse_os(const xmlNode *node, struct domain_def *def, bool *seen, struct sv_error *err)
{
	static const char *const firmware_attr[] = { "firmware", NULL };
	struct domain_os *os = &def->os;
	bool have_type = false;
	const char *fw = xml_attr(node, "firmware");
	int r = xml_check_once(*seen ? "" : NULL, "os", err);

	if (r < 0)
		return r;
	if ((r = xml_check_attrs(node, "os", firmware_attr, err)) < 0)
		return r;
	if (fw && streq(fw, "efi"))
		os->firmware = DOMAIN_FIRMWARE_EFI;
	else if (fw && streq(fw, "bios"))
		os->firmware = DOMAIN_FIRMWARE_BIOS;
	else if (fw)
		return xml_err(err, "Invalid value for attribute 'firmware' in element 'os': '%s'", fw);
	*seen = true;
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "loader")) {
			r = parse_os_loader(c, os, err);
		} else if (xml_is(c, "nvram")) {
			r = parse_os_nvram(c, os, err);
		} else if (xml_is(c, "firmware")) {
			r = parse_os_firmware(c, os, err);
		} else if (xml_is(c, "type")) {
			r = parse_os_type(c, os, err);
			have_type = true;
		} else if (xml_is(c, "boot")) {
			r = parse_os_boot(c, os, err);
		} else if (xml_is(c, "bootmenu")) {
			static const char *const allowed[] = { "enable", NULL };
			int v;

			r = xml_check_attrs(c, "os/bootmenu", allowed, err);
			if (r >= 0)
				r = xml_attr_yesno(c, "bootmenu", "enable", &v, err);
			if (r >= 0)
				os->bootmenu = v;
		} else if (xml_is(c, "kernel")) {
			r = parse_string_once(c, "os/kernel", &os->kernel, err);
		} else if (xml_is(c, "initrd")) {
			r = parse_string_once(c, "os/initrd", &os->initrd, err);
		} else if (xml_is(c, "cmdline")) {
			r = parse_string_once(c, "os/cmdline", &os->cmdline, err);
		} else if (xml_is(c, "init")) {
			r = parse_string_once(c, "os/init", &os->init, err);
		} else if (xml_is(c, "initarg")) {
			os->initargs = xrealloc(os->initargs, (os->ninitargs + 2) * sizeof(char *));
			os->initargs[os->ninitargs++] = xml_text(c);
			os->initargs[os->ninitargs] = NULL;
			r = 0;
		} else if (xml_is(c, "initenv")) {
			r = parse_os_initenv(c, os, err);
		} else {
			r = xml_err_element(err, "os", c);
		}
		if (r < 0)
			return r;
	}
	if (!have_type)
		return xml_err(err, "an os <type> must be specified");
	return 0;
}

static int parse_features(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	int r = xml_check_attrs(node, "features", no_attrs, err);

	for (const xmlNode *c = node->children; r >= 0 && c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "vmport")) {
			/* the VMware I/O port: QEMU's machine option vmport */
			static const char *const state[] = { "state", NULL };
			int v = 0;

			if ((r = xml_check_attrs(c, "features/vmport", state, err)) < 0 ||
			    (r = xml_attr_onoff(c, "vmport", "state", &v, err)) < 0 ||
			    (r = xml_check_no_children(c, "features/vmport", err)) < 0)
				return r;
			if (!v)
				return xml_err(err, "missing attribute 'state' in element 'vmport'");
			def->vmport = v;
			continue;
		}
		if (xml_is(c, "acpi"))
			def->acpi = true;
		else if (xml_is(c, "apic"))
			def->apic = true;
		else if (xml_is(c, "pae"))
			def->pae = true;
		else
			return xml_err_element(err, "features", c);
		r = xml_check_attrs(c, (const char *)c->name, no_attrs, err);
		if (r >= 0)
			r = xml_check_no_children(c, (const char *)c->name, err);
	}
	return r;
}

const char *const domain_cpu_policy_names[DOMAIN_CPU_POLICY_LAST] = {
	"force", "require", "optional", "disable", "forbid",
};

static int parse_cpu_model(const xmlNode *node, struct domain_cpu *cpu, struct sv_error *err)
{
	static const char *const allowed[] = { "fallback", NULL };
	const char *fallback = xml_attr(node, "fallback");
	int r = xml_check_attrs(node, "cpu/model", allowed, err);

	if (r < 0 || (r = xml_check_once(cpu->model || cpu->model_fallback ? "" : NULL, "cpu/model", err)) < 0)
		return r;
	if (fallback && !streq(fallback, "allow") && !streq(fallback, "forbid"))
		return xml_err(err, "Invalid value for attribute 'fallback' in element 'model': '%s'", fallback);
	cpu->model_fallback = xml_attr_dup(node, "fallback");
	cpu->model = xml_text_trimmed(node);
	/* host-model and host-passthrough name no model: <model fallback=.../> alone is valid. */
	if (!*cpu->model && cpu->mode != DOMAIN_CPU_MODE_NONE && cpu->mode != DOMAIN_CPU_MODE_CUSTOM) {
		free(cpu->model);
		cpu->model = NULL;
		return 0;
	}
	/* The model name goes into QEMU's -cpu option. */
	if (!*cpu->model || cpu->model[strspn(cpu->model,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")])
		return xml_err(err, "Invalid CPU model '%s'", cpu->model);
	return 0;
}

/* <feature policy=... name=.../>: the name reaches QEMU's -cpu option. */
static int parse_cpu_feature(const xmlNode *node, struct domain_cpu *cpu, struct sv_error *err)
{
	static const char *const allowed[] = { "policy", "name", NULL };
	const char *name = xml_attr(node, "name");
	struct domain_cpu_feature *f;
	int r = xml_check_attrs(node, "cpu/feature", allowed, err), policy;

	if (r < 0 || (r = xml_check_no_children(node, "cpu/feature", err)) < 0)
		return r;
	r = XML_ATTR_ENUM(node, "feature", "policy", domain_cpu_policy_names, DOMAIN_CPU_POLICY_REQUIRE, &policy, err);
	if (r < 0)
		return r;
	if (!name || !*name || name[strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_.-")])
		return xml_err(err, "Invalid CPU feature name '%s'", name ? name : "");
	for (size_t i = 0; i < cpu->nfeatures; i++)
		if (streq(cpu->features[i].name, name))
			return xml_err(err, "CPU feature '%s' specified more than once", name);
	f = MODEL_APPEND(cpu->features, cpu->nfeatures);
	f->name = xstrdup(name);
	f->policy = policy;
	return 0;
}

/* <cache [level='3'] mode='passthrough|emulate|disable'/>: the cache information the guest's CPUID
 * reports; the combinations QEMU has a switch for. */
static int parse_cpu_cache(const xmlNode *node, struct domain_cpu *cpu, struct sv_error *err)
{
	static const char *const allowed[] = { "level", "mode", NULL };
	const char *mode = xml_attr(node, "mode");
	int r = xml_check_attrs(node, "cpu/cache", allowed, err);

	if (r < 0 || (r = xml_check_no_children(node, "cpu/cache", err)) < 0 ||
	    (r = xml_check_once(cpu->cache_mode, "cpu/cache", err)) < 0 ||
	    (r = xml_attr_uint(node, "cache", "level", 3, &cpu->cache_level, err)) < 0)
		return r;
	if (!mode || (!streq(mode, "passthrough") && !streq(mode, "emulate") && !streq(mode, "disable")))
		return xml_err(err, "Invalid value for attribute 'mode' in element 'cache': '%s'", mode ? mode : "");
	if ((streq(mode, "emulate") && cpu->cache_level != 3) || (!streq(mode, "emulate") && cpu->cache_level))
		return xml_err_unsupported(err, "CPU cache mode '%s' with level '%u' is not supported (passthrough and "
					   "disable without level, emulate with level 3 are)", mode, cpu->cache_level);
	cpu->cache_mode = xstrdup(mode);
	return 0;
}

static int parse_numa_cell(const xmlNode *node, struct domain_cpu *cpu, struct sv_error *err)
{
	static const char *const allowed[] = { "id", "cpus", "memory", "unit", "memAccess", NULL };
	const char *cpus = xml_attr(node, "cpus"), *access = xml_attr(node, "memAccess");
	struct domain_numa_cell *cell;
	int r = xml_check_attrs(node, "cpu/numa/cell", allowed, err);

	if (r < 0)
		return r;
	for (const xmlNode *c = node->children; c; c = c->next)
		if (xml_is_elem(c))
			return xml_err_element(err, "cpu/numa/cell", c);
	cell = MODEL_APPEND(cpu->cells, cpu->ncells);
	cell->id = (unsigned)cpu->ncells - 1;
	if ((r = xml_attr_uint(node, "cell", "id", 255, &cell->id, err)) < 0)
		return r;
	if (cell->id != cpu->ncells - 1)
		return xml_err_unsupported(err, "NUMA cell id %u: cells must be numbered 0, 1, ... in order", cell->id);
	if (!xml_attr(node, "memory"))
		return xml_err(err, "missing attribute 'memory' in element 'cell'");
	if ((r = sv_units_parse_kib(xml_attr(node, "memory"), xml_attr(node, "unit"), &cell->memory_kib, err)) < 0)
		return r;
	if (cpus && (!*cpus || cpus[strspn(cpus, "0123456789,-")]))
		return xml_err(err, "Invalid value for attribute 'cpus' in element 'cell': '%s'", cpus);
	cell->cpus = cpus ? xstrdup(cpus) : NULL;
	if (access && !streq(access, "shared") && !streq(access, "private"))
		return xml_err(err, "Invalid value for attribute 'memAccess' in element 'cell': '%s'", access);
	cell->shared = !access ? DOMAIN_TRISTATE_ABSENT : streq(access, "shared") ? DOMAIN_TRISTATE_YES : DOMAIN_TRISTATE_NO;
	return 0;
}

static int parse_numa(const xmlNode *node, struct domain_cpu *cpu, struct sv_error *err)
{
	int r = xml_check_attrs(node, "cpu/numa", no_attrs, err);

	if (r < 0 || (r = xml_check_once(cpu->ncells ? "" : NULL, "cpu/numa", err)) < 0)
		return r;
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (!xml_is(c, "cell"))
			return xml_err_element(err, "cpu/numa", c);
		if ((r = parse_numa_cell(c, cpu, err)) < 0)
			return r;
	}
	return 0;
}

static int parse_cpu(const xmlNode *node, struct domain_def *def, bool *seen, struct sv_error *err)
{
	static const char *const allowed[] = { "mode", "match", "check", NULL };
	static const char *const topo_allowed[] = { "sockets", "dies", "cores", "threads", NULL };
	struct domain_cpu *cpu = &def->cpu;
	int r = xml_check_once(*seen ? "" : NULL, "cpu", err), mode;

	if (r < 0 || (r = xml_check_attrs(node, "cpu", allowed, err)) < 0)
		return r;
	*seen = true;
	r = XML_ATTR_ENUM(node, "cpu", "mode", domain_cpu_mode_names, DOMAIN_CPU_MODE_NONE, &mode, err);
	if (r < 0)
		return r;
	cpu->mode = mode;
	cpu->match = xml_attr_dup(node, "match");
	cpu->check = xml_attr_dup(node, "check");
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "model")) {
			r = parse_cpu_model(c, cpu, err);
		} else if (xml_is(c, "topology")) {
			r = xml_check_attrs(c, "cpu/topology", topo_allowed, err);
			if (r >= 0)
				r = xml_attr_uint(c, "topology", "sockets", DOMAIN_VCPUS_MAX, &cpu->sockets, err);
			if (r >= 0)
				r = xml_attr_uint(c, "topology", "dies", DOMAIN_VCPUS_MAX, &cpu->dies, err);
			if (r >= 0 && xml_attr(c, "dies") && !cpu->dies)
				r = xml_err(err, "Invalid value for attribute 'dies' in element 'topology': '0'");
			if (r >= 0)
				r = xml_attr_uint(c, "topology", "cores", DOMAIN_VCPUS_MAX, &cpu->cores, err);
			if (r >= 0)
				r = xml_attr_uint(c, "topology", "threads", DOMAIN_VCPUS_MAX, &cpu->threads, err);
			if (r >= 0 && (!cpu->sockets || !cpu->cores || !cpu->threads))
				r = xml_err(err, "CPU topology needs sockets, cores and threads, all above 0");
		} else if (xml_is(c, "feature")) {
			r = parse_cpu_feature(c, cpu, err);
		} else if (xml_is(c, "numa")) {
			r = parse_numa(c, cpu, err);
		} else if (xml_is(c, "cache")) {
			r = parse_cpu_cache(c, cpu, err);
		} else {
			r = xml_err_element(err, "cpu", c);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

/* <timer name='rtc|pit|hpet' tickpolicy=... present=...>; other timers and attributes (track,
 * frequency, mode, catchup) are refused by name. */
static int parse_timer(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "name", "tickpolicy", "present", NULL };
	const char *name = xml_attr(node, "name");
	struct domain_timer *t;
	int r = xml_check_attrs(node, "clock/timer", allowed, err), v;

	if (r < 0 || (r = xml_check_no_children(node, "clock/timer", err)) < 0)
		return r;
	if (!name)
		return xml_err(err, "missing timer name");
	r = XML_ENUM_FROM(domain_timer_names, name);
	if (r < 0)
		return xml_err_unsupported(err, "clock timer '%s' is not supported", name);
	t = &def->timers[r];
	if ((r = xml_check_once(t->given ? "" : NULL, "clock/timer", err)) < 0)
		return r;
	t->given = true;
	r = XML_ATTR_ENUM(node, "timer", "tickpolicy", domain_tickpolicy_names, DOMAIN_TICK_ABSENT, &v, err);
	if (r < 0)
		return r;
	t->tickpolicy = v;
	r = xml_attr_yesno(node, "timer", "present", &v, err);
	if (r < 0)
		return r;
	t->present = v;
	return 0;
}

static int parse_clock(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "offset", NULL };
	const char *offset = xml_attr(node, "offset");
	int r = xml_check_attrs(node, "clock", allowed, err);

	if (r < 0)
		return r;
	r = XML_ENUM_FROM(domain_clock_names, offset ? offset : "utc");
	if (r < 0)
		return xml_err_unsupported(err, "clock offset '%s' is not supported", offset);
	def->clock = r;
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		r = xml_is(c, "timer") ? parse_timer(c, def, err) : xml_err_element(err, "clock", c);
		if (r < 0)
			return r;
	}
	return 0;
}

/* <pm><suspend-to-mem enabled=.../><suspend-to-disk enabled=.../></pm> */
static int parse_pm(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "enabled", NULL };
	int r = xml_check_attrs(node, "pm", no_attrs, err), v;

	for (const xmlNode *c = node->children; r >= 0 && c; c = c->next) {
		enum domain_tristate *slot;
		const char *path;

		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "suspend-to-mem"))
			slot = &def->pm_suspend_to_mem, path = "pm/suspend-to-mem";
		else if (xml_is(c, "suspend-to-disk"))
			slot = &def->pm_suspend_to_disk, path = "pm/suspend-to-disk";
		else
			return xml_err_element(err, "pm", c);
		if ((r = xml_check_once(*slot ? "" : NULL, path, err)) < 0 ||
		    (r = xml_check_attrs(c, path, allowed, err)) < 0 ||
		    (r = xml_attr_yesno(c, path, "enabled", &v, err)) < 0)
			return r;
		if (!v)
			return xml_err(err, "missing attribute 'enabled' in element '%s'", path);
		*slot = v;
	}
	return r;
}

static int parse_lifecycle(const xmlNode *node, const char *path, bool crash,
			   enum domain_lifecycle *out, struct sv_error *err)
{
	_cleanup_free_ char *s = xml_text_trimmed(node);
	int r = XML_ENUM_FROM(domain_lifecycle_names, s);

	/* coredump-* only makes sense after a crash */
	if (r < 0 || (!crash && r >= DOMAIN_LIFECYCLE_COREDUMP_DESTROY))
		return xml_err(err, "Invalid value '%s' for element '%s'", s, path);
	*out = r;
	return 0;
}

static int parse_devices(const xmlNode *node, unsigned flags, struct domain_def *def,
			 struct sv_error *err)
{
	int r = xml_check_attrs(node, "devices", no_attrs, err);

	if (r >= 0)
		r = domain_check_device_counts(node, err);
	for (const xmlNode *c = node->children; r >= 0 && c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "emulator"))
			r = parse_string_once(c, "devices/emulator", &def->emulator, err);
		else if (xml_is(c, "disk"))
			r = domain_parse_disk(c, def, err);
		else if (xml_is(c, "filesystem"))
			r = domain_parse_filesystem(c, def, err);
		else if (xml_is(c, "interface"))
			r = domain_parse_interface(c, flags, def, err);
		else if (xml_is(c, "serial") || xml_is(c, "console"))
			r = domain_parse_chr(c, def, err);
		else if (xml_is(c, "controller"))
			r = domain_parse_controller(c, def, err);
		else if (xml_is(c, "input"))
			r = domain_parse_input(c, def, err);
		else if (xml_is(c, "video"))
			r = domain_parse_video(c, def, err);
		else if (xml_is(c, "memballoon"))
			r = domain_parse_memballoon(c, def, err);
		else if (xml_is(c, "graphics"))
			r = domain_parse_graphics(c, def, err);
		else if (xml_is(c, "audio"))
			r = domain_parse_audio(c, def, err);
		else if (xml_is(c, "channel"))
			r = domain_parse_channel(c, def, err);
		else if (xml_is(c, "rng"))
			r = domain_parse_rng(c, def, err);
		else if (xml_is(c, "watchdog"))
			r = domain_parse_watchdog(c, def, err);
		else if (xml_is(c, "panic"))
			r = domain_parse_panic(c, def, err);
		else if (xml_is(c, "hub"))
			r = domain_parse_hub(c, def, err);
		else
			r = xml_err_element(err, "devices", c);
	}
	return r;
}

/* <resource><partition>/machine</partition></resource>: where the host groups the domain's
 * cgroup. Only the partition is understood; it is kept as given. */
static int parse_resource(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	int r = xml_check_attrs(node, "resource", no_attrs, err);

	for (const xmlNode *c = node->children; r >= 0 && c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (!xml_is(c, "partition"))
			return xml_err_element(err, "resource", c);
		r = xml_check_attrs(c, "resource/partition", no_attrs, err);
	}
	if (r < 0 || (r = xml_check_once(xml_keep_find(&def->keep, "resource"), "resource", err)) < 0)
		return r;
	return xml_keep_add(&def->keep, node, err);
}

/* sepvirt applies no security labels (SELinux, AppArmor, DAC relabelling), which is what
 * <seclabel type='none'/> asks for: that one is kept as given, any other is refused. */
static int parse_seclabel(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	static const char *const allowed[] = { "type", "model", NULL };
	const char *type = xml_attr(node, "type");
	int r = xml_check_attrs(node, "seclabel", allowed, err);

	if (r < 0 || (r = xml_check_no_children(node, "seclabel", err)) < 0)
		return r;
	if (!type || !streq(type, "none"))
		return xml_err_unsupported(err, "seclabel type '%s' is not supported: sepvirt applies no "
					   "security labels (only type 'none' is accepted)", type ? type : "");
	if ((r = xml_check_once(xml_keep_find(&def->keep_seclabel, "seclabel"), "seclabel", err)) < 0)
		return r;
	return xml_keep_add(&def->keep_seclabel, node, err);
}

struct parse_ctx {
	struct domain_def *def;
	unsigned flags;
	bool seen[4]; /* uuid, os, cpu, devices */
};

static int parse_root_child(const xmlNode *c, void *opaque, struct sv_error *err)
{
	struct parse_ctx *ctx = opaque;
	struct domain_def *def = ctx->def;
	unsigned flags = ctx->flags;
	bool *seen = ctx->seen;

	if (xml_is(c, "name"))
		return model_parse_name(c, "domain", &def->name, err);
	if (xml_is(c, "uuid"))
		return model_parse_uuid(c, def->uuid, &seen[0], err);
	if (xml_is(c, "title"))
		return parse_title(c, def, err);
	if (xml_is(c, "description"))
		return parse_description(c, def, err);
	if (xml_is(c, "metadata")) {
		/* Applications' own data, never interpreted. */
		return xml_keep_add(&def->keep, c, err);
	}
	if (xml_is(c, "memory"))
		return parse_memory(c, "memory", &def->memory_kib, err);
	if (xml_is(c, "currentMemory"))
		return parse_memory(c, "currentMemory", &def->current_memory_kib, err);
	if (xml_is(c, "vcpu"))
		return parse_vcpu(c, def, err);
	if (xml_is(c, "memoryBacking"))
		return domain_parse_memory_backing(c, def, err);
	if (xml_is(c, "maxMemory"))
		return domain_parse_max_memory(c, def, err);
	if (xml_is(c, "iothreads"))
		return domain_parse_iothreads(c, def, err);
	if (xml_is(c, "os"))
		return parse_os(c, def, &seen[1], err);
	if (xml_is(c, "features"))
		return parse_features(c, def, err);
	if (xml_is(c, "idmap"))
		return domain_parse_idmap(c, def, err);
	if (xml_is(c, "resource"))
		return parse_resource(c, def, err);
	if (xml_is(c, "seclabel"))
		return parse_seclabel(c, def, err);
	if (xml_is(c, "cpu"))
		return parse_cpu(c, def, &seen[2], err);
	if (xml_is(c, "clock"))
		return parse_clock(c, def, err);
	if (xml_is(c, "pm"))
		return parse_pm(c, def, err);
	if (xml_is(c, "on_poweroff"))
		return parse_lifecycle(c, "on_poweroff", false, &def->on_poweroff, err);
	if (xml_is(c, "on_reboot"))
		return parse_lifecycle(c, "on_reboot", false, &def->on_reboot, err);
	if (xml_is(c, "on_crash"))
		return parse_lifecycle(c, "on_crash", true, &def->on_crash, err);
	if (xml_is(c, "devices")) {
		int r = xml_check_once(seen[3] ? "" : NULL, "devices", err);

		seen[3] = true;
		return r < 0 ? r : parse_devices(c, flags, def, err);
	}
	return xml_err_element(err, NULL, c);
}

static bool any_device_boot_order(const struct domain_def *def)
{
	for (size_t i = 0; i < def->ndisks; i++)
		if (def->disks[i].boot_order)
			return true;
	for (size_t i = 0; i < def->ninterfaces; i++)
		if (def->interfaces[i].boot_order)
			return true;
	return false;
}

/* Rules across elements, and libvirt's defaults for what was left out. */
static int post_parse(struct domain_def *def, bool have_uuid, struct sv_error *err)
{
	int r;

	if (!def->name)
		return xml_err(err, "missing element 'name': a domain needs a name");
	if (!def->memory_kib)
		return xml_err(err, "missing element 'memory': the memory size must be given");
	if (!def->current_memory_kib || def->current_memory_kib > def->memory_kib)
		def->current_memory_kib = def->memory_kib;
	if (!def->vcpus)
		def->vcpus = 1;
	r = model_uuid_default(def->uuid, have_uuid, &def->uuid_generated, err);
	if (r < 0 || (r = domain_controllers_post_parse(def, err)) < 0)
		return r;
	if ((def->type == DOMAIN_VIRT_LXC) != (def->os.type == DOMAIN_OS_EXE))
		return xml_err_unsupported(err, "os type '%s' is not supported for domain type '%s'",
					   domain_os_type_names[def->os.type],
					   domain_virt_type_names[def->type]);
	if ((def->nuidmap || def->ngidmap) && def->type != DOMAIN_VIRT_LXC)
		return xml_err_unsupported(err, "element 'idmap' is only supported for domain type 'lxc'");
	if (def->cpu.sockets &&
	    (unsigned long long)def->cpu.sockets * (def->cpu.dies ? def->cpu.dies : 1) * def->cpu.cores *
			    def->cpu.threads != def->vcpus)
		return xml_err(err, "CPU topology doesn't match maximum vcpu count");
	/* As libvirt's QEMU driver: a disk image is never probed for its format. */
	for (size_t i = 0; def->type != DOMAIN_VIRT_LXC && i < def->ndisks; i++) {
		struct domain_disk *disk = &def->disks[i];

		if (!disk->driver_name)
			disk->driver_name = xstrdup("qemu");
		if (!disk->format && disk->type != DOMAIN_DISK_TYPE_VOLUME)
			disk->format = DOMAIN_DISK_FORMAT_RAW;
	}
	if (any_device_boot_order(def)) {
		if (def->os.nboot)
			return xml_err(err, "per-device boot elements cannot be used together with os/boot elements");
	} else if (def->os.type == DOMAIN_OS_HVM && def->os.nboot == 0) {
		def->os.boot[def->os.nboot++] = DOMAIN_BOOT_HD;
	}
	return 0;
}

int domain_def_parse(const char *xml, size_t len, unsigned flags, struct domain_def **out,
		     struct sv_error *err)
{
	static const char *const allowed[] = { "type", "id", NULL };
	_cleanup_xml_doc_ xmlDocPtr doc = NULL;
	_cleanup_domain_def_ struct domain_def *def = xcalloc(1, sizeof(*def));
	struct parse_ctx ctx = { .def = def, .flags = flags };
	const xmlNode *root;
	const char *type;
	int r;

	def->on_reboot = DOMAIN_LIFECYCLE_RESTART;
	r = model_read_root(xml, len, "domain", allowed, &doc, &root, err);
	if (r < 0)
		return r;
	type = xml_attr(root, "type");
	if (!type)
		return xml_err(err, "missing attribute 'type' in element 'domain'");
	r = domain_virt_type_from_string(type);
	if (r < 0)
		return xml_err_unsupported(err, "domain type '%s' is not supported", type);
	def->type = r;

	r = model_for_each_child(root, parse_root_child, &ctx, err);
	if (r < 0)
		return r;
	if (!ctx.seen[1])
		return xml_err(err, "missing element 'os'");
	r = post_parse(def, ctx.seen[0], err);
	if (r < 0)
		return r;
	*out = TAKE_PTR(def);
	return 0;
}
