/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the network XML parser (fuzz-xml-model.h). */
#define MODEL network
#include "xml/network-def.h"
#include "fuzz-xml-model.h"
