/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the pool XML parser (fuzz-xml-model.h). */
#define MODEL pool
#include "xml/pool-def.h"
#include "fuzz-xml-model.h"
