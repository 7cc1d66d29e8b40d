/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sparse-aware file copy for vol-clone: holes stay holes. */
#pragma once

#include "error.h"

int storaged_copy_sparse(int src, int dst, struct sv_error *err);
