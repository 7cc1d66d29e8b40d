/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* shutdown --mode: the ACPI power button (QMP system_powerdown) or the QEMU guest agent, reached
 * on the domain's channel org.qemu.guest_agent.0, the UNIX socket qemud bound for it at start
 * (QEMU listens on it; qemud connects). The agent speaks QMP's JSON: a guest-sync with a fresh id
 * must come back before a command is trusted to reach it (a channel with no agent behind it takes
 * the bytes and never answers); past agent_timeout_ms the call fails naming the agent. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "handlers.h"
#include "job.h"
#include "lifecycle.h"
#include "log.h"
#include "qmp.h"
#include "resize.h"
#include "run.h"

#define AGENT_CHANNEL "org.qemu.guest_agent.0"
#define AGENT_BUF_MAX 65536

/* libvirt's virDomainShutdownFlagValues. */
enum { SHUTDOWN_ACPI = 1, SHUTDOWN_AGENT = 2 };

struct agent_state {
	int fd;
	struct evwatch *watch;
	unsigned long long sync_id;
	bool synced;
	const char *command;    /* sent once the agent answered the sync */
	/* the command's answer ("return"), NULL: none is waited for (guest-shutdown) */
	void (*answered)(struct domain_job *j, struct json_object *ret);
	char *buf;
	size_t len;
};

static void agent_state_free(void *p)
{
	struct agent_state *a = p;

	if (a->watch)
		evwatch_remove(a->watch);
	if (a->fd >= 0)
		close(a->fd);
	free(a->buf);
	free(a);
}

int qemud_agent_timeout_ms(void)
{
	const char *v = getenv("SEPVIRT_AGENT_TIMEOUT_MS"); /* sepvirt.conf's agent_timeout_ms lands here */
	long ms = v ? strtol(v, NULL, 10) : 0;

	return ms > 0 && ms < 3600000 ? (int)ms : 10000;
}

/* The guest agent's channel of a definition: a unix one QEMU listens on, or NULL. */
const struct domain_chr *qemud_agent_channel(const struct domain_def *def)
{
	for (size_t i = 0; i < def->nchannels; i++)
		if (streq_ptr(def->channels[i].target_name, AGENT_CHANNEL) && def->channels[i].type == DOMAIN_CHR_UNIX)
			return &def->channels[i];
	return NULL;
}

static int agent_write(struct domain_job *j, struct agent_state *a, const char *text, struct sv_error *err)
{
	size_t len = strlen(text), off = 0;

	while (off < len) {
		ssize_t n = write(a->fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) /* a few hundred bytes on a fresh socket: never EAGAIN in practice */
			return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, errno,
						  "domain '%s': cannot write to the guest agent's channel %s", j->name,
						  AGENT_CHANNEL);
		off += (size_t)n;
	}
	return 0;
}

static void agent_expired(struct evwatch *w, void *opaque)
{
	struct domain_job *j = domain_job_find(opaque);
	struct sv_error err;

	evwatch_remove(w);
	if (!j)
		return;
	j->timer = NULL;
	domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ETIMEDOUT,
				       "Guest agent is not responding: domain '%s': no answer from the QEMU guest agent "
				       "on channel %s within %d ms",
				       j->name, AGENT_CHANNEL, qemud_agent_timeout_ms()),
			&err);
}

/* One line from the agent: before the sync, only its answer counts (the agent may still answer
 * an earlier client); after it, the command's answer or error. */
static void agent_line(struct domain_job *j, struct agent_state *a, const char *line)
{
	struct json_object *o = json_tokener_parse(line), *ret = NULL, *e, *desc;
	struct sv_error err;
	int r;

	if (!o)
		return;
	if (!a->synced) {
		if (json_object_object_get_ex(o, "return", &ret) &&
		    (unsigned long long)json_object_get_int64(ret) == a->sync_id) {
			a->synced = true;
			r = agent_write(j, a, a->command, &err);
			if (r < 0 || !a->answered)
				domain_job_done(j, r, r < 0 ? &err : NULL);
		}
	} else if (json_object_object_get_ex(o, "return", &ret)) {
		a->answered(j, ret);
	} else if (json_object_object_get_ex(o, "error", &e)) {
		domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EIO,
					       "internal error: unable to execute QEMU agent command: %s",
					       json_object_object_get_ex(e, "desc", &desc) ? json_object_get_string(desc)
											 : "(no description)"),
				&err);
	}
	json_object_put(o);
}

