#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn one bench/run.sh output directory into a Markdown report.

    report.py DIR

Reads DIR/{machine.txt,inputs.tsv,runs.tsv,strace.tsv,skipped.tsv}: medians
per (input, workload, tool), the vmsift/makedumpfile ratios, and the issue's
targets checked against the numbers of this one run.
"""
import os
import statistics
import sys

GIB = 1 << 30
MIB = 1 << 20
WORKLOADS = {
    "1": "-l -d 31", "2": "-c -d 31", "3": "-z -d 31", "4": "-l -d 1",
    "5": "-d 31 -e --work-dir W", "6": "-E -d 31",
    "7": "--num-threads 2 -c -d 1", "8": "--num-threads 1 -c -d 1",
    "9": "--mmap -l -d 31", "10": "--num-threads 1 -l -d 31",
}


def tsv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def kv(path):
    d = {}
    for line in open(path):
        k, _, v = line.rstrip("\n").partition("=")
        d[k] = v
    return d


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


class Cell:
    """The runs of one tool on one (input, workload)."""

    def __init__(self):
        self.rows = []

    def status(self):
        bad = [r[4] for r in self.rows if r[4] != "ok"]
        return bad[0] if bad else ("ok" if self.rows else "-")

    def med(self, col):
        v = [num(r[col]) for r in self.rows if r[4] == "ok" and num(r[col]) is not None]
        return statistics.median(v) if v else None

    def spread(self, col):
        v = [num(r[col]) for r in self.rows if r[4] == "ok" and num(r[col]) is not None]
        return (min(v), max(v)) if v else (None, None)

    def cpu(self):
        v = [num(r[6]) + num(r[7]) for r in self.rows if r[4] == "ok"]
        return statistics.median(v) if v else None

    def maxcol(self, col):
        v = [num(r[col]) for r in self.rows if r[4] == "ok" and num(r[col]) is not None]
        return max(v) if v else None

    def nok(self):
        return sum(1 for r in self.rows if r[4] == "ok")


def fmt(v, nd=3):
    if v is None:
        return "–"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.{nd}f}"


def rfmt(v):
    """A ratio: two decimals, or two significant digits when small."""
    if v is None:
        return "–"
    return f"{v:.2g}" if v < 0.1 else f"{v:.2f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


class Report:
    def __init__(self, d):
        self.d = d
        self.m = kv(os.path.join(d, "machine.txt"))
        self.inputs = {r[0]: r for r in tsv(os.path.join(d, "inputs.tsv"))}
        self.order = [r[0] for r in tsv(os.path.join(d, "inputs.tsv"))]
        self.cells = {}
        for r in tsv(os.path.join(d, "runs.tsv")):
            self.cells.setdefault((r[0], r[1], r[2]), Cell()).rows.append(r)
        self.strace = {(r[0], r[1], r[2]): [int(x) for x in r[3:]]
                       for r in tsv(os.path.join(d, "strace.tsv"))}
        self.skipped = tsv(os.path.join(d, "skipped.tsv"))
        self.out = []

    def p(self, s=""):
        self.out.append(s)

    def cell(self, i, w, t):
        return self.cells.get((i, w, t), Cell())

    def base(self, tool, peer):
        key = ("-", "base", "vmsift" if tool == "vmsift" else "peer:" + peer)
        return self.strace.get(key)

    def mm(self, i, w, t):
        """(mmap+munmap, same minus the start-up baseline) or None."""
        s = self.strace.get((i, w, t))
        if not s:
            return None
        b = self.base(t, self.inputs[i][6]) or [0] * 7
        return s[0] + s[1], s[0] + s[1] - b[0] - b[1]

    def peer_note(self, i, w):
        log = os.path.join(self.d, "work", f"{i}.w{w}.peer.1.log")
        if os.path.exists(log):
            text = open(log, errors="replace").read()
            if "doesn't support zstd" in text:
                return "peer has no zstd: wrote the pages uncompressed"
        return ""

    # ---- sections -------------------------------------------------------
    def header(self):
        m = self.m
        self.p(f"Date: {m.get('date')}. Machine: {m.get('host_nproc')} cores "
               f"({m.get('cpu')}), {m.get('mem_total_gib')} GiB RAM (`free -g` total), "
               f"kernel {m.get('kernel')}.")
        self.p(f"vmsift {m.get('vmsift_version', '').replace('vmsift: ', '')} at commit "
               f"{m.get('vmsift_commit')}, built with `make vmsift`. Harness: "
               f"`{m.get('cmdline')}`, {m.get('runs')} timed runs per tool and workload, "
               f"whole harness {m.get('elapsed_s')} s.")
        self.p(f"Load average at start {m.get('loadavg_start')}, at end "
               f"{m.get('loadavg_end')} (other people's jobs share this machine; the "
               "`other` column is the CPU the rest of the machine used during the run, "
               "in cores).")
        self.p("Without `--num-threads`, vmsift compresses (`-c`, `-l`, `-z`) with one worker "
               "thread per CPU (2 here); makedumpfile compresses serially. Wall-time ratios of "
               "those rows therefore compare two cores with one; the user+sys ratio compares "
               "the work done.")
        self.p("All runs are page-cache warm: the real cores are read once with `cat` "
               "before their runs, the data extents of the generated (sparse) cores likewise, "
               "and the tools alternate (vmsift first on odd runs, makedumpfile first on even "
               "runs), so neither gets a colder cache.")
        if m.get("dump_dir"):
            self.p(f"Both tools write their dumps to {m.get('dump_dir')} (`--dump-dir`; tmpfs by "
                   "default, so that the disk's write-back state does not decide the time).")
        self.p()

    def input_table(self, i):
        inp = self.inputs[i]
        size, ram = int(inp[4]), int(inp[5])
        self.p(f"### {i}")
        self.p()
        self.p(f"vmsift reads `{inp[2]}` ({size / GIB:.2f} GiB file, "
               f"{ram / GIB:.2f} GiB of RAM described); the peer, {inp[7]} "
               f"(`{inp[6]}`), reads `{inp[3]}`.")
        self.p()
        self.p("| # | options | tool | status | wall s median (min–max) | user+sys s | "
               "peak RSS MiB | peak RssAnon MiB | output MiB | mmap | munmap | read | "
               "pread64 | other |")
        self.p("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for w, opts in WORKLOADS.items():
            if not any((i, w, t) in self.cells for t in ("vmsift", "peer")):
                continue
            for t in ("vmsift", "peer"):
                self.tool_row(i, w, opts, t)
            self.ratio_row(i, w)
        gen = self.inputs[i][1] == "gen"
        skipped = [s[1] for s in self.skipped if s[0] == i and s[1] != "-"]
        budget = skipped
        if budget:
            self.p()
            self.p("Not run here: " + ", ".join(f"{w} (`{WORKLOADS[w]}`)" for w in budget)
                   + " — left out to keep one harness run near 15 minutes (at -d 1 both tools "
                   "read every page of the machine); `bench/run.sh --full` runs them"
                   + (", and 3 runs per tool" if gen else "") + ".")
        notes = [f"{w}: {self.peer_note(i, w)}" for w in WORKLOADS if self.peer_note(i, w)]
        if notes:
            self.p()
            self.p("Notes: " + "; ".join(notes) + ".")
        self.p()

    def tool_row(self, i, w, opts, t):
        c = self.cell(i, w, t)
        why = {"8": "vmsift's one-thread reference for the threads target",
               "9": "vmsift's /proc/vmcore read path (makedumpfile has no `--mmap`)",
               "10": "the one-core scan-rate row"}
        if not c.rows and t == "peer" and w in why:
            self.p(f"| {w} | `{opts}` | makedumpfile | not run: {why[w]} | "
                   + " | ".join(["–"] * 10) + " |")
            return
        s = self.strace.get((i, w, t))
        lo, hi = c.spread(5)
        wall = f"{fmt(c.med(5))} ({fmt(lo)}–{fmt(hi)})" if c.nok() else "–"
        rss = c.med(8)
        anon = c.maxcol(9)
        size = c.med(11)
        name = "vmsift" if t == "vmsift" else "makedumpfile"
        st = c.status()
        if st.startswith("timeout"):
            st = f"timeout (> {st.partition(':')[2] or self.m.get('timeout_s')} s)"
        if st != "ok" and c.nok() == 0:
            st = f"**{st}**"
        elif c.nok():
            st = f"{st}, n={c.nok()}"
        cols = [w, f"`{opts}`", name, st, wall, fmt(c.cpu()),
                fmt(rss / 1024 if rss else None, 1), fmt(anon / 1024 if anon else None, 2),
                fmt(size / MIB if size else None, 1)]
        cols += [str(x) for x in s[:4]] if s else ["–"] * 4
        cols.append(fmt(c.maxcol(12), 2))
        self.p("| " + " | ".join(cols) + " |")

    def ratio_row(self, i, w):
        v, pe = self.cell(i, w, "vmsift"), self.cell(i, w, "peer")
        sv, sp = self.strace.get((i, w, "vmsift")), self.strace.get((i, w, "peer"))
        cols = ["", "", "ratio v/m", "", rfmt(ratio(v.med(5), pe.med(5))),
                rfmt(ratio(v.cpu(), pe.cpu())), rfmt(ratio(v.med(8), pe.med(8))),
                rfmt(ratio(v.maxcol(9), pe.maxcol(9))),
                rfmt(ratio(v.med(11), pe.med(11)))]
        for k in range(4):
            cols.append(rfmt(ratio(sv[k], sp[k])) if sv and sp else "–")
        cols.append("")
        self.p("| " + " | ".join(cols) + " |")

    def commands(self):
        self.p("### Commands")
        self.p()
        self.p("Each figure above comes from one of these, run by `bench/run.sh` "
               "(memwatch samples /proc/PID/status every 5 ms and takes wall time and "
               "wait4's rusage — the numbers `/usr/bin/time -v` prints, kept beside them "
               "in the raw data; strace runs are separate, untimed runs):")
        self.p()
        self.p("```")
        self.p("/usr/bin/time -v -o T memwatch -o S -- ./vmsift OPTIONS VMCORE DUMP")
        self.p("/usr/bin/time -v -o T memwatch -o S -- PEER OPTIONS PEER_INPUT DUMP")
        self.p("strace -c -f --seccomp-bpf -e trace=mmap,munmap,read,pread64,lseek,madvise \\")
        self.p("       -o C ./vmsift OPTIONS VMCORE DUMP          # and the same for PEER")
        self.p("```")
        self.p()
        self.p("with OPTIONS the workload's options column (W = a scratch directory: "
               "makedumpfile's `-e` requires `--work-dir`, vmsift accepts and ignores it), "
               "VMCORE/PEER/PEER_INPUT as given per input.")
        self.p()

    # ---- targets --------------------------------------------------------
    def targets(self):
        self.p("## Targets (this run)")
        self.p()
        self.p("| target | measured | met? |")
        self.p("|---|---|---|")
        self.target_speed()
        self.target_scan()
        self.target_mmap()
        self.target_threads()
        self.target_vmemmap()
        self.target_memory()
        self.p()

    def row(self, what, measured, ok):
        verdict = "–" if ok is None else ("yes" if ok else "**no**")
        self.p(f"| {what} | {measured} | {verdict} |")

    def target_speed(self):
        for w in ("1", "2"):
            parts, oks = [], []
            for i in self.order:
                if self.inputs[i][1] != "real":
                    continue
                r = ratio(self.cell(i, w, "vmsift").med(5), self.cell(i, w, "peer").med(5))
                if r is not None:
                    parts.append(f"{i}: {r:.2f}x")
                    oks.append(r <= 0.5)
            self.row(f"`{WORKLOADS[w]}` on real vmcores: vmsift wall <= 0.5x makedumpfile",
                     ", ".join(parts) or "not measured", all(oks) if oks else None)

    def target_scan(self):
        i = "gen-256g"
        if i not in self.inputs:
            self.row("scan rate on the generated 256 GiB machine, -d 31, one core: >= 50 GiB/s",
                     "not measured (no gen-256g input)", None)
            return
        ram = int(self.inputs[i][5]) / GIB
        parts, ok = [], None
        for w in ("10", "1", "2", "3", "9"):
            c = self.cell(i, w, "vmsift")
            wall = c.med(5)
            if wall:
                rate = ram / wall
                cpu = c.cpu()
                parts.append(f"`{WORKLOADS[w]}` {rate:.1f} GiB/s (wall {wall:.2f} s"
                             + (f", {ram / cpu:.1f} GiB per CPU-second" if cpu else "") + ")")
                if w == "10" or (w == "1" and ok is None):
                    ok = rate >= 50
        self.row(f"scan rate on {i} ({ram:.0f} GiB described), -d 31, one core: >= 50 GiB/s "
                 "(judged on `--num-threads 1 -l -d 31`, else `-l -d 31`)",
                 "; ".join(parts) or "not measured", ok)

    def target_vmemmap(self):
        rows = tsv(os.path.join(self.d, "echeck.tsv"))
        if not rows:
            self.row("`-e` on the generated machines: pages drop by exactly the truth's "
                     "excludable vmemmap pages, no slower", "not measured", None)
            return
        parts, oks = [], []
        for i, want, unused, rem0, rem1, w0, w1 in rows:
            exact = int(want) == int(unused) == int(rem0) - int(rem1)
            t0, t1 = num(w0), num(w1)
            slower = t0 is None or t1 is None or t1 > t0 * 1.05
            parts.append(f"{i}: truth {want}, vmsift left out {unused}, remaining pages "
                         f"{rem0} -> {rem1} (drop {int(rem0) - int(rem1)}); `-l -d 31` {w0} s, "
                         f"with `-e` {w1} s")
            oks.append(exact and not slower)
        self.row("`-e` on the generated machines: dumped pages drop by exactly the truth's "
                 "excludable vmemmap pages, and the run is no slower (median of 3, 5 % margin)",
                 "<br>".join(parts), all(oks))

    def target_mmap(self):
        """Judged where makedumpfile maps the core at all: on QEMU cores its
        PT_LOAD offsets are not page-aligned and it reads every page.  vmsift's
        side is workload 9 (`--mmap`): it maps windows on /proc/vmcore only and
        reads a saved core with pread (workload 1)."""
        parts, oks = [], []
        for i in self.order:
            gib = int(self.inputs[i][4]) / GIB
            v, pe = self.mm(i, "9", "vmsift"), self.mm(i, "1", "peer")
            if not v or not pe:
                continue
            sv, sp = self.strace[(i, "9", "vmsift")], self.strace[(i, "1", "peer")]
            io_v = sv[0] + sv[1] + sv[2] + sv[3]
            io_p = sp[0] + sp[1] + sp[2] + sp[3]
            text = (f"{i}: vmsift {v[1] / gib:.1f}/GiB vs makedumpfile {pe[1] / gib:.1f}/GiB "
                    f"(raw {v[0]} vs {pe[0]})")
            if pe[1] > 10:
                r = v[1] / pe[1]
                text += f", ratio {r:.2f}"
                oks.append(r <= 0.1)
            else:
                text += (" — not judged: makedumpfile reads this core with read(2) "
                         f"(mmap+munmap+read+pread64: {io_v} vs {io_p})")
            parts.append(text)
        self.row("mmap+munmap per GiB of vmcore at `-l -d 31` <= 1/10 of makedumpfile's "
                 "(vmsift with `--mmap`, the path it takes on /proc/vmcore; start-up calls of "
                 "the loader subtracted, per GiB of vmcore file)",
                 "<br>".join(parts) or "not measured", all(oks) if oks else None)

    def target_threads(self):
        i = "real-4g-6.1"
        one, two = self.cell(i, "8", "vmsift"), self.cell(i, "7", "vmsift")
        if not one.rows or not two.rows:
            self.row("`--num-threads 2 -c -d 1` on the 4 GiB core >= 1.7x `--num-threads 1`",
                     "not measured", None)
            return
        if two.nok() == 0:
            self.row("`--num-threads 2 -c -d 1` on the 4 GiB core >= 1.7x `--num-threads 1`",
                     f"vmsift with 2 threads: {two.status()}", False)
            return
        s = ratio(one.med(5), two.med(5))
        pe1, pe2 = self.cell(i, "8", "peer"), self.cell(i, "7", "peer")
        ps = ratio(pe1.med(5), pe2.med(5))
        par1, par2 = ratio(one.cpu(), one.med(5)), ratio(two.cpu(), two.med(5))
        other = max(two.maxcol(12) or 0, one.maxcol(12) or 0)
        if ps:
            peer = f"makedumpfile {ps:.2f}x"
        elif pe2.nok():
            peer = (f"makedumpfile `--num-threads 2` took {pe2.med(5):.1f} s "
                    f"(CPU/wall {ratio(pe2.cpu(), pe2.med(5)):.2f})")
        else:
            peer = ("makedumpfile `--num-threads 2`: "
                    + pe2.status().replace("timeout:", "timeout > ") + " s")
        self.row("`--num-threads 2 -c -d 1` on the 4 GiB core >= 1.7x `--num-threads 1`",
                 f"vmsift {s:.2f}x ({one.med(5):.2f} s -> {two.med(5):.2f} s; CPU/wall "
                 f"{par1:.2f} -> {par2:.2f}; other load up to {other:.2f} cores); {peer}",
                 s >= 1.7)

    def target_memory(self):
        per = {}
        for (i, w, t), c in self.cells.items():
            a = c.maxcol(9)
            if t == "vmsift" and a is not None and (i not in per or a > per[i][0]):
                per[i] = (a, w)
        if not per:
            self.row("peak RssAnon < 32 MiB on every workload", "not measured", None)
            return
        worst = max(a for a, _ in per.values())
        text = ", ".join(f"{i} {a / 1024:.1f} MiB (`{WORKLOADS[w]}`)"
                         for i, (a, w) in sorted(per.items(), key=lambda kv: self.order.index(kv[0])))
        self.row("peak anonymous memory (RssAnon, sampled every 5 ms) < 32 MiB on every "
                 "workload", "largest per input: " + text, worst < 32 * 1024)

    def render(self):
        self.header()
        self.p("## Results per input")
        self.p()
        for i in self.order:
            self.input_table(i)
        gone = [s for s in self.skipped if s[1] == "-"]
        if gone:
            self.p("Inputs not available in this run: " + ", ".join(s[0] for s in gone) + ".")
            self.p()
        self.commands()
        self.targets()
        return "\n".join(self.out)


if __name__ == "__main__":
    print(Report(sys.argv[1]).render())
