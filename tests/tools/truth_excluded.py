#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""From a tests/gen truth file, print the pfn ranges the 2nd bitmap must lack at a dump level.

usage: truth_excluded.py TRUTH LEVEL

Output: "START COUNT" lines (compare_elf.py --expect-excluded). Zero pages are
not listed: in the kdump format they stay in the 2nd bitmap and share one
stored zero page.
"""
import sys

CACHE = {"cache", "swapcache", "filethp"}
USER = {"anon", "thp", "hugetlb"}


def excluded_kinds(level):
    kinds = {"hwpoison", "offline"}
    if level & 6:
        kinds |= CACHE
    if level & 4:
        kinds |= {"cache_private"}
    if level & 8:
        kinds |= USER
    if level & 16:
        kinds |= {"free"}
    return kinds


def main():
    truth, level = sys.argv[1], int(sys.argv[2])
    kinds = excluded_kinds(level)
    run_start = run_end = None
    out = []
    with open(truth) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            start, count, kind = line.split()
            start, count = int(start), int(count)
            if kind not in kinds:
                continue
            if run_end == start:
                run_end += count
            else:
                if run_start is not None:
                    out.append((run_start, run_end - run_start))
                run_start, run_end = start, start + count
    if run_start is not None:
        out.append((run_start, run_end - run_start))
    for s, c in out:
        print(s, c)


if __name__ == "__main__":
    main()
