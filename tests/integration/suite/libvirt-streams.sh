#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Streams of libvirt's protocol on libvirt-sock: virsh 9.0's vol-download gets a volume's bytes
# (whole, and a slice by --offset/--length) exactly; vol-upload writes in place as libvirtd does
# (the rest and the size kept, --offset/--length, 40 MB whole, --length enforced), and an upload
# abandoned half-way changes nothing;
# virsh console (on a pty of its own, as a user types) reaches a TCG guest's shell and back, and
# leaves on Ctrl+]; both are refused on libvirt-sock-ro with libvirt's words, and proxyd serves
# on after a client that vanishes in the middle of a stream.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/../qemud/lib.sh"
qemud_prepare "$@"
need_cmd virsh script
PY=/usr/bin/python3 # Debian's: python3-libvirt is installed for it
"$PY" -c 'import libvirt' 2>/dev/null || die "python3-libvirt is missing (scripts/deps.sh installs it)"

trap 'rc=$?; exec 7>&- 2>/dev/null || true; kill ${cpid:-} 2>/dev/null || true; qemud_stop $rc' EXIT
suite_start
qemud_vmdir
chmod 755 "$VMDIR"
LV="qemu+unix:///system?socket=$SEPVIRT_ROOT/run/libvirt-sock"
LVRO="qemu+unix:///system?socket=$SEPVIRT_ROOT/run/libvirt-sock-ro"

# A volume with known bytes, written through sepvirt's own client.
mkdir -p "$SEPVIRT_ROOT/pools"
chown "$SUITE_STORAGE_USER" "$SEPVIRT_ROOT/pools"
P=$SEPVIRT_ROOT/pools/p1
virsh -c "$LV" pool-define-as p1 dir --target "$P" >/dev/null && virsh -c "$LV" pool-build p1 >/dev/null &&
	virsh -c "$LV" pool-start p1 >/dev/null || die "pool"
"$SEPVIRSH" vol-create-as p1 v1 3M --format raw >/dev/null || die "vol-create-as"
head -c 3145728 /dev/urandom >"$SEPVIRT_ROOT/data"
"$SEPVIRSH" vol-upload v1 "$SEPVIRT_ROOT/data" --pool p1 >/dev/null || die "vol-upload through sepvirsh"

out=$(virsh -c "$LV" vol-download v1 "$SEPVIRT_ROOT/got" --pool p1 2>&1) || die "vol-download: $out"
cmp "$SEPVIRT_ROOT/data" "$SEPVIRT_ROOT/got" || die "vol-download gave other bytes"
virsh -c "$LV" vol-download v1 "$SEPVIRT_ROOT/slice" --pool p1 --offset 1000000 --length 1500001 >/dev/null ||
	die "vol-download --offset --length"
cmp <(tail -c +1000001 "$SEPVIRT_ROOT/data" | head -c 1500001) "$SEPVIRT_ROOT/slice" ||
	die "vol-download --offset 1000000 --length 1500001: other bytes ($(stat -c %s "$SEPVIRT_ROOT/slice") bytes)"
rc=0; out=$(virsh -c "$LVRO" vol-download v1 "$SEPVIRT_ROOT/ro" --pool p1 2>&1) || rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q "read only access prevents virStorageVolDownload" || die "read-only download ($rc): $out"

# vol-upload writes in place, as libvirtd does: a 1 MiB upload into the 3 MiB volume keeps the
# rest and the size; --offset/--length put the data there; a big upload arrives whole.
head -c 1048576 /dev/urandom >"$SEPVIRT_ROOT/mib"
virsh -c "$LV" vol-upload v1 "$SEPVIRT_ROOT/mib" --pool p1 >/dev/null || die "vol-upload"
cmp <(cat "$SEPVIRT_ROOT/mib"; tail -c +1048577 "$SEPVIRT_ROOT/data") "$P/v1" ||
	die "vol-upload of 1 MiB did not write in place ($(stat -c %s "$P/v1") bytes)"
cp "$P/v1" "$SEPVIRT_ROOT/before"
virsh -c "$LV" vol-upload v1 "$SEPVIRT_ROOT/mib" --pool p1 --offset 2500000 --length 1048576 >/dev/null ||
	die "vol-upload --offset --length"
