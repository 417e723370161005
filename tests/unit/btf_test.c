// SPDX-License-Identifier: GPL-2.0-or-later
// unit-sources: src/debuginfo/btf_parse.c src/debuginfo/btf_query.c src/util/error.c
/*
 * The BTF parser on a blob built here, in both byte orders: struct sizes,
 * member offsets (through an anonymous union), a 2x3 array's count, an
 * enum's signed value, a pointer member, a variable of a data section
 * typed, a per-CPU one typed and said to be per-CPU, an absent one
 * refused; a typedef cycle and a struct holding itself anonymously are
 * errors, not loops; every truncation, a bad magic or version, a type id
 * or name offset out of range, a data section naming a non-variable are
 * refused; randomly damaged blobs are parsed and queried within bounds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmsift/btf.h"

static int failed;

static void expect(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	failed |= !cond;
}

/* The blob under construction. */
static uint8_t blob[4096];
static size_t tlen, slen;
static uint8_t types[2048];
static char strs[512];
static int be;

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}
static void w(uint32_t v) { put32(types + tlen, v); tlen += 4; }
static uint32_t str(const char *s)
{
	if (!*s)
		return 0;
	uint32_t off = (uint32_t)slen;
	memcpy(strs + slen, s, strlen(s) + 1);
	slen += strlen(s) + 1;
	return off;
}
static void head(const char *name, unsigned kind, unsigned vlen, int kflag, uint32_t size_type)
{
	w(str(name));
	w((uint32_t)kind << 24 | vlen | (uint32_t)kflag << 31);
	w(size_type);
}

enum { INT = 1, PTR, ARRAY, STRUCT, UNION, ENUM, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, PROTO, VAR, DATASEC };

/* Type ids, in the order they are written. */
enum { T_INT = 1, T_PS, T_S, T_U, T_A23, T_A3, T_CONST, T_U8, T_UCHAR, V_GV, V_PCV, V_ARR, V_CYC, T_L1, T_L2,
       S_DATA, S_PERCPU, T_E, T_SELF, T_COUNT };

static size_t build(void)
{
	tlen = 0;
	slen = 1;
	strs[0] = 0;
	head("int", INT, 0, 0, 4); w(32);
	head("", PTR, 0, 0, T_S);
	head("s", STRUCT, 3, 0, 24);
	w(str("a")); w(T_INT); w(0);
	w(str("p")); w(T_PS); w(64);
	w(str("")); w(T_U); w(128);
	head("", UNION, 1, 0, 8);
	w(str("inner")); w(T_INT); w(0);
	head("", ARRAY, 0, 0, 0); w(T_A3); w(T_INT); w(2);
	head("", ARRAY, 0, 0, 0); w(T_CONST); w(T_INT); w(3);
	head("", CONST, 0, 0, T_U8);
	head("u8", TYPEDEF, 0, 0, T_UCHAR);
	head("unsigned char", INT, 0, 0, 1); w(8);
	head("gv", VAR, 0, 0, T_S); w(1);
	head("pcv", VAR, 0, 0, T_PS); w(1);
	head("arr", VAR, 0, 0, T_A23); w(1);
	head("cyc", VAR, 0, 0, T_L1); w(0);
	head("loop1", TYPEDEF, 0, 0, T_L2);
	head("loop2", TYPEDEF, 0, 0, T_L1);
	head(".data", DATASEC, 3, 0, 64);
	w(V_GV); w(0); w(24); w(V_ARR); w(24); w(6); w(V_CYC); w(32); w(8);
	head(".data..percpu", DATASEC, 1, 0, 8);
	w(V_PCV); w(0); w(8);
	head("e", ENUM, 2, 1, 4);
	w(str("E_A")); w(1); w(str("E_B")); w((uint32_t)-2);
	head("selfy", STRUCT, 8, 0, 8);   /* holds itself anonymously 8 times: 8^16 paths without a budget */
	for (int i = 0; i < 8; i++) {
		w(str("")); w(T_SELF); w(0);
	}
	/* header: magic, version 1, flags 0, hdr_len 24, types at 0, strings after them */
	memset(blob, 0, 24);
	blob[be ? 0 : 1] = 0xeb;
	blob[be ? 1 : 0] = 0x9f;
	blob[2] = 1;
	put32(blob + 4, 24);
	put32(blob + 8, 0);
	put32(blob + 12, (uint32_t)tlen);
	put32(blob + 16, (uint32_t)tlen);
	put32(blob + 20, (uint32_t)slen);
	memcpy(blob + 24, types, tlen);
	memcpy(blob + 24 + tlen, strs, slen);
	return 24 + tlen + slen;
}

