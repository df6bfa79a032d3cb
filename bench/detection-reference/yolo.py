"""Targets, augmentation, loss and schedule of the SparkNAS detector trainer, in numpy and PyTorch.

Each function mirrors one file of executors/src/main/java/io/sparknas: letterbox/augmented/pixels/objects/labels
follow data/DetectionTensors.java, yolo_loss net/YoloLoss.java, learning_rate train/WarmupCosineSchedule.java, and
read_voc data/VocReader.java for the folders data/DatasetWriter.java writes.
"""

import math
import os
import xml.etree.ElementTree as ElementTree

import numpy as np
import torch

PAD = 0.5
MIN_SIDE_PIXELS = 2.0
LOSS_EPS = 1e-7
BOX_WEIGHT = 2.0
NO_OBJECT_WEIGHT = 1.0
OBJECT_PRIOR = 0.01
ANCHOR_RATIO = 4.0
DEFAULT_AUGMENTATION = {"flip": 0.5, "scale": 0.25, "translate": 0.1, "brightness": 0.15, "contrast": 0.2,
                        "saturation": 0.3}


def logit(p):
    """log(p / (1 - p))."""
    return math.log(p / (1 - p))


class Image:
    """A labelled image: RGB bytes [H, W, 3] and objects (class id, x1, y1, x2, y2) in source pixels."""

    def __init__(self, image_id, rgb, objects):
        self.id = image_id
        self.rgb = rgb
        self.objects = objects

    @property
    def width(self):
        return self.rgb.shape[1]

    @property
    def height(self):
        return self.rgb.shape[0]


def letterbox(image, side):
    """Plain letterboxing: (scale, offset x, offset y, flip)."""
    scale = side / max(image.width, image.height)
    return scale, (side - image.width * scale) / 2, (side - image.height * scale) / 2, False


def augmented(image, side, aug, rng):
    """Letterboxing with random scale, shift and flip, drawn from the same ranges as ours."""
    scale = letterbox(image, side)[0] * (1 + (rng.uniform(-aug["scale"], aug["scale"]) if aug["scale"] > 0 else 0))
    shift = aug["translate"]
    cx = side / 2 + (rng.uniform(-shift, shift) * side if shift > 0 else 0)
    cy = side / 2 + (rng.uniform(-shift, shift) * side if shift > 0 else 0)
    flip = aug["flip"] > 0 and rng.random() < aug["flip"]
    return scale, cx - image.width * scale / 2, cy - image.height * scale / 2, flip


def colour_jitter(aug, rng):
    """(brightness, contrast, saturation) factors for one image."""
    brightness = rng.uniform(-aug["brightness"], aug["brightness"]) if aug["brightness"] > 0 else 0.0
    contrast = 1 + (rng.uniform(-aug["contrast"], aug["contrast"]) if aug["contrast"] > 0 else 0.0)
    saturation = 1 + (rng.uniform(-aug["saturation"], aug["saturation"]) if aug["saturation"] > 0 else 0.0)
    return brightness, contrast, saturation


