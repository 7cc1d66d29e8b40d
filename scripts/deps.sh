#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs what sepvirt needs to build, run and test on Debian 12 (apt-get; needs root).
set -euo pipefail
PACKAGES=(
	# build
	build-essential autoconf automake libtool pkg-config
	libxml2-dev libseccomp-dev libcap-ng-dev libnl-3-dev libnl-route-3-dev
	libnftables-dev
	libprotobuf-c-dev protobuf-c-compiler libcmocka-dev libjson-c-dev libedit-dev
	# build: libvirt's protocol in proxyd (XDR: rpcgen + libtirpc)
	libtirpc-dev rpcsvc-proto
	# build: man pages (man/*.scd), bash completion directory
	scdoc bash-completion
	# tests: libFuzzer targets (scripts/fuzz.sh)
	clang
	# run
	qemu-system-x86 iproute2 passwd
	# run: UEFI guests (<os firmware='efi'>): OVMF and its firmware descriptors
	ovmf
	# run: netd's virtual networks (DHCP and DNS); tests read the rules back with nft
	dnsmasq-base nftables
	# tests: the guest (kernel + busybox initramfs), networking, QMP, schemas
	linux-image-amd64 busybox-static kmod cpio gzip xz-utils zstd
	iputils-ping socat jq util-linux procps libxml2-utils libvirt0 libvirt-clients
	python3-libvirt virtinst
	# tests: a real guest agent in the test guest (tests/integration/guest/mkagent.sh)
	qemu-guest-agent
	# tests: storaged checks its qcow2 images against qemu-img and qemu-io
	qemu-utils bc
)
if [ "$(id -u)" -ne 0 ]; then
	echo "scripts/deps.sh: run as root (sudo) to install: ${PACKAGES[*]}" >&2
	exit 1
fi
missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "Installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
