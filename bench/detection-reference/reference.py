"""PyTorch reference of the SparkNAS detector: a benchmark tool, not part of the application.

The network is rebuilt from the export of executors/src/test/java/io/sparknas/bench/ReferenceExport.java (the layer
table of cost/ArchitectureLowering.java with the DL4J parameters of net/DetectorNetworkBuilder.java), so the same
weights can be run in both frameworks.

    reference.py check EXPORT_DIR [--tolerance 1e-4]

loads the export, runs its image through the PyTorch network and compares the raw prediction grid with DL4J's; it
exits with status 1 when the largest difference exceeds the tolerance relative to the largest output magnitude.
"""

import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


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
    return passed


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="compare the reference with DL4J on the exported image")
    check_parser.add_argument("export", help="directory written by ReferenceExport")
    check_parser.add_argument("--tolerance", type=float, default=1e-4,
                              help="largest difference allowed, relative to the largest output magnitude")
    args = parser.parse_args(argv)
    torch.set_num_threads(int(os.environ.get("REFERENCE_THREADS", "1")))
    if args.command == "check":
        return 0 if check(args.export, args.tolerance) else 1
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
