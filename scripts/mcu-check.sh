#!/usr/bin/env bash
# Runs a C export of SparkNAS ('sparknas export --format c', or a finalized run's models/NAME-c/) on a Cortex-M7:
# compiled with arm-none-eabi-gcc for QEMU's mps2-an500 board with the project's startup code and linker script
# (scripts/mcu/), run under qemu-system-arm with semihosting reading the check images and writing the outputs, and
# compared byte for byte with the Java integer reference's outputs (check/expected.bin). Also compiles it with the
# host's gcc and runs the same check there first. Prints the arena against the planned peak SRAM, the constant data
# against the cost model's Flash, and QEMU's instruction count per inference per MAC (an instruction count, not a
# latency: QEMU is not cycle-accurate). Installs gcc-arm-none-eabi, libnewlib-arm-none-eabi and qemu-system-arm
# with apt-get when they are missing.
#   scripts/mcu-check.sh MODEL_DIR [--json FILE]
# Exits 0 only when both builds reproduce every reference output and the inference path calls no allocator and
# executes no floating-point instruction.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
usage() { echo "usage: scripts/mcu-check.sh MODEL_DIR [--json FILE]" >&2; exit 2; }
[ $# -ge 1 ] || usage
model="$(cd "$1" && pwd)" || usage
json=""
if [ $# -ge 2 ]; then
  [ "$2" = "--json" ] && [ $# -eq 3 ] || usage
  json="$3"
fi
for file in model.h model.c sparknas_kernels.c sparknas_kernels.h model.json check/inputs.bin check/expected.bin; do
  [ -f "$model/$file" ] || { echo "mcu-check: $model/$file is missing: is $1 a C export of 'sparknas export --format c'?" >&2; exit 2; }
done

need=()
command -v arm-none-eabi-gcc > /dev/null || need+=(gcc-arm-none-eabi)
[ -f /usr/lib/arm-none-eabi/newlib/libc.a ] || [ -d /usr/lib/arm-none-eabi/newlib ] || need+=(libnewlib-arm-none-eabi)
command -v qemu-system-arm > /dev/null || need+=(qemu-system-arm)
if [ ${#need[@]} -gt 0 ]; then
  echo "mcu-check: installing ${need[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" > /dev/null
fi

build="$model/build"
rm -rf "$build"
mkdir -p "$build"

# 1. The host build: the same C, the host's gcc.
gcc -std=c99 -O2 -Wall -Wextra -Werror -I "$model" "$model/model.c" "$model/sparknas_kernels.c" "$here/mcu/host_check.c" \
  -o "$build/host_check"
host_line="$("$build/host_check" "$model")" || { echo "$host_line"; echo "mcu-check: the host build differs from the reference" >&2; exit 1; }
echo "$host_line"

# 2. The Cortex-M7 build: single-precision FPU available (as on an STM32F7), so any float code would show as VFP
#    instructions; the inference path must have none.
flags=(-mcpu=cortex-m7 -mthumb -mfpu=fpv5-sp-d16 -mfloat-abi=hard -O2 -std=c99 -ffreestanding -ffunction-sections
  -fdata-sections -Wall -Wextra -Werror)
for source in model sparknas_kernels; do
  arm-none-eabi-gcc "${flags[@]}" -I "$model" -c "$model/$source.c" -o "$build/$source.o"
done
for source in startup semihost icount mcu_check; do
  arm-none-eabi-gcc "${flags[@]}" -I "$model" -I "$here/mcu" -c "$here/mcu/$source.c" -o "$build/$source.o"
done
arm-none-eabi-gcc "${flags[@]}" -nostartfiles -T "$here/mcu/link.ld" --specs=nano.specs -Wl,--gc-sections \
  -Wl,-Map="$build/mcu_check.map" "$build"/{startup,semihost,icount,mcu_check,model,sparknas_kernels}.o \
  -o "$build/mcu_check.elf"

undefined="$(arm-none-eabi-nm -u "$build/model.o" "$build/sparknas_kernels.o" | awk 'NF {print $NF}' | sort -u)"
allocator="$(echo "$undefined" | grep -E '^(malloc|calloc|realloc|free|_malloc_r|_free_r)$' || true)"
float_helpers="$(echo "$undefined" | grep -E '^__aeabi_(f|d|[a-z]*2f|[a-z]*2d)' || true)"
float_instructions="$(arm-none-eabi-objdump -d "$build/model.o" "$build/sparknas_kernels.o" \
  | awk -F'\t' 'NF >= 3 && $3 ~ /^v[a-z]/ {print $3}' | sort | uniq -c || true)"

# 3. Sizes: the arena (one static symbol), the model's constant data, the code of model and kernels.
arena_hex="$(arm-none-eabi-nm -S "$build/mcu_check.elf" | awk '$4 == "sparknas_arena" {print $2}')"
[ -n "$arena_hex" ] || { echo "mcu-check: no sparknas_arena symbol in the image" >&2; exit 1; }
arena_bytes=$((16#$arena_hex))
sections() { arm-none-eabi-size -A "$1" | awk -v pattern="$2" '$1 ~ pattern {sum += $2} END {print sum + 0}'; }
model_rodata="$(sections "$build/model.o" '^\.rodata')"
model_text="$(sections "$build/model.o" '^\.text')"
kernels_text="$(sections "$build/sparknas_kernels.o" '^\.text')"
kernels_rodata="$(sections "$build/sparknas_kernels.o" '^\.rodata')"
image_size="$(arm-none-eabi-size "$build/mcu_check.elf" | tail -1)"

# 4. The run: QEMU's virtual clock advances one nanosecond per instruction (-icount shift=0).
started=$(date +%s.%N)
set +e
mcu_line="$(cd "$model" && timeout 1200 qemu-system-arm -M mps2-an500 -nographic -monitor none -serial none \
  -semihosting-config enable=on,target=native -icount shift=0 -kernel "$build/mcu_check.elf" 2>&1)"
status=$?
set -e
seconds=$(python3 -c "import time; print(round(time.time() - $started, 1))")
echo "$mcu_line"
cmp -s "$model/check/actual.bin" "$model/check/expected.bin" && compared=true || compared=false

python3 - "$model/model.json" "$json" "$status" "$compared" "$arena_bytes" "$model_rodata" "$model_text" \
  "$kernels_text" "$kernels_rodata" "$seconds" "$mcu_line" "$host_line" "$allocator" "$float_helpers" \
  "$float_instructions" "$image_size" <<'PY'
import json, re, sys
(manifest_path, out, status, compared, arena, rodata, model_text, kernels_text, kernels_rodata, seconds, mcu_line,
 host_line, allocator, float_helpers, float_instructions, image_size) = sys.argv[1:]
manifest = json.load(open(manifest_path))
m = re.search(r"(\d+) images, (\d+) output bytes, (\d+) differ.*?(\d+) instructions per inference", mcu_line)
if not m:
    sys.exit(f"mcu-check: QEMU did not report (exit status {status}): {mcu_line!r}")
images, compared_bytes, differ, instructions = (int(g) for g in m.groups())
arena, rodata = int(arena), int(rodata)
code = int(model_text) + int(kernels_text) + int(kernels_rodata)
planned, modeled = manifest["planned_peak_bytes"], manifest["modeled_flash_bytes"]
text, data, bss = (int(v) for v in image_size.split()[:3])
result = {
    "model": manifest["metadata"].get("sparknas.architecture", ""),
    "images": images,
    "compared_output_bytes": compared_bytes,
    "differing_output_bytes": differ,
    "bit_exact": status == "0" and differ == 0 and compared == "true" and images > 0,
    "host_bit_exact": " 0 differ" in host_line,
    "arena_bytes": arena,
    "planned_peak_bytes": planned,
    "arena_over_planned_peak": round((arena - planned) / planned, 6),
    "flash_bytes": rodata,
    "modeled_flash_bytes": modeled,
    "flash_difference_bytes": rodata - modeled,
    "flash_difference_cause": "the per-layer kernel descriptors (sn_conv_t, sn_add_t: shapes, zero points, clamps and "
                              "pointers to the arrays) that the cost model does not count; weights, int32 biases and "
                              "int32 multipliers and shifts are what it counts",
    "code_bytes": code,
    "image_text_bytes": text, "image_data_bytes": data, "image_bss_bytes": bss,
    "macs": manifest["macs"],
    "instructions_per_inference": instructions,
    "instructions_per_mac": round(instructions / manifest["macs"], 3),
    "allocator_symbols": allocator.split(),
    "float_helper_symbols": float_helpers.split(),
    "float_instructions": float_instructions.split("\n") if float_instructions.strip() else [],
    "qemu_seconds": float(seconds),
}
print(f"arena {arena:,} bytes against a planned peak of {planned:,} ({100 * result['arena_over_planned_peak']:+.2f} %); "
      f"constant data {rodata:,} bytes against {modeled:,} modelled ({rodata - modeled:+,}: kernel descriptors); "
      f"code {code:,} bytes")
print(f"{instructions:,} instructions per inference for {manifest['macs']:,} MACs: "
      f"{result['instructions_per_mac']} instructions per MAC (QEMU -icount; not a latency)")
problems = []
if not result["bit_exact"]:
    problems.append(f"the Cortex-M7 outputs differ from the reference in {differ} bytes (QEMU exit status {status})")
if result["allocator_symbols"]:
    problems.append("the inference path calls " + ", ".join(result["allocator_symbols"]))
if result["float_helper_symbols"] or result["float_instructions"]:
    problems.append("the inference path uses floating point: "
                    + ", ".join(result["float_helper_symbols"] + result["float_instructions"]))
if out:
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
if problems:
    sys.exit("mcu-check: " + "; ".join(problems))
print("mcu check: bit-exact on the Cortex-M7, no allocator, no floating point in the inference path")
PY
