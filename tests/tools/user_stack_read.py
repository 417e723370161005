#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Read a task's user stack out of a dump with drgn, through the task's own page tables.

usage: user_stack_read.py DUMP VMLINUX PID [CONSOLE_LOG]

Finds the task PID (drgn's find_task, with the debug VMLINUX), takes its
saved user sp from the pt_regs at the top of its kernel stack (the one of
THREAD_SIZE 16/32 KiB, 0/16 bytes of padding, whose cs/ss are the user
selectors), and reads every page from sp (less the 128-byte red zone) up to
mm->env_end with access_process_vm, which walks the task's page tables in
the dump.  Prints "page VADDR SHA1" or "page VADDR FAULT" per page, then
"elfheader VADDR ok|bad|FAULT" for the page of AT_PHDR in mm->saved_auxv
(the executable's ELF header: it must start with \\x7fELF), then,
with CONSOLE_LOG, "pattern FRAME ok|bad|FAULT" for each "STACKCRASH ...
frame=D addr=A len=N" line of tests/vm/stackcrash.c (its records are
"VMSIFT-USERSTACK D OOOOOOOOOOOO\\n").  This is an independent reader: no
vmsift code.
"""
import hashlib
import re
import sys

import drgn
from drgn import FaultError, Object
from drgn.helpers.linux.mm import access_process_vm
from drgn.helpers.linux.pid import find_task

PAGE = 4096
USER_CS = (0x33, 0x23)
USER_SS = 0x2B


def user_regs(prog, task):
    size = prog.type("struct pt_regs").size
    stack = task.stack.value_()
    for thread_size in (16384, 32768):
        for pad in (0, 16):
            regs = Object(prog, "struct pt_regs *", stack + thread_size - pad - size)
            try:
                if regs.cs.value_() in USER_CS and regs.ss.value_() == USER_SS:
                    return regs
            except FaultError:
                pass
    raise RuntimeError("no user pt_regs at the top of the kernel stack")


def pattern(depth, n):
    return b"".join(b"VMSIFT-USERSTACK %d %012x\n" % (depth, off) for off in range(0, n, 32))


def main():
    dump, vmlinux, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
    prog = drgn.Program()
    prog.set_core_dump(dump)
    prog.load_debug_info([vmlinux])
    task = find_task(prog, pid)
    if not task:
        print("no task %d" % pid, file=sys.stderr)
        return 1
    sp = user_regs(prog, task).sp.value_()
    top = task.mm.env_end.value_()
    print("sp 0x%x env_end 0x%x comm %s" % (sp, top, task.comm.string_().decode()))
    va = (sp - 128) & ~(PAGE - 1)
    while va < top and va - sp < (8 << 20):
        try:
            print("page 0x%x %s" % (va, hashlib.sha1(access_process_vm(task, va, PAGE)).hexdigest()))
        except FaultError:
            print("page 0x%x FAULT" % va)
        va += PAGE
    auxv = [v.value_() for v in task.mm.saved_auxv]
    for i in range(0, len(auxv) - 1, 2):
        if auxv[i] == 3:  # AT_PHDR
            hdr = auxv[i + 1] & ~(PAGE - 1)
            try:
                ok = access_process_vm(task, hdr, 4)[:4] == b"\x7fELF"
                print("elfheader 0x%x %s" % (hdr, "ok" if ok else "bad"))
            except FaultError:
                print("elfheader 0x%x FAULT" % hdr)
    if len(sys.argv) > 4:
        for line in open(sys.argv[4], errors="replace"):
            m = re.search(r"STACKCRASH pid=(\d+) frame=(\d+) addr=0x([0-9a-f]+) len=(\d+)", line)
            if not m or int(m.group(1)) != pid:
                continue
            depth, addr, n = int(m.group(2)), int(m.group(3), 16), int(m.group(4))
            try:
                got = access_process_vm(task, addr, n)
                print("pattern %d %s" % (depth, "ok" if got == pattern(depth, n) else "bad"))
            except FaultError:
                print("pattern %d FAULT" % depth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
