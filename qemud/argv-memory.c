// SPDX-License-Identifier: LGPL-2.1-or-later
/* Guest memory on QEMU's command line: -m with libvirt's rounding and <maxMemory>'s hotplug
 * slots, <memoryBacking> as a memory backend object the machine uses (memfd, hugetlb, shared,
 * preallocated: QEMU opens no path for any of them), and <iothreads>. */
#include "config.h"

#include <stdio.h>

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

	if (needs_backend(mb))
		return mb->nosharepages ? ",mem-merge=off,memory-backend=pc.ram" : ",memory-backend=pc.ram";
	return mb->nosharepages ? ",mem-merge=off" : "";
}

int qemud_argv_add_memory(struct command *c, const struct domain_def *def, struct sv_error *err)
{
	const struct domain_memory_backing *mb = &def->memory_backing;
	unsigned long long size = mib_aligned(def->memory_kib);

	if (def->max_memory_kib) {
		if (!def->max_memory_slots)
			return UNSUPPORTED(err, "element 'maxMemory' needs attribute 'slots' (QEMU hotplugs memory into slots)");
		if (mib_aligned(def->max_memory_kib) < size)
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_XML, EINVAL,
					    "maxMemory (%llu KiB) must not be less than memory (%llu KiB)",
					    def->max_memory_kib, def->memory_kib);
		command_add_opt(c, "-m", "size=%lluk,slots=%u,maxmem=%lluk", size, def->max_memory_slots,
				mib_aligned(def->max_memory_kib));
	} else {
		command_add_opt(c, "-m", "size=%lluk", size);
	}
	if (needs_backend(mb)) {
		/* memfd holds hugetlb pages too: QEMU needs no hugetlbfs mount path */
		bool memfd = mb->memfd || mb->hugepages || mb->shared;
		_cleanup_free_ char *huge = !mb->hugepages ? xstrdup("")
				: mb->hugepage_kib ? xasprintf(",hugetlb=on,hugetlbsize=%llu", mb->hugepage_kib * 1024)
						   : xstrdup(",hugetlb=on");

		command_add_opt(c, "-object", "%s,id=pc.ram%s%s%s,size=%lluk",
				memfd ? "memory-backend-memfd" : "memory-backend-ram", huge, mb->shared ? ",share=on" : "",
				mb->prealloc ? ",prealloc=on" : "", size);
	}
	for (unsigned i = 1; i <= def->iothreads; i++)
		command_add_opt(c, "-object", "iothread,id=iothread%u", i);
	return 0;
}