static void agent_readable(struct evwatch *w, int fd, uint32_t events, void *opaque)
{
	struct domain_job *j = domain_job_find(opaque);
	struct agent_state *a;
	struct sv_error err;
	char *nl;
	ssize_t n;

	if (!j)
		return;
	a = j->state;
	if (a->len + 4096 > AGENT_BUF_MAX)
		a->len = 0; /* noise from an earlier client: only our answer counts */
	a->buf = xrealloc(a->buf, a->len + 4097);
	n = read(fd, a->buf + a->len, 4096);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0)
		return domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EPIPE,
						       "Guest agent is not responding: domain '%s': the channel %s closed",
						       j->name, AGENT_CHANNEL),
				       &err);
	a->len += (size_t)n;
	a->buf[a->len] = '\0';
	while ((nl = strchr(a->buf, '\n'))) {
		_cleanup_free_ char *line = xstrndup(a->buf, (size_t)(nl - a->buf));
		unsigned long long id = j->id;
		a->len -= (size_t)(nl + 1 - a->buf);
		memmove(a->buf, nl + 1, a->len + 1);
		agent_line(j, a, line);
		if (!domain_job_find((void *)(uintptr_t)id))
			return; /* the job ended on that line (its state with it) */
	}
}

/* The job's running domain and its agent channel, or the job ends saying why not. */
static const struct domain_chr *agent_of(struct domain_job *j, struct domain_obj **out)
{
	struct domain_obj *d = domain_job_domain(j);
	const struct domain_chr *ch;
	struct sv_error err;

	*out = d;
	if (!d) {
		domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_NO_DOMAIN, ENOENT,
					       "Domain not found: domain '%s' went away", j->name), &err);
		return NULL;
	}
	if (!domain_obj_active(d) || !d->live) {
		domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EINVAL,
					       "Requested operation is not valid: domain is not running"), &err);
		return NULL;
	}
	ch = qemud_agent_channel(d->live);
	if (!ch)
		return NULL; /* the caller says so, or asks the button */
	if (!ch->unix_listen || !ch->path) {
		domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
					       "argument unsupported: domain '%s': the guest agent's channel "
					       "%s must be a unix socket QEMU binds (mode='bind')",
					       j->name, AGENT_CHANNEL), &err);
		*out = NULL;
	}
	return ch;
}

static void not_configured(struct domain_job *j)
{
	struct sv_error err;

	domain_job_done(j, sv_error_set(&err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
				       "argument unsupported: QEMU guest agent is not configured: domain '%s' has no "
				       "channel %s", j->name, AGENT_CHANNEL), &err);
}

/* Connects to the agent on ch, syncs, then sends command; answered gets its answer (NULL: the
 * job ends once it is sent). */