static struct vs_btf *parse(size_t len)
{
	struct vs_btf *b = NULL;
	struct vs_err *err = vs_btf_parse(blob, len, be, 8, &b);
	if (err) {
		printf("# %s\n", err->msg);
		vs_err_free(err);
	}
	return b;
}

static void refused(size_t len, const char *want, const char *what)
{
	struct vs_btf *b = NULL;
	struct vs_err *err = vs_btf_parse(blob, len, be, 8, &b);
	char line[256];
	snprintf(line, sizeof(line), "%s: refused (%s)", what, err ? err->msg : "accepted");
	expect(err && err->code == VS_ERR_CORRUPT && strstr(err->msg, want), line);
	vs_err_free(err);
	vs_btf_free(b);
}

static void queries(struct vs_btf *b)
{
	uint64_t v = 0;
	int64_t e = 0;
	struct vs_di_type t, m;
	enum vs_btf_var_home home;
	struct vs_err *err;
	expect(vs_btf_count(b) == T_COUNT, "every record counted");
	expect(!vs_btf_size(b, "s", &v) && v == 24, "sizeof(struct s) 24");
	expect(!vs_btf_offset(b, "s", "p", &v) && v == 8, "offsetof(s, p) 8");
	expect(!vs_btf_offset(b, "s", "inner", &v) && v == 16, "offsetof(s, inner) 16, through the anonymous union");
	expect(!vs_btf_size(b, "u8", &v) && v == 1, "sizeof(u8) 1 (a typedef)");
	expect(!vs_btf_enum(b, NULL, "E_B", &e) && e == -2, "E_B -2 (signed enum)");
	expect(!vs_btf_enum(b, "e", "E_A", &e) && e == 1, "e.E_A 1");
	expect(!vs_btf_var_type(b, "gv", &t, &home) && t.flags == VS_DI_T_STRUCT && !strcmp(t.name, "s") &&
	       t.size == 24, "gv: struct s, 24 bytes");
	err = vs_btf_member_type(b, &t, "p", &v, &m);
	expect(!err && v == 8 && m.flags == (VS_DI_T_PTR | VS_DI_T_STRUCT) && !strcmp(m.name, "s") && m.size == 24,
	       "gv.p: a struct s pointer at 8");
	vs_err_free(err);
	err = vs_btf_member_type(b, &t, "inner", &v, &m);
	expect(!err && v == 16 && m.flags == VS_DI_T_BASE && m.size == 4, "gv.inner: an int at 16");
	vs_err_free(err);
	err = vs_btf_var_type(b, "arr", &t, &home);
	expect(!err && t.flags == (VS_DI_T_ARRAY | VS_DI_T_BASE) && t.count == 6 && t.size == 1 &&
	       !strcmp(t.name, "unsigned char"), "arr: 2x3 array of const u8, 6 elements of 1 byte");
	vs_err_free(err);
	err = vs_btf_var_type(b, "pcv", &t, &home);
	expect(!err && home == VS_BTF_VAR_PERCPU && t.flags == (VS_DI_T_PTR | VS_DI_T_STRUCT),
	       "pcv: a per-CPU struct s pointer, said to be per-CPU");
	vs_err_free(err);
	err = vs_btf_var_type(b, "absent", &t, &home);
	expect(err && err->code == VS_ERR_NOKEY && home == VS_BTF_NO_VAR, "absent: no variable");
	vs_err_free(err);
	err = vs_btf_var_type(b, "cyc", &t, &home);
	expect(err && err->code == VS_ERR_CORRUPT && strstr(err->msg, "cycle"), "a typedef cycle: an error, not a loop");
	vs_err_free(err);
	err = vs_btf_size(b, "loop1", &v);
	expect(err != NULL, "sizeof a cyclic typedef: an error");
	vs_err_free(err);
	err = vs_btf_struct_type(b, "s", &t);
	expect(!err && t.size == 24, "struct s by name");
	vs_err_free(err);
	err = vs_btf_member_type(b, &t, "nope", &v, &m);
	expect(err && err->code == VS_ERR_NOKEY, "no member nope");
	vs_err_free(err);
	err = vs_btf_offset(b, "selfy", "nothing", &v);
	expect(err && err->code == VS_ERR_CORRUPT, "a struct holding itself anonymously: an error, searched within bounds");
	vs_err_free(err);
	uint32_t pc, nv = vs_btf_vars(b, &pc);
	expect(nv == 4 && pc == 1, "4 variables, 1 per-CPU");
}

