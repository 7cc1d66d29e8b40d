#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Quick start on a fresh Debian 12 machine (as root): install the dependencies, build,
# start the suite under a private SEPVIRT_ROOT and run the demo.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
"$src/scripts/deps.sh"
"$src/scripts/build.sh" "$src/_build"
exec "$src/scripts/demo.sh" "$src/_build"
