// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmsift's command line: parses makedumpfile-compatible options, runs the
 * engine, and owns every message, exit code and the progress display.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vmsift/dmesg.h"
#include "vmsift/dump.h"
#include "vmsift/erase.h"
#include "vmsift/reassemble.h"
#include "vmsift/rearrange.h"
#include "iomem.h"
#include "memusage.h"
#include "msg.h"
#include "options.h"
#include "progress.h"
#include "report.h"
#include "report_json.h"

#define EXIT_OK 0
#define EXIT_FAILED 1
#define EXIT_WRONG_RELEASE 2

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A vanished reader of -F output must give EPIPE and a message, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
}

static int finish(int code)
{
	msg_common("\n%s %s.", msg_prog(), code == EXIT_OK ? "Completed" : "Failed");
	return code;
}

static int fail(struct vs_err *err)
{
	int code = err->code == VS_ERR_RELEASE ? EXIT_WRONG_RELEASE : EXIT_FAILED;
	msg_error("%s", err->msg);
	vs_err_free(err);
	return finish(code);
}

static int invalid_command_line(void)
{
	fprintf(stderr, "Commandline parameter is invalid.\n");
	fprintf(stderr, "Try `%s --help' for more information.\n", msg_prog());
	return finish(EXIT_FAILED);
}

/* The makedumpfile release whose command line, formats and messages vmsift follows. */
#define COMPAT_MAKEDUMPFILE "1.7.2"

/*
 * Scripts read the version from "PROG: version X": under the makedumpfile
 * name X is the makedumpfile release vmsift stands in for, and the same line
 * says plainly which program and version this really is.
 */
static void print_version(void)
{
	if (strcmp(msg_prog(), "makedumpfile") == 0)
		printf("makedumpfile: version %s compatible; this is vmsift %s, not makedumpfile\n",
		       COMPAT_MAKEDUMPFILE, VMSIFT_VERSION);
	else
		printf("vmsift: version %s (makedumpfile %s compatible)\n", VMSIFT_VERSION, COMPAT_MAKEDUMPFILE);
	printf("lzo\tenabled\nsnappy\tenabled\nzstd\tenabled\n");
}

static void print_debug_info(const struct vs_session *s)
{
	if (!msg_enabled(ML_DEBUG))
		return;
	FILE *f = msg_out();
	if (s->vc->format != VS_INPUT_ELF) {
		char d[320];
		vs_vmcore_describe(s->vc, d, sizeof(d));
		fprintf(f, "\ninput: %s: %s\n%s\n", vs_vmcore_format_name(s->vc), d, s->input_note);
	}
	fprintf(f, "\nELF: class %d, machine %u, %zu PT_LOAD, %u CPU notes, notes %zu bytes\n",
		s->vc->elf_class == 2 ? 64 : 32, s->vc->machine, s->vc->nloads, s->vc->nr_cpus,
		s->vc->notes_size);
	fprintf(f, "reading with %s\n", vs_vmcore_uses_mmap(s->vc) ? "mmap windows" : "pread");
	fprintf(f, "%-4s %18s %18s %18s %18s\n", "LOAD", "phys_start", "phys_end", "virt_start", "file_offset");
	for (size_t i = 0; i < s->vc->nloads; i++) {
		const struct vs_load *l = &s->vc->loads[i];
		fprintf(f, "%-4zu %18llx %18llx %18llx %18llx\n", i, (unsigned long long)l->paddr,
			(unsigned long long)(l->paddr + l->memsz), (unsigned long long)l->vaddr,
			(unsigned long long)l->offset);
	}
	static const char *const origins[] = { "none", "from the dump's note", "from the -i file",
					       "recovered from memory" };
	fprintf(f, "\nVMCOREINFO: %s", origins[s->origin]);
	if (s->origin == VS_VMCI_RECOVERED)
		fprintf(f, " at physical 0x%llx", (unsigned long long)s->recovered_paddr);
	if (s->origin == VS_VMCI_NONE && s->recover_error)
		fprintf(f, " (%s)", s->recover_error);
	if (s->debuginfo_keys)
		fprintf(f, ", %zu more keys from -x", s->debuginfo_keys);
	fprintf(f, "\n");
	if (s->debuginfo_units)
		fprintf(f, "-x: %llu compile units, %llu names indexed in %.2f s\n",
			(unsigned long long)s->debuginfo_units, (unsigned long long)s->debuginfo_names,
			s->debuginfo_seconds);
	if (s->erase)
		fprintf(f, "--config: %zu objects, %llu bytes to erase where their pages are written\n",
			vs_erase_objects(s->erase), (unsigned long long)vs_erase_bytes(s->erase));
	if (s->erase_btf_types)
		fprintf(f, "--config: resolved without -x, from the dump's BTF (%llu types) and kallsyms\n",
			(unsigned long long)s->erase_btf_types);
	if (s->vmci) {
		fprintf(f, "\nVMCOREINFO   :\n");
		for (size_t i = 0; i < s->vmci->n; i++)
			fprintf(f, "  %s=%s\n", s->vmci->entries[i].key, s->vmci->entries[i].value);
	}
	fprintf(f, "\nkernel: %s %s, page size %llu, phys_base 0x%llx%s\n\n", s->kernel->uts.sysname,
		s->kernel->uts.release, (unsigned long long)s->kernel->page_size,
		(unsigned long long)s->kernel->phys_base,
		s->kernel->uts_from_memory ? "" : " (utsname not read from memory)");
	fflush(f);
}

