// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The debug file of the miniature kernel's module mod1 (tests/cases/core-config.sh,
 * tests/fuzz/erase-vmlinux.c): a relocatable object with DWARF, a type only it
 * defines, a .modinfo vermagic and a build-id note, as a kernel module's .ko has.
 * Built with gcc -g -O0 -c -fno-pic -mcmodel=kernel; -DRELEASE=... and
 * -DBUILD_ID_LAST=N make the copies of another kernel and another build.
 */
#ifndef RELEASE
#define RELEASE "6.1.0-synthetic"
#endif
#ifndef BUILD_ID_LAST
#define BUILD_ID_LAST 20   /* the id erase-vmlinux.c's mod1_mem holds: bytes 1..20 */
#endif
#define STR_(x) #x
#define STR(x) STR_(x)

struct mod_secret {
	char key[16];
	int uses;
	char *label;
};

char mod_pad[40] = "before the secrets";
struct mod_secret mod_secret = { "module-key-0123", 3, 0 };
char mod_token[24] = "module-token";

__attribute__((section(".modinfo"), used, aligned(1)))
static const char vermagic[] = "vermagic=" RELEASE " SMP mod_unload";

__asm__(".pushsection .note.gnu.build-id,\"a\",@note\n\t.balign 4\n\t.long 4, 20, 3\n\t.asciz \"GNU\"\n"
	"\t.byte 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19," STR(BUILD_ID_LAST) "\n\t.popsection");
