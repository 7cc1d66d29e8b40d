// SPDX-License-Identifier: LGPL-2.1-or-later
/* Guest memory on QEMU's command line: -m with libvirt's rounding and <maxMemory>'s hotplug
 * slots, <memoryBacking> as a memory backend object the machine uses (memfd, hugetlb, shared,
 * preallocated: QEMU opens no path for any of them), and <iothreads>. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"

#define UNSUPPORTED(err, ...) sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP, __VA_ARGS__)

/* libvirt aligns x86 guest memory to a whole MiB, rounding up. */
static unsigned long long mib_aligned(unsigned long long kib)
{
	return (kib + 1023) / 1024 * 1024;
}

/* Whether the RAM needs a backend object rather than QEMU's plain anonymous memory. */
static bool needs_backend(const struct domain_memory_backing *mb)
{
	return mb->hugepages || mb->memfd || mb->shared || mb->prealloc;
}

const char *qemud_argv_machine_memory(const struct domain_def *def)
{
	const struct domain_memory_backing *mb = &def->memory_backing;

	/* with NUMA nodes each node has its backend, the machine none */
	if (needs_backend(mb) && !def->cpu.ncells)
		return mb->nosharepages ? ",mem-merge=off,memory-backend=pc.ram" : ",memory-backend=pc.ram";
	return mb->nosharepages ? ",mem-merge=off" : "";
}

/* One memory backend object: the machine's RAM (pc.ram) or a NUMA node's (ram-nodeN). */
static void add_backend(struct command *c, const struct domain_memory_backing *mb, const char *id, bool shared,
			unsigned long long kib)
{
	/* memfd holds hugetlb pages too: QEMU needs no hugetlbfs mount path */
	bool memfd = mb->memfd || mb->hugepages || shared;
	_cleanup_free_ char *huge = !mb->hugepages ? xstrdup("")
			: mb->hugepage_kib ? xasprintf(",hugetlb=on,hugetlbsize=%llu", mb->hugepage_kib * 1024)
					   : xstrdup(",hugetlb=on");

	command_add_opt(c, "-object", "%s,id=%s%s%s%s,size=%lluk", memfd ? "memory-backend-memfd" : "memory-backend-ram",
			id, huge, shared ? ",share=on" : "", mb->prealloc ? ",prealloc=on" : "", kib);
}

/* -numa node per <cell>, its vCPUs (cpus=A-B once per range) and its memory backend. */
static void add_numa(struct command *c, const struct domain_def *def)
{
	const struct domain_memory_backing *mb = &def->memory_backing;

	for (size_t i = 0; i < def->cpu.ncells; i++) {
		const struct domain_numa_cell *cell = &def->cpu.cells[i];
		bool shared = cell->shared ? cell->shared == DOMAIN_TRISTATE_YES : mb->shared;
		_cleanup_free_ char *id = xasprintf("ram-node%u", cell->id), *cpus = xstrdup("");
		_cleanup_free_ char *list = cell->cpus ? xstrdup(cell->cpus) : NULL;
		char *save = NULL;

		for (char *t = list ? strtok_r(list, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save))
			qemud_argv_append(&cpus, ",cpus=%s", t);
		add_backend(c, mb, id, shared, mib_aligned(cell->memory_kib));
		command_add_opt(c, "-numa", "node,nodeid=%u%s,memdev=%s", cell->id, cpus, id);
	}
}

int qemud_argv_add_memory(struct command *c, const struct domain_def *def, struct sv_error *err)
{
	const struct domain_memory_backing *mb = &def->memory_backing;
	unsigned long long size = mib_aligned(def->memory_kib);

	/* libvirt: with NUMA nodes the guest's memory is theirs, summed */
	if (def->cpu.ncells) {
		size = 0;
		for (size_t i = 0; i < def->cpu.ncells; i++) {
			const char *p = def->cpu.cells[i].cpus;

			size += mib_aligned(def->cpu.cells[i].memory_kib);
			for (; p && *p; p += strspn(p, ",-")) {
				unsigned long v = strtoul(p, (char **)&p, 10);

				if (v >= def->vcpus)
					return sv_error_set(err, SV_FROM_QEMU, SV_ERR_XML, EINVAL,
							    "NUMA cell %u names vCPU %lu, but there are %u", def->cpu.cells[i].id,
							    v, def->vcpus);
			}
		}
	}
	if (def->max_memory_kib) {
		if (!def->max_memory_slots)
			return UNSUPPORTED(err, "element 'maxMemory' needs attribute 'slots' (QEMU hotplugs memory into slots)");
		/* QEMU: hotplug slots need room above the initial memory; and 1 PiB is beyond any x86 guest */
		if (mib_aligned(def->max_memory_kib) <= size || def->max_memory_kib > (1ULL << 40))
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_XML, EINVAL,
					    "maxMemory (%llu KiB) must be more than memory (%llu KiB) and at most 1 PiB",
					    def->max_memory_kib, size);
		command_add_opt(c, "-m", "size=%lluk,slots=%u,maxmem=%lluk", size, def->max_memory_slots,
				mib_aligned(def->max_memory_kib));
	} else {
		command_add_opt(c, "-m", "size=%lluk", size);
	}
	if (def->cpu.ncells)
		add_numa(c, def);
	else if (needs_backend(mb))
		add_backend(c, mb, "pc.ram", mb->shared, size);
	for (unsigned i = 1; i <= def->iothreads; i++)
		command_add_opt(c, "-object", "iothread,id=iothread%u", i);
	return 0;
}
