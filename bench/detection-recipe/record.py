"""Writes docs/bench/detection-recipe.json from the trainings bench/detection-recipe.sh left in its cache folder:
ours-digits/training.json and ours-shapes/training.json (sparknas train) and pytorch-digits/result.json
(bench/detection-reference/reference.py train).

    record.py OUT CACHE --epochs N --shapes-epochs M --command-line TEXT
"""

import argparse
import datetime
import json
import os
import subprocess
import sys


def load(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("cache")
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--shapes-epochs", type=int, required=True)
    parser.add_argument("--command-line", dest="command_text", required=True)
    args = parser.parse_args(argv)
    ours = load(os.path.join(args.cache, "ours-digits", "training.json"))
    torch_result = load(os.path.join(args.cache, "pytorch-digits", "result.json"))
    shapes = load(os.path.join(args.cache, "ours-shapes", "training.json"))
    missing = [name for name, value in (("ours-digits", ours), ("pytorch-digits", torch_result),
                                        ("ours-shapes", shapes)) if value is None]
    if missing:
        print(f"not recorded: no finished training in {', '.join(missing)} under {args.cache}", file=sys.stderr)
        return 1
    try:
        revision = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                                  check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        revision = "unknown"
    pytorch_minutes = torch_result["train_seconds"] / 60
    figures = {
        "dataset": "synthetic-real (built-in digits, 160 px, 3000/500/500 images, seed 7), as a VOC folder",
        "architecture": ours["architecture"],
        "resolution": ours["resolution"],
        "epochs": args.epochs,
        "ours_val_map50": ours["valMap50"],
        "ours_test_map50": ours["testMap50"],
        "ours_best_epoch": ours["bestEpoch"],
        "ours_minutes": ours["trainMinutes"],
        "pytorch_val_map50": torch_result["val_map50"],
        "pytorch_test_map50": torch_result["test_map50"],
        "pytorch_best_epoch": torch_result["best_epoch"],
        "pytorch_train_minutes": pytorch_minutes,
        "ours_over_pytorch_val": ours["valMap50"] / torch_result["val_map50"] if torch_result["val_map50"] > 0
        else None,
        "shapes_epochs": args.shapes_epochs,
        "shapes_val_map50": shapes["valMap50"],
        "shapes_test_map50": shapes["testMap50"],
        "shapes_minutes": shapes["trainMinutes"],
        "targets": {"ours_val_map50_at_least": 0.35, "ours_minutes_at_most": 45.0,
                    "ours_over_pytorch_at_least": 0.9, "shapes_val_map50_at_least": 0.51},
        "ours_history": [{"epoch": e["epoch"], "loss": e["loss"], "val_map50": e["valMap50"]}
                         for e in ours["history"]],
        "pytorch_history": [{"epoch": e["epoch"], "loss": e["loss"], "val_map50": e["val_map50"]}
                            for e in torch_result["history"]],
    }
    document = {
        "benchmark": "detection-recipe",
        "command": args.command_text,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "git_revision": revision,
        "cores": os.cpu_count(),
        "parameters": {"epochs": args.epochs, "shapes_epochs": args.shapes_epochs, "batch_size": 32,
                       "augmentation": torch_result.get("augmentation")},
        "figures": figures,
    }
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(document, f, indent=2)
    print(f"recorded {args.out}: ours val {figures['ours_val_map50']:.4f} / test {figures['ours_test_map50']:.4f} "
          f"in {figures['ours_minutes']:.1f} min; PyTorch val {figures['pytorch_val_map50']:.4f} / test "
          f"{figures['pytorch_test_map50']:.4f}; shapes val {figures['shapes_val_map50']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
