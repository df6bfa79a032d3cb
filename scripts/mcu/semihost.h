/* ARM semihosting (bkpt 0xAB: r0 the operation, r1 its argument block): file I/O and exit through the debugger, here QEMU. */
#ifndef SPARKNAS_SEMIHOST_H
#define SPARKNAS_SEMIHOST_H

#include <stddef.h>
#include <stdint.h>

#define SH_MODE_RB 1 /* fopen "rb" */
#define SH_MODE_WB 5 /* fopen "wb" */

/* A handle >= 0, or -1. */
int32_t sh_open(const char *path, int32_t mode);
int32_t sh_close(int32_t handle);
/* Bytes NOT transferred: 0 when all were. */
int32_t sh_read(int32_t handle, void *buffer, size_t length);
int32_t sh_write(int32_t handle, const void *buffer, size_t length);
void sh_write0(const char *text);
/* Ends QEMU with exit status `code`. */
void sh_exit(int32_t code) __attribute__((noreturn));

#endif
