/*
 * SparkNAS int8 inference kernels; see sparknas_kernels.h. Written for clarity first: the loops are those of the
 * Java reference, with bounds and zero points hoisted out of the inner loops (the input zero point enters once per
 * output as its product with the weight sum, interior depthwise taps skip the bounds); the k x k convolution (im2col
 * into two int16 columns, as CMSIS-NN does) and the pointwise convolution compute two output channels by two pixels
 * per pass, so each weight and input value loaded serves two multiply-accumulates. Measured under QEMU on a default
 * run's final model (docs/benchmarks.md): 5.16 instructions per MAC one pixel or channel at a time, 5.27 with blocks
 * of four channels by two pixels (Thumb-2 runs out of registers and spills the accumulators), 4.46 as written.
 */
#include "sparknas_kernels.h"

#define SN_ADD_LEFT_SHIFT 20

/* gemmlowp's SaturatingRoundingDoublingHighMul: round(a * b / 2^31), saturated for INT32_MIN * INT32_MIN. */
static int32_t sn_high_mul(int32_t a, int32_t b)
{
    int64_t product;
    int64_t nudge;
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    product = (int64_t) a * (int64_t) b;
    nudge = product >= 0 ? ((int64_t) 1 << 30) : (1 - ((int64_t) 1 << 30));
    return (int32_t) ((product + nudge) / ((int64_t) 1 << 31));
}

