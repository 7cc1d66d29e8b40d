#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# boot-smoke-unpriv.sh: boot-smoke.sh with QEMU running as the unprivileged system
# user (default sepvirt-smoke, SV_USER to change) on a tap pre-created for that user:
# `ip tuntap add dev T mode tap user U` + `-netdev tap,ifname=T,script=no,downscript=no`.
# This is the session-mode / <target dev='T' managed='no'/> scenario.
# Exit: 0 pass, 1 fail, 77 skip.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/common.sh
. "$here/../lib/common.sh"

user=${SV_USER:-sepvirt-smoke}
need_root
if ! id "$user" >/dev/null 2>&1; then
    need_cmd useradd
    # A system user of its own with a group of its own: not one of the suite's users, whose
    # groups (sepvirt, sepvirt-daemons) mean something (create-users.sh).
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$user" 2>/dev/null || id "$user" >/dev/null 2>&1 || die "cannot create user $user"
    log "created system user $user"
fi
exec "$here/boot-smoke.sh" --user "$user"
