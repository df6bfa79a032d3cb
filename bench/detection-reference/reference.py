"""PyTorch reference of the SparkNAS detector: a benchmark tool, not part of the application.

The network is rebuilt from the export of executors/src/test/java/io/sparknas/bench/ReferenceExport.java (the layer
table of cost/ArchitectureLowering.java with the DL4J parameters of net/DetectorNetworkBuilder.java), so the same
weights can be run in both frameworks.

    reference.py check EXPORT_DIR [--tolerance 1e-4]

loads the export, runs its image through the PyTorch network and compares the raw prediction grid with DL4J's; it
exits with status 1 when the largest difference exceeds the tolerance relative to the largest output magnitude.

    reference.py check-batch EXPORT_DIR [--tolerance 1e-4]

rebuilds the exported training batch (ReferenceExport --batch=N) with yolo.py: the augmented input from the source
pixels and our placements and colour jitter, the label grid from the objects, and the loss and its gradient on
DL4J's output for the batch; each is compared with ours, and the reference network's output on the batch too.

    reference.py train EXPORT_DIR VOC_DIR [--epochs 1] [--batch-size 32] [--learning-rate 0.002] ...

trains the exported network (its DL4J initial weights, BatchNorm reset to DL4J's initial state) on a VOC folder as
`sparknas data synth --format voc` writes it, with our augmentation, loss, warm-up cosine schedule and Adam with
decoupled weight decay; it prints the train loss and val mAP@0.5 per epoch (decoded, suppressed and matched as our
evaluator does) and the test mAP@0.5 of the best-val weights; with --checkpoint it resumes after the last saved epoch.
"""

import argparse
import datetime
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import yolo


def same_padding(size, kernel, stride):
    """DL4J's ConvolutionMode.Same: output ceil(size / stride), padding split with the odd pixel at the end.

    The convolution helpers put floor(total / 2) before and the rest after, as TensorFlow's "SAME" does; torch's
    symmetric padding differs on even inputs with stride 2, hence the explicit pad.
    """
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class SameConv(nn.Module):
    """A full or depthwise convolution with DL4J "same" padding."""

    def __init__(self, in_channels, out_channels, kernel, stride, depthwise, bias):
        super().__init__()
        self.kernel = kernel
        self.stride = stride
        self.conv = nn.Conv2d(in_channels, out_channels, kernel, stride=stride, padding=0,
                              groups=in_channels if depthwise else 1, bias=bias)

    def forward(self, x):
        top, bottom = same_padding(x.shape[2], self.kernel, self.stride)
        left, right = same_padding(x.shape[3], self.kernel, self.stride)
        if top or bottom or left or right:
            x = F.pad(x, (left, right, top, bottom))
        return self.conv(x)


class ReferenceDetector(nn.Module):
    """The detector of net/DetectorNetworkBuilder.java from an exported layer table.

    Every convolution but the last is bias-free, followed by BatchNorm and, where the table says RELU6, ReLU6; the
    last one (head.pred) has a bias and nothing after it; ADD layers sum two earlier tensors. The output is the
    raw prediction grid [N, A * (5 + C), G, G].
    """

    def __init__(self, spec):
        super().__init__()
        self.layers = spec["layers"]
        self.convs = nn.ModuleDict()
        self.norms = nn.ModuleDict()
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            key = module_key(layer["name"])
            if layer["op"] in ("CONV", "DEPTHWISE"):
                self.convs[key] = SameConv(layer["in"][2], layer["out"][2], layer["kernel"], layer["stride"],
                                           layer["op"] == "DEPTHWISE", bias=i == last)
                if i != last:
                    # BatchNormalization's decay 0.9 is torch's momentum 0.1.
                    self.norms[key] = nn.BatchNorm2d(layer["out"][2], eps=layer["batchNormEps"], momentum=0.1)
            elif layer["op"] != "ADD":
                raise ValueError(f"{layer['name']}: operator {layer['op']} is not part of a detector")

    def forward(self, x):
        tensors = [x]
        for layer in self.layers:
            key = module_key(layer["name"])
            if layer["op"] == "ADD":
                y = tensors[layer["inputs"][0]] + tensors[layer["inputs"][1]]
            else:
                y = self.convs[key](tensors[layer["inputs"][0]])
                if key in self.norms:
                    y = self.norms[key](y)
                if layer["activation"] == "RELU6":
                    y = F.relu6(y)
            tensors.append(y)
        return tensors[-1]


