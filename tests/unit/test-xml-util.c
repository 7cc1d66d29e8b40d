/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared helpers of the XML model tests (see test-xml-util.h). */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <cmocka.h>

#include "test-skip.h"

#include "test-xml-util.h"
#include "util.h"
#include "xml/units.h"
#include "xml/validate.h"

char *test_xml_dir(const char *sub)
{
	const char *top = getenv("abs_top_srcdir");

	return xasprintf("%s/tests/xml/%s", top ? top : ".", sub);
}

char *test_shared_dir(const char *sub)
{
	const char *shared = getenv("SHARED_TESTDATA");
	const char *top = getenv("abs_top_srcdir");
	char *dir = shared ? xasprintf("%s/libvirt/%s", shared, sub)
			   : xasprintf("%s/../shared/testdata/libvirt/%s", top ? top : ".", sub);
	DIR *d = opendir(dir);

	if (!d) {
		free(dir);
		return NULL;
	}
	closedir(d);
	return dir;
}

char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = xmalloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

bool test_has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && streq(s + a - b, suffix);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **test_list_dir(const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	char **v = xcalloc(1, sizeof(char *));
	size_t n = 0;
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !test_has_suffix(e->d_name, suffix))
			continue;
		v = xrealloc(v, (n + 2) * sizeof(char *));
		v[n++] = xstrdup(e->d_name);
		v[n] = NULL;
	}
	if (d)
		closedir(d);
	qsort(v, n, sizeof(char *), cmp_str);
	return v;
}

