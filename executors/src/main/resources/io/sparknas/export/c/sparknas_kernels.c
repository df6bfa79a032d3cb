/*
 * SparkNAS int8 inference kernels; see sparknas_kernels.h. Written for clarity first: the loops are those of the
 * Java reference, with bounds and zero points hoisted out of the inner loops, a k x k convolution computing two
 * output pixels per pass over its weights (im2col into int16 columns, as CMSIS-NN does) and a pointwise convolution
 * four output channels per pass over its input.
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

int32_t sn_requantize(int32_t x, int32_t multiplier, int32_t shift)
{
    int32_t left = shift > 0 ? shift : 0;
    int32_t right = shift > 0 ? 0 : -shift;
    return sn_rounding_divide(sn_high_mul((int32_t) ((uint32_t) x << left), multiplier), right);
}

static int8_t sn_output(const sn_conv_t *p, int32_t acc, int c)
{
    int32_t level = sn_requantize(acc, p->multiplier[c], p->shift[c]) + p->output_zero;
    if (level < p->act_min) {
        level = p->act_min;
    } else if (level > p->act_max) {
        level = p->act_max;
    }
    return (int8_t) level;
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
        int pair = pixel + 1 < pixels;
        sn_column(p, input, pixel / p->out_width, pixel % p->out_width, first);
        if (pair) {
            sn_column(p, input, (pixel + 1) / p->out_width, (pixel + 1) % p->out_width, second);
        }
        for (oc = 0; oc < p->out_channels; oc++) {
            const int8_t *w = p->weights + (int32_t) oc * depth;
            int32_t acc0 = p->bias[oc];
            int32_t acc1 = p->bias[oc];
            if (pair) {
                for (j = 0; j < depth; j++) {
                    acc0 += (int32_t) w[j] * first[j];
                    acc1 += (int32_t) w[j] * second[j];
                }
                output[(int32_t) oc * pixels + pixel + 1] = sn_output(p, acc1, oc);
            } else {
                for (j = 0; j < depth; j++) {
                    acc0 += (int32_t) w[j] * first[j];
                }
            }
            output[(int32_t) oc * pixels + pixel] = sn_output(p, acc0, oc);
        }
    }
}

void sn_pointwise(const sn_conv_t *p, const int8_t *input, int8_t *output)
{
    int32_t in_plane = (int32_t) p->in_height * p->in_width;
    int32_t pixels = (int32_t) p->out_height * p->out_width;
    int channels = p->in_channels;
    int oc = 0;
    int32_t pixel;
    int ic;
    for (; oc < p->out_channels; oc += 4) {
        int block = p->out_channels - oc < 4 ? p->out_channels - oc : 4;
        int32_t base[4];
        const int8_t *w[4];
        int b;
        for (b = 0; b < 4; b++) {
            int c = oc + (b < block ? b : 0);
            int32_t sum = 0;
            w[b] = p->weights + (int32_t) c * channels;
            for (ic = 0; ic < channels; ic++) {
                sum += w[b][ic];
            }
            /* sum of w * (q - z) = sum of w * q - z * sum of w: the zero point leaves the inner loop */
            base[b] = p->bias[c] - p->input_zero * sum;
        }
        for (pixel = 0; pixel < pixels; pixel++) {
            int32_t y = pixel / p->out_width;
            int32_t x = pixel % p->out_width;
            const int8_t *in = input + y * p->stride * p->in_width + x * p->stride;
            int32_t acc0 = base[0];
            int32_t acc1 = base[1];
            int32_t acc2 = base[2];
            int32_t acc3 = base[3];
            for (ic = 0; ic < channels; ic++) {
                int32_t q = in[(int32_t) ic * in_plane];
                acc0 += w[0][ic] * q;
                acc1 += w[1][ic] * q;
                acc2 += w[2][ic] * q;
                acc3 += w[3][ic] * q;
            }
            output[(int32_t) oc * pixels + pixel] = sn_output(p, acc0, oc);
            if (block > 1) {
                output[(int32_t) (oc + 1) * pixels + pixel] = sn_output(p, acc1, oc + 1);
            }
            if (block > 2) {
                output[(int32_t) (oc + 2) * pixels + pixel] = sn_output(p, acc2, oc + 2);
            }
            if (block > 3) {
                output[(int32_t) (oc + 3) * pixels + pixel] = sn_output(p, acc3, oc + 3);
            }
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
    for (y = 0; y < p->out_height; y++) {
        int top = y * p->stride - p->pad_top;
        int ky_from = top < 0 ? -top : 0;
        int ky_to = top + k > p->in_height ? p->in_height - top : k;
        for (x = 0; x < p->out_width; x++) {
            int left = x * p->stride - p->pad_left;
            int kx_from = left < 0 ? -left : 0;
            int kx_to = left + k > p->in_width ? p->in_width - left : k;
            int32_t acc = p->bias[c];
            for (ky = ky_from; ky < ky_to; ky++) {
                const int8_t *row = plane + (top + ky) * p->in_width;
                const int8_t *weights = w + ky * k;
                for (kx = kx_from; kx < kx_to; kx++) {
                    acc += (int32_t) weights[kx] * (row[left + kx] - p->input_zero);
                }
            }
            out[y * p->out_width + x] = sn_output(p, acc, c);
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