def module_key(name):
    """A layer name as a module name (torch forbids dots in them)."""
    return name.replace(".", "_")


def load_export(directory):
    """The export's JSON, flat parameter array, input and DL4J output."""
    with open(os.path.join(directory, "network.json")) as f:
        spec = json.load(f)
    flat = np.fromfile(os.path.join(directory, "params.f32"), dtype="<f4")
    image = np.fromfile(os.path.join(directory, "input.f32"), dtype="<f4").reshape(spec["input"])
    output = np.fromfile(os.path.join(directory, "output.f32"), dtype="<f4").reshape(spec["output"])
    return spec, flat, image, output


def load_parameters(model, spec, flat):
    """Copies DL4J's parameters into the model, converting layouts.

    DL4J stores a convolution's W as [out, in, kH, kW] (torch's layout), a depthwise W as [kH, kW, in, multiplier]
    (torch: [in * multiplier, 1, kH, kW]) and the bias as [1, out]. BatchNorm keeps log10 of the standard
    deviation when batchNormLogStd is set; with the oneDNN helpers that net/Dl4jRuntime.java enables, DL4J
    squares it into a variance and normalises by sqrt(variance + eps), as torch does.
    """
    def array(entry):
        start = entry["offset"]
        count = int(np.prod(entry["shape"]))
        return torch.from_numpy(flat[start:start + count].reshape(entry["shape"]).copy())

    with torch.no_grad():
        for layer in spec["layers"]:
            key = module_key(layer["name"])
            if key not in model.convs:
                continue
            conv = model.convs[key].conv
            weight = array(layer["params"]["W"])
            if layer["op"] == "DEPTHWISE":
                weight = weight.permute(2, 3, 0, 1).reshape(conv.weight.shape)
            conv.weight.copy_(weight)
            if conv.bias is not None:
                conv.bias.copy_(array(layer["params"]["b"]).reshape(-1))
            if key in model.norms:
                norm = model.norms[key]
                bn = layer["batchNorm"]
                norm.weight.copy_(array(bn["gamma"]).reshape(-1))
                norm.bias.copy_(array(bn["beta"]).reshape(-1))
                norm.running_mean.copy_(array(bn["mean"]).reshape(-1))
                if layer["batchNormLogStd"]:
                    norm.running_var.copy_((10.0 ** array(bn["log10stdev"]).reshape(-1)) ** 2)
                else:
                    norm.running_var.copy_(array(bn["var"]).reshape(-1))


def build_from_export(directory):
    """The reference network with the export's weights, in inference mode, and the export's image and output."""
    spec, flat, image, output = load_export(directory)
    model = ReferenceDetector(spec)
    load_parameters(model, spec, flat)
    model.eval()
    return model, spec, image, output


def check(directory, tolerance):
    """Compares the reference's output with DL4J's on the exported image; True when within the tolerance."""
    model, spec, image, expected = build_from_export(directory)
    with torch.no_grad():
        actual = model(torch.from_numpy(image)).numpy()
    if actual.shape != expected.shape:
        print(f"shape mismatch: torch {actual.shape}, DL4J {expected.shape}")
        return False
    difference = float(np.max(np.abs(actual - expected)))
    scale = float(np.max(np.abs(expected)))
    relative = difference / max(scale, 1e-12)
    arch = spec["architecture"]
    passed = relative <= tolerance
    print(f"equivalence r{arch['resolution']} w{arch['width']} ({len(spec['layers'])} layers, output "
          f"{list(expected.shape)}): max |torch - dl4j| = {difference:.3e}, max |dl4j| = {scale:.3f}, "
          f"relative {relative:.3e} (tolerance {tolerance:g}) {'OK' if passed else 'MISMATCH'}")
    write_figures(directory, "check.json", {
        "architecture": arch, "layers": len(spec["layers"]), "output_shape": list(expected.shape),
        "max_abs_diff": difference, "max_abs_output": scale, "relative_diff": relative, "tolerance": tolerance,
        "passed": passed})
    return passed


