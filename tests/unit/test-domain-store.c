/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libshared/domain-store: lookup as virsh resolves a domain, the files it keeps, and the status
 * keys qemud and lxcd read back after a restart (a status file written by the qemud of before
 * the store must still be understood). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test-skip.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic-file.h"
#include "domain-state.h"
#include "domain-store.h"

#define UUID_A "8e2a0b2c-7c3d-4a8e-9d41-1f0f0c3a9a01"
#define UUID_B "8e2a0b2c-7c3d-4a8e-9d41-1f0f0c3a9a02"

struct fixture {
	char root[64];
	struct domain_store store;
};

static struct domain_def *parse(const char *name, const char *uuid)
{
	_cleanup_free_ char *xml = xasprintf("<domain type='qemu'><name>%s</name><uuid>%s</uuid>"
					     "<memory unit='MiB'>64</memory><os><type>hvm</type></os></domain>",
					     name, uuid);
	struct domain_def *def = NULL;
	struct sv_error err = { 0 };

	if (domain_def_parse(xml, strlen(xml), DOMAIN_PARSE_INACTIVE, &def, &err) < 0)
		fail_msg("refused: %s", err.message);
	return def;
}

static char *path_in(struct fixture *f, const char *rel) { return xasprintf("%s/%s", f->root, rel); }

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	_cleanup_free_ char *config = NULL, *autostart = NULL, *run = NULL;
	struct sv_error err;

	snprintf(f->root, sizeof(f->root), "/tmp/test-domain-store.XXXXXX");
	assert_non_null(mkdtemp(f->root));
	config = path_in(f, "etc");
	autostart = path_in(f, "etc/autostart");
	run = path_in(f, "run");
	assert_int_equal(domain_store_init(&f->store, SV_FROM_QEMU, config, autostart, run, &err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	_cleanup_free_ char *cmd = xasprintf("rm -rf '%s'", f->root);

	domain_store_fini(&f->store);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void test_lookup_like_virsh(void **state)
{
	struct fixture *f = *state;
	struct domain_obj *a, *b;
	struct sv_error err;

	assert_int_equal(domain_store_define(&f->store, parse("a", UUID_A), &a, &err), 0);
	assert_int_equal(domain_store_define(&f->store, parse("7", UUID_B), &b, &err), 0);
	b->id = 3;
	/* id first, then UUID (any case), then name: "7" is b's name, "3" b's id. */
	assert_ptr_equal(domain_store_lookup(&f->store, "3", &err), b);
	assert_ptr_equal(domain_store_lookup(&f->store, "7", &err), b);
	assert_ptr_equal(domain_store_lookup(&f->store, "8E2A0B2C-7C3D-4A8E-9D41-1F0F0C3A9A01", &err), a);
	assert_ptr_equal(domain_store_lookup(&f->store, "a", &err), a);
	assert_null(domain_store_lookup(&f->store, "nope", &err));
	assert_string_equal(err.message, "Domain not found: no domain with matching name 'nope'");
	assert_int_equal(err.domain, SV_FROM_QEMU);
	assert_null(domain_store_lookup(&f->store, "42", &err));
	assert_string_equal(err.message, "Domain not found: no domain with matching id 42");
	assert_null(domain_store_lookup(&f->store, "8e2a0b2c-7c3d-4a8e-9d41-1f0f0c3a9aff", &err));
	assert_string_equal(err.message,
			    "Domain not found: no domain with matching uuid '8e2a0b2c-7c3d-4a8e-9d41-1f0f0c3a9aff'");
	assert_true(domain_store_define(&f->store, parse("a", UUID_B), &a, &err) < 0);
	assert_string_equal(err.message, "operation failed: domain 'a' already exists with uuid " UUID_A);
}

static void test_files_and_reload(void **state)
{
	struct fixture *f = *state;
	_cleanup_free_ char *xml = path_in(f, "etc/a.xml"), *flag = path_in(f, "etc/autostart/a");
	struct domain_store again;
	struct domain_obj *a;
	struct sv_error err;

	assert_int_equal(domain_store_define(&f->store, parse("a", UUID_A), &a, &err), 0);
	assert_int_equal(domain_store_set_autostart(&f->store, a, true, &err), 0);
	assert_int_equal(access(xml, F_OK), 0);
	assert_int_equal(access(flag, F_OK), 0);
	assert_int_equal(domain_store_init(&again, SV_FROM_QEMU, f->store.config_dir, f->store.autostart_dir,
					   f->store.state_dir, &err), 0);
	domain_store_load(&again);
	assert_int_equal(again.ndoms, 1);
	assert_true(domain_store_find_name(&again, "a")->autostart);
	domain_store_fini(&again);
	assert_int_equal(domain_store_undefine(&f->store, a, &err), 0);
	assert_int_equal(f->store.ndoms, 0);
	assert_int_equal(access(xml, F_OK), -1);
	assert_int_equal(access(flag, F_OK), -1);
}

struct seen {
	int n;
	char name[32];
	char status[256];
};

static void collect(const char *name, char *status, const char *live_xml, void *opaque)
{
	struct seen *s = opaque;

	assert_non_null(strstr(live_xml, "<name>a</name>"));
	s->n++;
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->status, sizeof(s->status), "%s", status);
}

static const char *get(const char *status, const char *key)
{
	static char buf[64];
	return domain_status_get(status, key, buf, sizeof(buf));
}

/* The layout qemud wrote before it used the store: its keys, pid first. */
static void test_status_of_old_qemud(void **state)
{
	struct fixture *f = *state;
	_cleanup_free_ char *status = path_in(f, "run/a.status"), *live = path_in(f, "run/a.xml");
	_cleanup_free_ char *xml = NULL;
	_cleanup_domain_def_ struct domain_def *def = parse("a", UUID_A);
	const char *old = "pid=4242\nid=7\nstate=3\nreason=1\nstart_time=1700000000\nshutdown_seen=1\n";
	struct seen seen = { 0 };
	struct sv_error err;

	assert_int_equal(domain_def_format(def, 0, &xml, &err), 0);
	assert_int_equal(atomic_file_write(live, xml, strlen(xml), 0600, &err), 0);
	assert_int_equal(atomic_file_write(status, old, strlen(old), 0600, &err), 0);
	domain_store_status_each(&f->store, collect, &seen);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.name, "a");
	assert_string_equal(get(seen.status, "pid"), "4242");
	assert_string_equal(get(seen.status, "id"), "7");
	assert_string_equal(get(seen.status, "state"), "3");
	assert_string_equal(get(seen.status, "reason"), "1");
	assert_string_equal(get(seen.status, "start_time"), "1700000000");
	assert_string_equal(get(seen.status, "shutdown_seen"), "1");
	assert_null(get(seen.status, "start"));
	domain_store_delete_status(&f->store, "a");
	assert_int_equal(access(status, F_OK), -1);
	assert_int_equal(access(live, F_OK), -1);
}

