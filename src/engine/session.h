// SPDX-License-Identifier: GPL-2.0-or-later
/* Session internals shared by session.c and session_debuginfo.c. */
#ifndef VMSIFT_ENGINE_SESSION_H
#define VMSIFT_ENGINE_SESSION_H

#include "vmsift/dump.h"

/*
 * -x VMLINUX: merges the vmlinux's values under s->vmci (the dump's own win),
 * refuses a vmlinux of another kernel, and sets up s->kernel.
 */
struct vs_err *vs_session_debuginfo(struct vs_session *s, const char *vmlinux, const char *config);
/* --config without -x: from the dump's own BTF and kallsyms (s->kernel set up). */
struct vs_err *vs_session_config_btf(struct vs_session *s, const char *config);

#endif