static void agent_start(struct domain_job *j, const struct domain_chr *ch, const char *command,
			void (*answered)(struct domain_job *j, struct json_object *ret))
{
	struct agent_state *a = xcalloc(1, sizeof(*a));
	struct sv_error err;
	char sync[128];
	int r;

	a->fd = -1;
	a->command = command;
	a->answered = answered;
	j->state = a;
	j->state_free = agent_state_free;
	r = a->fd = qemud_unix_socket("the guest agent's channel", ch->path, false, &err);
	if (r < 0)
		return domain_job_done(j, r, &err);
	a->sync_id = (unsigned long long)qemud_now_ms() * 1000 + (j->id % 1000);
	/* 0xff first: the agent drops a half-read command of an earlier client (guest-sync-delimited's
	 * rule, harmless to a fresh one) */
	snprintf(sync, sizeof(sync), "\xff{\"execute\":\"guest-sync\",\"arguments\":{\"id\":%llu}}\n", a->sync_id);
	if ((r = agent_write(j, a, sync, &err)) < 0)
		return domain_job_done(j, r, &err);
	a->watch = evloop_watch_fd(qemud.loop, a->fd, EPOLLIN, agent_readable, domain_job_ref(j));
	j->timer = evloop_timer(qemud.loop, (uint64_t)qemud_agent_timeout_ms(), 0, agent_expired, domain_job_ref(j));
	if (!a->watch || !j->timer)
		domain_job_done(j, sv_error_set_errno(&err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot watch the agent"),
				&err);
}

static void shutdown_job(struct domain_job *j)
{
	struct domain_obj *d;
	const struct domain_chr *ch = agent_of(j, &d);

	if (!d)
		return;
	/* as libvirt: the agent when asked and there, else the power button when that is allowed too */
	if (!(j->flags & SHUTDOWN_AGENT) || (!ch && (j->flags & SHUTDOWN_ACPI)))
		return qemud_job_shutdown(j);
	if (!ch)
		return not_configured(j);
	/* guest-shutdown is never answered: the guest goes down (libvirt does not wait either) */
	agent_start(j, ch, "{\"execute\":\"guest-shutdown\",\"arguments\":{\"mode\":\"powerdown\"}}\n", NULL);
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

/* guest-network-get-interfaces' answer: one entry per address, as the reply says. */
static void addresses_answered(struct domain_job *j, struct json_object *ret)
{
	Sepvirt__DomainAgentAddressesReply out = SEPVIRT__DOMAIN_AGENT_ADDRESSES_REPLY__INIT;
	size_t n = 0, cap = 0;
	Sepvirt__DomainAgentAddress *v = NULL, **p = NULL;

	for (size_t i = 0; json_object_is_type(ret, json_type_array) && i < json_object_array_length(ret); i++) {
		struct json_object *itf = json_object_array_get_idx(ret, i), *addrs = NULL, *pre;
		size_t na = json_object_object_get_ex(itf, "ip-addresses", &addrs) ? json_object_array_length(addrs) : 0;
		for (size_t k = 0; k < (na ? na : 1); k++) {
			struct json_object *ad = na ? json_object_array_get_idx(addrs, k) : NULL;
			if (n == cap) {
				cap = cap ? 2 * cap : 8;
				v = xrealloc(v, cap * sizeof(*v));
			}
			sepvirt__domain_agent_address__init(&v[n]);
			v[n].name = (char *)jstr(itf, "name");
			v[n].mac = (char *)jstr(itf, "hardware-address");
			v[n].address = ad ? (char *)jstr(ad, "ip-address") : (char *)"";
			v[n].ipv6 = ad && streq(jstr(ad, "ip-address-type"), "ipv6");
			v[n].prefix = ad && json_object_object_get_ex(ad, "prefix", &pre) ? (uint32_t)json_object_get_int(pre) : 0;
			n++;
		}
	}
	p = xcalloc(n + 1, sizeof(*p));
	for (size_t i = 0; i < n; i++)
		p[i] = &v[i];
	out.addresses = p;
	out.n_addresses = n;
	domain_job_done_msg(j, 0, NULL, &out.base);
	free(p);
	free(v);
}

static void addresses_job(struct domain_job *j)
{
	struct domain_obj *d;
	const struct domain_chr *ch = agent_of(j, &d);

	if (!d)
		return;
	if (!ch)
		return not_configured(j);
	agent_start(j, ch, "{\"execute\":\"guest-network-get-interfaces\"}\n", addresses_answered);
}

QEMUD_HANDLER(qemud_handle_agent_addresses)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);

	return d ? domain_job_submit(d, "domifaddr", addresses_job, req, NULL) : -ENOENT;
}

QEMUD_HANDLER(qemud_handle_shutdown_flags)
{
	const Sepvirt__DomainFlagsRequest *in = (const Sepvirt__DomainFlagsRequest *)msg;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);
	struct domain_job *j;

	if (!d)
		return -ENOENT;
	if (in->flags & ~(unsigned)(SHUTDOWN_ACPI | SHUTDOWN_AGENT))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL,
				    "unsupported flags (0x%x) in function virDomainShutdownFlags",
				    in->flags & ~(unsigned)(SHUTDOWN_ACPI | SHUTDOWN_AGENT));
	domain_job_submit(d, "shutdown", shutdown_job, req, &j);
	j->flags = in->flags;
	return 0;
}
