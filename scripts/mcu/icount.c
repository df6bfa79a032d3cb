/* SysTick instruction counter; see icount.h. */
#include "icount.h"

#define SYST_CSR (*(volatile uint32_t *) 0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *) 0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *) 0xE000E018u)
#define SYST_RELOAD 0x00FFFFFFu
#define SYST_PERIOD ((uint64_t) SYST_RELOAD + 1u)
#define CSR_ENABLE (1u << 0)
#define CSR_TICKINT (1u << 1)
#define CSR_CPU_CLOCK (1u << 2)

static volatile uint32_t wraps;

/* Counts the wraps of the 24-bit counter (every 671 M instructions); replaces the weak alias of startup.c. */
void SysTick_Handler(void)
{
    wraps++;
}

void icount_start(void)
{
    SYST_CSR = 0;
    SYST_RVR = SYST_RELOAD;
    SYST_CVR = 0;
    SYST_CSR = CSR_ENABLE | CSR_TICKINT | CSR_CPU_CLOCK;
    while (SYST_CVR == 0u) {
        /* the counter reads 0 until its first reload */
    }
    wraps = 0;
}

uint64_t icount_stop(void)
{
    uint32_t seen;
    uint32_t value;
    uint64_t ticks;
    do {
        seen = wraps;
        value = SYST_CVR;
    } while (seen != wraps);
    /* the interrupt fires as the counter reaches 0, so a reading of 0 belongs to a wrap already counted */
    ticks = value == 0u ? (uint64_t) seen * SYST_PERIOD - 1u : (uint64_t) seen * SYST_PERIOD + (SYST_RELOAD - value);
    SYST_CSR = 0;
    return ticks * ICOUNT_INSTRUCTIONS_PER_TICK;
}
