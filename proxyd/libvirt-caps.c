/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* virConnectGetCapabilities: the host and the guests qemud can run, as libvirt's capabilities
 * XML, built from what the driver reports (the host from NODE_GET_INFO, QEMU's version from PING)
 * and what qemud accepts: x86_64 guests of os type hvm on the default emulator, machines pc and
 * q35, domain type qemu (TCG) and kvm when the host has /dev/kvm. virt-install and virt-manager
 * read it to choose what to ask for. */
#include "config.h"

#include <stdio.h>
#include <sys/stat.h>

#include "libvirt.h"

#define PROC(x) SEPVIRT__PROCEDURE__PROC_##x

struct caps_job {
	unsigned qemu_major, qemu_minor;
};

static char *caps_xml(const Sepvirt__NodeInfoReply *n, unsigned major, unsigned minor)
{
	char *xml = NULL;
	size_t len = 0;
	struct stat st;
	FILE *f = open_memstream(&xml, &len);

	if (!f)
		return NULL;
	fprintf(f, "<capabilities>\n\n  <host>\n    <cpu>\n      <arch>%s</arch>\n", "x86_64");
	fprintf(f, "      <topology sockets='%u' dies='1' cores='%u' threads='%u'/>\n", n->sockets, n->cores,
		n->threads);
	fprintf(f, "    </cpu>\n    <power_management/>\n    <iommu support='no'/>\n");
	fprintf(f, "    <migration_features>\n      <live/>\n    </migration_features>\n");
	if (n->cells == 1) { /* one NUMA node holds everything; with more, the driver does not say which */
		fprintf(f, "    <topology>\n      <cells num='1'>\n        <cell id='0'>\n");
		fprintf(f, "          <memory unit='KiB'>%llu</memory>\n", (unsigned long long)n->memory_kib);
		fprintf(f, "          <cpus num='%u'>\n", n->cpus);
		for (unsigned i = 0; i < n->cpus; i++)
			fprintf(f, "            <cpu id='%u'/>\n", i);
		fprintf(f, "          </cpus>\n        </cell>\n      </cells>\n    </topology>\n");
	}
	/* Guests are kept apart by uids of their own, not by a security driver. */
	fprintf(f, "    <secmodel>\n      <model>none</model>\n      <doi>0</doi>\n    </secmodel>\n  </host>\n\n");
	fprintf(f, "  <guest>\n    <os_type>hvm</os_type>\n    <arch name='x86_64'>\n      <wordsize>64</wordsize>\n");
	fprintf(f, "      <emulator>%s</emulator>\n", QEMU_SYSTEM_DEFAULT);
	if (major) {
		fprintf(f, "      <machine canonical='pc-i440fx-%u.%u' maxCpus='255'>pc</machine>\n", major, minor);
		fprintf(f, "      <machine canonical='pc-q35-%u.%u' maxCpus='288'>q35</machine>\n", major, minor);
	} else {
		fprintf(f, "      <machine maxCpus='255'>pc</machine>\n      <machine maxCpus='288'>q35</machine>\n");
	}
	fprintf(f, "      <domain type='qemu'/>\n");
	if (stat("/dev/kvm", &st) == 0 && S_ISCHR(st.st_mode))
		fprintf(f, "      <domain type='kvm'/>\n");
	fprintf(f, "    </arch>\n    <features>\n      <acpi default='on' toggle='yes'/>\n      <apic default='on' toggle='no'/>\n");
	fprintf(f, "      <cpuselection/>\n      <deviceboot/>\n      <disksnapshot default='on' toggle='no'/>\n");
	fprintf(f, "    </features>\n  </guest>\n\n</capabilities>\n");
	if (fclose(f) != 0) {
		free(xml);
		return NULL;
	}
	return xml;
}

static void got_node(struct lv_call *call, const rpc_envelope *reply)
{
	_cleanup_message_ Sepvirt__NodeInfoReply *n = NULL;
	_cleanup_free_ char *xml = NULL;
	struct sv_error err;
	lv_str ret;

	if (rpc_body_unpack(reply, &sepvirt__node_info_reply__descriptor, (ProtobufCMessage **)&n, &err) < 0) {
		lv_fail(call, &err);
		return;
	}
	/* The version from the first step, kept as major * 1000 + minor. */
	xml = caps_xml(n, (unsigned)call->int_arg / 1000, (unsigned)call->int_arg % 1000);
	if (!xml) {
		lv_fail_lv(call, LV_ERR_INTERNAL, LV_FROM_REMOTE, "internal error: cannot write the capabilities XML");
		return;
	}
	ret.value = xml;
	lv_reply(call, &ret);
}

static void got_version(struct lv_call *call, const rpc_envelope *reply)
{
	_cleanup_message_ Sepvirt__PingReply *ping = NULL;
	Sepvirt__NodeInfoRequest req = SEPVIRT__NODE_INFO_REQUEST__INIT;
	unsigned major = 0, minor = 0;
	struct sv_error err;

	if (rpc_body_unpack(reply, &sepvirt__ping_reply__descriptor, (ProtobufCMessage **)&ping, &err) < 0) {
		lv_fail(call, &err);
		return;
	}
	if (!ping->hypervisor || sscanf(ping->hypervisor, "QEMU %u.%u", &major, &minor) != 2 || minor >= 1000)
		major = minor = 0;
	call->int_arg = (int)(major * 1000 + minor);
	lv_forward(call, PROC(NODE_GET_INFO), &req.base, got_node);
}

void lv_run_get_capabilities(struct lv_call *call, void *args)
{
	Sepvirt__PingRequest req = SEPVIRT__PING_REQUEST__INIT;

	if (lv_session_program(call->cl) != SEPVIRT__PROGRAM__PROGRAM_QEMU) {
		lv_fail_lv(call, LV_ERR_NO_SUPPORT, LV_FROM_LXC,
			   "this function is not supported by the connection driver: virConnectGetCapabilities");
		return;
	}
	lv_forward(call, PROC(PING), &req.base, got_version);
}
