// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Guest program for tests/cases/vm-userstack.sh (built static): fills
 * buffers in four nested stack frames with a known pattern, prints where
 * they are, then crashes the kernel itself with sysrq-c, so the task on
 * the crashing CPU is this one and its user stack holds the pattern.
 *
 *   stackcrash        prints "STACKCRASH pid=P frame=D addr=0x... len=N"
 *                     per frame, then "STACKCRASH GO", then crashes
 *
 * Pattern: 32-byte records "VMSIFT-USERSTACK D OOOOOOOOOOOO\n" (D the
 * frame depth, O the record's offset in the buffer, hex).
 */
#define _DEFAULT_SOURCE /* sync() */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FRAME_BYTES 12288u
#define DEPTH 4

static void fill(char *buf, int depth)
{
	for (unsigned off = 0; off < FRAME_BYTES; off += 32) {
		char rec[64];
		snprintf(rec, sizeof(rec), "VMSIFT-USERSTACK %c %012x\n", '0' + depth % 10, off);
		memcpy(buf + off, rec, 32);
	}
}

static void crash(void)
{
	printf("STACKCRASH GO\n");
	fflush(stdout);
	int s = open("/proc/sys/kernel/sysrq", O_WRONLY);
	if (s >= 0) {
		(void)!write(s, "1", 1);
		close(s);
	}
	sync();
	int fd = open("/proc/sysrq-trigger", O_WRONLY);
	if (fd < 0 || write(fd, "c", 1) != 1)
		perror("stackcrash: /proc/sysrq-trigger");
}

static int frame(int depth)
{
	volatile char buf[FRAME_BYTES];
	fill((char *)buf, depth);
	printf("STACKCRASH pid=%d frame=%d addr=%p len=%u\n", (int)getpid(), depth, (void *)buf, FRAME_BYTES);
	if (depth < DEPTH)
		return frame(depth + 1) + buf[depth];
	crash();
	return buf[0];
}

int main(void)
{
	return frame(1) == 0 ? 1 : 2;
}
