/*
 * Host check of a generated SparkNAS model: runs every check image of check/inputs.bin through
 * sparknas_model_run and compares each output byte with check/expected.bin (the Java integer reference's).
 * Usage: host_check EXPORT_DIR; prints one summary line, exits 0 only when every output byte matched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static long read_file(const char *dir, const char *name, int8_t **data)
{
    char path[4096];
    FILE *file;
    long size;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    file = fopen(path, "rb");
    if (file == NULL) {
        fprintf(stderr, "host_check: cannot open %s\n", path);
        exit(2);
    }
    fseek(file, 0, SEEK_END);
    size = ftell(file);
    fseek(file, 0, SEEK_SET);
    *data = malloc(size > 0 ? (size_t) size : 1u);
    if (*data == NULL || fread(*data, 1, (size_t) size, file) != (size_t) size) {
        fprintf(stderr, "host_check: cannot read %s\n", path);
        exit(2);
    }
    fclose(file);
    return size;
}

int main(int argc, char **argv)
{
    int8_t *inputs;
    int8_t *expected;
    int8_t output[SPARKNAS_OUTPUT_BYTES];
    long images;
    long image;
    long mismatches = 0;
    if (argc != 2) {
        fprintf(stderr, "usage: host_check EXPORT_DIR\n");
        return 2;
    }
    images = read_file(argv[1], "check/inputs.bin", &inputs) / SPARKNAS_INPUT_BYTES;
    if (read_file(argv[1], "check/expected.bin", &expected) != images * SPARKNAS_OUTPUT_BYTES || images == 0) {
        fprintf(stderr, "host_check: check/expected.bin does not hold one output per input image\n");
        return 2;
    }
    for (image = 0; image < images; image++) {
        long i;
        sparknas_model_run(inputs + image * SPARKNAS_INPUT_BYTES, output);
        for (i = 0; i < SPARKNAS_OUTPUT_BYTES; i++) {
            mismatches += output[i] != expected[image * SPARKNAS_OUTPUT_BYTES + i];
        }
    }
    printf("host check: %ld images, %ld output bytes, %ld differ from the Java reference\n", images,
           images * (long) SPARKNAS_OUTPUT_BYTES, mismatches);
    free(inputs);
    free(expected);
    return mismatches == 0 ? 0 : 1;
}
