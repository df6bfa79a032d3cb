package io.sparknas.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cost model against the published MobileNetV2 figures of docs/reference-figures.md. */
class MobileNetV2ReferenceTest {

    private final LayerGraph mobileNetV2 = ReferenceNetworks.mobileNetV2(224, 1000);

    @Test
    void macsAndParametersMatchThePaperWithinTwoPercent() {
        long macs = Macs.of(mobileNetV2);
        long params = Parameters.of(mobileNetV2);
        assertEquals(300e6, macs, 0.02 * 300e6, "Sandler et al.: ~300 M MACs");
        assertEquals(3_504_872, params, 0.02 * 3_504_872, "torchvision: 3,504,872 parameters");
        assertEquals(300_774_272L, macs);
        // torchvision counts two BatchNorm parameters per channel; folded BN leaves one bias per channel.
        assertEquals(3_487_816L, params);
    }

    @Test
    void firstLayerHoldsInputAndOutput() {
        Layer stem = mobileNetV2.layers().get(0);
        assertEquals(224 * 224 * 3 + 112 * 112 * 32, stem.in().elements() + stem.out().elements());
        assertEquals(551_936L, stem.in().elements() + stem.out().elements());
        long scratch = 4L * 3 * 3 * 3;
        assertEquals(551_936L + scratch, PeakMemoryPlanner.profile(mobileNetV2, false).at(0),
                "plan (a) adds the stem's im2col buffer");
    }

    @Test
    void inPlacePeakIsMcunetV2sFigureOneAtTheFirstExpansion() {
        MemoryProfile inPlace = PeakMemoryPlanner.profile(mobileNetV2, true);
        long hand = 112 * 112 * 16 + 112 * 112 * 96;
        assertEquals(1_404_928L, hand);
        assertEquals(hand, inPlace.peak());
        assertEquals("b1.expand", mobileNetV2.layers().get(inPlace.peakLayer()).name());
        assertEquals(1372 * 1024, inPlace.peak(), "1372 KiB");
    }

    @Test
    void layerByLayerPeakHoldsBothBuffersOfTheStrideTwoDepthwise() {
        MemoryProfile layerByLayer = PeakMemoryPlanner.profile(mobileNetV2, false);
        long hand = 112 * 112 * 96 + 56 * 56 * 96;
        assertEquals(hand, layerByLayer.peak());
        assertEquals("b1.dw", mobileNetV2.layers().get(layerByLayer.peakLayer()).name());
        // In place, that depthwise needs one 112x112x96 buffer plus one 56x56 output channel.
        MemoryProfile inPlace = PeakMemoryPlanner.profile(mobileNetV2, true);
        assertEquals(112 * 112 * 96 + 56 * 56, inPlace.at(layerByLayer.peakLayer()));
        assertTrue(inPlace.peak() < layerByLayer.peak());
    }

    @Test
    void patchBasedPlanWithFourByFourPatchesCutAtStrideEight() {
        PatchProfile patch = PatchPlanner.plan(mobileNetV2, 4, 8);
        assertEquals("b5.add", mobileNetV2.layers().get(patch.cutLayer()).name(), "cut after the 28x28x32 stage");
        assertEquals(4, patch.grid());
        // After the cut: the first 64-channel block holds 28x28x32 and its 28x28x192 expansion, the published 172 KiB.
        assertEquals(28 * 28 * 32 + 28 * 28 * 192, patch.restPeak());
        assertEquals(172 * 1024, patch.restPeak(), 0.02 * 172 * 1024);
        // The patch stage: the held 28x28x32 output plus, for an inner 7x7 output patch, the 51x51 region that the
        // first expansion at 112x112 must compute (its receptive field through seven 3x3 layers, two of stride 2).
        assertEquals(28 * 28 * 32 + (16 + 96) * 51 * 51, patch.patchStagePeak());
        assertEquals(316_400L, patch.peak());
        assertTrue(patch.extraMacs() > 0);
    }
}
