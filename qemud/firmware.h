/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* UEFI firmware: choosing it from QEMU's firmware descriptors, and each domain's own copy of its
 * variable store (NVRAM), which qemud keeps in its state directory and hands to QEMU as an fd. */
#pragma once

#include "xml/domain-def.h"

/* Where Debian's ovmf (and qemu-system-data) put their descriptors. */
#define QEMUD_FIRMWARE_DESCRIPTORS "/usr/share/qemu/firmware"

/* Fills what a definition leaves to sepvirt: firmware='efi' gets the first suitable descriptor of
 * descriptor_dir (by file name, as QEMU's interop spec orders them), a pflash loader without a
 * template gets its descriptor's, and the NVRAM path nvram_dir/NAME_VARS.fd. Refuses by name what
 * cannot reach QEMU as asked (a rom loader, Secure Boot, an NVRAM outside nvram_dir). */
int qemud_firmware_resolve(struct domain_def *def, const char *descriptor_dir, const char *nvram_dir,
			   struct sv_error *err);

/* After resolve, at start: the loader opened read-only and the NVRAM read-write, copied from its
 * template first (durably) when the domain has none yet. */
int qemud_firmware_open(const struct domain_def *def, int *loader_fd, int *nvram_fd, struct sv_error *err);

/* The domain's NVRAM copy in nvram_dir, removed (durably); 0 when it had none. */
int qemud_firmware_remove_nvram(const char *nvram_dir, const char *name, struct sv_error *err);

/* Whether the domain has an NVRAM copy in nvram_dir. */
bool qemud_firmware_has_nvram(const char *nvram_dir, const char *name);