def write_figures(directory, name, figures):
    """Keeps a check's figures beside its export, for the benchmark record (see record())."""
    with open(os.path.join(directory, name), "w") as f:
        json.dump(figures, f, indent=2)


def load_batch(directory, spec):
    """The exported batch: its JSON, source images (yolo.Image), input, labels, DL4J output and loss gradient."""
    with open(os.path.join(directory, "batch.json")) as f:
        batch = json.load(f)
    raw = np.fromfile(os.path.join(directory, "batch_images.u8"), dtype=np.uint8)
    images, start = [], 0
    for row in batch["images"]:
        count = row["width"] * row["height"] * 3
        rgb = raw[start:start + count].reshape(row["height"], row["width"], 3)
        images.append(yolo.Image(row["id"], rgb, [tuple(o) for o in row["objects"]]))
        start += count
    n, side, grid = len(images), batch["side"], batch["grid"]
    channels = spec["output"][1]

    def array(name, shape):
        return np.fromfile(os.path.join(directory, name), dtype="<f4").reshape(shape)

    return (batch, images, array("batch_input.f32", (n, 3, side, side)),
            array("batch_labels.f32", (n, channels, grid, grid)), array("batch_output.f32", (n, channels, grid, grid)),
            array("batch_gradient.f32", (n, channels, grid, grid)))


def compare(name, actual, expected, tolerance, figures):
    """Prints (and adds to figures) the largest difference relative to the largest magnitude; True when within."""
    difference = float(np.max(np.abs(np.asarray(actual, dtype=np.float64) - expected)))
    scale = max(float(np.max(np.abs(expected))), 1e-12)
    passed = difference / scale <= tolerance
    figures[name] = {"max_abs_diff": difference, "max_abs_value": scale, "relative_diff": difference / scale,
                     "passed": passed}
    print(f"  {name}: max |torch - dl4j| = {difference:.3e}, max |dl4j| = {scale:.4g}, relative "
          f"{difference / scale:.3e} {'OK' if passed else 'MISMATCH'}")
    return passed


def check_batch(directory, tolerance):
    """Rebuilds the exported batch, its labels and loss in PyTorch and compares them with ours."""
    model, spec, _, _ = build_from_export(directory)
    batch, images, inputs, labels, output, gradient = load_batch(directory, spec)
    side, grid = batch["side"], batch["grid"]
    anchors = spec["head"]["anchors"]
    classes = spec["head"]["classes"]
    print(f"batch of {len(images)} augmented images at {side} px, {grid}x{grid} grid, {classes} classes:")
    figures = {}
    rebuilt_inputs, rebuilt_labels = [], []
    for image, row in zip(images, batch["images"]):
        placement = (row["scale"], row["offsetX"], row["offsetY"], row["flip"])
        jitter = (row["brightness"], row["contrast"], row["saturation"])
        rebuilt_inputs.append(yolo.pixels(image, placement, side, jitter))
        rebuilt_labels.append(yolo.labels(yolo.objects(image, placement, side), side, grid, anchors, classes))
    passed = compare("augmented input", np.stack(rebuilt_inputs), inputs, tolerance, figures)
    passed &= compare("labels (targets)", np.stack(rebuilt_labels), labels, tolerance, figures)
    prediction = torch.tensor(output, dtype=torch.float64, requires_grad=True)
    loss = yolo.yolo_loss(prediction, torch.tensor(labels, dtype=torch.float64), anchors, classes)
    loss.backward()
    passed &= compare("loss (sum over the batch)", [loss.item()], np.array([batch["lossSum"]]), tolerance, figures)
    passed &= compare("loss per image (DL4J score)", [loss.item() / len(images)], np.array([batch["loss"]]),
                      tolerance, figures)
    passed &= compare("loss gradient", prediction.grad.numpy(), gradient, tolerance, figures)
    with torch.no_grad():
        passed &= compare("network output on the batch", model(torch.from_numpy(inputs)).numpy(), output, tolerance, figures)
    print("batch check " + ("OK" if passed else "MISMATCH"))
    write_figures(directory, "check-batch.json", {"images": len(images), "tolerance": tolerance, "passed": passed,
                                                  "comparisons": figures})
    return passed


