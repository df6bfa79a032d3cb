/*
 * The SparkNAS Cortex-M check: runs a generated model on every image of check/inputs.bin (read through semihosting,
 * paths relative to QEMU's working folder, the export folder), compares each output with check/expected.bin (the
 * Java integer reference's), writes the outputs to check/actual.bin and counts the instructions of one inference.
 * Prints one summary line; exits 0 only when every output byte matched.
 */
#include <stdint.h>

#include "icount.h"
#include "model.h"
#include "semihost.h"

static int8_t input[SPARKNAS_INPUT_BYTES];
static int8_t output[SPARKNAS_OUTPUT_BYTES];
static int8_t expected[SPARKNAS_OUTPUT_BYTES];

/* Decimal text of n into buffer (at least 21 bytes); returns the start of the digits. */
static char *decimal(uint64_t n, char *buffer)
{
    char *end = buffer + 20;
    *end = '\0';
    do {
        *--end = (char) ('0' + n % 10u);
        n /= 10u;
    } while (n != 0u);
    return end;
}

static void say(const char *text)
{
    sh_write0(text);
}

static void say_number(uint64_t n)
{
    char buffer[21];
    sh_write0(decimal(n, buffer));
}

int main(void)
{
    int32_t inputs = sh_open("check/inputs.bin", SH_MODE_RB);
    int32_t references = sh_open("check/expected.bin", SH_MODE_RB);
    int32_t actual = sh_open("check/actual.bin", SH_MODE_WB);
    uint32_t images = 0;
    uint32_t differ = 0;
    uint64_t instructions = 0;
    uint32_t i;
    if (inputs < 0 || references < 0 || actual < 0) {
        say("mcu check: cannot open check/inputs.bin, check/expected.bin or check/actual.bin\n");
        return 2;
    }
    while (sh_read(inputs, input, sizeof input) == 0) {
        if (sh_read(references, expected, sizeof expected) != 0) {
            say("mcu check: check/expected.bin holds fewer outputs than check/inputs.bin has images\n");
            return 2;
        }
        if (images == 0) {
            icount_start();
            sparknas_model_run(input, output);
            instructions = icount_stop();
        } else {
            sparknas_model_run(input, output);
        }
        for (i = 0; i < SPARKNAS_OUTPUT_BYTES; i++) {
            differ += output[i] != expected[i];
        }
        sh_write(actual, output, sizeof output);
        images++;
    }
    sh_close(inputs);
    sh_close(references);
    sh_close(actual);
    say("mcu check: ");
    say_number(images);
    say(" images, ");
    say_number((uint64_t) images * SPARKNAS_OUTPUT_BYTES);
    say(" output bytes, ");
    say_number(differ);
    say(" differ from the Java reference; ");
    say_number(instructions);
    say(" instructions per inference\n");
    return images > 0 && differ == 0 ? 0 : 1;
}
