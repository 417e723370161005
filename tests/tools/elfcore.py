# SPDX-License-Identifier: GPL-2.0-or-later
"""What the per-architecture core surgery tools (arm64core.py, rv64core.py,
s390xcore.py) share: reading an ELF64 vmcore of either byte order (program
headers, the VMCOREINFO note, file offsets of physical addresses),
rewriting the entries of a page table in every copy of it, and the command
line."""
import struct
import sys


def order(data):
    """struct's byte-order prefix for the core (e_ident[EI_DATA])."""
    return ">" if data[5] == 2 else "<"


def phdrs(data):
    o = order(data)
    phoff, = struct.unpack_from(o + "Q", data, 32)
    phentsize, phnum = struct.unpack_from(o + "HH", data, 54)
    for i in range(phnum):
        yield struct.unpack_from(o + "IIQQQQQQ", data, phoff + i * phentsize)


def vmcoreinfo(data):
    o = order(data)
    for p_type, _, off, _, _, filesz, _, _ in phdrs(data):
        if p_type != 4:  # PT_NOTE
            continue
        pos = off
        while pos + 12 <= off + filesz:
            namesz, descsz, _ = struct.unpack_from(o + "III", data, pos)
            name = data[pos + 12:pos + 12 + namesz].rstrip(b"\0")
            desc = pos + 12 + (namesz + 3) // 4 * 4
            if name == b"VMCOREINFO":
                return data[desc:desc + descsz].decode()
            pos = desc + (descsz + 3) // 4 * 4
    sys.exit("no VMCOREINFO note")


def key(text, name, default=None):
    for line in text.splitlines():
        if line.startswith(name + "="):
            return line.split("=", 1)[1]
    if default is None:
        sys.exit("no " + name)
    return default


def file_offsets(data, paddr):
    """Every copy: the kernel-image PT_LOAD duplicates part of RAM."""
    offs = [off + paddr - pa for p_type, _, off, _, pa, filesz, _, _ in phdrs(data)
            if p_type == 1 and pa <= paddr < pa + filesz]
    if not offs:
        sys.exit("physical 0x%x is not in the file" % paddr)
    return offs


def ram_end(data):
    return max(pa + memsz for t, _, _, _, pa, _, memsz, _ in phdrs(data) if t == 1)


def rewrite_table(f, data, paddr, count, change):
    """Calls change(i, entry) for the count 8-byte entries of the table at
    paddr, copy after copy, and writes back each value it returns (None
    leaves the entry)."""
    o = order(data)
    for at in file_offsets(data, paddr):
        for i in range(count):
            e, = struct.unpack_from(o + "Q", data, at + i * 8)
            new = change(i, e)
            if new is not None:
                f.seek(at + i * 8)
                f.write(struct.pack(o + "Q", new))


def main(doc, verb, patch):
    """TOOL vmcoreinfo CORE, or TOOL VERB CORE HOW (patch(CORE, HOW))."""
    if sys.argv[1] == "vmcoreinfo":
        with open(sys.argv[2], "rb") as f:
            sys.stdout.write(vmcoreinfo(f.read()))
    elif sys.argv[1] == verb:
        patch(sys.argv[2], sys.argv[3])
    else:
        sys.exit(doc)
