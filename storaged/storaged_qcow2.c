/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qcow2 headers (see storaged_qcow2.h). All fields are big-endian. */
#include "config.h"

#include <endian.h>
#include <stdio.h>
#include <sys/stat.h>

#include "storaged_qcow2.h"
#include "util.h"

#define QCOW2_MAGIC 0x514649fbu /* "QFI\xfb" */
#define QCOW2_V3_HEADER_LEN 104u
#define CLUSTER_BITS 16u        /* 64 KiB clusters, QEMU's default */
#define CLUSTER_SIZE (1u << CLUSTER_BITS)
#define EXT_END 0u
#define EXT_BACKING_FORMAT 0xe2792acau
#define EXT_DATA_FILE 0x44415441u /* "DATA": the name of the external data file */
#define INCOMPAT_DIRTY 1u
#define INCOMPAT_DATA_FILE 4u
#define INCOMPAT_KNOWN 0x1fu    /* dirty, corrupt, external data, compression type, extended L2 */

/* Header offsets (qcow2.txt, "Header"). */
enum {
	OFF_MAGIC = 0, OFF_VERSION = 4, OFF_BACKING_OFFSET = 8, OFF_BACKING_SIZE = 16,
	OFF_CLUSTER_BITS = 20, OFF_SIZE = 24, OFF_CRYPT = 32, OFF_L1_SIZE = 36, OFF_L1_OFFSET = 40,
	OFF_REFTABLE_OFFSET = 48, OFF_REFTABLE_CLUSTERS = 56, OFF_NB_SNAPSHOTS = 60,
	OFF_SNAPSHOTS_OFFSET = 64, OFF_INCOMPAT = 72, OFF_COMPAT = 80, OFF_AUTOCLEAR = 88,
	OFF_REFCOUNT_ORDER = 96, OFF_HEADER_LEN = 100,
};

static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return be32toh(v); }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return be64toh(v); }
static void put16(uint8_t *p, uint16_t v) { v = htobe16(v); memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { v = htobe32(v); memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { v = htobe64(v); memcpy(p, &v, 8); }

static int bad(struct sv_error *err, const char *what)
{
	return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_OPERATION_FAILED, EINVAL, "damaged qcow2 header: %s", what);
}

/* Reads len bytes at off. Past the end of the file: -ENODATA, or with zero_fill zeros, as
 * QEMU reads an image's header area. */
static int pread_all(int fd, void *buf, size_t len, off_t off, bool zero_fill)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (uint8_t *)buf + done, len - done, off + done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0 && !zero_fill)
			return -ENODATA;
		if (n == 0) {
			memset((uint8_t *)buf + done, 0, len - done);
			break;
		}
		done += n;
	}
	return 0;
}

static int pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (const uint8_t *)buf + done, len - done, off + done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += n;
	}
	return 0;
}

bool storaged_qcow2_detect(const uint8_t *buf, size_t len)
{
	uint32_t version;

	if (len < 8 || get32(buf) != QCOW2_MAGIC)
		return false;
	version = get32(buf + OFF_VERSION);
	return version == 2 || version == 3;
}

static int copy_name(char *dst, size_t dstlen, const uint8_t *src, uint32_t len, struct sv_error *err,
		     const char *what)
{
	char why[64];

	snprintf(why, sizeof(why), "%s length out of range", what);
	if (len == 0 || len >= dstlen)
		return bad(err, why);
	memcpy(dst, src, len);
	dst[len] = '\0';
	snprintf(why, sizeof(why), "%s contains NUL", what);
	return strlen(dst) == len ? 0 : bad(err, why);
}

/* The header extensions, from the end of the header up to end, each one within it (QEMU
 * refuses an image whose extension runs past it, and stops at the end marker). */
static int read_extensions(const uint8_t *area, size_t end, size_t off, struct qcow2_info *info,
			   struct sv_error *err)
{
	while (off < end) {
		uint32_t type, elen;
		int r = 0;

		if (end - off < 8)
			return bad(err, "header extension too large");
		type = get32(area + off);
		elen = get32(area + off + 4);
		off += 8;
		if (elen > end - off)
			return bad(err, "header extension too large");
		if (type == EXT_END)
			break;
		if (type == EXT_BACKING_FORMAT && elen < sizeof(info->backing_format)) {
			memcpy(info->backing_format, area + off, elen);
			info->backing_format[elen] = '\0';
		} else if (type == EXT_DATA_FILE) {
			if (info->data_file[0])
				return bad(err, "two data file names");
			r = copy_name(info->data_file, sizeof(info->data_file), area + off, elen, err, "data file name");
		}
		if (r < 0)
			return r;
		off += (elen + 7) & ~7u;
	}
	return 0;
}

