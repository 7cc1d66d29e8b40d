/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The configuration keys cannot drift from their documentation: every key of
 * libshared/settings.c has its own entry in sepvirt.conf(5), with its environment variable, and
 * a line in data/sepvirt.conf; neither documents a key that does not exist. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "test-skip.h"

#include "settings.h"
#include "util.h"

static char *slurp(const char *rel)
{
	const char *top = getenv("abs_top_srcdir");
	_cleanup_free_ char *path = xasprintf("%s/%s", top ? top : ".", rel);
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	if (getdelim(&buf, &len, '\0', f) < 0)
		fail_msg("cannot read %s", path);
	fclose(f);
	return buf;
}

static bool known(const char *key, size_t len)
{
	for (const struct settings_key *k = settings_keys; k->key; k++)
		if (strlen(k->key) == len && !strncmp(k->key, key, len))
			return true;
	return false;
}

static void test_man_page(void **state)
{
	_cleanup_free_ char *man = slurp("man/sepvirt.conf.5.scd");

	for (const struct settings_key *k = settings_keys; k->key; k++) {
		_cleanup_free_ char *entry = xasprintf("\n*%s* = ", k->key);
		_cleanup_free_ char *env = xasprintf("(env *%s*)", k->env);
		const char *at = strstr(man, entry), *eol;

		if (!at)
			fail_msg("sepvirt.conf(5) has no entry '*%s* = ...' for the key %s", k->key, k->key);
		eol = strchr(at + 1, '\n');
		if (!eol || !memmem(at, eol - at, env, strlen(env)))
			fail_msg("sepvirt.conf(5): the entry of %s does not name %s", k->key, k->env);
	}
	/* Every entry "*key* = " under KEYS is a key the parser knows. */
	for (const char *p = strstr(man, "\n# KEYS"); p && (p = strstr(p, "\n*")); p++) {
		const char *end = strstr(p + 2, "* = ");
		const char *nl = strchr(p + 2, '\n');

		if (strstr(p, "\n# ENVIRONMENT") == NULL)
			break; /* past the KEYS section */
		if (end && (!nl || end < nl) && !known(p + 2, end - (p + 2)))
			fail_msg("sepvirt.conf(5) documents '%.*s', which is no key", (int)(end - (p + 2)), p + 2);
	}
}

static void test_sample_file(void **state)
{
	_cleanup_free_ char *conf = slurp("data/sepvirt.conf");

	for (const struct settings_key *k = settings_keys; k->key; k++) {
		_cleanup_free_ char *line = xasprintf("\n#%s =", k->key);

		if (!strstr(conf, line))
			fail_msg("data/sepvirt.conf has no line '#%s =...'", k->key);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_man_page),
		cmocka_unit_test(test_sample_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
