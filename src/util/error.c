// SPDX-License-Identifier: GPL-2.0-or-later
#include "vmsift/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	struct vs_err err;
	char text[sizeof("out of memory")];
} enomem_storage = { { VS_ERR_NOMEM, ENOMEM }, "out of memory" };

struct vs_err *const vs_enomem = &enomem_storage.err;

static struct vs_err *err_vformat(enum vs_code code, int errnum, const char *prefix,
				  const char *suffix, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (len < 0)
		len = 0;
	size_t plen = prefix ? strlen(prefix) : 0;
	size_t slen = suffix ? strlen(suffix) : 0;
	struct vs_err *err = malloc(sizeof(*err) + plen + (size_t)len + slen + 1);
	if (!err)
		return vs_enomem;
	err->code = code;
	err->errnum = errnum;
	char *p = err->msg;
	if (plen)
		memcpy(p, prefix, plen);
	vsnprintf(p + plen, (size_t)len + 1, fmt, ap);
	if (slen)
		memcpy(p + plen + (size_t)len, suffix, slen + 1);
	return err;
}

struct vs_err *vs_err_new(enum vs_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct vs_err *err = err_vformat(code, 0, NULL, NULL, fmt, ap);
	va_end(ap);
	return err;
}

struct vs_err *vs_err_os(int errnum, const char *fmt, ...)
{
	enum vs_code code = VS_ERR_OS;
	if (errnum == ENOSPC || errnum == EDQUOT || errnum == EFBIG)
		code = VS_ERR_NOSPACE;
	else if (errnum == EPIPE)
		code = VS_ERR_PIPE;
	else if (errnum == ENOMEM)
		code = VS_ERR_NOMEM;
	else if (errnum == EINTR)
		code = VS_ERR_INTR;
	char suffix[160];
	snprintf(suffix, sizeof(suffix), ": %s", strerror(errnum));
	va_list ap;
	va_start(ap, fmt);
	struct vs_err *err = err_vformat(code, errnum, NULL, suffix, fmt, ap);
	va_end(ap);
	return err;
}

struct vs_err *vs_err_wrap(struct vs_err *err, const char *fmt, ...)
{
	if (!err || err == vs_enomem)
		return err;
	char prefix[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix) - 2, fmt, ap);
	va_end(ap);
	strcat(prefix, ": ");
	struct vs_err *wrapped = vs_err_new(err->code, "%s%s", prefix, err->msg);
	if (wrapped != vs_enomem)
		wrapped->errnum = err->errnum;
	vs_err_free(err);
	return wrapped;
}

void vs_err_free(struct vs_err *err)
{
	if (err && err != vs_enomem)
		free(err);
}

struct vs_err *vs_err_optional(struct vs_err *err, bool *found)
{
	if (found)
		*found = !err;
	if (err && err->code == VS_ERR_NOKEY) {
		vs_err_free(err);
		return NULL;
	}
	return err;
}
