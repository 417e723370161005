// SPDX-License-Identifier: GPL-2.0-or-later
/* --keep-user-stack: the pfns of the user stacks of the tasks on the CPUs (userstack.c). */
#ifndef VMSIFT_USERSTACK_H
#define VMSIFT_USERSTACK_H

#include "vmsift/dump.h"
#include "keepset.h"

/*
 * Adds the pfns to ks (finished: sorted) and fills st's user_stack_* fields.
 * Refuses (VS_ERR_NOKEY) when the kernel's layout lacks what the walk needs,
 * naming the keys; a CPU whose data is inconsistent is only noted.
 */
struct vs_err *vs_user_stack_collect(struct vs_session *s, struct vs_keepset *ks, struct vs_dump_stats *st);

#endif