int storaged_qcow2_probe(int fd, struct qcow2_info *info, struct sv_error *err)
{
	uint8_t hdr[QCOW2_V3_HEADER_LEN];
	_cleanup_free_ uint8_t *area = NULL;
	ssize_t n = pread(fd, hdr, sizeof(hdr), 0);
	uint64_t boff;
	uint32_t bsize, hlen, cluster;
	int r;

	memset(info, 0, sizeof(*info));
	if (n < 72 || !storaged_qcow2_detect(hdr, n))
		return bad(err, "no qcow2 magic");
	info->version = get32(hdr + OFF_VERSION);
	info->cluster_bits = get32(hdr + OFF_CLUSTER_BITS);
	info->size = get64(hdr + OFF_SIZE);
	if (info->cluster_bits < 9 || info->cluster_bits > 21)
		return bad(err, "cluster size out of range");
	cluster = 1u << info->cluster_bits;
	hlen = info->version == 2 ? 72 : (n >= (ssize_t)QCOW2_V3_HEADER_LEN ? get32(hdr + OFF_HEADER_LEN) : 0);
	if (info->version == 3 && (hlen < QCOW2_V3_HEADER_LEN || hlen > cluster))
		return bad(err, "header length out of range");
	if (info->version == 3)
		info->external_data = get64(hdr + OFF_INCOMPAT) & INCOMPAT_DATA_FILE;
	boff = get64(hdr + OFF_BACKING_OFFSET);
	bsize = get32(hdr + OFF_BACKING_SIZE);
	if (boff > cluster)
		return bad(err, "backing file name beyond the first cluster");
	/* the extensions end where the backing file name begins, else with the first cluster */
	area = xmalloc(boff ? boff : cluster);
	r = pread_all(fd, area, boff ? boff : cluster, 0, true);
	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, -r, "cannot read the qcow2 header");
	r = read_extensions(area, boff ? boff : cluster, hlen, info, err);
	if (r < 0)
		return r;
	if (boff) {
		uint8_t name[QCOW2_BACKING_MAX];
		if (bsize == 0 || bsize > sizeof(name))
			return bad(err, "backing file name length out of range");
		if (pread_all(fd, name, bsize, (off_t)boff, false) < 0)
			return bad(err, "backing file name beyond the end of the file");
		return copy_name(info->backing, sizeof(info->backing), name, bsize, err, "backing file name");
	}
	return 0;
}

/* Entries of one L1 table entry's L2 table, times the cluster size: what one L1 entry maps. */
static uint64_t l1_coverage(uint32_t cluster_bits)
{
	return (uint64_t)1 << (cluster_bits + cluster_bits - 3);
}

int storaged_qcow2_create(int fd, uint64_t size, const char *backing, const char *backing_format,
			  struct sv_error *err)
{
	/* cluster 0: header, extensions, backing name; 1: refcount table; 2: refcount block;
	 * 3: L1 table, as QEMU lays a new image out. The L1 table gets the whole cluster, so the
	 * image can grow up to 4 TiB by rewriting the header alone. */
	_cleanup_free_ uint8_t *buf = xcalloc(4, CLUSTER_SIZE);
	uint64_t need = (size + l1_coverage(CLUSTER_BITS) - 1) / l1_coverage(CLUSTER_BITS);
	uint64_t l1_size = need > CLUSTER_SIZE / 8 ? need : CLUSTER_SIZE / 8;
	uint64_t l1_clusters = (l1_size * 8 + CLUSTER_SIZE - 1) / CLUSTER_SIZE;
	size_t off = QCOW2_V3_HEADER_LEN;
	int r;

