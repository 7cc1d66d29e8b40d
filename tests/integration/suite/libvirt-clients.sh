#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# libvirt's own clients, unchanged, against proxyd's libvirt-sock: virsh 9.0 drives a real TCG
# guest through define, start, dominfo, domstate, dumpxml, list, suspend/resume, shutdown,
# destroy, undefine and `event --loop`, printing what it prints against libvirtd; python3-libvirt
# does the same calls and receives lifecycle events; the read-only socket refuses a mutating call
# with libvirt's error; bad frames on the socket cost only their own connection.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/../qemud/lib.sh"
qemud_prepare "$@"
need_cmd virsh virt-install qemu-img jq
PY=/usr/bin/python3 # Debian's: python3-libvirt is installed for it
"$PY" -c 'import libvirt' 2>/dev/null || die "python3-libvirt is missing (scripts/deps.sh installs it)"

trap qemud_stop EXIT
suite_start
qemud_vmdir
chmod 755 "$VMDIR"
LV="qemu+unix:///system?socket=$SEPVIRT_ROOT/run/libvirt-sock"
LVRO="qemu+unix:///system?socket=$SEPVIRT_ROOT/run/libvirt-sock-ro"
vsh() { virsh -q -c "$LV" "$@"; }

# The sockets: libvirtd's names in proxyd's run directory, modes as proxyd's own.
[ "$(stat -c %a "$SEPVIRT_ROOT/run/libvirt-sock")" = 660 ] || die "libvirt-sock mode"
[ "$(stat -c %a "$SEPVIRT_ROOT/run/libvirt-sock-ro")" = 666 ] || die "libvirt-sock-ro mode"

# virsh: the handshake and the host.
out=$(virsh -c "$LV" uri)
[ "$out" = "$LV" ] || die "uri: '$out'"
out=$(virsh -c "$LV" version)
echo "$out" | grep -qx "Running hypervisor: QEMU [0-9.]*" || die "version: $out"
out=$(virsh -c "$LV" nodeinfo)
echo "$out" | grep -Eq "^CPU\(s\): +$(nproc)$" || die "nodeinfo: $out"
[ "$(virsh -c "$LV" hostname)" = "$(hostname)" ] || die "hostname"
[ "$(virsh -c "$LV" list --all)" = "$(printf ' Id   Name   State\n--------------------\n')" ] ||
	die "empty list: $(virsh -c "$LV" list --all)"

