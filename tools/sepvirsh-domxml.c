/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What virsh reads out of a domain's XML on the client side: dumpxml --xpath, domblklist,
 * vncdisplay and domdisplay. */
#include "config.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>

#include "sepvirsh.h"
#include "util.h"

static void free_doc(xmlDoc **d) { xmlFreeDoc(*d); }
static void free_ctx(xmlXPathContext **c) { xmlXPathFreeContext(*c); }
static void free_obj(xmlXPathObject **o) { xmlXPathFreeObject(*o); }
#define _cleanup_doc_ _cleanup_(free_doc)
#define _cleanup_ctx_ _cleanup_(free_ctx)
#define _cleanup_obj_ _cleanup_(free_obj)

static xmlDoc *parse(const char *xml)
{
	xmlDoc *doc = xmlReadMemory(xml, strlen(xml), "domain.xml", NULL, XML_PARSE_NONET);

	if (!doc)
		fprintf(stderr, "error: the domain's XML does not parse\n");
	return doc;
}

/* Prints each node the expression selects as it stands in the document, one a line (--wrap:
 * inside one <nodes> element); a result that is no node set is refused as virsh refuses it. */
int vsh_print_xpath(const char *xml, const char *expr, bool wrap)
{
	_cleanup_doc_ xmlDoc *doc = parse(xml);
	_cleanup_ctx_ xmlXPathContext *ctx = doc ? xmlXPathNewContext(doc) : NULL;
	_cleanup_obj_ xmlXPathObject *obj = NULL;
	xmlNodeSet *set;

	if (!ctx)
		return 1;
	obj = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	if (!obj)
		return 0; /* libxml2 has said why on stderr; virsh then prints nothing */
	if (obj->type != XPATH_NODESET) {
		fprintf(stderr, "error: internal error: Incorrect xpath '%s'\n", expr);
		return 1;
	}
	set = obj->nodesetval;
	if (wrap) {
		_cleanup_doc_ xmlDoc *out = xmlNewDoc(BAD_CAST "1.0");
		xmlNode *root = xmlNewNode(NULL, BAD_CAST "nodes");
		xmlBuffer *buf = xmlBufferCreate();

		xmlDocSetRootElement(out, root);
		for (int i = 0; set && i < set->nodeNr; i++) {
			xmlNode *n = set->nodeTab[i];
			if (n->type == XML_ATTRIBUTE_NODE) {
				xmlChar *v = xmlNodeGetContent(n);
				xmlSetProp(root, n->name, v);
				xmlFree(v);
			} else
				xmlAddChild(root, xmlDocCopyNode(n, out, 1));
		}
		xmlNodeDump(buf, out, root, 0, 1);
		printf("%s\n", (const char *)xmlBufferContent(buf));
		xmlBufferFree(buf);
		return 0;
	}
	for (int i = 0; set && i < set->nodeNr; i++) {
		xmlBuffer *buf = xmlBufferCreate();
		xmlNodeDump(buf, doc, set->nodeTab[i], 0, 0);
		printf("%s\n", (const char *)xmlBufferContent(buf));
		xmlBufferFree(buf);
	}
	return 0;
}

/* The string value of expr at node ("" when nothing matches). */
static char *xpath_string(xmlXPathContext *ctx, xmlNode *node, const char *expr)
{
	xmlXPathObject *o;
	char *s;

	ctx->node = node;
	o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	s = xstrdup(o && o->stringval ? (const char *)o->stringval : "");
	xmlXPathFreeObject(o);
	return s;
}

const char *const vsh_domblklist_opts[] = { "inactive", "details", NULL };
#define domblklist_opts vsh_domblklist_opts

int vsh_cmd_domblklist(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	static const char *const headers[] = { "Target", "Source" };
	static const char *const dheaders[] = { "Type", "Device", "Target", "Source" };
	bool details = vsh_flag(cmd, domblklist_opts, "details");
	_cleanup_free_ char *xml = NULL;
	_cleanup_doc_ xmlDoc *doc = NULL;
	_cleanup_ctx_ xmlXPathContext *ctx = NULL;
	_cleanup_obj_ xmlXPathObject *disks = NULL;
	struct vsh_table *t;
	sepvirt_domain d;

	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	xml = sepvirt_domain_get_xml(ctl->conn, d.uuid, vsh_flag(cmd, domblklist_opts, "inactive") ? SEPVIRT_XML_INACTIVE : 0);
	if (!xml)
		return vsh_fail(NULL);
	if (!(doc = parse(xml)) || !(ctx = xmlXPathNewContext(doc)))
		return 1;
	disks = xmlXPathEvalExpression(BAD_CAST "/domain/devices/disk", ctx);
	t = vsh_table_new(details ? 4 : 2, details ? dheaders : headers);
	for (int i = 0; disks && disks->nodesetval && i < disks->nodesetval->nodeNr; i++) {
		xmlNode *disk = disks->nodesetval->nodeTab[i];
		_cleanup_free_ char *type = xpath_string(ctx, disk, "string(./@type)");
		_cleanup_free_ char *device = xpath_string(ctx, disk, "string(./@device)");
		_cleanup_free_ char *target = xpath_string(ctx, disk, "string(./target/@dev)");
		/* the first of these the source has, as virsh picks it (a volume: its name) */
		_cleanup_free_ char *source = xpath_string(ctx, disk, "string(./source/@file|./source/@dev|./source/@dir|"
								       "./source/@name|./source/@volume|./source/@path)");
		const char *src = source[0] ? source : "-";
		const char *row[] = { type, device, target, src };

		vsh_table_add(t, details ? row : row + 2);
	}
	vsh_table_print(t);
	vsh_table_free(t);
	return 0;
}

