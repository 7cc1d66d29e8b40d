/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RelaxNG validation with libxml2 (see validate.h). */
#include "config.h"

#include <errno.h>
#include <libxml/relaxng.h>
#include <limits.h>
#include <stdio.h>

#include "util.h"
#include "xml/validate.h"
#include "xml/xml-util.h"

struct first_error {
	char msg[512];
};

/* Keep the first complaint: later ones usually follow from it. */
static void collect(void *opaque, xmlErrorPtr e)
{
	struct first_error *fe = opaque;

	if (fe->msg[0] || !e || !e->message)
		return;
	snprintf(fe->msg, sizeof(fe->msg), "line %d: %s", e->line, e->message);
	fe->msg[strcspn(fe->msg, "\n")] = '\0';
}

int xml_validate_rng(const char *schema_file, const char *xml, size_t len, struct sv_error *err)
{
	struct first_error fe = { "" };
	xmlRelaxNGParserCtxtPtr pctxt;
	xmlRelaxNGPtr schema;
	xmlRelaxNGValidCtxtPtr vctxt;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	int r;

	pctxt = xmlRelaxNGNewParserCtxt(schema_file);
	if (!pctxt)
		abort();
	xmlRelaxNGSetParserStructuredErrors(pctxt, collect, &fe);
	schema = xmlRelaxNGParse(pctxt);
	xmlRelaxNGFreeParserCtxt(pctxt);
	if (!schema)
		return sv_error_set(err, SV_FROM_XML, SV_ERR_INTERNAL, ENOENT,
				    "cannot load RelaxNG schema '%s': %s", schema_file, fe.msg);
	if (len > INT_MAX) {
		xmlRelaxNGFree(schema);
		return xml_err(err, "document too large");
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		abort();
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, "document.xml", NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		r = xml_err_parse(err, ctxt);
		xmlFreeParserCtxt(ctxt);
		xmlRelaxNGFree(schema);
		return r;
	}
	xmlFreeParserCtxt(ctxt);
	vctxt = xmlRelaxNGNewValidCtxt(schema);
	if (!vctxt)
		abort();
	xmlRelaxNGSetValidStructuredErrors(vctxt, collect, &fe);
	r = xmlRelaxNGValidateDoc(vctxt, doc);
	xmlRelaxNGFreeValidCtxt(vctxt);
	xmlFreeDoc(doc);
	xmlRelaxNGFree(schema);
	if (r != 0)
		return xml_err(err, "document does not validate against %s: %s", schema_file,
			       fe.msg[0] ? fe.msg : "invalid");
	return 0;
}
