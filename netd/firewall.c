/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs the rule scripts of firewall-rules.c through libnftables (see firewall.h). */
#include "config.h"

#include <nftables/libnftables.h>

#include "firewall.h"
#include "util.h"

int netd_firewall_open(struct nft_ctx **out, struct sv_error *err)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);

	if (!nft)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_SYSTEM, ENOMEM, "cannot create an nftables context");
	/* messages come back to netd, never to its stderr */
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	*out = nft;
	return 0;
}

void netd_firewall_close(struct nft_ctx *nft)
{
	if (nft)
		nft_ctx_free(nft);
}

int netd_firewall_run(struct nft_ctx *nft, const char *script, const char *what, struct sv_error *err)
{
	_cleanup_free_ char *msg = NULL;
	const char *e;

	if (!nft)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_FAILED, ENOTSUP,
				    "%s: nftables is not available to netd", what);
	if (nft_run_cmd_from_buffer(nft, script) == 0)
		return 0;
	e = nft_ctx_get_error_buffer(nft);
	msg = xstrdup(e && *e ? e : "failed");
	msg[strcspn(msg, "\n")] = '\0';
	return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_FAILED, EIO, "%s: nftables: %s", what, msg);
}

char *netd_firewall_list(struct nft_ctx *nft)
{
	const char *out;

	if (!nft || nft_run_cmd_from_buffer(nft, "list ruleset") != 0)
		return NULL;
	out = nft_ctx_get_output_buffer(nft);
	return xstrdup(out ? out : "");
}