/* gemmlowp's RoundingDivideByPOT: x / 2^exponent rounded half away from zero, exponent in [0, 31]. */
static int32_t sn_rounding_divide(int32_t x, int32_t exponent)
{
    int32_t mask = (int32_t) ((((uint32_t) 1) << exponent) - 1u);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

static int32_t sn_requantize_inline(int32_t x, int32_t multiplier, int32_t shift)
{
    int32_t left = shift > 0 ? shift : 0;
    int32_t right = shift > 0 ? 0 : -shift;
    return sn_rounding_divide(sn_high_mul((int32_t) ((uint32_t) x << left), multiplier), right);
}

int32_t sn_requantize(int32_t x, int32_t multiplier, int32_t shift)
{
    return sn_requantize_inline(x, multiplier, shift);
}

static int8_t sn_output(const sn_conv_t *p, int32_t acc, int c)
{
    int32_t level = sn_requantize_inline(acc, p->multiplier[c], p->shift[c]) + p->output_zero;
    if (level < p->act_min) {
        level = p->act_min;
    } else if (level > p->act_max) {
        level = p->act_max;
    }
    return (int8_t) level;
}

/* Writes the four outputs of a block: channels oc and other at pixels pixel and next, accumulators a (first pixel)
 * and b (second), 0 for channel oc and 1 for other. */
static void sn_store_block(const sn_conv_t *p, int8_t *output, int32_t pixels, int32_t oc, int32_t other,
                           int32_t pixel, int32_t next, int32_t a0, int32_t b0, int32_t a1, int32_t b1)
{
    output[oc * pixels + pixel] = sn_output(p, a0, oc);
    output[oc * pixels + next] = sn_output(p, b0, oc);
    output[other * pixels + pixel] = sn_output(p, a1, other);
    output[other * pixels + next] = sn_output(p, b1, other);
}

/* Fills one im2col column for output pixel (y, x): every (channel, ky, kx) input less its zero point, 0 in padding. */
static void sn_column(const sn_conv_t *p, const int8_t *input, int y, int x, int16_t *column)
{
    int k = p->kernel;
    int ic;
    int ky;
    int kx;
    int top = y * p->stride - p->pad_top;
    int left = x * p->stride - p->pad_left;
    for (ic = 0; ic < p->in_channels; ic++) {
        const int8_t *plane = input + (int32_t) ic * p->in_height * p->in_width;
        for (ky = 0; ky < k; ky++) {
            int iy = top + ky;
            for (kx = 0; kx < k; kx++) {
                int ix = left + kx;
                int inside = iy >= 0 && iy < p->in_height && ix >= 0 && ix < p->in_width;
                *column++ = (int16_t) (inside ? plane[iy * p->in_width + ix] - p->input_zero : 0);
            }
        }
    }
}

void sn_conv(const sn_conv_t *p, const int8_t *input, int8_t *output, int16_t *scratch)
{
    int32_t depth = (int32_t) p->kernel * p->kernel * p->in_channels;
    int32_t pixels = (int32_t) p->out_height * p->out_width;
    int16_t *first = scratch;
    int16_t *second = scratch + depth;
    int32_t pixel;
    int oc;
    int32_t j;
    for (pixel = 0; pixel < pixels; pixel += 2) {
        /* an odd last pixel computes its column twice and writes once */
        int32_t next = pixel + 1 < pixels ? pixel + 1 : pixel;
        sn_column(p, input, pixel / p->out_width, pixel % p->out_width, first);
        sn_column(p, input, next / p->out_width, next % p->out_width, second);
        for (oc = 0; oc < p->out_channels; oc += 2) {
            /* two output channels per pass over the two columns; an odd last channel is computed twice */
            int32_t other = oc + 1 < p->out_channels ? oc + 1 : oc;
            const int8_t *w0 = p->weights + (int32_t) oc * depth;
            const int8_t *w1 = p->weights + other * depth;
            int32_t a0 = p->bias[oc], b0 = p->bias[oc], a1 = p->bias[other], b1 = p->bias[other];
            for (j = 0; j < depth; j++) {
                int32_t x = first[j];
                int32_t y = second[j];
                a0 += w0[j] * x;
                b0 += w0[j] * y;
                a1 += w1[j] * x;
                b1 += w1[j] * y;
            }
            sn_store_block(p, output, pixels, oc, other, pixel, next, a0, b0, a1, b1);
        }
    }
}

void sn_pointwise(const sn_conv_t *p, const int8_t *input, int8_t *output)
{
    int32_t in_plane = (int32_t) p->in_height * p->in_width;
    int32_t pixels = (int32_t) p->out_height * p->out_width;
    int channels = p->in_channels;
    int oc;
    int32_t pixel;
    int ic;
    for (oc = 0; oc < p->out_channels; oc += 2) {
        /* two output channels per pass over the input; an odd last channel is computed twice */
        int32_t other = oc + 1 < p->out_channels ? oc + 1 : oc;
        const int8_t *w0 = p->weights + (int32_t) oc * channels;
        const int8_t *w1 = p->weights + other * channels;
        int32_t sum0 = 0;
        int32_t sum1 = 0;
        int32_t base0;
        int32_t base1;
        for (ic = 0; ic < channels; ic++) {
            sum0 += w0[ic];
            sum1 += w1[ic];
        }
        /* the sum of w * (q - z) is the sum of w * q less z times the sum of w: z leaves the inner loop */
        base0 = p->bias[oc] - p->input_zero * sum0;
        base1 = p->bias[other] - p->input_zero * sum1;
        for (pixel = 0; pixel < pixels; pixel += 2) {
            /* two pixels at a time; an odd last pixel is computed twice and written once */
            int32_t next = pixel + 1 < pixels ? pixel + 1 : pixel;
            const int8_t *in0 = input + (pixel / p->out_width) * p->stride * p->in_width
                + (pixel % p->out_width) * p->stride;
            const int8_t *in1 = input + (next / p->out_width) * p->stride * p->in_width
                + (next % p->out_width) * p->stride;
            int32_t a0 = base0, b0 = base0, a1 = base1, b1 = base1;
            for (ic = 0; ic < channels; ic++) {
                int32_t x = *in0;
                int32_t y = *in1;
                in0 += in_plane;
                in1 += in_plane;
                a0 += w0[ic] * x;
                b0 += w0[ic] * y;
                a1 += w1[ic] * x;
                b1 += w1[ic] * y;
            }
            sn_store_block(p, output, pixels, oc, other, pixel, next, a0, b0, a1, b1);
        }
    }
}

/* One channel of a depthwise convolution: plane (in_height x in_width) to out (out_height x out_width). */
static void sn_depthwise_channel(const sn_conv_t *p, int c, const int8_t *plane, int8_t *out)
{
    int k = p->kernel;
    const int8_t *w = p->weights + (int32_t) c * k * k;
    int y;
    int x;
    int ky;
    int kx;
    int32_t full = 0;
    for (ky = 0; ky < k * k; ky++) {
        full += w[ky];
    }
    for (y = 0; y < p->out_height; y++) {
        int top = y * p->stride - p->pad_top;
        int ky_from = top < 0 ? -top : 0;
        int ky_to = top + k > p->in_height ? p->in_height - top : k;
        for (x = 0; x < p->out_width; x++) {
            int left = x * p->stride - p->pad_left;
            int kx_from = left < 0 ? -left : 0;
            int kx_to = left + k > p->in_width ? p->in_width - left : k;
            /* the sum of w * (q - z) over the taps inside the image: z times their weight sum leaves the loop */
            int32_t taps = 0;
            int32_t acc = 0;
            if (ky_from == 0 && ky_to == k && kx_from == 0 && kx_to == k) {
                const int8_t *row = plane + top * p->in_width + left;
                const int8_t *weights = w;
                for (ky = 0; ky < k; ky++) {
                    for (kx = 0; kx < k; kx++) {
                        acc += (int32_t) weights[kx] * row[kx];
                    }
                    row += p->in_width;
                    weights += k;
                }
                taps = full;
            } else {
                for (ky = ky_from; ky < ky_to; ky++) {
                    const int8_t *row = plane + (top + ky) * p->in_width;
                    const int8_t *weights = w + ky * k;
                    for (kx = kx_from; kx < kx_to; kx++) {
                        acc += (int32_t) weights[kx] * row[left + kx];
                        taps += weights[kx];
                    }
                }
            }
            out[y * p->out_width + x] = sn_output(p, p->bias[c] + acc - p->input_zero * taps, c);
        }
    }
}

void sn_depthwise(const sn_conv_t *p, const int8_t *input, int8_t *output)
{
    int32_t in_plane = (int32_t) p->in_height * p->in_width;
    int32_t out_plane = (int32_t) p->out_height * p->out_width;
    int c;
    for (c = 0; c < p->out_channels; c++) {
        sn_depthwise_channel(p, c, input + c * in_plane, output + c * out_plane);
    }
}

void sn_depthwise_in_place(const sn_conv_t *p, int8_t *buffer, int8_t *channel)
{
    int32_t in_plane = (int32_t) p->in_height * p->in_width;
    int32_t out_plane = (int32_t) p->out_height * p->out_width;
    int c;
    for (c = 0; c < p->out_channels; c++) {
        sn_depthwise_channel(p, c, buffer + c * in_plane, channel);
        sn_copy(buffer + c * out_plane, channel, (uint32_t) out_plane);
    }
}

void sn_add(const sn_add_t *p, const int8_t *left, const int8_t *right, int8_t *output)
{
    uint32_t i;
    for (i = 0; i < p->size; i++) {
        int32_t a = sn_requantize((left[i] - p->left_zero) * (1 << SN_ADD_LEFT_SHIFT), p->left_multiplier,
                                  p->left_shift);
        int32_t b = sn_requantize((right[i] - p->right_zero) * (1 << SN_ADD_LEFT_SHIFT), p->right_multiplier,
                                  p->right_shift);
        int32_t level = sn_requantize(a + b, p->output_multiplier, p->output_shift) + p->output_zero;
        output[i] = (int8_t) (level < -128 ? -128 : (level > 127 ? 127 : level));
    }
}

void sn_copy(int8_t *destination, const int8_t *source, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        destination[i] = source[i];
    }
}