/* What is written now carries the same keys, the driver's as `extra`. */
static void test_status_round_trip(void **state)
{
	struct fixture *f = *state;
	struct domain_obj *a;
	struct seen seen = { 0 };
	struct sv_error err;

	assert_int_equal(domain_store_define(&f->store, parse("a", UUID_A), &a, &err), 0);
	assert_int_equal(domain_def_copy(a->def, &a->live, &err), 0);
	a->id = 2;
	a->state = DOMAIN_PAUSED;
	a->reason = PAUSED_USER;
	assert_int_equal(domain_store_save_status(&f->store, a, "pid=99\nstart_time=5\nshutdown_seen=0\n", &err), 0);
	domain_store_status_each(&f->store, collect, &seen);
	assert_int_equal(seen.n, 1);
	assert_string_equal(get(seen.status, "id"), "2");
	assert_int_equal(atoi(get(seen.status, "state")), DOMAIN_PAUSED);
	assert_int_equal(atoi(get(seen.status, "reason")), PAUSED_USER);
	assert_string_equal(get(seen.status, "pid"), "99");
	assert_string_equal(get(seen.status, "start_time"), "5");
	assert_string_equal(get(seen.status, "shutdown_seen"), "0");
}

static void quit_loop(struct evwatch *w, void *loop)
{
	evwatch_remove(w);
	evloop_quit(loop);
}

/* Group commit: defines, an autostart mark and an undefine made in one turn of the loop are in
 * place at once (renamed), and share one fsync per directory, done when the turn ends. */
static void test_group_commit(void **state)
{
	struct fixture *f = *state;
	struct evloop *loop = evloop_new();
	struct domain_obj *a, *b;
	struct sv_error err;
	unsigned long long fsyncs, calls;
	_cleanup_free_ char *xml_a = path_in(f, "etc/a.xml"), *xml_b = path_in(f, "etc/b.xml");
	_cleanup_free_ char *flag = path_in(f, "etc/autostart/a");

	f->store.commit = group_commit_new(loop);
	assert_int_equal(domain_store_define(&f->store, parse("a", UUID_A), &a, &err), 0);
	assert_int_equal(domain_store_define(&f->store, parse("b", UUID_B), &b, &err), 0);
	assert_int_equal(domain_store_set_autostart(&f->store, a, true, &err), 0);
	assert_int_equal(domain_store_undefine(&f->store, b, &err), 0);
	assert_int_equal(access(xml_a, F_OK), 0);
	assert_int_equal(access(flag, F_OK), 0);
	assert_int_not_equal(access(xml_b, F_OK), 0);
	group_commit_stats(f->store.commit, &fsyncs, &calls);
	assert_int_equal(fsyncs, 0); /* not yet: at the end of the loop's turn */
	evloop_timer(loop, 1, 0, quit_loop, loop);
	assert_int_equal(evloop_run(loop), 0);
	group_commit_stats(f->store.commit, &fsyncs, &calls);
	assert_int_equal(fsyncs, 2); /* etc and etc/autostart, once each */
	group_commit_free(f->store.commit);
	f->store.commit = NULL;
	evloop_free(loop);
}

