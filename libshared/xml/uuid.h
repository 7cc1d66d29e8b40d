/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* UUIDs as libvirt writes them: 16 bytes, 36-character lowercase string form. */
#pragma once

#define SV_UUID_LEN 16
#define SV_UUID_STRING_LEN 37 /* with the NUL */

/* Accepts 32 hex digits with '-' between any byte pairs and surrounding blanks, as
 * libvirt does. -EINVAL otherwise. */
int sv_uuid_parse(const char *s, unsigned char uuid[SV_UUID_LEN]);
void sv_uuid_format(const unsigned char uuid[SV_UUID_LEN], char buf[SV_UUID_STRING_LEN]);
/* A random (version 4) UUID; -errno when the kernel gives no randomness. */
int sv_uuid_generate(unsigned char uuid[SV_UUID_LEN]);