def record(out, command, exports):
    """Writes the benchmark record: command, date, git revision, cores, parameters and every export's figures."""
    architectures = []
    for directory in exports:
        entry = {"export": os.path.basename(os.path.normpath(directory))}
        for name in ("check.json", "check-batch.json"):
            with open(os.path.join(directory, name)) as f:
                entry[name[:-len(".json")].replace("-", "_")] = json.load(f)
        architectures.append(entry)
    revision = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    document = {
        "command": command,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "git_revision": revision or "unknown",
        "cores": os.cpu_count(),
        "parameters": {"torch": torch.__version__, "tolerance_relative": architectures[0]["check"]["tolerance"],
                       "exports": [a["export"] for a in architectures]},
        "figures": {"all_passed": all(a["check"]["passed"] and a["check_batch"]["passed"] for a in architectures),
                    "max_relative_output_diff": max(a["check"]["relative_diff"] for a in architectures),
                    "architectures": architectures},
    }
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w") as f:
        json.dump(document, f, indent=2)
    print(f"recorded {out}")
    return 0


def reset_to_initial_state(model, spec):
    """BatchNorm and the prediction bias as DL4J initialises them: scale 1, shift 0, mean 0, variance 1, and the
    prediction bias at the priors of net/DetectorNetworkBuilder.java (initializePriors): objectness at the logit of
    yolo.OBJECT_PRIOR, every class at the logit of 1 / classes, the box terms 0."""
    classes = spec["head"]["classes"]
    stride = 5 + classes
    with torch.no_grad():
        for norm in model.norms.values():
            norm.reset_parameters()
        for module in model.convs.values():
            if module.conv.bias is not None:
                module.conv.bias.zero_()
                for a in range(len(spec["head"]["anchors"])):
                    module.conv.bias[a * stride + 4] = yolo.logit(yolo.OBJECT_PRIOR)
                    module.conv.bias[a * stride + 5:(a + 1) * stride] = yolo.logit(1.0 / max(2, classes))


def batches(images, order, size, side, grid, anchors, classes, aug, rng):
    """(input, labels) tensors for consecutive slices of `order`; augmented when `aug` is given."""
    for start in range(0, len(order), size):
        inputs, targets = [], []
        for index in order[start:start + size]:
            image = images[index]
            if aug is None:
                placement, jitter = yolo.letterbox(image, side), None
            else:
                placement = yolo.augmented(image, side, aug, rng)
                jitter = yolo.colour_jitter(aug, rng)
            inputs.append(yolo.pixels(image, placement, side, jitter))
            targets.append(yolo.labels(yolo.objects(image, placement, side), side, grid, anchors, classes))
        yield torch.from_numpy(np.stack(inputs)), torch.from_numpy(np.stack(targets))


class Dl4jAdam:
    """Adam as DL4J applies it for train/TrainingSettings.java: update lr * sqrt(1 - b2^t) / (1 - b1^t) * m /
    (sqrt(v) + eps), plus the weight decay of net/DetectorNetworkBuilder.java added to the update as
    lr * decay * w, on convolution weights only (DL4J regularises neither biases nor BatchNorm); gradients are of
    the loss averaged over the batch, as DL4J divides them by the batch size."""

    def __init__(self, model, weight_decay, beta1=0.9, beta2=0.999, eps=1e-8):
        self.parameters = [p for p in model.parameters() if p.requires_grad]
        decayed = {id(module.conv.weight) for module in model.convs.values()}
        self.decay = [weight_decay if id(p) in decayed else 0.0 for p in self.parameters]
        self.m = [torch.zeros_like(p) for p in self.parameters]
        self.v = [torch.zeros_like(p) for p in self.parameters]
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.steps = 0

    @torch.no_grad()
    def step(self, lr):
        self.steps += 1
        alpha = lr * math.sqrt(1 - self.beta2 ** self.steps) / (1 - self.beta1 ** self.steps)
        for p, m, v, decay in zip(self.parameters, self.m, self.v, self.decay):
            m.mul_(self.beta1).add_(p.grad, alpha=1 - self.beta1)
            v.mul_(self.beta2).addcmul_(p.grad, p.grad, value=1 - self.beta2)
            p.sub_(alpha * m / (v.sqrt() + self.eps) + lr * decay * p)


