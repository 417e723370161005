#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""What drgn needs at start-up, printed so that two dumps of one crash compare.

    drgn-startup.py DUMP VMLINUX

Prints every thread's tid (prog.threads()), the task on each online CPU
with its stack trace (function names), and every loaded module's name
(the kernel's module list).  A page the filter dropped shows up as a
FaultError line or a shorter trace.
"""
import sys

sys.dont_write_bytecode = True


def frames(prog, task):
    try:
        return " < ".join(f.name or hex(f.pc) for f in prog.stack_trace(task))
    except Exception as e:  # the failure is the result to compare
        return f"{type(e).__name__}: {e}"


def modules(prog):
    from drgn.helpers.linux.list import list_for_each_entry
    head = prog["modules"].address_of_()
    return sorted(m.name.string_().decode() for m in list_for_each_entry("struct module", head, "list"))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    import drgn
    from drgn.helpers.linux.cpumask import for_each_online_cpu
    from drgn.helpers.linux.percpu import per_cpu

    prog = drgn.Program()
    prog.set_core_dump(sys.argv[1])
    prog.load_debug_info([sys.argv[2]])
    tids = sorted(t.tid for t in prog.threads())
    print(f"threads {len(tids)}: {' '.join(map(str, tids))}")
    for cpu in for_each_online_cpu(prog):
        task = per_cpu(prog["runqueues"], cpu).curr
        print(f"cpu {cpu}: pid {task.pid.value_()} {task.comm.string_().decode()}: {frames(prog, task)}")
    try:
        print("modules:", " ".join(modules(prog)))
    except Exception as e:
        print(f"modules: {type(e).__name__}: {e}")


if __name__ == "__main__":
    main()
