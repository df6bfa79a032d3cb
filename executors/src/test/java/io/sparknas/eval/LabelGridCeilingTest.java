package io.sparknas.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.data.Box;
import io.sparknas.data.DetectionImage;
import io.sparknas.data.LabeledObject;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.space.Anchor;
import io.sparknas.space.HeadSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelGridCeilingTest {

    private static DetectionImage image(int side, List<LabeledObject> objects) {
        return new DetectionImage("t", side, side, new byte[side * side * 3], objects);
    }

    @Test
    void objectsThatEachHaveASlotAreAllFoundExactly() {
        HeadSpec head = new HeadSpec(8, 2, List.of(new Anchor(1, 1), new Anchor(2.5, 2)), 16);
        DetectionImage one = image(64, List.of(new LabeledObject(0, new Box(3, 5, 19, 21)),
                new LabeledObject(1, new Box(30, 28, 62, 60))));
        DetectionImage other = image(64, List.of(new LabeledObject(1, new Box(40, 2, 57, 15))));
        LabelGridCeiling ceiling = LabelGridCeiling.of(head, List.of(one, other), 64);
        assertEquals(3, ceiling.objects());
        assertEquals(0, ceiling.withoutSlot());
        assertEquals(1.0, ceiling.map50(), 1e-9);
        assertTrue(ceiling.mapCoco() > 0.999, "the decoded boxes are the labelled ones: " + ceiling.mapCoco());
    }

    @Test
    void anObjectWhoseOnlySlotIsTakenIsLostToEveryDetector() {
        // a 1 x 1 grid with one anchor has one slot: the larger object takes it, the smaller cannot be predicted
        HeadSpec head = new HeadSpec(8, 1, List.of(new Anchor(0.4, 0.4)), 16);
        DetectionImage crowded = image(16, List.of(new LabeledObject(0, new Box(1, 1, 8, 8)),
                new LabeledObject(0, new Box(9, 9, 15, 15))));
        LabelGridCeiling ceiling = LabelGridCeiling.of(head, List.of(crowded), 16);
        assertEquals(2, ceiling.objects());
        assertEquals(1, ceiling.withoutSlot());
        assertEquals(0.5, ceiling.map50(), 1e-9, "one of two found at precision 1");
    }

    @Test
    void aCoarserGridHoldsFewerOfTheBuiltInSetsObjects() {
        List<DetectionImage> images = new SyntheticDetectionSet(new SyntheticSpec(160, 8, 60, 8, 7)).generate().val();
        HeadSpec coarse = new HeadSpec(8, 4, List.of(new Anchor(0.4, 0.4), new Anchor(1, 1), new Anchor(2, 2)), 32);
        HeadSpec fine = new HeadSpec(8, 4, List.of(new Anchor(0.8, 0.8), new Anchor(2, 2), new Anchor(4, 4)), 16);
        LabelGridCeiling atCoarse = LabelGridCeiling.of(coarse, images, 160);
        LabelGridCeiling atFine = LabelGridCeiling.of(fine, images, 160);
        assertEquals(atCoarse.objects(), atFine.objects());
        assertTrue(atCoarse.withoutSlot() > atFine.withoutSlot(), atCoarse + " against " + atFine);
        assertTrue(atCoarse.map50() < atFine.map50(), atCoarse + " against " + atFine);
        assertTrue(atFine.map50() <= 1.0 && atCoarse.map50() > 0.5, atCoarse + " against " + atFine);
    }
}