def evaluate(model, images, side, grid, anchors, classes, batch_size):
    """VOC mAP@0.5 of the model on unaugmented images, decoded and matched as our evaluator does."""
    model.eval()
    detections, truths = [], []
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            chunk = images[start:start + batch_size]
            inputs = torch.from_numpy(np.stack([yolo.pixels(im, yolo.letterbox(im, side), side) for im in chunk]))
            outputs = model(inputs).numpy()
            for k, image in enumerate(chunk):
                index = start + k
                for class_id, score, box in yolo.decode(outputs[k], side, anchors, classes):
                    detections.append((index, class_id, score, box))
                for class_id, x1, y1, x2, y2 in yolo.objects(image, yolo.letterbox(image, side), side):
                    truths.append((index, class_id, (x1, y1, x2, y2)))
    return yolo.voc_map(detections, truths, classes)


def train(args):
    """Trains the exported network on a VOC folder with our loss, augmentation, schedule and optimizer; evaluates
    val mAP@0.5 every --eval-every epochs and test mAP@0.5 of the best-val weights at the end. With --checkpoint DIR
    every finished epoch is saved there and a rerun continues after the last one."""
    model, spec, _, _ = build_from_export(args.export)
    reset_to_initial_state(model, spec)
    anchors, classes = spec["head"]["anchors"], spec["head"]["classes"]
    side = spec["input"][2]
    grid = spec["output"][2]
    train_images, names = yolo.read_voc(args.voc, "train")
    val_images, _ = yolo.read_voc(args.voc, "val")
    test_images, _ = yolo.read_voc(args.voc, "test")
    if len(names) != classes:
        raise SystemExit(f"the dataset has {len(names)} classes, the exported head {classes}: export with "
                         f"--classes={len(names)}")
    if args.limit:
        train_images, val_images, test_images = (s[:args.limit] for s in (train_images, val_images, test_images))
    aug = dict(yolo.DEFAULT_AUGMENTATION)
    if args.augment:
        aug.update(json.loads(args.augment))
    per_epoch = -(-len(train_images) // args.batch_size)
    warmup, total = round(args.warmup_epochs * per_epoch), args.epochs * per_epoch
    optimizer = Dl4jAdam(model, args.weight_decay)
    rng = np.random.default_rng(args.seed)
    state = {"epoch": 0, "history": [], "best_val_map50": -1.0, "best_epoch": 0, "train_seconds": 0.0}
    last = os.path.join(args.checkpoint, "last.pt") if args.checkpoint else None
    best = os.path.join(args.checkpoint, "best.pt") if args.checkpoint else None
    best_weights = None
    if args.checkpoint:
        os.makedirs(args.checkpoint, exist_ok=True)
    if last and os.path.exists(last):
        saved = torch.load(last)
        model.load_state_dict(saved["model"])
        optimizer.m, optimizer.v, optimizer.steps = saved["m"], saved["v"], saved["steps"]
        rng.bit_generator.state = saved["rng"]
        state = saved["state"]
        print(f"resuming after epoch {state['epoch']} (best val mAP@0.5 {state['best_val_map50']:.4f})")
    print(f"training {len(train_images)} images ({len(val_images)} val, {len(test_images)} test) at {side} px, "
          f"{classes} classes, {args.epochs} epochs of {per_epoch} steps, augmentation {aug}")
    iteration = state["epoch"] * per_epoch
    for epoch in range(state["epoch"] + 1, args.epochs + 1):
        model.train()
        started, loss_sum, steps = time.time(), 0.0, 0
        order = rng.permutation(len(train_images))
        for inputs, targets in batches(train_images, order, args.batch_size, side, grid, anchors, classes, aug, rng):
            model.zero_grad()
            loss = yolo.yolo_loss(model(inputs), targets, anchors, classes) / len(inputs)
            loss.backward()
            optimizer.step(yolo.learning_rate(args.learning_rate, warmup, total, iteration))
            loss_sum, steps, iteration = loss_sum + loss.item(), steps + 1, iteration + 1
        seconds = time.time() - started
        state["train_seconds"] += seconds
        val_map = None
        if epoch % args.eval_every == 0 or epoch == args.epochs:
            val_map = evaluate(model, val_images, side, grid, anchors, classes, args.batch_size)
            if val_map > state["best_val_map50"]:
                state["best_val_map50"], state["best_epoch"] = val_map, epoch
                best_weights = {k: v.clone() for k, v in model.state_dict().items()}
                if best:
                    torch.save(best_weights, best)
        state["epoch"] = epoch
        state["history"].append({"epoch": epoch, "loss": loss_sum / steps, "val_map50": val_map,
                                 "images_per_second": len(train_images) / seconds})
        if last:
            torch.save({"model": model.state_dict(), "m": optimizer.m, "v": optimizer.v, "steps": optimizer.steps,
                        "rng": rng.bit_generator.state, "state": state}, last + ".tmp")
            os.replace(last + ".tmp", last)
        shown = "  -   " if val_map is None else f"{val_map:.4f}"
        print(f"epoch {epoch}/{args.epochs}  loss {loss_sum / steps:.4f}  val mAP@0.5 {shown}  "
              f"{len(train_images) / seconds:.1f} img/s", flush=True)
    if best_weights is None and best and os.path.exists(best):
        best_weights = torch.load(best)
    if best_weights is not None:
        model.load_state_dict(best_weights)
    test_map = evaluate(model, test_images, side, grid, anchors, classes, args.batch_size)
    print(f"best val mAP@0.5 {state['best_val_map50']:.4f} at epoch {state['best_epoch']}; "
          f"test mAP@0.5 {test_map:.4f}")
    if args.result:
        with open(args.result, "w") as f:
            json.dump({"val_map50": state["best_val_map50"], "best_epoch": state["best_epoch"],
                       "test_map50": test_map, "epochs": state["epoch"], "train_seconds": state["train_seconds"],
                       "augmentation": aug, "history": state["history"]}, f, indent=2)
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="compare the reference with DL4J on the exported image")
    check_parser.add_argument("export", help="directory written by ReferenceExport")
    check_parser.add_argument("--tolerance", type=float, default=1e-4,
                              help="largest difference allowed, relative to the largest output magnitude")
    batch_parser = commands.add_parser("check-batch", help="compare input, labels and loss on the exported batch")
    batch_parser.add_argument("export", help="directory written by ReferenceExport --batch=N")
    batch_parser.add_argument("--tolerance", type=float, default=1e-4,
                              help="largest difference allowed, relative to the largest magnitude")
    record_parser = commands.add_parser("record", help="write the benchmark record of checked exports")
    record_parser.add_argument("out", help="the record, e.g. docs/bench/detection-reference.json")
    record_parser.add_argument("exports", nargs="+", help="directories checked by check and check-batch")
    record_parser.add_argument("--command-line", dest="command_text", required=True,
                               help="the command line that ran the checks")
    train_parser = commands.add_parser("train", help="train the exported network on a VOC folder")
    train_parser.add_argument("export", help="directory written by ReferenceExport (with the dataset's --classes)")
    train_parser.add_argument("voc", help="VOC folder written by sparknas data synth --format voc")
    train_parser.add_argument("--epochs", type=int, default=1)
    train_parser.add_argument("--batch-size", type=int, default=32)
    train_parser.add_argument("--learning-rate", type=float, default=0.002)
    train_parser.add_argument("--warmup-epochs", type=float, default=1.0)
    train_parser.add_argument("--weight-decay", type=float, default=0.0005)
    train_parser.add_argument("--limit", type=int, default=0, help="use only the first N images of each split")
    train_parser.add_argument("--seed", type=int, default=1)
    train_parser.add_argument("--eval-every", type=int, default=1, help="validate every N epochs (and after the last)")
    train_parser.add_argument("--augment", default="", help='augmentation overrides as JSON, e.g. {"flip": 0}')
    train_parser.add_argument("--checkpoint", default="", help="folder for per-epoch checkpoints; a rerun resumes")
    train_parser.add_argument("--result", default="", help="write the figures of the run to this JSON file")
    args = parser.parse_args(argv)
    torch.set_num_threads(int(os.environ.get("REFERENCE_THREADS", "1")))
    if args.command == "check":
        return 0 if check(args.export, args.tolerance) else 1
    if args.command == "check-batch":
        return 0 if check_batch(args.export, args.tolerance) else 1
    if args.command == "record":
        return record(args.out, args.command_text, args.exports)
    return train(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
