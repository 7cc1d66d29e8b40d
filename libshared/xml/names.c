/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Name validation (see names.h). */
#include "config.h"

#include <errno.h>

#include "util.h"
#include "xml/names.h"
#include "xml/xml-util.h"

int sv_name_validate(const char *what, const char *name, struct sv_error *err)
{
	if (!name || !*name)
		return xml_err(err, "%s name must not be empty", what);
	if (strlen(name) > SV_NAME_MAX)
		return xml_err(err, "%s name '%.32s...' is too long (maximum %d bytes)", what, name,
			       SV_NAME_MAX);
	if (strchr(name, '/'))
		return xml_err(err, "%s name '%s' cannot contain '/'", what, name);
	if (name[0] == '.')
		return xml_err(err, "%s name '%s' cannot start with '.'", what, name);
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return xml_err(err, "%s name cannot contain control characters", what);
	return 0;
}

int sv_ifname_validate(const char *name, struct sv_error *err)
{
	if (!name || !*name)
		return xml_err(err, "interface name must not be empty");
	if (strlen(name) > SV_IFNAME_MAX)
		return xml_err(err, "interface name '%s' is too long (maximum %d bytes)", name,
			       SV_IFNAME_MAX);
	if (streq(name, ".") || streq(name, ".."))
		return xml_err(err, "invalid interface name '%s'", name);
	/* '%' makes the kernel treat the name as a template ("ta%d" becomes ta0, ta1...): the
	 * device would not be the one the definition names, so it is refused at define. */
	for (const char *p = name; *p; p++) {
		if (*p == '/' || *p == ':' || *p == '%')
			return xml_err(err, "invalid interface name '%s': it cannot contain '%c'", name, *p);
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return xml_err(err, "invalid interface name '%s': it cannot contain blanks or control characters",
				       name);
	}
	return 0;
}