def pixels(image, placement, side, jitter=None):
    """The network input [3, side, side] in [0, 1]: bilinear resampling, grey outside, colour jitter if given."""
    scale, offset_x, offset_y, flip = placement
    columns = np.arange(side, dtype=np.float64)
    if flip:
        columns = side - 1 - columns
    sx = (columns + 0.5 - offset_x) / scale - 0.5
    sy = (np.arange(side, dtype=np.float64) + 0.5 - offset_y) / scale - 0.5
    inside = ((sy >= -0.5) & (sy <= image.height - 0.5))[:, None] & ((sx >= -0.5) & (sx <= image.width - 0.5))[None]
    x0 = np.floor(sx).astype(np.int64)
    y0 = np.floor(sy).astype(np.int64)
    fx = (sx - x0)[None, :, None]
    fy = (sy - y0)[:, None, None]
    xa, xb = np.clip(x0, 0, image.width - 1), np.clip(x0 + 1, 0, image.width - 1)
    ya, yb = np.clip(y0, 0, image.height - 1), np.clip(y0 + 1, 0, image.height - 1)
    source = image.rgb.astype(np.float64)
    top = source[ya][:, xa] * (1 - fx) + source[ya][:, xb] * fx
    bottom = source[yb][:, xa] * (1 - fx) + source[yb][:, xb] * fx
    rgb = ((top * (1 - fy) + bottom * fy) / 255.0).astype(np.float32)
    if jitter is not None:
        brightness, contrast, saturation = jitter
        grey = (np.float32(0.299) * rgb[..., 0] + np.float32(0.587) * rgb[..., 1]
                + np.float32(0.114) * rgb[..., 2])[..., None]
        value = grey.astype(np.float64) + (rgb - grey).astype(np.float64) * saturation
        value = (value - 0.5) * contrast + 0.5 + brightness
        rgb = np.clip(value, 0, 1).astype(np.float32)
    rgb[~inside] = PAD
    return np.ascontiguousarray(rgb.transpose(2, 0, 1))


def objects(image, placement, side):
    """The image's objects in input pixels, clipped, tiny remnants dropped, largest first."""
    scale, offset_x, offset_y, flip = placement
    kept = []
    for class_id, x1, y1, x2, y2 in image.objects:
        x1, y1, x2, y2 = x1 * scale + offset_x, y1 * scale + offset_y, x2 * scale + offset_x, y2 * scale + offset_y
        if flip:
            x1, x2 = side - x2, side - x1
        x1, x2 = (max(0.0, min(float(side), v)) for v in (x1, x2))
        y1, y2 = (max(0.0, min(float(side), v)) for v in (y1, y2))
        width, height = max(0.0, x2 - x1), max(0.0, y2 - y1)
        if width >= MIN_SIDE_PIXELS and height >= MIN_SIDE_PIXELS:
            kept.append((int(class_id), x1, y1, x2, y2))
    return sorted(kept, key=lambda o: -max(0.0, o[3] - o[1]) * max(0.0, o[4] - o[2]))


def labels(kept, side, grid, anchors, classes):
    """The label grid [A * (5 + C), G, G]: each object to its centre's cell and the two nearest neighbouring cells,
    with every anchor within ANCHOR_RATIO of its shape (the best-shaped one when none is), slots taken by a larger
    object left to it; centre offsets -0.5..1.5 mapped to [0, 1]."""
    cell = side / grid
    stride = 5 + classes
    out = np.zeros((len(anchors) * stride, grid, grid), dtype=np.float32)
    taken = np.zeros((len(anchors), grid, grid), dtype=bool)
    for class_id, x1, y1, x2, y2 in kept:
        cx, cy = (x1 + x2) / 2 / cell, (y1 + y2) / 2 / cell
        w, h = (x2 - x1) / cell, (y2 - y1) / cell
        gx, gy = min(grid - 1, max(0, int(cx))), min(grid - 1, max(0, int(cy)))
        fitting = [max(w / aw, aw / w, h / ah, ah / h) < ANCHOR_RATIO for aw, ah in anchors]
        if not any(fitting):
            ious = [min(w, aw) * min(h, ah) / (w * h + aw * ah - min(w, aw) * min(h, ah)) for aw, ah in anchors]
            fitting[int(np.argmax(ious))] = True
        cells = [(gx, gy), (gx - 1 if cx - gx < 0.5 else gx + 1, gy), (gx, gy - 1 if cy - gy < 0.5 else gy + 1)]
        for x, y in cells:
            if not (0 <= x < grid and 0 <= y < grid):
                continue
            for a, (aw, ah) in enumerate(anchors):
                if not fitting[a] or taken[a, y, x]:
                    continue
                taken[a, y, x] = True
                base = a * stride
                out[base, y, x] = (min(1.5, max(-0.5, cx - x)) + 0.5) / 2
                out[base + 1, y, x] = (min(1.5, max(-0.5, cy - y)) + 0.5) / 2
                out[base + 2, y, x] = math.log(w / aw)
                out[base + 3, y, x] = math.log(h / ah)
                out[base + 4, y, x] = 1
                out[base + 5 + class_id, y, x] = 1
    return out