static int do_vtop(struct vs_session *s, uint64_t vaddr)
{
	uint64_t paddr;
	struct vs_err *err = vs_kernel_vtop(s->kernel, vaddr, &paddr);
	if (err)
		return msg_error("--vtop: %s", err->msg), vs_err_free(err), -1;
	fprintf(msg_out(), "VIRTUAL           PHYSICAL\n%016llx  %llx\n", (unsigned long long)vaddr,
		(unsigned long long)paddr);
	return 0;
}

static struct vs_err *open_sink(const struct cli_opts *o, bool retry, struct vs_sink **sink)
{
	struct vs_err *err;
	if (o->dry_run)
		err = vs_sink_open_null(sink);
	else if (o->flatten)
		err = vs_sink_open_flat(STDOUT_FILENO, sink);
	else
		err = vs_sink_open_file(o->args[o->ninputs], o->force || retry, sink);
	if (!err)
		(*sink)->limit = o->size_limit;
	return err;
}


/*
 * Without --num-threads, compressing dumps use one worker per online CPU
 * (at most 8): the output is identical either way, and a capture kernel
 * booted with nr_cpus=1 (Debian's default) stays single-threaded.
 */
static int choose_threads(const struct cli_opts *o)
{
	if (o->num_threads_given)
		return o->num_threads;
	if (o->compress == VS_COMPRESS_NONE || o->elf_out)
		return 1;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 2 ? 1 : n > 8 ? 8 : (int)n;
}

static struct vs_dump_opts dump_opts(const struct cli_opts *o, int level, struct progress *pr)
{
	return (struct vs_dump_opts){
		.dump_level = level,
		.compress = o->compress,
		.cycle_buffer = o->non_cyclic ? UINT64_MAX / 16 : o->cyclic_buffer_kib * 1024,
		.exclude_vmemmap = o->exclude_vmemmap,
		.num_threads = o->split ? 1 : choose_threads(o),
		.threads_auto = !o->num_threads_given,
		.stop = &stop_requested,
		.progress = progress_cb,
		.progress_arg = pr,
		.private_magic = o->private_magic,
		.nprivate_magic = o->nprivate_magic,
		.keep_user_stack = o->keep_user_stack,
	};
}

/* Creates every --split piece or none: a piece that cannot be created removes the others. */
static struct vs_err *open_split_sinks(const struct cli_opts *o, struct vs_sink **sinks, int n)
{
	char *const *out = o->args + o->ninputs;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < i; k++)
			if (strcmp(out[i], out[k]) == 0)
				return vs_err_new(VS_ERR_INVALID, "the dump file %s is given twice", out[i]);
	struct vs_err *err = NULL;
	int i = 0;
	for (; !err && i < n; i++) {
		err = vs_sink_open_file(out[i], o->force, &sinks[i]);
		if (!err)
			sinks[i]->limit = o->size_limit;
	}
	for (int k = 0; err && k < i - 1; k++) {
		vs_sink_close(sinks[k], true);
		sinks[k] = NULL;
	}
	return err;
}

