/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for proxyd's decoder of libvirt's protocol: bytes as they arrive on
 * libvirt-sock. A message whose length word passes the connection's check has its header
 * decoded and, for a procedure proxyd serves, its arguments decoded into the procedure's
 * structure and freed again, as proxyd does before a handler runs; what decodes must encode
 * again, canonically. An error body is decoded too (what a client of ours would read). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "libvirt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Encodes args into a new buffer of at most cap bytes; its length in *len, NULL when it does not fit. */
static char *encode(const struct lv_proc *p, void *args, size_t cap, size_t *len)
{
	char *buf = malloc(cap + 1);
	XDR x;

	if (!buf)
		abort();
	xdrmem_create(&x, buf, cap + 1, XDR_ENCODE);
	if (!p->args_xdr(&x, args)) {
		free(buf);
		return NULL;
	}
	*len = xdr_getpos(&x);
	xdr_destroy(&x);
	return buf;
}

static void decode_args(const struct lv_proc *p, XDR *x)
{
	void *args = calloc(1, p->args_size), *again = calloc(1, p->args_size);
	size_t used, len1, len2;
	char *buf1, *buf2;
	XDR y;

	if (!args || !again)
		abort();
	if (p->args_xdr(x, args)) {
		/* What decoded encodes in no more bytes than it came in (a bool may have been any
		 * non-zero word, a string may hold a NUL that ends it as a C string: the encoding is
		 * canonical and may be shorter), and that encoding is a fixed point: decoded and encoded
		 * again it does not change. */
		used = xdr_getpos(x) - LV_HEADER_BYTES; /* x began at the header */
		buf1 = encode(p, args, used, &len1);
		if (!buf1 || len1 > used) {
			fprintf(stderr, "procedure %d: %zu bytes decoded, re-encoded in %zd\n", p->proc, used,
				buf1 ? (ssize_t)len1 : -1);
			abort();
		}
		xdrmem_create(&y, buf1, len1, XDR_DECODE);
		if (!p->args_xdr(&y, again) || !(buf2 = encode(p, again, len1, &len2)) || len2 != len1 ||
		    memcmp(buf1, buf2, len1)) {
			fprintf(stderr, "procedure %d: our own encoding is not a fixed point\n", p->proc);
			abort();
		}
		xdr_destroy(&y);
		free(buf1);
		free(buf2);
	}
	xdr_free(p->args_xdr, args);
	xdr_free(p->args_xdr, again);
	free(args);
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct lv_proc *p;
	lv_header h;
	lv_error e;
	XDR x;
	uint32_t len;

	if (size < LV_LENGTH_BYTES + LV_HEADER_BYTES)
		return 0;
	len = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 | data[3];
	if (len < LV_LENGTH_BYTES + LV_HEADER_BYTES || len > LV_MESSAGE_MAX || len > size)
		return 0; /* the connection closes on these before anything is decoded */
	xdrmem_create(&x, (char *)data + LV_LENGTH_BYTES, len - LV_LENGTH_BYTES, XDR_DECODE);
	if (!xdr_lv_header(&x, &h))
		abort(); /* 24 bytes always decode */
	p = lv_proc_lookup(h.proc);
	if (p && p->args_xdr)
		decode_args(p, &x);
	xdr_destroy(&x);

	xdrmem_create(&x, (char *)data + LV_LENGTH_BYTES + LV_HEADER_BYTES, len - LV_LENGTH_BYTES - LV_HEADER_BYTES,
		      XDR_DECODE);
	memset(&e, 0, sizeof(e));
	xdr_lv_error(&x, &e);
	xdr_free((xdrproc_t)xdr_lv_error, (char *)&e);
	xdr_destroy(&x);
	return 0;
}