class _SigmoidCrossEntropy(torch.autograd.Function):
    """Binary cross-entropy of sigmoid(logit) as YoloLoss computes it: the value with logs guarded by LOSS_EPS, the
    gradient in closed form, sigmoid(logit) - target (autograd through the guarded logs differs for large logits)."""

    @staticmethod
    def forward(ctx, logit, target):
        s = torch.sigmoid(logit)
        ctx.save_for_backward(s, target)
        return -(target * torch.log(s + LOSS_EPS) + (1 - target) * torch.log(1 - s + LOSS_EPS))

    @staticmethod
    def backward(ctx, grad):
        s, target = ctx.saved_tensors
        return grad * (s - target), None


def _bce(logit, target):
    return _SigmoidCrossEntropy.apply(logit, target)


def yolo_loss(prediction, target, anchors, classes):
    """The loss summed over the batch (the trainer divides by the batch size, as DL4J's updater does)."""
    n, _, grid, _ = prediction.shape
    p = prediction.reshape(n, len(anchors), 5 + classes, grid, grid)
    t = target.reshape(n, len(anchors), 5 + classes, grid, grid)
    anchor = torch.tensor(anchors, dtype=prediction.dtype).reshape(1, len(anchors), 2, 1, 1)
    responsible = (t[:, :, 4] > 0.5).to(prediction.dtype)
    area = torch.exp(t[:, :, 2]) * anchor[:, :, 0] * torch.exp(t[:, :, 3]) * anchor[:, :, 1]
    weight = BOX_WEIGHT * (2 - torch.clamp(area / (grid * grid), max=1))
    positive = (weight * (_bce(p[:, :, 0], t[:, :, 0]) + _bce(p[:, :, 1], t[:, :, 1]))
                + weight * ((p[:, :, 2] - t[:, :, 2]) ** 2 + (p[:, :, 3] - t[:, :, 3]) ** 2)
                + _bce(p[:, :, 4], torch.ones_like(p[:, :, 4]))
                + _bce(p[:, :, 5:], t[:, :, 5:]).sum(dim=2))
    negative = NO_OBJECT_WEIGHT * _bce(p[:, :, 4], torch.zeros_like(p[:, :, 4]))
    return (responsible * positive + (1 - responsible) * negative).sum()


def learning_rate(base, warmup, total, iteration, final_fraction=0.02):
    """Linear warm-up over `warmup` iterations, then a cosine decay to base * final_fraction at `total`."""
    if iteration < warmup:
        return base * (iteration + 1) / (warmup + 1)
    progress = min(1.0, (iteration - warmup) / max(1, total - warmup))
    return base * (final_fraction + (1 - final_fraction) * 0.5 * (1 + math.cos(math.pi * progress)))


def read_voc(root, split):
    """The images of one split of a VOC folder (ImageSets/Main/SPLIT.txt, Annotations, JPEGImages) and the classes."""
    from PIL import Image as PilImage

    with open(os.path.join(root, "classes.txt")) as f:
        classes = [line.strip() for line in f if line.strip()]
    with open(os.path.join(root, "ImageSets", "Main", split + ".txt")) as f:
        ids = [line.strip() for line in f if line.strip()]
    images = []
    for image_id in ids:
        annotation = ElementTree.parse(os.path.join(root, "Annotations", image_id + ".xml")).getroot()
        filename = annotation.findtext("filename") or image_id + ".jpg"
        with PilImage.open(os.path.join(root, "JPEGImages", filename)) as picture:
            rgb = np.asarray(picture.convert("RGB"), dtype=np.uint8)
        boxes = []
        for node in annotation.iter("object"):
            box = node.find("bndbox")
            boxes.append((classes.index(node.findtext("name")), float(box.findtext("xmin")) - 1,
                          float(box.findtext("ymin")) - 1, float(box.findtext("xmax")), float(box.findtext("ymax"))))
        images.append(Image(image_id, rgb, boxes))
    return images, classes


