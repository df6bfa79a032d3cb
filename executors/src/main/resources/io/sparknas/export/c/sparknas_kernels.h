/*
 * SparkNAS int8 inference kernels: portable C99, integer only, no allocation.
 *
 * Tensors are int8 in channel-major order ([channels][height][width]), one image at a time. Every kernel computes
 * what the Java integer reference of SparkNAS computes (executors/src/main/java/io/sparknas/export/IntegerReference.java),
 * bit for bit: int32 accumulation of (q - input_zero) * w plus the int32 bias, requantized per output channel with
 * a Q31 fixed-point multiplier and a power-of-two shift (gemmlowp's rounding), the output zero point added and the
 * result clamped to [act_min, act_max].
 */
#ifndef SPARKNAS_KERNELS_H
#define SPARKNAS_KERNELS_H

#include <stdint.h>

/* One convolution (full, pointwise or depthwise) with its quantization. */
typedef struct {
    uint16_t in_channels;
    uint16_t in_height;
    uint16_t in_width;
    uint16_t out_channels;
    uint16_t out_height;
    uint16_t out_width;
    uint8_t kernel;
    uint8_t stride;
    uint8_t pad_top;
    uint8_t pad_left;
    int32_t input_zero;
    int32_t output_zero;
    int32_t act_min;
    int32_t act_max;
    const int8_t *weights;     /* [out][in][k][k]; depthwise [channels][k][k] */
    const int32_t *bias;       /* [out], at the scale input_scale * weight_scale[c] */
    const int32_t *multiplier; /* [out], Q31 in [2^30, 2^31) */
    const int32_t *shift;      /* [out], > 0 shifts left, < 0 right */
} sn_conv_t;

/* A residual addition: both inputs rescaled to a common scale with 20 bits of headroom, summed, requantized. */
typedef struct {
    uint32_t size;
    int32_t left_zero;
    int32_t right_zero;
    int32_t output_zero;
    int32_t left_multiplier;
    int32_t left_shift;
    int32_t right_multiplier;
    int32_t right_shift;
    int32_t output_multiplier;
    int32_t output_shift;
} sn_add_t;

/* round(x * multiplier * 2^(shift - 31)) as gemmlowp computes it. */
int32_t sn_requantize(int32_t x, int32_t multiplier, int32_t shift);

/* A k x k convolution (k > 1, groups 1). scratch: two int16 columns of k*k*in_channels values (4*k*k*C_in bytes). */
void sn_conv(const sn_conv_t *p, const int8_t *input, int8_t *output, int16_t *scratch);

/* A 1 x 1 convolution (groups 1), two output channels by two pixels at a time. */
void sn_pointwise(const sn_conv_t *p, const int8_t *input, int8_t *output);

/* A depthwise k x k convolution into a separate output. */
void sn_depthwise(const sn_conv_t *p, const int8_t *input, int8_t *output);

/*
 * A depthwise k x k convolution whose output overwrites its input in `buffer`: each channel is computed into
 * `channel` (out_height * out_width bytes) and then copied to its place, which only covers channels already read.
 */
void sn_depthwise_in_place(const sn_conv_t *p, int8_t *buffer, int8_t *channel);

/* output = left + right, element-wise, each in its own quantization. */
void sn_add(const sn_add_t *p, const int8_t *left, const int8_t *right, int8_t *output);

/* Copies n bytes (the model's input into the arena, its output out of it). */
void sn_copy(int8_t *destination, const int8_t *source, uint32_t n);

#endif
