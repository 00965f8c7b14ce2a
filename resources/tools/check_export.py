#!/usr/bin/env python3
"""Runs a NeuralCanvas export in an independent runtime and compares it with the app's logits.

  check_export.py --format torchscript|onnx|python --file EXPORT [--model M.ncmodel]
                  --input IMAGES.u8 --shape N,C,H,W --expected LOGITS.f32

TorchScript and the generated PyTorch code run in Python's torch; ONNX runs in OpenCV's dnn
module. Prints one JSON line: the largest absolute difference and the class names found in the
file's metadata.
"""
import argparse
import importlib.util
import json
import sys

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--format", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--model")
    ap.add_argument("--input", required=True)
    ap.add_argument("--shape", required=True)
    ap.add_argument("--expected", required=True)
    a = ap.parse_args()
    shape = [int(v) for v in a.shape.split(",")]
    x = np.fromfile(a.input, dtype=np.uint8).reshape(shape).astype(np.float32) / np.float32(255.0)
    expected = np.fromfile(a.expected, dtype=np.float32).reshape(shape[0], -1)
    class_names = None
    runtime = ""
    if a.format == "torchscript":
        import torch
        runtime = "Python torch " + torch.__version__
        extra = {"neuralcanvas.json": ""}
        m = torch.jit.load(a.file, _extra_files=extra)
        with torch.no_grad():
            y = m(torch.from_numpy(x)).numpy()
        class_names = list(m.class_names)
        assert json.loads(extra["neuralcanvas.json"])["class_names"] == class_names
    elif a.format == "python":
        import torch
        runtime = "Python torch " + torch.__version__
        spec = importlib.util.spec_from_file_location("nc_export", a.file)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        m = mod.load_ncmodel(a.model)
        with torch.no_grad():
            y = m(torch.from_numpy(x)).numpy()
        class_names = list(mod.CLASS_NAMES)
    elif a.format == "onnx":
        import cv2
        import onnx
        runtime = "OpenCV dnn " + cv2.__version__
        proto = onnx.load(a.file)
        onnx.checker.check_model(proto)
        meta = {p.key: p.value for p in proto.metadata_props}
        class_names = json.loads(meta["class_names"])
        net = cv2.dnn.readNetFromONNX(a.file)
        net.setInput(x)
        y = net.forward().reshape(shape[0], -1)
    else:
        sys.exit("unknown format " + a.format)
    diff = float(np.max(np.abs(y - expected)))
    print(json.dumps({"format": a.format, "runtime": runtime, "max_abs_diff": diff, "class_names": class_names,
                      "argmax_agrees": bool((y.argmax(1) == expected.argmax(1)).all())}))


if __name__ == "__main__":
    main()
