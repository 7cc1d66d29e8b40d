// SPDX-License-Identifier: LGPL-2.1-or-later
/* qemud's jobs are libshared's per-domain jobs (domain-job.h). */
#pragma once

#include "domain-job.h"
#include "qemud.h"
