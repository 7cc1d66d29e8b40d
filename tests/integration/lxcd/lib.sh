# SPDX-License-Identifier: LGPL-2.1-or-later
# Helpers of the lxcd tests: a busybox-static rootfs and container definitions.
# Source after common.sh and suite.sh.

LXC="lxc:///system"
# The default id range of a container without <idmap> (lxcd/launch.h).
LXC_ID_BASE=100000

# lxc_rootfs DIR: a minimal root filesystem: busybox-static and its applet links,
# owned by the container's root (LXC_ID_BASE outside).
lxc_rootfs() {
	local dir=$1 bb
	bb=$(command -v busybox || true)
	[ -n "$bb" ] || skip "busybox is not installed"
	file -L "$bb" 2>/dev/null | grep -q "statically linked" || skip "busybox is not statically linked"
	mkdir -p "$dir"/{bin,sbin,etc,proc,sys,dev,tmp,root}
	cp "$bb" "$dir/bin/busybox"
	local a
	for a in sh ls cat echo sleep hostname id ps mount ip ping kill true false grep touch mkdir uname nc yes head; do
		ln -sf busybox "$dir/bin/$a"
	done
	echo "root:x:0:0:root:/root:/bin/sh" >"$dir/etc/passwd"
	echo "root:x:0:" >"$dir/etc/group"
	chown -R "$LXC_ID_BASE:$LXC_ID_BASE" "$dir"
}

# lxc_xml NAME ROOTFS INIT-SCRIPT [EXTRA-DEVICES]: a definition whose init runs
# /bin/sh -c SCRIPT.
lxc_xml() {
	local name=$1 rootfs=$2 script extra=${4:-} mem=${LXC_MEM_KIB:-65536}
	script=$(printf '%s' "$3" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g')
	cat <<XML
<domain type='lxc'>
  <name>$name</name>
  <memory unit='KiB'>$mem</memory>
  <os>
    <type>exe</type>
    <init>/bin/sh</init>
    <initarg>-c</initarg>
    <initarg>$script</initarg>
  </os>
  <devices>
    <filesystem type='mount'>
      <source dir='$rootfs'/>
      <target dir='/'/>
    </filesystem>
    $extra
    <console type='pty'/>
  </devices>
</domain>
XML
}

# lxc_define NAME ROOTFS SCRIPT [EXTRA]: defines it through the suite.
lxc_define() {
	local f
	f=$(mktemp)
	lxc_xml "$@" >"$f"
	"$SEPVIRSH" -c "$LXC" define "$f" >/dev/null || { rm -f "$f"; die "define $1 failed"; }
	rm -f "$f"
}

lxc_state() { "$SEPVIRSH" -c "$LXC" domstate "$1" 2>&1 | head -n1; }

# The pid of a running container's init, from lxcd's status file.
lxc_init_pid() { sed -n 's/^pid=//p' "$SEPVIRT_ROOT/run/lxc/$1.status"; }

# wait_console NAME TEXT [SECONDS]: the console log shows TEXT.
wait_console() {
	local log="$SEPVIRT_ROOT/run/lxc/$1.log" deadline=$(( $(now_ms) + ${3:-5} * 1000 ))
	until grep -q -- "$2" "$log" 2>/dev/null; do
		[ "$(now_ms)" -lt "$deadline" ] || { cat "$log" >&2 2>/dev/null; return 1; }
		sleep 0.05
	done
}

# lxc_suite_start: the suite under a fresh SEPVIRT_ROOT with a rootfs in $ROOTFS and $V the
# lxc:// sepvirsh. Call after in_netns "$@" and the EXIT trap.
lxc_suite_start() {
	suite_start
	ROOTFS="$SEPVIRT_ROOT/rootfs"
	lxc_rootfs "$ROOTFS"
	V="$SEPVIRSH -c $LXC"
}
