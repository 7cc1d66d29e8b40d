/* libsepvirt: connections, URIs and the per-thread last error. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "libsepvirt-priv.h"

static __thread struct sv_error last_err;
static __thread sepvirt_error last_pub;
static __thread bool have_err;

const sepvirt_error *sepvirt_last_error(void)
{
	if (!have_err)
		return NULL;
	last_pub.code = last_err.code;
	last_pub.domain = last_err.domain;
	last_pub.message = last_err.message;
	return &last_pub;
}

const char *sepvirt_library_version(void) { return PACKAGE_VERSION; }

void client_clear_error(void) { have_err = false; }

int client_set_error(const struct sv_error *err)
{
	last_err = *err;
	have_err = true;
	return -1;
}

int client_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	last_err.code = code;
	last_err.domain = SV_FROM_CLIENT;
	vsnprintf(last_err.message, sizeof(last_err.message), fmt, ap);
	va_end(ap);
	have_err = true;
	return -1;
}

/* qemu:///system, lxc:///session, qemu+unix:///system ... */
static int parse_uri(const char *uri, uint32_t *program, bool *system)
{
	const char *sep = strstr(uri, "://");
	size_t slen;

	if (!sep)
		return client_error(SV_ERR_INVALID_ARG, "invalid URI '%s': expected DRIVER:///system or DRIVER:///session", uri);
	slen = sep - uri;
	if ((slen == 4 && !strncmp(uri, "qemu", 4)) || (slen == 9 && !strncmp(uri, "qemu+unix", 9)))
		*program = SEPVIRT__PROGRAM__PROGRAM_QEMU;
	else if ((slen == 3 && !strncmp(uri, "lxc", 3)) || (slen == 8 && !strncmp(uri, "lxc+unix", 8)))
		*program = SEPVIRT__PROGRAM__PROGRAM_LXC;
	else
		return client_error(SV_ERR_INVALID_ARG, "unsupported URI '%s': sepvirt drives qemu and lxc", uri);
	if (streq(sep + 3, "/system"))
		*system = true;
	else if (streq(sep + 3, "/session"))
		*system = false;
	else
		return client_error(SV_ERR_INVALID_ARG, "invalid URI '%s': the path must be /system or /session", uri);
	return 0;
}

static char *proxy_socket(bool system, bool ro)
{
	const char *root = getenv("SEPVIRT_ROOT");
	const char *name = ro ? "proxyd-ro.sock" : "proxyd.sock";
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (root && root[0])
		return xasprintf("%s/run/%s", root, name);
	if (system)
		return xasprintf("/run/sepvirt/%s", name);
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/sepvirt/%s", xdg, name);
	return xasprintf("/tmp/sepvirt-%u/%s", (unsigned)getuid(), name);
}

sepvirt_conn *sepvirt_connect(const char *uri, unsigned int flags)
{
	_cleanup_free_ char *path = NULL;
	struct sv_error err;
	sepvirt_conn *c;
	uint32_t program = 0;
	bool system = false;

	client_clear_error();
	if (!uri || !uri[0])
		uri = getenv("SEPVIRT_DEFAULT_URI");
	if (!uri || !uri[0])
		uri = geteuid() == 0 ? "qemu:///system" : "qemu:///session";
	if (parse_uri(uri, &program, &system) < 0)
		return NULL;
	path = proxy_socket(system, flags & SEPVIRT_CONNECT_RO);
	c = xcalloc(1, sizeof(*c));
	if (rpc_client_connect(path, &c->rpc, &err) < 0) {
		client_error(SV_ERR_RPC, "failed to connect to the sepvirt proxy: %s (is sepvirtd running?)",
			     err.message);
		free(c);
		return NULL;
	}
	c->uri = xstrdup(uri);
	c->program = program;
	return c;
}

int sepvirt_close(sepvirt_conn *conn)
{
	if (!conn)
		return 0;
	rpc_client_free(conn->rpc);
	free(conn->uri);
	free(conn);
	return 0;
}

const char *sepvirt_conn_uri(const sepvirt_conn *conn) { return conn->uri; }

int client_call(sepvirt_conn *conn, uint32_t program, uint32_t proc, const ProtobufCMessage *req,
		const ProtobufCMessageDescriptor *reply_desc, ProtobufCMessage **reply)
{
	struct sv_error err;

	client_clear_error();
	if (!conn)
		return client_error(SV_ERR_INVALID_ARG, "no connection");
	if (rpc_client_call(conn->rpc, program, proc, req, NULL, 0, reply_desc, reply, NULL, NULL, &err) < 0)
		return client_set_error(&err);
	return 0;
}
