/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <endian.h>
#include <stdint.h>
#include <sys/stat.h>

#include "save-image.h"

/* Version 1: 16 bytes of magic, then little-endian u32s: version, the XML's length, whether the
 * domain ran when saved, and one reserved (0). Then the XML, then QEMU's stream. */
#define SAVE_MAGIC "sepvirt-save\n\0\0\0"
#define SAVE_VERSION 1u

struct save_header {
	char magic[16];
	uint32_t version;
	uint32_t xml_len;
	uint32_t running;
	uint32_t reserved;
};

static int write_all(int fd, const void *buf, size_t len, struct sv_error *err)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot write the save image");
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static ssize_t read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int qemud_save_image_write(int fd, const struct domain_def *def, bool running, struct sv_error *err)
{
	_cleanup_free_ char *xml = NULL;
	struct save_header h = { .version = htole32(SAVE_VERSION), .running = htole32(running ? 1 : 0) };
	size_t len;
	int r = domain_def_format(def, DOMAIN_FORMAT_INACTIVE, &xml, err);

	if (r < 0)
		return r;
	len = strlen(xml);
	if (len > QEMUD_SAVE_XML_MAX)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EFBIG, "domain '%s': its XML is too large to save",
				    def->name);
	memcpy(h.magic, SAVE_MAGIC, sizeof(h.magic));
	h.xml_len = htole32((uint32_t)len);
	if ((r = write_all(fd, &h, sizeof(h), err)) < 0)
		return r;
	return write_all(fd, xml, len, err);
}

int qemud_save_image_read(int fd, const char *what, struct domain_def **def, bool *running, struct sv_error *err)
{
	struct save_header h;
	_cleanup_free_ char *xml = NULL;
	uint32_t len;
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot stat '%s'", what);
	if (!S_ISREG(st.st_mode))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL, "'%s' is not a regular file", what);
	if (lseek(fd, 0, SEEK_SET) < 0)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot seek in '%s'", what);
	n = read_full(fd, &h, sizeof(h));
	if (n < 0)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, (int)-n, "cannot read '%s'", what);
	if ((size_t)n < sizeof(h.magic) || memcmp(h.magic, SAVE_MAGIC, sizeof(h.magic)) != 0)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL,
				    "'%s' is not a sepvirt save image (its magic is wrong)", what);
	if ((size_t)n < sizeof(h))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL,
				    "save image '%s' is truncated: %zd bytes, shorter than its header", what, n);
	if (le32toh(h.version) != SAVE_VERSION)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
				    "save image '%s' has version %u; this sepvirt reads version %u", what,
				    le32toh(h.version), SAVE_VERSION);
	len = le32toh(h.xml_len);
	if (len == 0 || len > QEMUD_SAVE_XML_MAX)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL,
				    "save image '%s' is corrupt: its header gives %u bytes of XML (at most %u)", what, len,
				    QEMUD_SAVE_XML_MAX);
	/* QEMU's stream follows the XML: a file that ends at the XML lost it. */
	if ((uint64_t)st.st_size <= sizeof(h) + (uint64_t)len)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL,
				    "save image '%s' is truncated: %lld bytes, its header and XML alone take %zu",
				    what, (long long)st.st_size, sizeof(h) + (size_t)len);
	xml = xmalloc((size_t)len + 1);
	n = read_full(fd, xml, len);
	if (n < 0)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, (int)-n, "cannot read '%s'", what);
	if ((size_t)n != len)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL, "save image '%s' is truncated", what);
	xml[len] = '\0';
	if (strlen(xml) != len)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL,
				    "save image '%s' is corrupt: its XML holds a NUL byte", what);
	if (domain_def_parse(xml, len, DOMAIN_PARSE_INACTIVE, def, err) < 0) {
		struct sv_error inner = *err;
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL,
				    "save image '%s' holds a domain XML that does not parse: %s", what, inner.message);
	}
	*running = le32toh(h.running) != 0;
	return 0;
}

char *qemud_managed_save_path(const char *name)
{
	return xasprintf("%s/%s.save", qemud.save_dir, name);
}

bool qemud_has_managed_save(const char *name)
{
	_cleanup_free_ char *path = qemud_managed_save_path(name);

	return access(path, F_OK) == 0;
}