static void test_def_copy_is_deep(void **state)
{
	_cleanup_domain_def_ struct domain_def *def = parse("a", UUID_A);
	_cleanup_domain_def_ struct domain_def *copy = NULL;
	_cleanup_free_ char *x1 = NULL, *x2 = NULL;
	struct sv_error err;
	(void)state;

	assert_int_equal(domain_def_copy(def, &copy, &err), 0);
	assert_ptr_not_equal(copy->name, def->name);
	assert_int_equal(domain_def_format(def, 0, &x1, &err), 0);
	assert_int_equal(domain_def_format(copy, 0, &x2, &err), 0);
	assert_string_equal(x1, x2);
}

/* Which names are temp files of atomic_file_write(), and what clean-up removes. */
static void test_stale_tmp_names(void **state)
{
	struct fixture *f = *state;
	_cleanup_free_ char *dir = path_in(f, "etc");
	_cleanup_free_ char *tmp = path_in(f, "etc/a.xml.tmp.123");
	_cleanup_free_ char *tmp2 = path_in(f, "etc/a.tmp.b.xml.tmp.9");
	_cleanup_free_ char *keep = path_in(f, "etc/a.tmp.x");
	_cleanup_free_ char *def = path_in(f, "etc/a.xml");
	_cleanup_free_ char *sub = path_in(f, "etc/d.tmp.4");
	_cleanup_free_ char *link = path_in(f, "etc/l.tmp.5");
	struct sv_error err;

	assert_true(atomic_file_is_tmp_name("a.xml.tmp.123"));
	assert_true(atomic_file_is_tmp_name("a.tmp.b.tmp.7"));
	assert_false(atomic_file_is_tmp_name("a.xml"));
	assert_false(atomic_file_is_tmp_name("a.tmp."));
	assert_false(atomic_file_is_tmp_name("a.tmp.12x"));
	assert_false(atomic_file_is_tmp_name(".tmp.12"));
	assert_false(atomic_file_is_tmp_name("a.tmp.1.xml"));
	assert_int_equal(atomic_file_write(tmp, "x", 1, 0600, &err), 0);
	assert_int_equal(atomic_file_write(tmp2, "x", 1, 0600, &err), 0);
	assert_int_equal(atomic_file_write(keep, "x", 1, 0600, &err), 0);
	assert_int_equal(atomic_file_write(def, "x", 1, 0600, &err), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(symlink(def, link), 0);
	assert_int_equal(atomic_file_clean_stale(dir), 2);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(access(tmp2, F_OK), -1);
	assert_int_equal(access(keep, F_OK), 0);
	assert_int_equal(access(def, F_OK), 0);
	assert_int_equal(access(sub, F_OK), 0);
	assert_int_equal(access(link, F_OK), 0);
	/* a successful write leaves no temp file of its own */
	assert_int_equal(atomic_file_clean_stale(dir), 0);
}

/* undefine removes the definition (the undefine) before the autostart mark, and a define of a
 * new name does not inherit a mark left behind by an earlier domain of that name. */
static void test_stale_autostart_mark(void **state)
{
	struct fixture *f = *state;
	_cleanup_free_ char *mark = path_in(f, "etc/autostart/a");
	_cleanup_free_ char *xml = path_in(f, "etc/a.xml");
	struct domain_obj *a;
	struct sv_error err;

	assert_int_equal(atomic_file_write(mark, "", 0, 0600, &err), 0); /* left by an earlier "a" */
	assert_int_equal(domain_store_define(&f->store, parse("a", UUID_A), &a, &err), 0);
	assert_false(a->autostart);
	assert_int_equal(access(mark, F_OK), -1);
	assert_int_equal(domain_store_set_autostart(&f->store, a, true, &err), 0);
	assert_int_equal(access(mark, F_OK), 0);
	assert_int_equal(domain_store_undefine(&f->store, a, &err), 0);
	assert_int_equal(access(xml, F_OK), -1);
	assert_int_equal(access(mark, F_OK), -1);
	assert_null(domain_store_find_name(&f->store, "a"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lookup_like_virsh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_and_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_of_old_qemud, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit, setup, teardown),
		cmocka_unit_test(test_def_copy_is_deep),
		cmocka_unit_test_setup_teardown(test_stale_tmp_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_autostart_mark, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
