/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qcow2 images, written and read by storaged itself (no exec): the header of a new image,
 * the facts `qemu-img info` reports (virtual size, backing file and its format), and growing
 * the virtual size. Layout of the qcow2 specification (docs/interop/qcow2.txt in QEMU). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

#define QCOW2_BACKING_MAX 1023 /* QEMU refuses longer backing file names */

struct qcow2_info {
	uint32_t version;
	uint64_t size;          /* virtual size in bytes */
	uint32_t cluster_bits;
	char backing[QCOW2_BACKING_MAX + 1]; /* "" for none */
	char backing_format[32];             /* "" when the image does not say */
	bool external_data;                  /* the incompatible feature bit "external data file" */
	char data_file[QCOW2_BACKING_MAX + 1]; /* the data file name extension, "" for none */
};

/* True when the first bytes are a qcow2 header (magic and version 2 or 3). */
bool storaged_qcow2_detect(const uint8_t *buf, size_t len);
/* Reads the header of an open image. -EINVAL with err set for a damaged header. The header
 * extensions are read as QEMU reads them (up to the backing file name or the end of the first
 * cluster), so a data file name QEMU would see is never missed. */
int storaged_qcow2_probe(int fd, struct qcow2_info *info, struct sv_error *err);
/* Writes a new, empty version-3 image of size bytes into an empty file.
 * backing/backing_format may be NULL. */
int storaged_qcow2_create(int fd, uint64_t size, const char *backing, const char *backing_format,
			  struct sv_error *err);
/* Grows the virtual size; shrinking, images with snapshots or marked dirty are refused. */
int storaged_qcow2_grow(int fd, uint64_t new_size, struct sv_error *err);
