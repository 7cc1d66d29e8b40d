/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "error.h"

static const char *const code_names[SV_ERR_LAST] = {
	[SV_ERR_OK] = "ok",
	[SV_ERR_INTERNAL] = "internal error",
	[SV_ERR_INVALID_ARG] = "invalid argument",
	[SV_ERR_XML] = "XML error",
	[SV_ERR_CONFIG_UNSUPPORTED] = "unsupported configuration",
	[SV_ERR_NOT_SUPPORTED] = "not supported",
	[SV_ERR_NO_DOMAIN] = "domain not found",
	[SV_ERR_NO_NETWORK] = "network not found",
	[SV_ERR_NO_POOL] = "storage pool not found",
	[SV_ERR_NO_VOLUME] = "storage volume not found",
	[SV_ERR_OPERATION_INVALID] = "operation invalid",
	[SV_ERR_OPERATION_FAILED] = "operation failed",
	[SV_ERR_PERMISSION] = "permission denied",
	[SV_ERR_READ_ONLY] = "read-only connection",
	[SV_ERR_DRIVER_UNAVAILABLE] = "driver unavailable",
	[SV_ERR_RPC] = "RPC error",
	[SV_ERR_SYSTEM] = "system error",
	[SV_ERR_EXISTS] = "already exists",
	[SV_ERR_OUTCOME_UNKNOWN] = "outcome unknown",
};

const char *sv_error_code_name(int code)
{
	if (code < 0 || code >= SV_ERR_LAST || !code_names[code])
		return "unknown error";
	return code_names[code];
}

static int set_va(struct sv_error *err, int domain, int code, int errnum, bool with_errno,
		  const char *fmt, va_list ap) _printf_(6, 0);

static int set_va(struct sv_error *err, int domain, int code, int errnum, bool with_errno,
		  const char *fmt, va_list ap)
{
	if (errnum > 0)
		errnum = -errnum;
	if (!err)
		return errnum;
	err->code = code;
	err->domain = domain;
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	if (with_errno && errnum) {
		size_t len = strlen(err->message);
		snprintf(err->message + len, sizeof(err->message) - len, ": %s", strerror(-errnum));
	}
	return errnum;
}

int sv_error_set(struct sv_error *err, int domain, int code, int errnum, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = set_va(err, domain, code, errnum, false, fmt, ap);
	va_end(ap);
	return r;
}

int sv_error_set_errno(struct sv_error *err, int domain, int code, int errnum, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = set_va(err, domain, code, errnum, true, fmt, ap);
	va_end(ap);
	return r;
}

void sv_error_clear(struct sv_error *err)
{
	if (err) {
		err->code = SV_ERR_OK;
		err->domain = SV_FROM_NONE;
		err->message[0] = '\0';
	}
}
