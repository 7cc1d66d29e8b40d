#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Domain events other than lifecycle, from QEMU's monitor events, as virsh event prints them,
# through sepvirsh and through real virsh on libvirt-sock: a reset is a 'reboot' event; a guest
# that writes to a disk whose image lies on a full file system gets QEMU's ENOSPC stop, which is
# an 'io-error' (path, alias, pause) and an 'io-error-reason' (due to enospc) event, and the
# lifecycle event 'Suspended I/O Error' with the state 'paused (I/O error)'; an i6300esb
# watchdog left unfed with action 'pause' is a 'watchdog' event and 'Suspended Watchdog'.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
need_cmd virsh mount umount timeout

FULL=""
cleanup() {
	rc=$?
	kill ${cpid:-} ${spid:-} ${vpid:-} 2>/dev/null || true
	"$SEPVIRSH" destroy ev >/dev/null 2>&1 || true
	"$SEPVIRSH" destroy wd >/dev/null 2>&1 || true
	[ -z "$FULL" ] || umount "$FULL" 2>/dev/null || umount -l "$FULL" 2>/dev/null || true
	qemud_stop $rc
}
trap cleanup EXIT
suite_start
qemud_vmdir
LV="qemu+unix:///system?socket=$SEPVIRT_ROOT/run/libvirt-sock"

# --list: the events sepvirt sends; an unknown type is refused by name
[ "$("$SEPVIRSH" -q event --list | tr '\n' ' ')" = \
	"lifecycle reboot watchdog io-error io-error-reason balloon-change device-removed device-added " ] ||
	die "event --list: $("$SEPVIRSH" event --list)"
expect_fail "event --event rtc-change" "unknown event type rtc-change" "$SEPVIRSH" event --event rtc-change

# A 64 MiB sparse image on a 512 KiB file system: the guest's writes soon find no space.
IMAGES=$SEPVIRT_ROOT/lib/images
FULL=$IMAGES/full
mkdir -p "$FULL"
mount -t tmpfs -o size=512k sepvirt-test-full "$FULL" || skip "cannot mount a tmpfs here"
truncate -s 64M "$FULL/full.img"
disk="<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$FULL/full.img'/><target dev='vda' bus='virtio'/></disk>"
guest_pty_xml ev | sed "s|</devices>|$disk</devices>|" >"$SEPVIRT_ROOT/ev.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/ev.xml" >/dev/null || die "define"
"$SEPVIRSH" start ev >/dev/null || { suite_logs; die "start"; }

"$SEPVIRSH" event --all --loop --timeout 300 >"$SEPVIRT_ROOT/sev.out" 2>&1 &
spid=$!
virsh -c "$LV" event --all --loop --timeout 300 >"$SEPVIRT_ROOT/vev.out" 2>&1 &
vpid=$!
# both listen once a suspend reaches both
for _ in $(seq 60); do
	"$SEPVIRSH" suspend ev >/dev/null && "$SEPVIRSH" resume ev >/dev/null || die "suspend/resume"
	grep -q "Suspended Paused" "$SEPVIRT_ROOT/sev.out" && grep -q "Suspended Paused" "$SEPVIRT_ROOT/vev.out" && break
	sleep 0.5
done
grep -q "Suspended Paused" "$SEPVIRT_ROOT/vev.out" || die "virsh event never listened: $(cat "$SEPVIRT_ROOT/vev.out")"

# guest_types NAME CMD: once NAME's shell answers on its console, CMD is typed into it, once
# (what it does may stop the guest: no answer is awaited).
guest_types() {
	guest_shell "$1" 90 true || { cat "$SEPVIRT_ROOT/out" >&2; die "$1: the guest's shell never answered"; }
	guest_shell "$1" 1 "$2" || true
}

# both_see LINE: sepvirsh's and virsh's listeners both print it within 60 s
both_see() {
	for _ in $(seq 120); do
		grep -qxF "$1" "$SEPVIRT_ROOT/sev.out" && grep -qxF "$1" "$SEPVIRT_ROOT/vev.out" && return 0
		sleep 0.5
	done
	suite_logs
	tr -d '\r' <"$SEPVIRT_ROOT/out" 2>/dev/null | tail -n 20 >&2 || true
	die "expected '$1'; sepvirsh printed: $(cat "$SEPVIRT_ROOT/sev.out"); virsh printed: $(cat "$SEPVIRT_ROOT/vev.out")"
}

"$SEPVIRSH" reset ev >/dev/null || die "reset"
both_see "event 'reboot' for domain 'ev'"

# The guest's shell writes to vda until the file system under its image is full.
guest_types ev 'dd if=/dev/zero of=/dev/vda bs=65536 count=256 conv=fsync'
both_see "event 'io-error' for domain 'ev': $FULL/full.img (virtio-disk0) pause"
both_see "event 'io-error-reason' for domain 'ev': $FULL/full.img (virtio-disk0) pause due to enospc"
both_see "event 'lifecycle' for domain 'ev': Suspended I/O Error"
[ "$("$SEPVIRSH" domstate --reason ev | head -n1)" = "paused (I/O error)" ] ||
	die "domstate after the I/O error: $("$SEPVIRSH" domstate --reason ev)"
[ "$(virsh -c "$LV" domstate --reason ev | head -n1)" = "paused (I/O error)" ] || die "virsh domstate after the I/O error"
"$SEPVIRSH" destroy ev >/dev/null || die "destroy"
umount "$FULL" && FULL=""

# A guest whose i6300esb watchdog is armed for 2 s and never fed: QEMU's action 'pause' is a
# 'watchdog' event (pause) and the lifecycle event 'Suspended Watchdog'.
guest_pty_xml wd | sed "s|</devices>|<watchdog model='i6300esb' action='pause'/></devices>|" >"$SEPVIRT_ROOT/wd.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/wd.xml" >/dev/null || die "define wd"
"$SEPVIRSH" start wd >/dev/null || { suite_logs; die "start wd"; }
guest_types wd 'watchdog -T 2 -t 600 /dev/watchdog'
both_see "event 'watchdog' for domain 'wd': pause"
both_see "event 'lifecycle' for domain 'wd': Suspended Watchdog"
[ "$("$SEPVIRSH" domstate --reason wd | head -n1)" = "paused (watchdog)" ] ||
	die "domstate after the watchdog: $("$SEPVIRSH" domstate --reason wd)"
"$SEPVIRSH" destroy wd >/dev/null || die "destroy wd"
log "ok: reboot, io-error, io-error-reason, watchdog, Suspended I/O Error and Watchdog, as sepvirsh and virsh print them"