/* --split VMCORE D1 D2 [...]: one file per pfn range. */
static struct vs_err *dump_split(struct vs_session *s, const struct cli_opts *o, struct progress *pr,
				 struct vs_dump_stats *st, bool *ran)
{
	int n = o->nargs - o->ninputs;
	struct vs_sink **sinks = calloc((size_t)n, sizeof(*sinks));
	struct vs_err *err = sinks ? open_split_sinks(o, sinks, n) : vs_enomem;
	struct vs_dump_opts d = dump_opts(o, o->dump_levels[0], pr);
	uint64_t block = (o->splitblock_kib ? o->splitblock_kib * 1024 : 1ull << 30) >> s->kernel->page_shift;
	if (!err) {
		*ran = true;
		err = vs_dump_kdump_split(s, &d, sinks, n, block, st);
	}
	progress_end(pr);
	for (int i = 0; sinks && i < n; i++)
		vs_sink_close(sinks[i], false);
	free(sinks);
	return err;
}

/* Runs each -d level in turn while the output runs out of space. */
static struct vs_err *dump_levels(struct vs_session *s, const struct cli_opts *o,
				  struct progress *pr, struct vs_dump_stats *st, struct report_run *rr)
{
	struct vs_err *err = NULL;
	for (int i = 0; i < o->ndump_levels; i++) {
		vs_err_free(err);
		struct vs_sink *sink;
		err = open_sink(o, i > 0, &sink);
		if (err)
			return err;
		struct vs_dump_opts d = dump_opts(o, o->dump_levels[i], pr);
		rr->ran = true;
		rr->dump_level = o->dump_levels[i];
		err = o->elf_out ? vs_dump_elf(s, &d, sink, st) : vs_dump_kdump(s, &d, sink, st);
		progress_end(pr);
		rr->stream_bytes = sink->stream_bytes;
		/* A run that failed before its first byte leaves no empty file looking like a dump. */
		vs_sink_close(sink, err && vs_sink_file_empty(sink));
		bool retry = err && err->code == VS_ERR_NOSPACE && !o->flatten && i + 1 < o->ndump_levels;
		if (!retry)
			break;
		msg_common("%s; retrying with dump level %d", err->msg, o->dump_levels[i + 1]);
	}
	return err;
}

/*
 * Opens VMCORE (args[0], or the ninputs pieces of a --split set) with -i, -x
 * and --non-mmap, leaving out the physical ranges omit[] (see
 * vs_vmcore_opts), and prints the -D details.
 */
static struct vs_err *open_session_omit(const struct cli_opts *o, const struct vs_phys_range *omit,
					size_t nomit, struct vs_session **s)
{
	struct vs_session_opts so = { .vmcore_path = o->args[0], .vmcoreinfo_path = o->vmcoreinfo_in,
				      .more_paths = (const char *const *)o->args + 1,
				      .nmore = o->ninputs > 1 ? (size_t)o->ninputs - 1 : 0, .salvage = o->salvage,
				      .vmlinux_path = o->vmlinux, .config_path = o->config, .no_mmap = o->no_mmap,
				      .force_mmap = o->force_mmap, .omit = omit, .nomit = nomit };
	struct vs_err *err = vs_session_open(&so, s);
	if (err)
		return err;
	if ((*s)->origin == VS_VMCI_RECOVERED)
		msg_common("The dump has no VMCOREINFO note: using the kernel's own VMCOREINFO (%s), "
			   "recovered from its memory at physical address 0x%llx.",
			   vs_vmci_get((*s)->vmci, "OSRELEASE"), (unsigned long long)(*s)->recovered_paddr);
	const struct vs_vmcore *vc = (*s)->vc;
	if (vc->input_dropped_piece)
		msg_warn("the --split piece %s is left out, it holds no readable page (%s): its pages are lost",
			 vc->input_dropped_piece, vc->input_dropped_why);
	if (vc->input_cut_piece)
		msg_warn("the --split piece %s is cut short or marked incomplete: the pages it lacks are lost",
			 vc->input_cut_piece);
	if (vc->input_gap_pfns)
		msg_warn("no piece holds pfns 0x%llx-0x%llx%s: their pages are lost, the dump is marked incomplete",
			 (unsigned long long)vc->input_gap_pfn,
			 (unsigned long long)(vc->input_gap_pfn + vc->input_gap_pfns - 1),
			 vc->input_gap_pfns < vc->input_gap_total ? " (and more)" : "");
	if ((*s)->erase_skipped[0])
		msg_warn("--config: section [%s] skipped: no such module is loaded in the dump", (*s)->erase_skipped);
	print_debug_info(*s);
	return NULL;
}