# A domain's life, as virsh prints it.
guest_xml lv1 "" "" >"$SEPVIRT_ROOT/lv1.xml"
out=$(virsh -c "$LV" define "$SEPVIRT_ROOT/lv1.xml")
[ "$out" = "Domain 'lv1' defined from $SEPVIRT_ROOT/lv1.xml" ] || die "define: '$out'"
virsh -c "$LV" event --loop --all >"$SEPVIRT_ROOT/events" 2>&1 &
events_pid=$!
for _ in $(seq 50); do grep -q "subscribed to the events of program qemu" "$SEPVIRT_ROOT"/log/*proxyd*.log && break; sleep 0.1; done
uuid=$("$SEPVIRSH" domuuid lv1 | head -n1)
[ "$(vsh domuuid lv1)" = "$uuid" ] || die "domuuid: $(vsh domuuid lv1)"
[ "$(virsh -c "$LV" list --all)" = "$(printf ' Id   Name   State\n-----------------------\n -    lv1    shut off')" ] ||
	die "list --all: $(virsh -c "$LV" list --all)"
expected=$(cat <<EOF
Id:             -
Name:           lv1
UUID:           $uuid
OS Type:        hvm
State:          shut off
CPU(s):         1
Max memory:     262144 KiB
Used memory:    262144 KiB
Persistent:     yes
Autostart:      disable
Managed save:   no
Security model: none
Security DOI:   0
EOF
)
[ "$(vsh dominfo lv1)" = "$expected" ] || die "dominfo: $(vsh dominfo lv1)"
[ "$(vsh dumpxml lv1)" = "$("$SEPVIRSH" dumpxml lv1)" ] || die "dumpxml differs from sepvirsh's"

out=$(virsh -c "$LV" start lv1)
[ "$out" = "Domain 'lv1' started" ] || die "start: '$out'"
[ "$(vsh domstate --reason lv1)" = "running (booted)" ] || die "domstate: $(vsh domstate --reason lv1)"
id=$(vsh domid lv1)
[ "$id" -ge 1 ] || die "domid: '$id'"
out=$(virsh -c "$LV" list)
echo "$out" | grep -Eqx " $id +lv1 +running" || die "list: $out"
out=$(vsh dominfo "$id")
echo "$out" | grep -Eqx "State: +running" || die "dominfo by id: $out"
out=$(vsh dumpxml "$uuid")
echo "$out" | grep -q "<domain type='qemu' id='$id'>" || die "live XML by uuid: $out"
[ "$(vsh dumpxml --inactive lv1)" = "$("$SEPVIRSH" dumpxml --inactive lv1)" ] || die "dumpxml --inactive"
wait_serial lv1 SEPVIRT-GUEST-UP
[ "$(vsh domcontrol lv1)" = "ok" ] || die "domcontrol: $(vsh domcontrol lv1)"
[ "$(virsh -c "$LV" suspend lv1)" = "Domain 'lv1' suspended" ] || die "suspend"
[ "$(vsh domstate --reason lv1)" = "paused (user)" ] || die "paused: $(vsh domstate --reason lv1)"
[ "$(virsh -c "$LV" resume lv1)" = "Domain 'lv1' resumed" ] || die "resume"
# shutdown: ACPI; the guest's init reports the button and powers off (on_poweroff: destroy)
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(virsh -c "$LV" shutdown lv1)" = "Domain 'lv1' is being shutdown" ] || die "shutdown"
	wait_for_file_count "$VMDIR/lv1.serial" SEPVIRT-POWER-BUTTON 1 2 2>/dev/null && break
done
for _ in $(seq 100); do [ "$(vsh domstate lv1)" = "shut off" ] && break; sleep 0.2; done
[ "$(vsh domstate --reason lv1)" = "shut off (shutdown)" ] || die "after shutdown: $(vsh domstate --reason lv1)"
vsh start lv1 >/dev/null
[ "$(virsh -c "$LV" destroy lv1)" = "Domain 'lv1' destroyed" ] || die "destroy"
[ "$(vsh domstate --reason lv1)" = "shut off (destroyed)" ] || die "after destroy"
[ "$(virsh -c "$LV" undefine lv1)" = "Domain 'lv1' has been undefined" ] || die "undefine"

# Errors as libvirtd words them, exit status 1.
rc=0; out=$(virsh -c "$LV" dominfo nosuch 2>&1) || rc=$?
[ "$rc" = 1 ] && [ "$out" = "error: failed to get domain 'nosuch'" ] || die "unknown domain ($rc): $out"
echo "<domain type='qemu'><name>bad</name>" >"$SEPVIRT_ROOT/bad.xml"
rc=0; out=$(virsh -c "$LV" define "$SEPVIRT_ROOT/bad.xml" 2>&1) || rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q "^error: Failed to define domain from" || die "malformed XML ($rc): $out"
rc=0; out=$(virsh -c "$LVRO" define "$SEPVIRT_ROOT/lv1.xml" 2>&1) || rc=$?
echo "$out" | grep -qx "error: operation forbidden: read only access prevents virDomainDefineXML" ||
	die "read-only define ($rc): $out"
virsh -c "$LVRO" list --all >/dev/null || die "read-only list"

# Storage: a directory pool and a qcow2 volume, as virsh prints them.
mkdir -p "$SEPVIRT_ROOT/pools"
chown "$SUITE_STORAGE_USER" "$SEPVIRT_ROOT/pools"
P=$SEPVIRT_ROOT/pools/p1
[ "$(virsh -c "$LV" pool-define-as p1 dir --target "$P")" = "Pool p1 defined" ] || die "pool-define-as"
[ "$(virsh -c "$LV" pool-build p1)" = "Pool p1 built" ] || die "pool-build"
[ "$(virsh -c "$LV" pool-start p1)" = "Pool p1 started" ] || die "pool-start"
[ "$(virsh -c "$LV" pool-autostart p1)" = "Pool p1 marked as autostarted" ] || die "pool-autostart"
out=$(virsh -c "$LV" pool-list --all)
echo "$out" | grep -Eqx " p1 +active +yes" || die "pool-list: $out"
out=$(vsh pool-info p1)
echo "$out" | grep -Eqx "State: +running" || die "pool-info: $out"
[ "$(virsh -c "$LV" vol-create-as p1 v1.qcow2 10M --format qcow2)" = "Vol v1.qcow2 created" ] || die "vol-create-as"
[ "$(qemu-img info --output=json "$P/v1.qcow2" | jq -r '."virtual-size"')" = 10485760 ] || die "volume not created as asked"
out=$(virsh -c "$LV" vol-list p1)
echo "$out" | grep -Eqx " v1.qcow2 +$P/v1.qcow2" || die "vol-list: $out"
out=$(vsh vol-info "$P/v1.qcow2")
echo "$out" | grep -Eqx "Capacity: +10.00 MiB" || die "vol-info by path: $out"
[ "$(vsh vol-path v1.qcow2 --pool p1)" = "$P/v1.qcow2" ] || die "vol-path"
out=$(vsh vol-dumpxml v1.qcow2 --pool p1)
echo "$out" | grep -q "<format type='qcow2'/>" || die "vol-dumpxml: $out"
rc=0; out=$(virsh -c "$LVRO" vol-delete v1.qcow2 --pool p1 2>&1) || rc=$?
echo "$out" | grep -qx "error: operation forbidden: read only access prevents virStorageVolDelete" ||
	die "read-only vol-delete ($rc): $out"
[ "$(virsh -c "$LV" vol-delete v1.qcow2 --pool p1)" = "Vol v1.qcow2 deleted" ] || die "vol-delete"
[ ! -e "$P/v1.qcow2" ] || die "vol-delete left the file"
[ "$(virsh -c "$LV" pool-destroy p1)" = "Pool p1 destroyed" ] || die "pool-destroy"
[ "$(virsh -c "$LV" pool-undefine p1)" = "Pool p1 has been undefined" ] || die "pool-undefine"
rc=0; out=$(virsh -c "$LV" pool-info p1 2>&1) || rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q "Storage pool not found" || die "undefined pool ($rc): $out"

# The events virsh received, in order.
kill "$events_pid" 2>/dev/null || true
wait "$events_pid" 2>/dev/null || true
expected="event 'lifecycle' for domain 'lv1': Started Booted
event 'lifecycle' for domain 'lv1': Suspended Paused
event 'lifecycle' for domain 'lv1': Resumed Unpaused
event 'lifecycle' for domain 'lv1': Stopped Shutdown
event 'lifecycle' for domain 'lv1': Started Booted
event 'lifecycle' for domain 'lv1': Stopped Destroyed
event 'lifecycle' for domain 'lv1': Undefined Removed"
got=$(grep "^event 'lifecycle'" "$SEPVIRT_ROOT/events" | grep -v "Shutdown Finished" || true)
[ "$got" = "$expected" ] || die "events: $(cat "$SEPVIRT_ROOT/events")"

# python3-libvirt: the calls scripts make, and lifecycle events.
out=$("$PY" "$here/libvirt-python.py" "$LV" "$SEPVIRT_ROOT/lv1.xml") || die "python3-libvirt: $out"
echo "$out" | grep -qx "events: defined started destroyed undefined" || die "python events: $out"

# virt-install: the XML it prints (for a guest booting the test kernel, with the devices sepvirt
# does not have yet turned off) is defined and started through the socket, and the guest boots.
G=$GUEST_KERNEL I=$GUEST_INITRD
virt-install --connect "$LV" --print-xml --name vi1 --memory 256 --vcpus 1 --import --disk none \
	--boot "kernel=$G,initrd=$I,kernel_args=console=ttyS0" --virt-type qemu --machine pc --os-variant none \
	--network none --graphics none --console none --channel none --controller type=usb,model=none \
	--memballoon none --rng none --serial "file,path=$VMDIR/vi1.serial" >"$SEPVIRT_ROOT/vi1.xml" 2>"$SEPVIRT_ROOT/vi1.err" ||
	die "virt-install --print-xml: $(cat "$SEPVIRT_ROOT/vi1.err")"
grep -q "<timer name=\"rtc\" tickpolicy=\"catchup\"/>" "$SEPVIRT_ROOT/vi1.xml" || die "virt-install wrote no timers: $(cat "$SEPVIRT_ROOT/vi1.xml")"
[ "$(virsh -c "$LV" define "$SEPVIRT_ROOT/vi1.xml")" = "Domain 'vi1' defined from $SEPVIRT_ROOT/vi1.xml" ] ||
	die "define virt-install's XML"
[ "$(virsh -c "$LV" start vi1)" = "Domain 'vi1' started" ] || die "start vi1"
wait_serial vi1 SEPVIRT-GUEST-UP
pid=$(qemu_pid vi1)
tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "-rtc base=utc,driftfix=slew" || die "the rtc timer did not reach QEMU"
vsh destroy vi1 >/dev/null && vsh undefine vi1 >/dev/null || die "destroy/undefine vi1"

# Bad frames on libvirt-sock: each costs only its own connection; proxyd goes on.
proxy_pid=$(daemon_pid proxyd)
out=$("$PY" "$here/libvirt-frames.py" "$SEPVIRT_ROOT/run/libvirt-sock") || die "bad frames: $out"
[ "$(daemon_pid proxyd)" = "$proxy_pid" ] || die "proxyd was restarted"
virsh -c "$LV" list --all >/dev/null || die "libvirt-sock no longer serves"
echo "PASS: virsh and python3-libvirt drive sepvirt through libvirt-sock"
