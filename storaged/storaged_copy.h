/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sparse-aware file copy for vol-clone: holes stay holes. */
#pragma once

#include <sys/types.h>

#include "error.h"

int storaged_copy_sparse(int src, int dst, struct sv_error *err);
/* The data extents of src in [from, to) to the same offsets of dst, whose size is not set. */
int storaged_copy_sparse_range(int src, int dst, off_t from, off_t to, struct sv_error *err);