static struct vs_err *open_session(const struct cli_opts *o, struct vs_session **s)
{
	return open_session_omit(o, NULL, 0, s);
}

/* What --report says about the dump's kernel, taken while the session is open. */
static void note_identity(const struct vs_session *s, struct report_run *rr)
{
	rr->opened = true;
	snprintf(rr->release, sizeof(rr->release), "%s", s->kernel->uts.release);
	snprintf(rr->machine, sizeof(rr->machine), "%s", s->kernel->uts.machine);
	const char *bid = s->vmci ? vs_vmci_get(s->vmci, "BUILD-ID") : NULL;
	snprintf(rr->build_id, sizeof(rr->build_id), "%s", bid ? bid : "");
	snprintf(rr->input_format, sizeof(rr->input_format), "elf%d", s->vc->elf_class == 2 ? 64 : 32);
	rr->crashtime = s->kernel->crashtime;
	rr->page_size = s->kernel->page_size;
}

/* Opens, filters and writes; returns the exit status, or leaves the error in *errp. */
static int dump_run(const struct cli_opts *o, struct report_run *rr, struct vs_dump_stats *st,
		    struct vs_err **errp)
{
	struct vs_session *s;
	struct vs_err *err = open_session(o, &s);
	if ((*errp = err))
		return EXIT_FAILED;
	note_identity(s, rr);
	if (o->have_vtop && do_vtop(s, o->vtop_addr) < 0) {
		vs_session_close(s);
		return EXIT_FAILED;
	}
	install_signals();
	struct progress pr;
	progress_init(&pr, msg_enabled(ML_PROGRESS));
	msg_debug("compressing with %d thread(s)", choose_threads(o));
	err = o->split ? dump_split(s, o, &pr, st, &rr->ran)
		       : dump_levels(s, o, &pr, st, rr);
	vs_session_close(s);
	if (err && err->code == VS_ERR_INTR)
		msg_error("interrupted by a signal");
	if (rr->ran) {  /* no statistics when no dump could even be started */
		report_self_checks(st);
		report_incomplete(st, o->flatten, o->dry_run);
		report_print(st);
	}
	if ((*errp = err))
		return EXIT_FAILED;
	if (st->lost || st->unreadable)
		return EXIT_FAILED;
	if (o->exclude_vmemmap)
		msg_common("-e: %llu vmemmap page(s) that describe only excluded memory were left out.",
			   (unsigned long long)st->excl_vmemmap);
	if (o->split)
		msg_common("The dumpfiles are saved to %d files, %s to %s.", o->nargs - o->ninputs,
			   o->args[o->ninputs], o->args[o->nargs - 1]);
	else if (!o->flatten && !o->dry_run)
		msg_common("The dumpfile is saved to %s.", o->args[o->ninputs]);
	return EXIT_OK;
}

/* The output's real size: the files on disk, or the flattened stream with its headers. */
static uint64_t output_size(const struct cli_opts *o, const struct report_run *rr)
{
	if (o->flatten || o->dry_run)
		return rr->stream_bytes;
	uint64_t total = 0;
	struct stat sb;
	for (int i = o->ninputs; i < o->nargs; i++)
		if (stat(o->args[i], &sb) == 0)
			total += (uint64_t)sb.st_size;
	return total;
}

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int do_dump(const struct cli_opts *o)
{
	double start = seconds_now();
	struct vs_dump_stats st = { 0 };
	struct report_run rr = { .o = o, .st = &st, .threads = o->split ? 1 : choose_threads(o),
				 .dump_level = o->dump_levels[0] };
	struct vs_err *err = NULL;
	int code = dump_run(o, &rr, &st, &err);
	if (err) {
		code = err->code == VS_ERR_RELEASE ? EXIT_WRONG_RELEASE : EXIT_FAILED;
		msg_error("%s", err->msg);
	}
	if (o->report_path) {
		rr.err_code = err ? err->code : 0;
		rr.err_msg = err ? err->msg : "";
		rr.elapsed = seconds_now() - start;
		rr.exit_status = code;
		rr.output_bytes = rr.ran ? output_size(o, &rr) : 0;
		struct vs_err *rerr = report_json_write(&rr);
		if (rerr) {
			msg_error("%s", rerr->msg);
			vs_err_free(rerr);
			code = code == EXIT_OK ? EXIT_FAILED : code;
		}
	}
	vs_err_free(err);
	msg_kept_free();
	return finish(code);
}

