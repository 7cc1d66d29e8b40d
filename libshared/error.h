/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A structured error: a code, the domain that raised it and a message naming the bad value.
 * It travels unchanged from where it is raised, through the RPC envelope, to the user. */
#pragma once

#include "util.h"

enum sv_error_code {
	SV_ERR_OK = 0,
	SV_ERR_INTERNAL,          /* a bug or an unexpected system failure */
	SV_ERR_INVALID_ARG,       /* a bad argument: name, size, flag */
	SV_ERR_XML,               /* malformed XML or XML that breaks a rule */
	SV_ERR_CONFIG_UNSUPPORTED,/* valid libvirt XML that sepvirt does not implement */
	SV_ERR_NOT_SUPPORTED,     /* a procedure this daemon does not implement (yet) */
	SV_ERR_NO_DOMAIN,
	SV_ERR_NO_NETWORK,
	SV_ERR_NO_POOL,
	SV_ERR_NO_VOLUME,
	SV_ERR_OPERATION_INVALID, /* the object is in the wrong state for this */
	SV_ERR_OPERATION_FAILED,
	SV_ERR_PERMISSION,        /* access policy or missing privilege */
	SV_ERR_READ_ONLY,         /* a mutating call on a read-only connection */
	SV_ERR_DRIVER_UNAVAILABLE,
	SV_ERR_RPC,               /* bad frame, bad envelope, connection lost */
	SV_ERR_SYSTEM,            /* a system call failed; the message names it and errno */
	SV_ERR_EXISTS,            /* the object or device already exists */
	SV_ERR_OUTCOME_UNKNOWN,   /* the call was sent but no answer came (a daemon died, the
	                           * connection closed, the deadline passed): it may or may not
	                           * have been done. Every other error means nothing was done. */
	SV_ERR_LAST
};

enum sv_error_domain {
	SV_FROM_NONE = 0,
	SV_FROM_RPC,
	SV_FROM_XML,
	SV_FROM_PROXY,
	SV_FROM_QEMU,
	SV_FROM_LXC,
	SV_FROM_NET,
	SV_FROM_STORAGE,
	SV_FROM_CLIENT,
	SV_FROM_SANDBOX,
	SV_FROM_LAST
};

#define SV_ERROR_MSG_MAX 1024

struct sv_error {
	int code;   /* enum sv_error_code */
	int domain; /* enum sv_error_domain */
	char message[SV_ERROR_MSG_MAX];
};

/* Fill *err (when err is not NULL). Returns -errnum so callers can `return sv_error_set(...)`. */
int sv_error_set(struct sv_error *err, int domain, int code, int errnum, const char *fmt, ...)
	_printf_(5, 6);
/* Same, with ": strerror(errnum)" appended. */
int sv_error_set_errno(struct sv_error *err, int domain, int code, int errnum, const char *fmt, ...)
	_printf_(5, 6);
void sv_error_clear(struct sv_error *err);
const char *sv_error_code_name(int code);
