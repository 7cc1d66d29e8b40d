/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for storaged's qcow2 header probe: the input is the image file (what a user
 * uploads into a volume). A probe refuses with "damaged qcow2 header: ..." or reports facts that
 * hold: NUL-terminated names of the lengths the header gives, a backing format only with its
 * extension. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#include "storaged_qcow2.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct qcow2_info info;
	struct sv_error err = { 0 };
	int r;

	if (fd < 0 && (fd = memfd_create("fuzz-qcow2", MFD_CLOEXEC)) < 0)
		abort();
	if (ftruncate(fd, 0) < 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	(void)storaged_qcow2_detect(data, size);
	r = storaged_qcow2_probe(fd, &info, &err);
	if (r < 0) {
		if (!startswith(err.message, "damaged qcow2 header: ") && !startswith(err.message, "cannot read")) {
			fprintf(stderr, "unexpected error: %s\n", err.message);
			abort();
		}
		return 0;
	}
	if (info.version != 2 && info.version != 3)
		abort();
	if (strnlen(info.backing, sizeof(info.backing)) == sizeof(info.backing) ||
	    strnlen(info.data_file, sizeof(info.data_file)) == sizeof(info.data_file) ||
	    strnlen(info.backing_format, sizeof(info.backing_format)) == sizeof(info.backing_format))
		abort();
	return 0;
}