cmp <(head -c 2500000 "$SEPVIRT_ROOT/before"; cat "$SEPVIRT_ROOT/mib") "$P/v1" || die "vol-upload --offset 2500000: other bytes"
[ "$(stat -c %s "$P/v1")" = $((2500000 + 1048576)) ] || die "vol-upload past the end: size $(stat -c %s "$P/v1")"
rc=0; out=$(virsh -c "$LV" vol-upload v1 "$SEPVIRT_ROOT/mib" --pool p1 --length 1000 2>&1) || rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q "longer than the length given, 1000 bytes" || die "upload past --length ($rc): $out"
"$SEPVIRSH" vol-create-as p1 big 64M --format raw >/dev/null || die "vol-create-as big"
head -c 40000000 /dev/urandom >"$SEPVIRT_ROOT/big"
virsh -c "$LV" vol-upload big "$SEPVIRT_ROOT/big" --pool p1 >/dev/null || die "vol-upload of 40 MB"
[ "$(stat -c %s "$P/big")" = 67108864 ] || die "a 64 MiB volume is $(stat -c %s "$P/big") bytes after a 40 MB upload"
cmp <(head -c 40000000 "$P/big") "$SEPVIRT_ROOT/big" || die "the 40 MB upload arrived with other bytes"
rc=0; out=$(virsh -c "$LVRO" vol-upload v1 "$SEPVIRT_ROOT/mib" --pool p1 2>&1) || rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q "read only access prevents virStorageVolUpload" || die "read-only upload ($rc): $out"
# An upload abandoned half-way changes nothing and leaves nothing in the pool.
sum=$(md5sum <"$P/big")
"$PY" - "$LV" <<'EOF' || die "abandoned upload"
import sys, libvirt
conn = libvirt.open(sys.argv[1])
vol = conn.storagePoolLookupByName("p1").storageVolLookupByName("big")
st = conn.newStream(0)
vol.upload(st, 0, 0, 0)
for _ in range(12):
    st.send(b"x" * 262144)
EOF
[ "$(md5sum <"$P/big")" = "$sum" ] || die "an abandoned upload changed the volume"
for _ in $(seq 50); do [ "$(ls -A "$P" | sort | tr '\n' ' ')" = "big v1 " ] && break; sleep 0.1; done
[ "$(ls -A "$P" | sort | tr '\n' ' ')" = "big v1 " ] || die "left in the pool: $(ls -A "$P")"

# A client that starts a download and goes away without reading: proxyd serves on.
proxy_pid=$(daemon_pid proxyd)
"$PY" - "$LV" <<'EOF' || die "abandoned download"
import sys, libvirt
conn = libvirt.open(sys.argv[1])
vol = conn.storagePoolLookupByName("p1").storageVolLookupByName("v1")
st = conn.newStream(0)
vol.download(st, 0, 0, 0)
assert len(st.recv(65536)) > 0
EOF
[ "$(daemon_pid proxyd)" = "$proxy_pid" ] || die "proxyd was restarted"
virsh -c "$LV" vol-download v1 "$SEPVIRT_ROOT/again" --pool p1 >/dev/null && cmp "$P/v1" "$SEPVIRT_ROOT/again" ||
	die "download after an abandoned one"

# The console: a guest whose serial is a pty and whose init runs a shell on it.
guest_pty_xml con >"$SEPVIRT_ROOT/con.xml"
grep -q "<serial type='pty'>" "$SEPVIRT_ROOT/con.xml" || die "test XML has no pty serial"
virsh -c "$LV" define "$SEPVIRT_ROOT/con.xml" >/dev/null && virsh -c "$LV" start con >/dev/null || { suite_logs; die "start"; }
rc=0; out=$(script -qec "virsh -c '$LVRO' console con" /dev/null </dev/null 2>&1) || rc=$?
echo "$out" | grep -q "read only access prevents virDomainOpenConsole" || die "read-only console ($rc): $out"

mkfifo "$SEPVIRT_ROOT/in"
# script gives virsh a terminal, as a user's; what is typed comes from the fifo.
script -qefc "virsh -c '$LV' console con" "$SEPVIRT_ROOT/out" <"$SEPVIRT_ROOT/in" >/dev/null 2>&1 &
cpid=$!
exec 7>"$SEPVIRT_ROOT/in"
console_until_answer 7 "$SEPVIRT_ROOT/out" '\r' || # a terminal's Enter
	{ cat "$SEPVIRT_ROOT/out" >&2; die "the guest's shell never answered through virsh console"; }
log "console answered: $(grep -a -m1 "^CONSOLE-42" "$SEPVIRT_ROOT/out" | tr -d "\r")"
grep -q "Connected to domain 'con'" "$SEPVIRT_ROOT/out" || die "no banner: $(head -n3 "$SEPVIRT_ROOT/out")"
printf '\035' >&7 # Ctrl+]
for _ in $(seq 50); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$cpid" 2>/dev/null && die "virsh console did not leave on Ctrl+]"
wait "$cpid" || die "virsh console ended with an error: $(tail -n3 "$SEPVIRT_ROOT/out")"
cpid=
exec 7>&-
# Once more, then the domain is destroyed under it: virsh says the console ended and exits.
script -qefc "virsh -c '$LV' console con" "$SEPVIRT_ROOT/out2" </dev/null >/dev/null 2>&1 &
cpid=$!
for _ in $(seq 50); do grep -q "Connected to domain" "$SEPVIRT_ROOT/out2" 2>/dev/null && break; sleep 0.1; done
virsh -c "$LV" destroy con >/dev/null
for _ in $(seq 100); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$cpid" 2>/dev/null && die "virsh console stayed after its domain was destroyed"
cpid=
[ "$(daemon_pid proxyd)" = "$proxy_pid" ] || die "proxyd was restarted"
virsh -c "$LV" list --all >/dev/null || die "libvirt-sock no longer serves"
echo "PASS: virsh vol-download (whole, a slice, abandoned), vol-upload (in place, offset/length, 40 MB, abandoned) and virsh console through libvirt-sock's streams"
