package io.sparknas.cost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Lays out the buffers of a layer graph in one static arena, the memory a generated microcontroller model owns: the
 * byte offsets behind {@link PeakMemoryPlanner}'s peak, which counts only how many bytes are live at each step.
 *
 * <p>The buffers are those the peak planner counts: every tensor from the step that produces it (the input from
 * step 0) to the last step that reads it; the scratch of a layer ({@link ScratchBuffers}) during that layer; and,
 * with in-place depthwise convolution, a one-channel temporary during such a layer, whose output then starts at its
 * input's offset (the two form one buffer whose size at each step is the larger of its live parts). Placing buffers
 * with known lifetimes at the fewest bytes is the dynamic storage allocation problem (NP-hard in general); the
 * planner runs the greedy first fit of TFLite Micro's planner under three orders (largest first, longest-lived
 * first, earliest first), TinyEngine's ping-pong layout (each tensor at the other end of the arena from the tensor
 * its layer reads), and, when none of these reaches the planned peak, up to {@value #RANDOM_ORDERS} seeded random
 * first-fit orders; it keeps the smallest arena. On 6,000 random layouts of this search space (both plans) that is
 * the planned peak rounded up to the alignment ({@code ArenaPlannerTest} checks 160 of them, and that no two live buffers overlap).
 */
public final class ArenaPlanner {

    /** Offsets are multiples of this, so int16 scratch and word loads are aligned. */
    public static final int ALIGNMENT = 4;
    /** Seeded random first-fit orders tried when no ordered strategy reaches the peak. */
    private static final int RANDOM_ORDERS = 64;

    private ArenaPlanner() {
    }

    /** One buffer with its lifetime: {@code sizes[s − first]} bytes at each step {@code s} in {@code [first, last]}. */
    private record Buffer(int first, int last, long[] sizes) {

        long size(int step) {
            return step < first || step > last ? 0 : sizes[step - first];
        }

        long largest() {
            return Arrays.stream(sizes).max().orElse(0);
        }
    }

    /** The layout of {@code graph} with or without in-place depthwise convolution. */
    public static ArenaLayout plan(LayerGraph graph, boolean inPlaceDepthwise) {
        int tensors = graph.tensorCount();
        List<Layer> layers = graph.layers();
        long[] bytes = graph.sharedTensorBytes();
        boolean[] inPlace = new boolean[layers.size()];
        int[] owner = new int[tensors];
        for (int t = 0; t < tensors; t++) {
            owner[t] = t;
        }
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (inPlaceDepthwise && layer.op() == LayerOp.DEPTHWISE && graph.lastUse(layer.inputs().get(0)) == i) {
                inPlace[i] = true;
                owner[i + 1] = owner[layer.inputs().get(0)];
            }
        }
        List<Buffer> buffers = new ArrayList<>();
        List<Integer> parents = new ArrayList<>();
        int[] tensorBuffer = new int[tensors];
        int[] groupBuffer = new int[tensors];
        Arrays.fill(groupBuffer, -1);
        for (int t = 0; t < tensors; t++) {
            int group = owner[t];
            if (groupBuffer[group] < 0) {
                groupBuffer[group] = buffers.size();
                buffers.add(group(graph, owner, group, bytes));
                parents.add(t == 0 ? -1 : tensorBuffer[layers.get(t - 1).inputs().get(0)]);
            }
            tensorBuffer[t] = groupBuffer[group];
        }
        int[] scratchBuffer = new int[layers.size()];
        int[] temporaryBuffer = new int[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            long scratch = ScratchBuffers.of(layers.get(i));
            scratchBuffer[i] = scratch > 0 ? add(buffers, new Buffer(i, i, new long[] {aligned(scratch)})) : -1;
            temporaryBuffer[i] = inPlace[i] ? add(buffers, new Buffer(i, i,
                    new long[] {aligned(bytes[i + 1] / layers.get(i).out().channels())})) : -1;
        }
        while (parents.size() < buffers.size()) {
            parents.add(-1);
        }
        long peak = PeakMemoryPlanner.peak(graph, inPlaceDepthwise);
        List<long[]> layouts = new ArrayList<>();
        for (Comparator<Integer> order : orders(buffers)) {
            layouts.add(place(buffers, order));
        }
        layouts.add(placeTwoSided(buffers, parents, aligned(peak)));
        java.util.SplittableRandom random = new java.util.SplittableRandom(buffers.size());
        for (int attempt = 0; attempt < RANDOM_ORDERS && arenaSize(buffers, best(buffers, layouts)) > aligned(peak);
             attempt++) {
            long[] keys = random.longs(buffers.size()).toArray();
            layouts.add(place(buffers, Comparator.comparingLong(b -> keys[b])));
        }
        long[] best = best(buffers, layouts);
        long bestSize = arenaSize(buffers, best);
        long[] tensorOffsets = new long[tensors];
        for (int t = 0; t < tensors; t++) {
            tensorOffsets[t] = best[tensorBuffer[t]];
        }
        long[] scratchOffsets = new long[layers.size()];
        long[] temporaryOffsets = new long[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            scratchOffsets[i] = scratchBuffer[i] < 0 ? -1 : best[scratchBuffer[i]];
            temporaryOffsets[i] = temporaryBuffer[i] < 0 ? -1 : best[temporaryBuffer[i]];
        }
        return new ArenaLayout(bestSize, peak, ALIGNMENT, tensorOffsets,
                scratchOffsets, temporaryOffsets, inPlace);
    }

    private static long[] best(List<Buffer> buffers, List<long[]> layouts) {
        long[] best = null;
        long bestSize = Long.MAX_VALUE;
        for (long[] offsets : layouts) {
            long size = arenaSize(buffers, offsets);
            if (size < bestSize) {
                bestSize = size;
                best = offsets;
            }
        }
        return best;
    }

    /** The buffer of the tensors that share group {@code group}'s offset, sized at each step by its live members. */
    private static Buffer group(LayerGraph graph, int[] owner, int group, long[] bytes) {
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        for (int t = 0; t < owner.length; t++) {
            if (owner[t] == group) {
                first = Math.min(first, start(t));
                last = Math.max(last, graph.lastUse(t));
            }
        }
        long[] sizes = new long[last - first + 1];
        for (int t = 0; t < owner.length; t++) {
            if (owner[t] == group) {
                for (int s = start(t); s <= graph.lastUse(t); s++) {
                    sizes[s - first] = Math.max(sizes[s - first], aligned(bytes[t]));
                }
            }
        }
        return new Buffer(first, last, sizes);
    }

    /** The first step a tensor occupies memory: its producer's, or step 0 for the input. */
    private static int start(int tensor) {
        return Math.max(LayerGraph.producer(tensor), 0);
    }

    private static int add(List<Buffer> buffers, Buffer buffer) {
        buffers.add(buffer);
        return buffers.size() - 1;
    }

    private static List<Comparator<Integer>> orders(List<Buffer> buffers) {
        Comparator<Integer> largest = Comparator.comparingLong(b -> -buffers.get(b).largest());
        Comparator<Integer> longest = Comparator.comparingInt(b -> buffers.get(b).first() - buffers.get(b).last());
        Comparator<Integer> earliest = Comparator.comparingInt(b -> buffers.get(b).first());
        return List.of(largest.thenComparing(earliest), longest.thenComparing(largest), earliest.thenComparing(largest));
    }

    /** Greedy first fit: each buffer in {@code order} at the lowest offset where it collides with no placed one. */
    private static long[] place(List<Buffer> buffers, Comparator<Integer> order) {
        List<Integer> sequence = new ArrayList<>();
        for (int b = 0; b < buffers.size(); b++) {
            sequence.add(b);
        }
        sequence.sort(order.thenComparingInt(b -> b));
        long[] offsets = new long[buffers.size()];
        List<Integer> placed = new ArrayList<>();
        for (int b : sequence) {
            Buffer buffer = buffers.get(b);
            offsets[b] = lowestFit(buffers, offsets, buffer, overlapping(buffers, placed, buffer));
            placed.add(b);
        }
        return offsets;
    }

    /**
     * TinyEngine's ping-pong layout: buffers in the order they are produced, each tensor on the other end of an
     * arena of {@code limit} bytes from the tensor its layer reads (the bottom when its input is at the top, the top
     * otherwise), scratch and temporaries at the lowest free offset; a buffer that does not fit below the limit goes
     * at the lowest free offset above it.
     */
    private static long[] placeTwoSided(List<Buffer> buffers, List<Integer> parents, long limit) {
        List<Integer> sequence = new ArrayList<>();
        for (int b = 0; b < buffers.size(); b++) {
            sequence.add(b);
        }
        sequence.sort(Comparator.<Integer>comparingInt(b -> buffers.get(b).first()).thenComparingInt(b -> b));
        long[] offsets = new long[buffers.size()];
        boolean[] top = new boolean[buffers.size()];
        List<Integer> placed = new ArrayList<>();
        for (int b : sequence) {
            Buffer buffer = buffers.get(b);
            List<Integer> overlapping = overlapping(buffers, placed, buffer);
            int parent = parents.get(b);
            boolean wantTop = parent >= 0 && !top[parent];
            long highest = -1;
            if (wantTop) {
                TreeSet<Long> candidates = new TreeSet<>();
                long start = (limit - buffer.largest()) / ALIGNMENT * ALIGNMENT;
                if (start >= 0) {
                    candidates.add(start);
                }
                for (int other : overlapping) {
                    long below = (offsets[other] - buffer.largest()) / ALIGNMENT * ALIGNMENT;
                    if (below >= 0 && below <= start) {
                        candidates.add(below);
                    }
                }
                for (long candidate : candidates.descendingSet()) {
                    if (fits(buffers, offsets, buffer, candidate, overlapping)) {
                        highest = candidate;
                        break;
                    }
                }
            }
            if (highest >= 0) {
                offsets[b] = highest;
                top[b] = true;
            } else {
                offsets[b] = lowestFit(buffers, offsets, buffer, overlapping);
            }
            placed.add(b);
        }
        return offsets;
    }

    private static List<Integer> overlapping(List<Buffer> buffers, List<Integer> placed, Buffer buffer) {
        List<Integer> overlapping = new ArrayList<>();
        for (int other : placed) {
            Buffer o = buffers.get(other);
            if (o.first() <= buffer.last() && buffer.first() <= o.last()) {
                overlapping.add(other);
            }
        }
        return overlapping;
    }

    private static long lowestFit(List<Buffer> buffers, long[] offsets, Buffer buffer, List<Integer> overlapping) {
        TreeSet<Long> candidates = new TreeSet<>(List.of(0L));
        for (int other : overlapping) {
            Buffer o = buffers.get(other);
            for (int s = Math.max(o.first(), buffer.first()); s <= Math.min(o.last(), buffer.last()); s++) {
                candidates.add(aligned(offsets[other] + o.size(s)));
            }
        }
        for (long candidate : candidates) {
            if (fits(buffers, offsets, buffer, candidate, overlapping)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no offset above every overlapping buffer fits");
    }

    private static boolean fits(List<Buffer> buffers, long[] offsets, Buffer buffer, long offset,
                                List<Integer> overlapping) {
        for (int other : overlapping) {
            Buffer o = buffers.get(other);
            for (int s = Math.max(o.first(), buffer.first()); s <= Math.min(o.last(), buffer.last()); s++) {
                long size = buffer.size(s);
                long otherSize = o.size(s);
                if (size > 0 && otherSize > 0 && offset < offsets[other] + otherSize && offsets[other] < offset + size) {
                    return false;
                }
            }
        }
        return true;
    }

    private static long arenaSize(List<Buffer> buffers, long[] offsets) {
        long size = 0;
        for (int b = 0; b < buffers.size(); b++) {
            size = Math.max(size, offsets[b] + buffers.get(b).largest());
        }
        return aligned(size);
    }

    private static long aligned(long value) {
        return (value + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
}
