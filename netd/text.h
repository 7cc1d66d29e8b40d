/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Generated text (nft scripts, dnsmasq configs), one line at a time. */
#pragma once

#include "util.h"

/* Appends the formatted line and a newline to *buf (NULL: a new text). */
void netd_text_line(char **buf, const char *fmt, ...) _printf_(2, 3);
