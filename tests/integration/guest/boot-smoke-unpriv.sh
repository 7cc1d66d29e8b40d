#!/bin/bash
# boot-smoke-unpriv.sh: boot-smoke.sh with QEMU running as the unprivileged system
# user (default sepvirt, SV_USER to change) on a tap pre-created for that user:
# `ip tuntap add dev T mode tap user U` + `-netdev tap,ifname=T,script=no,downscript=no`.
# This is the session-mode / <target dev='T' managed='no'/> scenario.
# Exit: 0 pass, 1 fail, 77 skip.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/common.sh
. "$here/../lib/common.sh"

user=${SV_USER:-sepvirt}
need_root
if ! id "$user" >/dev/null 2>&1; then
    need_cmd useradd
    # Same system user that `make install` creates (see DESIGN.md).
    useradd --system --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$user" || die "cannot create user $user"
    log "created system user $user"
fi
exec "$here/boot-smoke.sh" --user "$user"
