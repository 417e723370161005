#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Open a dump with one reader and print the kernel release found in it.

    read-release.py vmcoreinfo|libkdumpfile|drgn DUMP [VMLINUX]

vmcoreinfo:    OSRELEASE from the dump's VMCOREINFO (what the dumper copied)
libkdumpfile:  init_uts_ns.name.release read from dump memory, located with
               VMCOREINFO SYMBOL/OFFSET and translated by libkdumpfile
drgn:          the same through drgn; with VMLINUX via its debug info
               (prog['init_uts_ns']), which also exercises type lookup
The memory reads prove the page tables and the page itself survived
filtering.  Exit 1 (with the reason on stderr) if the reader fails.
"""
import sys

UTS_LEN = 65  # sysname, nodename, release: each char[65] in new_utsname


def vmcoreinfo(path):
    import kdumpfile

    k = kdumpfile.kdumpfile(path)
    k.attr["addrxlat.ostype"] = "linux"
    return k


def by_vmcoreinfo(path):
    raw = bytes(vmcoreinfo(path).attr["linux.vmcoreinfo.raw"]).decode()
    for line in raw.splitlines():
        if line.startswith("OSRELEASE="):
            return line.split("=", 1)[1]
    raise RuntimeError("no OSRELEASE in VMCOREINFO")


def uts_release_addr(k):
    a = k.attr
    sym = a["linux.vmcoreinfo.SYMBOL"]["init_uts_ns"]
    off = a["linux.vmcoreinfo.OFFSET"]["uts_namespace"]["name"]
    return sym + off + 2 * UTS_LEN


def cstr(b):
    return bytes(b).split(b"\0")[0].decode()


def by_libkdumpfile(path):
    import kdumpfile

    k = vmcoreinfo(path)
    return cstr(k.read(kdumpfile.KDUMP_KVADDR, uts_release_addr(k), UTS_LEN))


def by_drgn(path, vmlinux=None):
    import drgn

    prog = drgn.Program()
    prog.set_core_dump(path)
    if vmlinux:
        prog.load_debug_info([vmlinux])
        return prog["init_uts_ns"].name.release.string_().decode()
    return cstr(prog.read(uts_release_addr(vmcoreinfo(path)), UTS_LEN))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    reader, path = sys.argv[1], sys.argv[2]
    vmlinux = sys.argv[3] if len(sys.argv) == 4 else None
    fn = {"vmcoreinfo": by_vmcoreinfo, "libkdumpfile": by_libkdumpfile}.get(reader)
    try:
        if reader == "drgn":
            rel = by_drgn(path, vmlinux)
        elif fn:
            rel = fn(path)
        else:
            sys.exit(f"unknown reader {reader}")
    except Exception as e:  # any failure of the reader is the test result
        print(f"{reader}: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
    if not rel:
        print(f"{reader}: empty release", file=sys.stderr)
        sys.exit(1)
    print(rel)


if __name__ == "__main__":
    main()
