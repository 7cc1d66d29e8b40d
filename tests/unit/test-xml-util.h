/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the XML model tests: data paths, files, corpus walking and the
 * "facts that matter" compared against libvirt's expected outputs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* $abs_top_srcdir/tests/xml/<sub>, or ./tests/xml/<sub>. */
char *test_xml_dir(const char *sub);
/* $SHARED_TESTDATA/libvirt/<sub> (or ../shared/testdata/...), NULL when absent. */
char *test_shared_dir(const char *sub);
/* Whole file, NUL-terminated; NULL when missing. */
char *test_read_file(const char *path, size_t *len);
/* Sorted names in dir ending with suffix (NULL-terminated array, free with test_strv_free). */
char **test_list_dir(const char *dir, const char *suffix);
void test_strv_free(char **v);
bool test_has_suffix(const char *s, const char *suffix);

/* A parse → format pair of one model. */
typedef int (*test_roundtrip_fn)(const char *xml, size_t len, unsigned flags, char **out,
				 struct sv_error *err);
/* Every NAME.xml in tests/xml/<sub> (not NAME.out.xml, not bad-*): the output equals
 * NAME.out.xml, is a fixed point, and validates against schema (when given). Every
 * bad-*.xml is refused with the message in its "<!-- expect: ... -->" comment.
 * Returns the number of cases checked; fails the test on any mismatch. */
int test_run_corpus(const char *sub, test_roundtrip_fn fn, const char *schema);

/* One line per fact ("name=...", "iface0.mac=...") extracted by XPath, independent of
 * our parser; kind is "domain", "network", "pool" or "volume". */
char *test_facts(const char *kind, const char *xml, size_t len);
/* libvirt's RelaxNG schema for kind, NULL when not installed. */
const char *test_libvirt_schema(const char *kind);
