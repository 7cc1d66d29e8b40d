/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hotplug's definition edits (qemud/hotplug-def.c): a device added through the XML passes the
 * parser's checks; removing an interface keeps the ids of the others as their <alias>; a device
 * replaced (update-device) keeps its place; a detach's
 * XML finds its device by target or MAC and type, and names what it did not find. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "test-skip.h"

#include "hotplug.h"
#include "util.h"

static const char base[] =
	"<domain type='qemu'><name>hp</name><uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>"
	"<memory>262144</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
	"<disk type='file' device='disk'><source file='/img/a.img'/><target dev='vda' bus='virtio'/></disk>"
	"<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface>"
	"<interface type='user'><mac address='52:54:00:00:00:02'/><model type='virtio'/></interface>"
	"<interface type='ethernet'><mac address='52:54:00:00:00:03'/><target dev='tap9' managed='no'/></interface>"
	"</devices></domain>";

static struct domain_def *parse_base(void)
{
	struct domain_def *def = NULL;
	struct sv_error err;

	assert_int_equal(domain_def_parse(base, strlen(base), 0, &def, &err), 0);
	return def;
}

static void test_add_disk(void **state)
{
	_cleanup_domain_def_ struct domain_def *def = parse_base(), *out = NULL;
	xmlDocPtr doc = NULL;
	enum qemud_hotplug_kind kind;
	struct sv_error err;

	assert_int_equal(qemud_hotplug_parse("<disk type='file'><source file='/img/b.img'/><target dev='vdb'/></disk>", &doc,
					     &kind, &err), 0);
	assert_int_equal(kind, QEMUD_HOTPLUG_DISK);
	assert_int_equal(qemud_hotplug_def_add(def, xmlDocGetRootElement(doc), 0, &out, &err), 0);
	assert_int_equal(out->ndisks, 2);
	assert_string_equal(out->disks[1].target_dev, "vdb");
	assert_string_equal(out->disks[1].src_path, "/img/b.img");
	xmlFreeDoc(doc);
	/* what the parser refuses stays refused */
	assert_int_equal(qemud_hotplug_parse("<disk type='file'><source file='/img/b.img'/><target dev='vdc'/><foo/></disk>",
					     &doc, &kind, &err), 0);
	assert_true(qemud_hotplug_def_add(def, xmlDocGetRootElement(doc), 0, &out, &err) < 0);
	assert_non_null(strstr(err.message, "foo"));
	xmlFreeDoc(doc);
}

static void test_parse_refuses(void **state)
{
	xmlDocPtr doc = NULL;
	enum qemud_hotplug_kind kind;
	struct sv_error err;

	assert_true(qemud_hotplug_parse("<hostdev mode='subsystem'/>", &doc, &kind, &err) < 0);
	assert_non_null(strstr(err.message, "device 'hostdev' cannot be attached"));
	assert_true(qemud_hotplug_parse("<disk", &doc, &kind, &err) < 0);
}

static void test_remove_keeps_ids(void **state)
{
	_cleanup_domain_def_ struct domain_def *def = parse_base(), *out = NULL;
	_cleanup_free_ char *id0 = NULL, *id1 = NULL;
	struct sv_error err;

	assert_int_equal(qemud_hotplug_def_remove(def, QEMUD_HOTPLUG_INTERFACE, 0, 0, &out, &err), 0);
	assert_int_equal(out->ninterfaces, 2);
	id0 = qemud_hotplug_iface_id(out, 0);
	id1 = qemud_hotplug_iface_id(out, 1);
	assert_string_equal(id0, "net1");
	assert_string_equal(id1, "net2");
	/* an inactive definition has no ids to keep */
	domain_def_free(out);
	out = NULL;
	assert_int_equal(qemud_hotplug_def_remove(def, QEMUD_HOTPLUG_INTERFACE, 0, DOMAIN_PARSE_INACTIVE, &out, &err), 0);
	assert_null(xml_keep_find(&out->interfaces[0].keep, "alias"));
}

static void test_replace_in_place(void **state)
{
	_cleanup_domain_def_ struct domain_def *def = parse_base(), *out = NULL;
	xmlDocPtr doc = NULL;
	enum qemud_hotplug_kind kind;
	struct sv_error err;

	assert_int_equal(qemud_hotplug_parse("<disk type='file' device='disk'><source file='/img/c.img'/>"
					     "<target dev='vda' bus='virtio'/></disk>", &doc, &kind, &err), 0);
	assert_int_equal(qemud_hotplug_def_replace(def, kind, 0, xmlDocGetRootElement(doc), 0, &out, &err), 0);
	assert_int_equal(out->ndisks, 1);
	assert_string_equal(out->disks[0].src_path, "/img/c.img");
	assert_int_equal(out->ninterfaces, 3);
	xmlFreeDoc(doc);
}

static void find(const struct domain_def *def, const char *xml, int want, const char *msg)
{
	xmlDocPtr doc = NULL;
	enum qemud_hotplug_kind kind;
	struct sv_error err;
	size_t i = 99;

	assert_int_equal(qemud_hotplug_parse(xml, &doc, &kind, &err), 0);
	if (want >= 0) {
		assert_int_equal(qemud_hotplug_find(def, xmlDocGetRootElement(doc), kind, &i, &err), 0);
		assert_int_equal(i, want);
	} else {
		assert_true(qemud_hotplug_find(def, xmlDocGetRootElement(doc), kind, &i, &err) < 0);
		if (!strstr(err.message, msg))
			fail_msg("'%s' not in '%s'", msg, err.message);
	}
	xmlFreeDoc(doc);
}

static void test_find(void **state)
{
	_cleanup_domain_def_ struct domain_def *def = parse_base();

	find(def, "<disk><target dev='vda'/></disk>", 0, NULL);
	find(def, "<disk><target dev='vdz'/></disk>", -1, "no disk with target 'vdz' in domain 'hp'");
	find(def, "<disk/>", -1, "names no <target dev>");
	find(def, "<interface type='ethernet'/>", 2, NULL);
	find(def, "<interface type='user'><mac address='52:54:00:00:00:02'/></interface>", 1, NULL);
	find(def, "<interface type='user'/>", -1, "has 2 interfaces of type 'user'");
	find(def, "<interface type='bridge'/>", -1, "no interface of type 'bridge'");
	find(def, "<interface type='user'><mac address='52:54:00:00:00:09'/></interface>", -1,
	     "no interface of type 'user' with MAC address '52:54:00:00:00:09'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_disk),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_remove_keeps_ids),
		cmocka_unit_test(test_replace_in_place),
		cmocka_unit_test(test_find),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
