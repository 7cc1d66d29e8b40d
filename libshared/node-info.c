/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <sys/utsname.h>

#include "node-info.h"

/* The first line of a sysfs or procfs file starting with key (all of it when key is ""), as a
 * number after the key and any ':' and blanks; absent when the file or key is missing. */
static bool read_num(const char *path, const char *key, unsigned long long *out)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char line[256];

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, strlen(key)) != 0)
			continue;
		const char *p = line + strlen(key);
		p += strspn(p, " \t:");
		return sscanf(p, "%llu", out) == 1;
	}
	return false;
}

/* CPU topology of the online CPUs: distinct packages, and the siblings of cpu0. */
static void topology(unsigned cpus, uint32_t *sockets, uint32_t *cores, uint32_t *threads)
{
	unsigned long long pkg, seen[256];
	unsigned nseen = 0, nthreads = 0;
	char path[128];

	for (unsigned c = 0; c < cpus && c < 4096; c++) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/topology/physical_package_id", c);
		if (!read_num(path, "", &pkg))
			continue;
		bool known = false;
		for (unsigned i = 0; i < nseen; i++)
			known |= seen[i] == pkg;
		if (!known && nseen < ARRAY_SIZE(seen))
			seen[nseen++] = pkg;
	}
	/* thread_siblings_list of cpu0: "0" or "0-1" or "0,2" */
	_cleanup_fclose_ FILE *f = fopen("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list", "re");
	char list[128] = "";
	if (f && fgets(list, sizeof(list), f)) {
		for (char *save = NULL, *tok = strtok_r(list, ",\n", &save); tok; tok = strtok_r(NULL, ",\n", &save)) {
			unsigned a, b;
			int n = sscanf(tok, "%u-%u", &a, &b);
			nthreads += n == 2 && b >= a ? b - a + 1 : 1;
		}
	}
	*sockets = nseen ? nseen : 1;
	*threads = nthreads ? nthreads : 1;
	*cores = cpus / *sockets / *threads ? cpus / *sockets / *threads : 1;
}

static uint32_t numa_cells(void)
{
	_cleanup_closedir_ DIR *d = opendir("/sys/devices/system/node");
	struct dirent *e;
	uint32_t n = 0;

	while (d && (e = readdir(d)))
		if (strncmp(e->d_name, "node", 4) == 0 && e->d_name[4] >= '0' && e->d_name[4] <= '9')
			n++;
	return n ? n : 1;
}

int node_handle_get_info(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply,
			 struct sv_error *err)
{
	Sepvirt__NodeInfoReply out = SEPVIRT__NODE_INFO_REPLY__INIT;
	unsigned long long mem = 0, mhz = 0;
	struct utsname u;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	(void)req, (void)msg;

	if (uname(&u) < 0)
		return sv_error_set_errno(err, rpc_server_config(req->server)->error_domain, SV_ERR_SYSTEM, errno,
					  "cannot read the host's name and machine");
	if (!read_num("/proc/meminfo", "MemTotal", &mem))
		return sv_error_set(err, rpc_server_config(req->server)->error_domain, SV_ERR_SYSTEM, EIO,
				    "cannot read the host's memory size from /proc/meminfo");
	read_num("/proc/cpuinfo", "cpu MHz", &mhz); /* not on every architecture */
	out.model = u.machine;
	out.hostname = u.nodename;
	out.cpus = cpus > 0 ? (uint32_t)cpus : 1;
	out.mhz = (uint32_t)mhz;
	topology(out.cpus, &out.sockets, &out.cores, &out.threads);
	out.cells = numa_cells();
	out.memory_kib = mem;
	rpc_reply_pack(reply, &out.base);
	return 0;
}