/*
 * --mem-usage: classifies every page as -d 31 would (a dump into nothing,
 * uncompressed) and prints the table; like makedumpfile, no "Completed" line.
 * On a live /proc/kcore the crash kernel's reservation is left out, as
 * makedumpfile does: a crash's /proc/vmcore never holds it.
 */
static int do_mem_usage(const struct cli_opts *o)
{
	struct vs_session *s;
	struct vs_phys_range crash[IOMEM_MAX_CRASH];
	size_t ncrash = iomem_crash_ranges(o->args[0], crash);
	struct vs_err *err = open_session_omit(o, crash, ncrash, &s);
	if (err)
		return fail(err);
	install_signals();
	struct vs_sink *sink;
	struct vs_dump_stats st = { 0 };
	struct vs_dump_opts d = { .dump_level = VS_DL_MAX, .compress = VS_COMPRESS_NONE,
				  .num_threads = 1, .stop = &stop_requested };
	err = vs_sink_open_null(&sink);
	if (!err) {
		err = vs_dump_kdump(s, &d, sink, &st);
		vs_sink_close(sink, false);
	}
	uint64_t page_size = s->kernel->page_size;
	vs_session_close(s);
	if (err)
		return fail(err);
	report_self_checks(&st);
	memusage_print(&st, page_size);
	return EXIT_OK;
}

static int do_dmesg(const struct cli_opts *o)
{
	struct vs_session *s;
	struct vs_err *err = open_session(o, &s);
	if (err)
		return fail(err);
	FILE *out = stdout;
	const char *log = o->args[o->ninputs];
	if (!o->flatten) {
		int fd = open(log, O_WRONLY | O_CREAT | O_CLOEXEC | (o->force ? O_TRUNC : O_EXCL), 0644);
		if (fd < 0 || !(out = fdopen(fd, "w"))) {
			err = errno == EEXIST ? vs_err_new(VS_ERR_INVALID, "the log file %s already exists (use -f to overwrite it)", log)
					      : vs_err_os(errno, "cannot create the log file %s", log);
			if (fd >= 0)
				close(fd);
			vs_session_close(s);
			return fail(err);
		}
	}
	unsigned long records;
	err = vs_dmesg_write(s->kernel, o->partial_dmesg, out, &records);
	if ((fflush(out) != 0 || ferror(out)) && !err)
		err = vs_err_os(errno, "writing the kernel log");
	if (out != stdout)
		fclose(out);
	vs_session_close(s);
	if (err)
		return fail(err);
	msg_debug("%lu log records", records);
	if (!o->flatten)
		msg_common("The dmesg log is saved to %s.", log);
	return finish(EXIT_OK);
}

/* A cut stream still gave a file: say how much of the dump it holds. */
static void report_recovered(const char *path, const struct vs_rearrange_stats *st)
{
	if (st->salvaged)
		msg_error("%s holds what preceded the cut, marked incomplete: %llu of %llu page(s) recovered", path,
			  (unsigned long long)st->pages_recovered, (unsigned long long)st->pages);
	if (st->salvaged && st->salvage_error[0])
		msg_warn("%s: %s", path, st->salvage_error);
	else if (st->salvage_error[0])
		msg_error("%s holds what preceded the cut, marked incomplete, but no page of it is readable (%s)",
			  path, st->salvage_error);
}