	if (l1_clusters != 1)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EFBIG,
				    "qcow2 volume size %llu is larger than the 4 TiB storaged can create",
				    (unsigned long long)size);
	put32(buf + OFF_MAGIC, QCOW2_MAGIC);
	put32(buf + OFF_VERSION, 3);
	put32(buf + OFF_CLUSTER_BITS, CLUSTER_BITS);
	put64(buf + OFF_SIZE, size);
	put32(buf + OFF_L1_SIZE, (uint32_t)l1_size);
	put64(buf + OFF_L1_OFFSET, 3ull * CLUSTER_SIZE);
	put64(buf + OFF_REFTABLE_OFFSET, 1ull * CLUSTER_SIZE);
	put32(buf + OFF_REFTABLE_CLUSTERS, 1);
	put32(buf + OFF_REFCOUNT_ORDER, 4); /* 16-bit refcounts */
	put32(buf + OFF_HEADER_LEN, QCOW2_V3_HEADER_LEN);
	if (backing) {
		size_t blen = strlen(backing);
		if (blen == 0 || blen > QCOW2_BACKING_MAX)
			return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, ENAMETOOLONG,
					    "backing file name '%.64s' is empty or too long", backing);
		if (backing_format) {
			size_t flen = strlen(backing_format);
			put32(buf + off, EXT_BACKING_FORMAT);
			put32(buf + off + 4, (uint32_t)flen);
			memcpy(buf + off + 8, backing_format, flen);
			off += 8 + ((flen + 7) & ~(size_t)7);
		}
		off += 8; /* the end-of-extensions marker: zeros */
		put64(buf + OFF_BACKING_OFFSET, off);
		put32(buf + OFF_BACKING_SIZE, (uint32_t)blen);
		memcpy(buf + off, backing, blen);
	}
	put64(buf + CLUSTER_SIZE, 2ull * CLUSTER_SIZE); /* refcount table[0] -> the block */
	for (int i = 0; i < 4; i++)                      /* the four clusters are used once */
		put16(buf + 2ull * CLUSTER_SIZE + 2 * i, 1);
	r = pwrite_all(fd, buf, 4ull * CLUSTER_SIZE, 0);
	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, -r, "cannot write the qcow2 header");
	return 0;
}

int storaged_qcow2_grow(int fd, uint64_t new_size, struct sv_error *err)
{
	uint8_t hdr[QCOW2_V3_HEADER_LEN];
	uint32_t cluster_bits, l1_size, version;
	uint64_t size, l1_offset, need, room;
	int r = pread_all(fd, hdr, sizeof(hdr), 0, false);

	if (r < 0 || !storaged_qcow2_detect(hdr, sizeof(hdr)))
		return bad(err, "no qcow2 magic");
	version = get32(hdr + OFF_VERSION);
	cluster_bits = get32(hdr + OFF_CLUSTER_BITS);
	size = get64(hdr + OFF_SIZE);
	l1_size = get32(hdr + OFF_L1_SIZE);
	l1_offset = get64(hdr + OFF_L1_OFFSET);
	if (cluster_bits < 9 || cluster_bits > 21 || l1_offset % (1u << cluster_bits))
		return bad(err, "cluster size or L1 table offset out of range");
	if (new_size < size)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EINVAL,
				    "cannot shrink a qcow2 volume (from %llu to %llu bytes)",
				    (unsigned long long)size, (unsigned long long)new_size);
	if (get32(hdr + OFF_NB_SNAPSHOTS))
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_OPERATION_INVALID, EBUSY,
				    "cannot resize a qcow2 volume that has internal snapshots");
	if (version == 3 && (get64(hdr + OFF_INCOMPAT) & INCOMPAT_DIRTY))
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_OPERATION_INVALID, EBUSY,
				    "cannot resize a qcow2 volume marked dirty (in use, or needs 'qemu-img check -r')");
	need = (new_size + l1_coverage(cluster_bits) - 1) / l1_coverage(cluster_bits);
	/* the L1 table owns whole clusters: its unused tail may be taken without moving it */
	room = (((uint64_t)l1_size * 8 + (1u << cluster_bits) - 1) >> cluster_bits << cluster_bits) / 8;
	if (need > room)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_NOT_SUPPORTED, EFBIG,
				    "growing this qcow2 volume to %llu bytes needs a larger L1 table than it has room for",
				    (unsigned long long)new_size);
	if (need > l1_size) {
		/* the new entries must read as unallocated, whatever the tail held before */
		_cleanup_free_ uint8_t *zeros = xcalloc(need - l1_size, 8);
		r = pwrite_all(fd, zeros, (need - l1_size) * 8, (off_t)(l1_offset + (uint64_t)l1_size * 8));
		if (r >= 0 && (r = fdatasync(fd) < 0 ? -errno : 0) >= 0) {
			uint8_t v[4];
			put32(v, (uint32_t)need);
			r = pwrite_all(fd, v, 4, OFF_L1_SIZE);
		}
		if (r < 0)
			return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, -r, "cannot grow the L1 table");
	}
	uint8_t v[8];
	put64(v, new_size);
	r = pwrite_all(fd, v, 8, OFF_SIZE);
	if (r < 0 || fsync(fd) < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, r < 0 ? -r : errno,
					  "cannot write the new qcow2 size");
	return 0;
}