MIN_SCORE = 0.005
NMS_IOU = 0.45
MAX_PER_IMAGE = 100


def decode(output, side, anchors, classes, min_score=MIN_SCORE, nms_iou=NMS_IOU, max_per_image=MAX_PER_IMAGE):
    """Detections of one raw grid [A * (5 + C), G, G] as eval/YoloDecoder.java gives them: (class, score, box),
    score = objectness x best class probability, boxes clipped to the input, class-wise greedy NMS, best first."""
    grid = output.shape[-1]
    cell = side / grid
    p = output.reshape(len(anchors), 5 + classes, grid, grid).astype(np.float64)
    sig = 1 / (1 + np.exp(-p))
    found = []
    for a, (aw, ah) in enumerate(anchors):
        for gy in range(grid):
            for gx in range(grid):
                objectness = sig[a, 4, gy, gx]
                if objectness < min_score:
                    continue
                best = int(np.argmax(sig[a, 5:, gy, gx]))
                score = objectness * sig[a, 5 + best, gy, gx]
                if score < min_score:
                    continue
                cx = (gx + 2 * sig[a, 0, gy, gx] - 0.5) * cell
                cy = (gy + 2 * sig[a, 1, gy, gx] - 0.5) * cell
                w = math.exp(min(10.0, p[a, 2, gy, gx])) * aw * cell
                h = math.exp(min(10.0, p[a, 3, gy, gx])) * ah * cell
                box = tuple(max(0.0, min(float(side), v)) for v in (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
                found.append((best, score, box))
    found.sort(key=lambda d: -d[1])
    kept = []
    for candidate in found:
        if all(k[0] != candidate[0] or iou(k[2], candidate[2]) <= nms_iou for k in kept):
            kept.append(candidate)
    return kept[:max_per_image]


def iou(a, b):
    """IoU of two (x1, y1, x2, y2) boxes."""
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def voc_map(detections, truths, classes, threshold=0.5):
    """VOC mAP as eval/MeanAveragePrecision.java computes it. detections: (image, class, score, box); truths:
    (image, class, box). Greedy matching by score to the best-IoU truth, all-point interpolated AP, the mean over
    classes that have truth."""
    aps = []
    for c in range(classes):
        by_image = {}
        for image, class_id, box in truths:
            if class_id == c:
                by_image.setdefault(image, []).append(box)
        positives = sum(len(v) for v in by_image.values())
        if positives == 0:
            continue
        ranked = sorted((d for d in detections if d[1] == c), key=lambda d: -d[2])
        matched = set()
        tp, fp = [], []
        for image, _, _, box in ranked:
            best, best_iou = None, -1.0
            for k, truth in enumerate(by_image.get(image, [])):
                overlap = iou(box, truth)
                if overlap > best_iou:
                    best, best_iou = k, overlap
            hit = best is not None and best_iou >= threshold and (image, best) not in matched
            if hit:
                matched.add((image, best))
            tp.append(1.0 if hit else 0.0)
            fp.append(0.0 if hit else 1.0)
        tp, fp = np.cumsum(tp), np.cumsum(fp)
        recall = tp / positives
        precision = tp / np.maximum(tp + fp, 1e-12)
        envelope = np.maximum.accumulate(precision[::-1])[::-1] if len(precision) else precision
        previous = np.concatenate([[0.0], recall[:-1]]) if len(recall) else recall
        aps.append(float(np.sum((recall - previous) * envelope)))
    return sum(aps) / len(aps) if aps else 0.0
