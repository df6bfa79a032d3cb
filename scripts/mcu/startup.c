/* Vector table and reset handler of the SparkNAS Cortex-M check (QEMU mps2-an500, Cortex-M7). */
#include <stdint.h>

#include "semihost.h"

extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end, __stack_top;

int main(void);
void Reset_Handler(void);
void Default_Handler(void);
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

typedef void (*vector_t)(void);

/* The 16 system exceptions; no external interrupt is enabled. A fault ends QEMU with status 255. */
__attribute__((section(".vectors"), used)) const vector_t vector_table[16] = {
    (vector_t) &__stack_top, Reset_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, 0, 0, 0, 0, Default_Handler, Default_Handler, 0, Default_Handler, SysTick_Handler,
};

void Default_Handler(void)
{
    sh_write0("mcu check: unhandled exception\n");
    sh_exit(255);
}

void Reset_Handler(void)
{
    /* volatile, so that GCC does not turn the loops into calls to memcpy and memset */
    volatile uint32_t *destination = &__data_start;
    const uint32_t *source = &__data_load;
    while (destination < &__data_end) {
        *destination++ = *source++;
    }
    for (destination = &__bss_start; destination < &__bss_end;) {
        *destination++ = 0;
    }
#if defined(__ARM_FP)
    /* a hard-float build: enable the FPU (CPACR CP10, CP11) before any code may touch it */
    *(volatile uint32_t *) 0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    sh_exit(main());
}