/* The offset of type id's record in the blob. */
static size_t rec_at(uint32_t id)
{
	static const unsigned extra[T_COUNT] = { [T_INT] = 4, [T_S] = 36, [T_U] = 12, [T_A23] = 12, [T_A3] = 12,
		[T_UCHAR] = 4, [V_GV] = 4, [V_PCV] = 4, [V_ARR] = 4, [V_CYC] = 4, [S_DATA] = 36, [S_PERCPU] = 12, [T_E] = 16,
		[T_SELF] = 96 };
	size_t at = 24;
	for (uint32_t i = 1; i < id; i++)
		at += 12 + extra[i];
	return at;
}

static void bad_blobs(void)
{
	size_t len = build();
	for (size_t n = 0; n < len - slen; n++) {
		struct vs_btf *b = NULL;
		struct vs_err *err = vs_btf_parse(blob, n, be, 8, &b);
		if (!err) {
			expect(0, "a truncated blob: refused");
			vs_btf_free(b);
			return;
		}
		vs_err_free(err);
	}
	expect(1, "every truncation before the strings: refused");
	refused(len - 1, "outside its", "the blob cut inside its strings");
	blob[len - 1] = 'x';
	refused(len, "string section does not begin and end with NUL", "a last string without its NUL");
	build();
	blob[0] ^= 1;
	refused(len, "magic", "a bad magic");
	build();
	blob[2] = 2;
	refused(len, "version 2", "version 2");
	build();
	put32(blob + rec_at(T_PS) + 8, T_COUNT + 5);
	refused(len, "past the last type", "a pointer to a type id past the last");
	build();
	put32(blob + rec_at(T_S) + 12 + 16, 1000);
	refused(len, "past the last type", "a member of a type id past the last");
	build();
	put32(blob + rec_at(T_INT), (uint32_t)slen);
	refused(len, "outside the string section", "a name offset past the strings");
	build();
	put32(blob + rec_at(S_DATA) + 12, T_INT);
	refused(len, "not a variable", "a data section naming an int");
	build();
	put32(blob + rec_at(T_INT) + 4, 31u << 24);
	refused(len, "unknown kind", "an unknown kind");
	build();
	put32(blob + 12, 0xfffffff0u);
	refused(len, "outside its", "a type section longer than the blob");
}

static void damaged(void)
{
	size_t len = build();
	uint8_t good[sizeof(blob)];
	memcpy(good, blob, len);
	srand(7);
	unsigned parsed = 0;
	for (int i = 0; i < 3000; i++) {
		memcpy(blob, good, len);
		for (int j = 0; j < 1 + i % 4; j++)
			blob[24 + (size_t)rand() % (len - 24)] ^= (uint8_t)(1 + rand() % 255);
		struct vs_btf *b = NULL;
		struct vs_err *err = vs_btf_parse(blob, len, be, 8, &b);
		if (err) {
			vs_err_free(err);
			continue;
		}
		parsed++;
		struct vs_di_type t, m;
		enum vs_btf_var_home home;
		uint64_t v;
		int64_t e;
		static const char *const vars[] = { "gv", "arr", "cyc", "pcv" };
		for (size_t k = 0; k < 4; k++) {
			vs_err_free(err = vs_btf_var_type(b, vars[k], &t, &home));
			if (!err && (t.flags & VS_DI_T_STRUCT))
				vs_err_free(vs_btf_member_type(b, &t, "inner", &v, &m));
		}
		vs_err_free(vs_btf_offset(b, "s", "inner", &v));
		vs_err_free(vs_btf_size(b, "loop1", &v));
		vs_err_free(vs_btf_enum(b, NULL, "E_B", &e));
		vs_btf_free(b);
	}
	printf("# %u of 3000 damaged blobs parsed and queried\n", parsed);
	expect(1, "damaged blobs: parsed and queried within bounds");
}

/* btf_test DIR: writes the built blob, both byte orders, as fuzz seeds (tests/fuzz/mkseeds.sh). */
static int write_seeds(const char *dir)
{
	for (be = 0; be < 2; be++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s.btf", dir, be ? "be" : "le");
		size_t len = build();
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(blob, 1, len, f) != len || fclose(f) != 0)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return write_seeds(argv[1]);
	for (be = 0; be < 2; be++) {
		printf("# %s-endian\n", be ? "big" : "little");
		struct vs_btf *b = parse(build());
		expect(b != NULL, "the built blob parses");
		if (b)
			queries(b);
		vs_btf_free(b);
		bad_blobs();
		damaged();
	}
	return failed;
}
