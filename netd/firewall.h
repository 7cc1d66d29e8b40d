/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nftables for virtual networks, in netd's own table `inet sepvirt`: per network two base chains
 * named after its bridge (fwd-BRIDGE on the forward hook, nat-BRIDGE on postrouting), so a
 * network's rules come and go as whole chains. Every script is one transaction that first
 * creates what it then replaces or deletes: applying it again after a netd restart leaves no
 * duplicate, removing what is already gone is no error.
 * The rule text goes through libnftables (Debian's libnftables1): the same syntax an
 * administrator reads back with `nft list table inet sepvirt`, and no nft process. */
#pragma once

#include <stdbool.h>

#include "error.h"
#include "xml/network-def.h"

#define NETD_NFT_TABLE "sepvirt"

struct nft_ctx;

/* The scripts (pure: unit-tested). NULL from rules when the network needs no rules at all
 * (open, bridge). Errors name the network. */
int netd_firewall_rules(const struct network_def *def, char **out, struct sv_error *err);
/* Removes the network's chains; with last, the whole table. */
char *netd_firewall_remove_script(const char *bridge, bool last);
/* Whether a network of this mode has rules / needs IP forwarding. */
bool netd_firewall_needed(const struct network_def *def);
bool netd_forwarding_needed(const struct network_def *def);

/* In `nft list ruleset` text: a forward-hook chain of another table than netd's whose policy is
 * drop and that names not the bridge (as other firewalls, Docker's among them, leave it): the
 * network's forwarded traffic dies there. *what: "chain FORWARD of table ip filter". */
bool netd_firewall_find_drop(const char *ruleset, const char *bridge, char **what);

/* Before confinement: the library context, its netlink socket and the tables it reads. */
int netd_firewall_open(struct nft_ctx **out, struct sv_error *err);
void netd_firewall_close(struct nft_ctx *nft);
/* Runs a script; what nft says on failure is in the error, after what. */
int netd_firewall_run(struct nft_ctx *nft, const char *script, const char *what, struct sv_error *err);
/* The host's whole ruleset as text (freed by the caller); NULL when it cannot be listed. */
char *netd_firewall_list(struct nft_ctx *nft);