static int do_rearrange(const struct cli_opts *o)
{
	struct vs_sink *sink;
	struct vs_err *err = vs_sink_open_file(o->args[0], o->force, &sink);
	if (err)
		return fail(err);
	install_signals();  /* SIGINT/SIGTERM: stop and mark the partial file incomplete */
	struct vs_rearrange_stats st;
	err = vs_rearrange_stoppable(STDIN_FILENO, sink, &stop_requested, &st);
	/* Leave no file behind that looks like a dump when the stream was not one. */
	vs_sink_close(sink, err != NULL && st.records == 0);
	if (err && st.records)
		report_recovered(o->args[0], &st);
	if (err)
		return fail(err);
	msg_common("The dumpfile is saved to %s.", o->args[0]);
	return finish(EXIT_OK);
}

static int do_reassemble(const struct cli_opts *o)
{
	const char *out = o->args[o->nargs - 1];
	struct vs_sink *sink;
	struct vs_err *err = vs_sink_open_file(out, o->force, &sink);
	if (err)
		return fail(err);
	struct vs_reassemble_stats st;
	err = vs_reassemble((const char *const *)o->args, o->nargs - 1, sink, &st);
	vs_sink_close(sink, err && !st.pages);
	if (err)
		return fail(err);
	msg_common("The dumpfile is saved to %s.", out);
	return finish(st.incomplete ? EXIT_FAILED : EXIT_OK);
}

static struct vs_err *write_text_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return vs_err_os(errno, "cannot create the VMCOREINFO file %s", path);
	while (len) {
		ssize_t n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			struct vs_err *err = vs_err_os(n < 0 ? errno : EIO, "writing the VMCOREINFO file %s", path);
			close(fd);
			return err;
		}
		text += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0)
		return vs_err_os(errno, "writing the VMCOREINFO file %s", path);
	return NULL;
}

/*
 * -g FILE: from -x VMLINUX alone (makedumpfile's form), or the VMCOREINFO of
 * VMCORE (its note, or recovered from its memory), with -x values under it.
 */
static int do_gen_vmcoreinfo(const struct cli_opts *o)
{
	char *text = NULL;
	size_t len = 0;
	struct vs_err *err;
	if (o->nargs == 0) {
		err = vs_vmlinux_vmcoreinfo(o->vmlinux, &text, &len);
	} else {
		struct vs_session *s = NULL;
		err = open_session(o, &s);
		if (!err && !s->vmci)
			err = vs_err_new(VS_ERR_NOKEY, "%s has no VMCOREINFO%s%s", o->args[0],
					 s->recover_error ? ": " : "", s->recover_error ? s->recover_error : "");
		if (!err)
			err = vs_vmci_format(s->vmci, &text, &len);
		vs_session_close(s);
	}
	if (!err)
		err = write_text_file(o->vmcoreinfo_out, text, len);
	free(text);
	if (err)
		return fail(err);
	msg_common("The vmcoreinfo is saved to %s.", o->vmcoreinfo_out);
	return finish(EXIT_OK);
}

int main(int argc, char **argv)
{
	msg_set_prog(argv[0]);
	struct cli_opts o;
	if (cli_parse(argc, argv, &o) < 0)
		return invalid_command_line();
	/* --check-params shows its warnings whatever --message-level says, as makedumpfile's level 7 */
	/* With -F or --report -, standard output carries data: messages go to stderr. */
	bool stdout_is_data = o.flatten || (o.report_path && strcmp(o.report_path, "-") == 0);
	msg_init(o.check_params ? ML_DEFAULT : o.message_level, stdout_is_data);
	if (cli_check(&o) < 0)
		return invalid_command_line();
	if (o.check_params)
		return EXIT_OK;
	switch (o.mode) {
	case MODE_HELP:
		cli_usage();
		return EXIT_OK;
	case MODE_VERSION:
		print_version();
		return EXIT_OK;
	case MODE_REARRANGE:
		return do_rearrange(&o);
	case MODE_DUMP:
		return do_dump(&o);
	case MODE_DMESG:
		return do_dmesg(&o);
	case MODE_REASSEMBLE:
		return do_reassemble(&o);
	case MODE_GEN_VMCOREINFO:
		return do_gen_vmcoreinfo(&o);
	case MODE_MEM_USAGE:
		return do_mem_usage(&o);
	default:
		return invalid_command_line();
	}
}
