#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Creates the system users and groups sepvirt runs under in system mode, when missing (root):
# one user per unprivileged daemon, the group of the driver sockets (the daemons only, never a
# QEMU) and the administrators' group of the read-write socket. The names are the daemons'
# defaults unless the same environment variables the daemons read name others.
set -euo pipefail
proxy=${SEPVIRT_PROXY_USER:-sepvirt-proxy}
qemu=${SEPVIRT_QEMU_USER:-sepvirt-qemu}
storage=${SEPVIRT_STORAGE_USER:-sepvirt-storage}
daemons=${SEPVIRT_DAEMON_GROUP:-sepvirt-daemons}
admin=${SEPVIRT_ADMIN_GROUP:-sepvirt}
if [ "$(id -u)" -ne 0 ]; then
	echo "create-users.sh: run as root to create $proxy, $qemu, $storage and the groups $daemons, $admin" >&2
	exit 1
fi
# Several test scripts may run this at once: one at a time (useradd's own lock fails instead of waiting).
exec 9>/run/sepvirt-create-users.lock
flock 9
getent group "$daemons" >/dev/null || groupadd --system "$daemons"
getent group "$admin" >/dev/null || groupadd --system "$admin"
for u in "$proxy" "$qemu" "$storage"; do
	id "$u" >/dev/null 2>&1 ||
		useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$u"
done
