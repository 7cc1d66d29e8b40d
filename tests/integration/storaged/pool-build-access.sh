#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# pool-build where sepvirt-storaged cannot go (issue 17): a target under a root-owned parent
# failed with a bare "Permission denied". Now the error names the user storaged runs as and the
# access it needs to which directory (search on a directory on the way, write and search on the
# parent it creates the pool directory in); once granted, pool-build succeeds. pool-start of a
# pool whose directory storaged cannot reach says the same.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
trap suite_stop EXIT
storage_start
uid=$(storaged_uid)
gid=$(storaged_gid)
user=$(id -nu "$uid")
who="user $user (uid $uid, gid $gid)"

# A parent only root may write into (0755, as /var/lib is).
ro=$SEPVIRT_ROOT/ro
mkdir -m 0755 "$ro"
"$SEPVIRSH" pool-define "$(pool_xml p-ro "$ro/p")" >/dev/null || die "pool-define p-ro"
expect_fail "root-owned parent" \
	"cannot create directory '$ro/p' of storage pool 'p-ro': permission denied: $who needs write and search (wx) access to '$ro' (owned by uid 0 gid 0, mode 0755) to create '$ro/p' in it" \
	"$SEPVIRSH" pool-build p-ro
[ ! -e "$ro/p" ] || die "a refused pool-build left $ro/p"
# what the message says to do is enough
chown "$user" "$ro"
"$SEPVIRSH" pool-build p-ro >/dev/null || die "pool-build after the parent was given to $user"
[ -d "$ro/p" ] || die "no $ro/p after pool-build"

# A directory on the way that only root may search (0700).
locked=$SEPVIRT_ROOT/locked
mkdir -m 0700 "$locked" "$locked/sub"
chown "$user" "$locked/sub"
"$SEPVIRSH" pool-define "$(pool_xml p-locked "$locked/sub/p")" >/dev/null || die "pool-define p-locked"
expect_fail "unsearchable directory on the way" \
	"cannot create directory '$locked/sub/p' of storage pool 'p-locked': permission denied: $who needs search (x) access to '$locked' (owned by uid 0 gid 0, mode 0700)" \
	"$SEPVIRSH" pool-build p-locked

# pool-start of an existing pool directory storaged can no longer reach
mkdir -m 0711 "$SEPVIRT_ROOT/gate"
mkdir "$SEPVIRT_ROOT/gate/p"
chown "$user" "$SEPVIRT_ROOT/gate/p"
"$SEPVIRSH" pool-define "$(pool_xml p-gate "$SEPVIRT_ROOT/gate/p")" >/dev/null || die "pool-define p-gate"
"$SEPVIRSH" pool-build p-gate >/dev/null || die "pool-build p-gate (an existing directory of $user)"
chmod 0700 "$SEPVIRT_ROOT/gate"
expect_fail "unsearchable directory at pool-start" \
	"cannot open directory '$SEPVIRT_ROOT/gate/p' of storage pool 'p-gate': permission denied: $who needs search (x) access to '$SEPVIRT_ROOT/gate' (owned by uid 0 gid 0, mode 0700)" \
	"$SEPVIRSH" pool-start p-gate
chmod 0711 "$SEPVIRT_ROOT/gate"
"$SEPVIRSH" pool-start p-gate >/dev/null || die "pool-start once the directory is reachable"
log "pool-build and pool-start name the user and the access it needs"
