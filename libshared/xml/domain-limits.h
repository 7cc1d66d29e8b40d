/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Devices per domain. The XML parser checks them before it reads any device (qemud and lxcd
 * refuse at define), and netd checks the interface index again, so that one definition cannot
 * make the drivers create thousands of taps or open thousands of images. libvirt sets no such
 * limits, so each sits above what a guest can use:
 * - interfaces and disks: every virtio NIC or disk is a PCI(e) function of its own; on q35 each
 *   needs a root port and one PCIe hierarchy has 256 bus numbers, so no guest holds more (i440fx
 *   could, through pci-bridges, but at 31 slots a bridge no real configuration goes near it);
 * - serials and consoles: their target port is 0..255 (the parser's range): 256 of each;
 * - filesystems: 256, as disks (virtiofs or 9p shares, a container's bind mounts);
 * - every other element of <devices> (controllers, input, video, ...): 1,024, room for a
 *   pcie-root-port beside each of the devices above. */
#pragma once

#define DOMAIN_MAX_INTERFACES 256
#define DOMAIN_MAX_DISKS 256
#define DOMAIN_MAX_FILESYSTEMS 256
#define DOMAIN_MAX_SERIALS 256
#define DOMAIN_MAX_CONSOLES 256
#define DOMAIN_MAX_OTHER_DEVICES 1024