void test_strv_free(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

/* The expected message of a bad-*.xml: <!-- expect: TEXT --> */
static char *expected_message(const char *xml)
{
	const char *p = strstr(xml, "<!-- expect: "), *end;

	if (!p)
		return NULL;
	p += strlen("<!-- expect: ");
	end = strstr(p, " -->");
	return end ? xstrndup(p, (size_t)(end - p)) : NULL;
}

static void check_bad(const char *path, const char *xml, size_t len, test_roundtrip_fn fn)
{
	_cleanup_free_ char *want = expected_message(xml);
	struct sv_error err = { 0 };
	char *out = NULL;
	int r = fn(xml, len, 0, &out, &err);

	if (!want)
		fail_msg("%s: no <!-- expect: ... --> comment", path);
	if (r >= 0) {
		free(out);
		fail_msg("%s: accepted, expected refusal: %s", path, want);
	}
	if (!strstr(err.message, want))
		fail_msg("%s: got '%s', expected '%s'", path, err.message, want);
}

static void check_good(const char *path, const char *xml, size_t len, test_roundtrip_fn fn,
		       const char *schema)
{
	_cleanup_free_ char *out_path = xstrndup(path, strlen(path) - 4);
	_cleanup_free_ char *expected_path = xasprintf("%s.out.xml", out_path);
	_cleanup_free_ char *expected = test_read_file(expected_path, NULL);
	_cleanup_free_ char *out = NULL, *again = NULL;
	/* names with "-inactive" are parsed as a stored definition */
	unsigned flags = strstr(path, "-inactive") ? 1 : 0;
	struct sv_error err = { 0 };

	if (fn(xml, len, flags, &out, &err) < 0)
		fail_msg("%s: refused: %s", path, err.message);
	if (!expected)
		fail_msg("%s: missing expected output %s; got:\n%s", path, expected_path, out);
	if (!streq(out, expected))
		fail_msg("%s: output differs from %s; got:\n%s", path, expected_path, out);
	if (fn(out, strlen(out), flags, &again, &err) < 0)
		fail_msg("%s: our own output is refused: %s", path, err.message);
	if (!streq(out, again))
		fail_msg("%s: format → parse → format is not a fixed point:\n%s", path, again);
	if (schema && xml_validate_rng(schema, out, strlen(out), &err) < 0)
		fail_msg("%s: output invalid: %s", path, err.message);
}

int test_run_corpus(const char *sub, test_roundtrip_fn fn, const char *schema)
{
	_cleanup_free_ char *dir = test_xml_dir(sub);
	char **names = test_list_dir(dir, ".xml");
	int n = 0;

	for (char **p = names; *p; p++) {
		_cleanup_free_ char *path = xasprintf("%s/%s", dir, *p);
		_cleanup_free_ char *xml = NULL;
		size_t len;

		if (test_has_suffix(*p, ".out.xml"))
			continue;
		xml = test_read_file(path, &len);
		assert_non_null(xml);
		if (startswith(*p, "bad-"))
			check_bad(path, xml, len, fn);
		else
			check_good(path, xml, len, fn, schema);
		n++;
	}
	test_strv_free(names);
	if (n == 0)
		fail_msg("no corpus files in %s", dir);
	return n;
}

/* ---- facts ---- */

struct facts {
	xmlXPathContextPtr ctx;
	char *buf;
	size_t len;
};

static char *xp(struct facts *f, xmlNodePtr node, const char *expr)
{
	xmlXPathObjectPtr o;
	xmlChar *s;
	char *r;

	f->ctx->node = node;
	o = xmlXPathEvalExpression(BAD_CAST expr, f->ctx);
	s = o ? xmlXPathCastToString(o) : NULL;
	r = xstrdup(s ? (const char *)s : "");
	xmlFree(s);
	xmlXPathFreeObject(o);
	return r;
}

static void add(struct facts *f, const char *fmt, ...) _printf_(2, 3);
static void add(struct facts *f, const char *fmt, ...)
{
	_cleanup_free_ char *line = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		abort();
	va_end(ap);
	f->buf = xrealloc(f->buf, f->len + strlen(line) + 2);
	strcpy(f->buf + f->len, line);
	f->len += strlen(line);
	f->buf[f->len++] = '\n';
	f->buf[f->len] = '\0';
}

static void add_xp(struct facts *f, xmlNodePtr node, const char *label, const char *expr,
		   bool lower)
{
	_cleanup_free_ char *v = xp(f, node, expr);

	for (char *p = v; lower && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	add(f, "%s=%s", label, v);
}

/* A scaled size → KiB (memory) or bytes (storage). */
static void add_size(struct facts *f, xmlNodePtr node, const char *label, const char *elem,
		     bool kib)
{
	_cleanup_free_ char *e1 = xasprintf("normalize-space(%s)", elem);
	_cleanup_free_ char *e2 = xasprintf("string(%s/@unit)", elem);
	_cleanup_free_ char *num = xp(f, node, e1), *unit = xp(f, node, e2);
	unsigned long long v = 0;

	if (!*num) {
		add(f, "%s=", label);
		return;
	}
	if (kib)
		sv_units_parse_kib(num, *unit ? unit : NULL, &v, NULL);
	else
		sv_units_parse(num, *unit ? unit : NULL, 1, ~0ULL, &v, NULL);
	add(f, "%s=%llu", label, v);
}

struct fact_field {
	const char *label, *expr;
	bool lower;
};

/* For each node matching path below root: "<prefix><i>.<label>=<value>" per field. */
static void add_each(struct facts *f, xmlNodePtr root, const char *path, const char *prefix,
		     const struct fact_field *fields)
{
	xmlXPathObjectPtr o;

	f->ctx->node = root;
	o = xmlXPathEvalExpression(BAD_CAST path, f->ctx);
	for (int i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		for (const struct fact_field *ff = fields; ff->label; ff++) {
			_cleanup_free_ char *label = xasprintf("%s%d.%s", prefix, i, ff->label);

			add_xp(f, o->nodesetval->nodeTab[i], label, ff->expr, ff->lower);
		}
	}
	xmlXPathFreeObject(o);
}

static void facts_domain(struct facts *f, xmlNodePtr root)
{
	static const struct fact_field iface[] = {
		{ "type", "string(@type)", false },
		{ "mac", "string(mac/@address)", true },
		{ "dev", "string(target/@dev)", false },
		{ "managed", "string(target/@managed)", false },
		{ "model", "string(model/@type)", false },
		{ NULL, NULL, false },
	};
	static const struct fact_field disk[] = {
		{ "source", "concat(source/@file, source/@dev, source/@pool, source/@volume)", false },
		{ "target", "string(target/@dev)", false },
		{ "format", "string(driver/@type)", false },
		{ NULL, NULL, false },
	};

	add_xp(f, root, "name", "normalize-space(name)", false);
	add_xp(f, root, "uuid", "normalize-space(uuid)", true);
	add_size(f, root, "memory_kib", "memory", true);
	add_xp(f, root, "vcpus", "normalize-space(vcpu)", false);
	add_each(f, root, "devices/interface", "iface", iface);
	add_each(f, root, "devices/disk", "disk", disk);
}

static void facts_network(struct facts *f, xmlNodePtr root)
{
	static const struct fact_field dns[] = {
		{ "entry", "concat(@ip, '|', normalize-space(self::hostname))", false },
		{ NULL, NULL, false },
	};
	static const struct fact_field ip[] = {
		{ "attrs", "concat(@family, '|', @address, '|', @netmask, '|', @prefix, '|', @start, '|', "
			   "@end, '|', @mac, '|', @id, '|', @name, '|', @ip)", true },
		{ NULL, NULL, false },
	};

	add_xp(f, root, "name", "normalize-space(name)", false);
	add_xp(f, root, "uuid", "normalize-space(uuid)", true);
	/* <forward/> without a mode is nat */
	add_xp(f, root, "forward", "concat(forward/@mode, substring('nat', 1, 3 * number(boolean(forward) and not(forward/@mode))))", false);
	add_xp(f, root, "bridge", "string(bridge/@name)", false);
	add_xp(f, root, "mtu", "string(mtu/@size)", false);
	add_each(f, root, "ip | ip/dhcp/range | ip/dhcp/host", "ip", ip);
	add_xp(f, root, "domain", "concat(domain/@name, '|', domain/@localOnly)", false);
	add_each(f, root, "dns/host | dns/host/hostname", "dns", dns);
}

static void facts_pool(struct facts *f, xmlNodePtr root)
{
	add_xp(f, root, "type", "string(@type)", false);
	add_xp(f, root, "name", "normalize-space(name)", false);
	add_xp(f, root, "uuid", "normalize-space(uuid)", true);
	add_xp(f, root, "path", "normalize-space(target/path)", false);
	add_xp(f, root, "mode", "number(target/permissions/mode)", false);
}

static void facts_volume(struct facts *f, xmlNodePtr root)
{
	add_xp(f, root, "name", "normalize-space(name)", false);
	add_size(f, root, "capacity", "capacity", false);
	add_size(f, root, "allocation", "allocation", false);
	add_xp(f, root, "path", "normalize-space(target/path)", false);
	add_xp(f, root, "format", "concat(target/format/@type, substring('raw', 1, 3 * number(not(target/format))))", false);
	add_xp(f, root, "backing", "normalize-space(backingStore/path)", false);
}

char *test_facts(const char *kind, const char *xml, size_t len)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
	struct facts f = { 0 };

	if (!doc)
		return xstrdup("(malformed)");
	f.ctx = xmlXPathNewContext(doc);
	if (streq(kind, "domain"))
		facts_domain(&f, xmlDocGetRootElement(doc));
	else if (streq(kind, "network"))
		facts_network(&f, xmlDocGetRootElement(doc));
	else if (streq(kind, "pool"))
		facts_pool(&f, xmlDocGetRootElement(doc));
	else
		facts_volume(&f, xmlDocGetRootElement(doc));
	xmlXPathFreeContext(f.ctx);
	xmlFreeDoc(doc);
	return f.buf ? f.buf : xstrdup("");
}

const char *test_libvirt_schema(const char *kind)
{
	static char path[256];
	const char *file = streq(kind, "pool") ? "storagepool" : streq(kind, "volume") ? "storagevol" : kind;

	snprintf(path, sizeof(path), "/usr/share/libvirt/schemas/%s.rng", file);
	return access(path, R_OK) == 0 ? path : NULL;
}
