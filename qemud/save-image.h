/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The state file of virsh save and managedsave: a header of sepvirt's own, the domain's XML,
 * then QEMU's migration stream. The file comes from a user (restore): everything in the header
 * is checked before it is believed. */
#pragma once

#include <stdbool.h>

#include "qemud.h"

#define QEMUD_SAVE_XML_MAX (4u << 20)

/* Writes the header and def's XML at fd's offset (the stream follows there); running: the
 * state a plain restore gives back. */
int qemud_save_image_write(int fd, const struct domain_def *def, bool running, struct sv_error *err);
/* Reads and checks the header of the file open on fd (what names it in errors) and parses its
 * XML (*def, owned by the caller); leaves fd at the start of QEMU's stream. */
int qemud_save_image_read(int fd, const char *what, struct domain_def **def, bool *running, struct sv_error *err);
/* The managed save image of domain name, in qemud's own state directory. */
char *qemud_managed_save_path(const char *name);
bool qemud_has_managed_save(const char *name);
