# qemuxml2argv: domain XML -> QEMU argv golden files (tests/qemuxml2argv/NAME.xml, NAME.args).
check_PROGRAMS += tests/unit/test-qemu-argv
TESTS += tests/unit/test-qemu-argv
tests_unit_test_qemu_argv_SOURCES = tests/unit/test-qemu-argv.c qemud/argv.c qemud/argv-clock.c qemud/argv-pci.c qemud/argv-controller.c qemud/argv-hw.c qemud/argv-display.c qemud/argv-memory.c qemud/argv-misc.c qemud/argv.h qemud/firmware.c qemud/firmware.h
tests_unit_test_qemu_argv_CPPFLAGS = $(TEST_CPPFLAGS) $(JSON_C_CFLAGS)
tests_unit_test_qemu_argv_LDADD = $(TEST_LIBS) $(JSON_C_LIBS)
dist_noinst_DATA += \
	tests/qemuxml2argv/boot-order-cdrom.args \
	tests/qemuxml2argv/boot-order-cdrom.xml \
	tests/qemuxml2argv/channel-agent-nopath.args \
	tests/qemuxml2argv/channel-agent-nopath.xml \
	tests/qemuxml2argv/clock-timers-pm.args \
	tests/qemuxml2argv/clock-timers-pm.xml \
	tests/qemuxml2argv/cpu-cache-host.args \
	tests/qemuxml2argv/cpu-cache-host.xml \
	tests/qemuxml2argv/cpu-numa.args \
	tests/qemuxml2argv/cpu-numa.xml \
	tests/qemuxml2argv/firmware-efi-q35.args \
	tests/qemuxml2argv/firmware-efi-secure.args \
	tests/qemuxml2argv/firmware-efi-secure.xml \
	tests/qemuxml2argv/firmware-efi-q35.xml \
	tests/qemuxml2argv/firmware-loader-pc.args \
	tests/qemuxml2argv/firmware-loader-pc.xml \
	tests/qemuxml2argv/firmware/50-secure.json \
	tests/qemuxml2argv/firmware/60-plain.json \
	tests/qemuxml2argv/disk-scsi-lsi.args \
	tests/qemuxml2argv/disk-scsi-lsi.xml \
	tests/qemuxml2argv/disk-scsi-virtio.args \
	tests/qemuxml2argv/disk-scsi-virtio.xml \
	tests/qemuxml2argv/graphics-vnc-autoport.args \
	tests/qemuxml2argv/graphics-vnc-autoport.xml \
	tests/qemuxml2argv/graphics-vnc.args \
	tests/qemuxml2argv/graphics-vnc.xml \
	tests/qemuxml2argv/hw-pc.args \
	tests/qemuxml2argv/hw-pc.xml \
	tests/qemuxml2argv/hw-q35.args \
	tests/qemuxml2argv/hw-q35.xml \
	tests/qemuxml2argv/kvm-kernel-tap.args \
	tests/qemuxml2argv/kvm-kernel-tap.xml \
	tests/qemuxml2argv/memory-hugepages-q35.args \
	tests/qemuxml2argv/memory-hugepages-q35.xml \
	tests/qemuxml2argv/minimal-tcg.args \
	tests/qemuxml2argv/minimal-tcg.xml \
	tests/qemuxml2argv/misc-pc.args \
	tests/qemuxml2argv/misc-pc.xml \
	tests/qemuxml2argv/unsupported-cpu-host-model.err \
	tests/qemuxml2argv/unsupported-cpu-host-model.xml \
	tests/qemuxml2argv/unsupported-firmware-nvram-path.err \
	tests/qemuxml2argv/unsupported-firmware-nvram-path.xml \
	tests/qemuxml2argv/unsupported-firmware-rom.err \
	tests/qemuxml2argv/unsupported-firmware-secboot-code.err \
	tests/qemuxml2argv/unsupported-firmware-secboot-code.xml \
	tests/qemuxml2argv/unsupported-firmware-rom.xml \
	tests/qemuxml2argv/unsupported-firmware-secure.err \
	tests/qemuxml2argv/unsupported-firmware-secure.xml \
	tests/qemuxml2argv/unsupported-guest-dev.err \
	tests/qemuxml2argv/unsupported-guest-dev.xml \
	tests/qemuxml2argv/unsupported-ide-address.err \
	tests/qemuxml2argv/unsupported-ide-address.xml \
	tests/qemuxml2argv/unsupported-memory-locked.err \
	tests/qemuxml2argv/unsupported-memory-locked.xml \
	tests/qemuxml2argv/unsupported-network-disk.err \
	tests/qemuxml2argv/unsupported-network-disk.xml \
	tests/qemuxml2argv/unsupported-pm-machine.err \
	tests/qemuxml2argv/unsupported-pm-machine.xml \
	tests/qemuxml2argv/unsupported-rtc-merge.err \
	tests/qemuxml2argv/unsupported-rtc-merge.xml \
	tests/qemuxml2argv/unsupported-usb-none-tablet.err \
	tests/qemuxml2argv/unsupported-usb-none-tablet.xml \
	tests/qemuxml2argv/unsupported-usb-port-twice.err \
	tests/qemuxml2argv/unsupported-usb-port-twice.xml \
	tests/qemuxml2argv/unsupported-video-secondary.err \
	tests/qemuxml2argv/unsupported-video-secondary.xml \
	tests/qemuxml2argv/unsupported-vnc-socket.err \
	tests/qemuxml2argv/unsupported-vnc-socket.xml \
	tests/qemuxml2argv/usb-companions.args \
	tests/qemuxml2argv/usb-companions.xml \
	tests/qemuxml2argv/virt-install-server.args \
	tests/qemuxml2argv/virt-install-server.xml \
	tests/qemuxml2argv/virtio-console-bridge.args \
	tests/qemuxml2argv/virtio-console-bridge.xml \
	tests/qemuxml2argv/volume-disk.args \
	tests/qemuxml2argv/volume-disk.xml
# libvirt's own inputs: how many sepvirt accepts, and what reaches QEMU (tests/xml/argv-coverage.py).
check_PROGRAMS += tests/xml/argv-dump
tests_xml_argv_dump_SOURCES = tests/xml/argv-dump.c qemud/argv.c qemud/argv-clock.c qemud/argv-pci.c qemud/argv-controller.c qemud/argv-hw.c qemud/argv-display.c qemud/argv-memory.c qemud/argv-misc.c qemud/argv.h qemud/firmware.c qemud/firmware.h
tests_xml_argv_dump_CPPFLAGS = $(TEST_CPPFLAGS) $(JSON_C_CFLAGS)
tests_xml_argv_dump_LDADD = $(TEST_LIBS) $(JSON_C_LIBS)
TESTS += tests/xml/argv-coverage.sh
dist_noinst_SCRIPTS += tests/xml/argv-coverage.sh tests/xml/argv-coverage.py

# hotplug's definition edits (qemud/hotplug-def.c)
check_PROGRAMS += tests/unit/test-qemu-hotplug
TESTS += tests/unit/test-qemu-hotplug
tests_unit_test_qemu_hotplug_SOURCES = tests/unit/test-qemu-hotplug.c qemud/hotplug-def.c qemud/hotplug.h
tests_unit_test_qemu_hotplug_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/qemud $(JSON_C_CFLAGS)
tests_unit_test_qemu_hotplug_LDADD = $(TEST_LIBS)
