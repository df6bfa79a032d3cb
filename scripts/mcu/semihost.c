/* ARM semihosting calls; see semihost.h. */
#include "semihost.h"

#define SH_SYS_OPEN 0x01
#define SH_SYS_CLOSE 0x02
#define SH_SYS_WRITE0 0x04
#define SH_SYS_WRITE 0x05
#define SH_SYS_READ 0x06
#define SH_SYS_EXIT 0x18
#define SH_SYS_EXIT_EXTENDED 0x20
#define SH_APPLICATION_EXIT 0x20026
#define SH_RUN_TIME_ERROR 0x20023

static int32_t sh_call(int32_t operation, void *argument)
{
    register int32_t r0 __asm__("r0") = operation;
    register void *r1 __asm__("r1") = argument;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static size_t sh_length(const char *text)
{
    size_t n = 0;
    while (text[n] != '\0') {
        n++;
    }
    return n;
}

int32_t sh_open(const char *path, int32_t mode)
{
    uint32_t block[3] = {(uint32_t) path, (uint32_t) mode, (uint32_t) sh_length(path)};
    return sh_call(SH_SYS_OPEN, block);
}

int32_t sh_close(int32_t handle)
{
    uint32_t block[1] = {(uint32_t) handle};
    return sh_call(SH_SYS_CLOSE, block);
}

int32_t sh_read(int32_t handle, void *buffer, size_t length)
{
    uint32_t block[3] = {(uint32_t) handle, (uint32_t) buffer, (uint32_t) length};
    return sh_call(SH_SYS_READ, block);
}

int32_t sh_write(int32_t handle, const void *buffer, size_t length)
{
    uint32_t block[3] = {(uint32_t) handle, (uint32_t) buffer, (uint32_t) length};
    return sh_call(SH_SYS_WRITE, block);
}

void sh_write0(const char *text)
{
    sh_call(SH_SYS_WRITE0, (void *) text);
}

void sh_exit(int32_t code)
{
    uint32_t block[2] = {SH_APPLICATION_EXIT, (uint32_t) code};
    sh_call(SH_SYS_EXIT_EXTENDED, block);
    /* a host without SYS_EXIT_EXTENDED: success or failure only */
    sh_call(SH_SYS_EXIT, (void *) (code == 0 ? SH_APPLICATION_EXIT : SH_RUN_TIME_ERROR));
    for (;;) {
    }
}
