/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the volume XML parser (fuzz-xml-model.h). */
#define MODEL volume
#include "xml/volume-def.h"
#include "fuzz-xml-model.h"