/* The running domain's live XML parsed, with an XPath context; virsh's error when it is not running. */
static int live_xml(struct vsh_ctl *ctl, const char *arg, xmlDoc **doc, xmlXPathContext **ctx)
{
	_cleanup_free_ char *xml = NULL;
	sepvirt_domain d;

	if (vsh_lookup_domain(ctl, arg, &d) < 0)
		return -1;
	if (d.id < 0) {
		fprintf(stderr, "error: Domain is not running\n");
		return -1;
	}
	if (!(xml = sepvirt_domain_get_xml(ctl->conn, d.uuid, 0))) {
		vsh_fail(NULL);
		return -1;
	}
	if (!(*doc = parse(xml)) || !(*ctx = xmlXPathNewContext(*doc)))
		return -1;
	return 0;
}

/* The VNC display's listen address: the attribute, else the first <listen address>. */
static char *vnc_listen(xmlXPathContext *ctx)
{
	char *addr = xpath_string(ctx, NULL, "string(/domain/devices/graphics[@type='vnc']/@listen)");

	if (!addr[0]) {
		free(addr);
		addr = xpath_string(ctx, NULL, "string(/domain/devices/graphics[@type='vnc']/listen/@address)");
	}
	return addr;
}

int vsh_cmd_vncdisplay(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	_cleanup_doc_ xmlDoc *doc = NULL;
	_cleanup_ctx_ xmlXPathContext *ctx = NULL;
	_cleanup_free_ char *port = NULL, *addr = NULL;

	if (live_xml(ctl, cmd->argv[0], &doc, &ctx) < 0)
		return 1;
	port = xpath_string(ctx, NULL, "string(/domain/devices/graphics[@type='vnc']/@port)");
	if (!port[0] || atoi(port) < 5900) {
		fprintf(stderr, "error: Failed to get VNC port. Is this domain using VNC?\n");
		return 1;
	}
	addr = vnc_listen(ctx);
	if (!addr[0] || streq(addr, "0.0.0.0"))
		printf(":%d\n", atoi(port) - 5900);
	else
		printf("%s:%d\n", addr, atoi(port) - 5900);
	return 0;
}

const char *const vsh_domdisplay_opts[] = { "type=", "all", "include-password", NULL };

/* sepvirt serves VNC only: vnc://HOST:DISPLAY, HOST localhost for a wildcard or no address. */
int vsh_cmd_domdisplay(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	const char *type = cmd->optvals[0];
	_cleanup_doc_ xmlDoc *doc = NULL;
	_cleanup_ctx_ xmlXPathContext *ctx = NULL;
	_cleanup_free_ char *port = NULL, *addr = NULL;
	const char *host;

	if (type && vsh_flag(cmd, vsh_domdisplay_opts, "all")) {
		fprintf(stderr, "error: Options --all and --type are mutually exclusive\n");
		return 1;
	}
	if (live_xml(ctl, cmd->argv[0], &doc, &ctx) < 0)
		return 1;
	port = xpath_string(ctx, NULL, "string(/domain/devices/graphics[@type='vnc']/@port)");
	if ((type && !streq(type, "vnc")) || !port[0] || atoi(port) <= 0) {
		if (type)
			fprintf(stderr, "error: No graphical display with type '%s' found\n", type);
		else
			fprintf(stderr, "error: No graphical display found\n");
		return 1;
	}
	addr = vnc_listen(ctx);
	host = addr[0] && !streq(addr, "0.0.0.0") && !streq(addr, "::") ? addr : "localhost";
	printf(strchr(host, ':') ? "vnc://[%s]:%d\n" : "vnc://%s:%d\n", host, atoi(port) - 5900);
	return 0;
}

int vsh_domain_disks(const char *xml, struct vsh_disk **out)
{
	_cleanup_doc_ xmlDoc *doc = NULL;
	_cleanup_ctx_ xmlXPathContext *ctx = NULL;
	_cleanup_obj_ xmlXPathObject *disks = NULL;
	int n;

	if (!(doc = parse(xml)) || !(ctx = xmlXPathNewContext(doc)))
		return -1;
	disks = xmlXPathEvalExpression(BAD_CAST "/domain/devices/disk", ctx);
	n = disks && disks->nodesetval ? disks->nodesetval->nodeNr : 0;
	*out = xcalloc((size_t)n + 1, sizeof(**out));
	for (int i = 0; i < n; i++) {
		xmlNode *disk = disks->nodesetval->nodeTab[i];
		(*out)[i].target = xpath_string(ctx, disk, "string(./target/@dev)");
		(*out)[i].pool = xpath_string(ctx, disk, "string(./source/@pool)");
		(*out)[i].source = xpath_string(ctx, disk, (*out)[i].pool[0] ? "string(./source/@volume)"
						: "string(./source/@file|./source/@dir|./source/@name|./source/@dev|./source/@volume)");
	}
	return n;
}

void vsh_disks_free(struct vsh_disk *disks, int n)
{
	for (int i = 0; disks && i < n; i++) {
		free(disks[i].target);
		free(disks[i].pool);
		free(disks[i].source);
	}
	free(disks);
}

bool vsh_xml_has(const char *xml, const char *expr)
{
	_cleanup_doc_ xmlDoc *doc = xmlReadMemory(xml, strlen(xml), "domain.xml", NULL, XML_PARSE_NONET);
	_cleanup_ctx_ xmlXPathContext *ctx = doc ? xmlXPathNewContext(doc) : NULL;
	_cleanup_obj_ xmlXPathObject *o = ctx ? xmlXPathEvalExpression(BAD_CAST expr, ctx) : NULL;

	return o && o->nodesetval && o->nodesetval->nodeNr > 0;
}
