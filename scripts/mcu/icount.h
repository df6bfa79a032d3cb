/*
 * Instructions executed by a code region under QEMU: run it with `-icount shift=0`, which advances the virtual clock
 * 1 ns per instruction; SysTick counts the 25 MHz CPU clock of mps2-an500, so one tick is 40 instructions. Exact to
 * one tick (measured against loops of known length: within -23 to +12 instructions). QEMU is not cycle-accurate:
 * this is an instruction count, not a latency.
 */
#ifndef SPARKNAS_ICOUNT_H
#define SPARKNAS_ICOUNT_H

#include <stdint.h>

#define ICOUNT_INSTRUCTIONS_PER_TICK 40u

void icount_start(void);
/* Instructions since icount_start(). */
uint64_t icount_stop(void);

#endif
