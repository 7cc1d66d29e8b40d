/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vol-upload and vol-download streams (see VolUploadRequest in sepvirt.proto). */
#pragma once

#include "storaged.h"

#define STORAGED_CHUNK_MAX (1u << 20)  /* the clients send 1 MiB chunks */
#define STORAGED_UPLOADS_MAX 16u
#define STORAGED_UPLOAD_IDLE_MS 60000u  /* an upload with no call for this long is dropped */

/* Starts the sweeper of abandoned uploads. */
int storaged_upload_init(struct evloop *loop);
void storaged_upload_fini(void);
