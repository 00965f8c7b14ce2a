#!/usr/bin/env python3
"""Runs a NeuralCanvas export in an independent runtime and compares it with the app's logits.

  check_export.py --format torchscript|onnx|python --file EXPORT [--model M.ncmodel]
                  --input IMAGES.u8 --shape N,C,H,W --expected LOGITS.f32

TorchScript and the generated PyTorch code run in Python's torch; ONNX runs in ONNX Runtime
(npm onnxruntime-node, under Node.js) when --node-modules names a folder that holds it, else in
OpenCV's dnn module. Prints one JSON line: the largest absolute difference and the class names found in the
file's metadata.
"""
import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--format", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--model")
    ap.add_argument("--input", required=True)
    ap.add_argument("--shape", required=True)
    ap.add_argument("--expected", required=True)
    ap.add_argument("--node-modules")
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
        ort = onnxruntime_node(a.node_modules)
        if ort:
            runtime, y = run_in_onnxruntime(ort, a.file, x)
        else:
            y = run_in_opencv(cv2, proto, a.file, x, shape)
            if any(n.op_type in ("LSTM", "GRU") for n in proto.graph.node):
                runtime += " (recurrent layers: one image at a time)"
    else:
        sys.exit("unknown format " + a.format)
    diff = float(np.max(np.abs(y - expected)))
    print(json.dumps({"format": a.format, "runtime": runtime, "max_abs_diff": diff, "class_names": class_names,
                      "argmax_agrees": bool((y.argmax(1) == expected.argmax(1)).all())}))


def onnxruntime_node(folder):
    """The onnxruntime-node package folder under `folder`, when it and Node.js are there."""
    if not folder or not shutil.which("node"):
        return None
    package = os.path.join(folder, "onnxruntime-node")
    return package if os.path.isfile(os.path.join(package, "package.json")) else None


_ORT_SCRIPT = r"""
const ort = require(process.argv[2]);
const fs = require('fs');
(async () => {
  const [file, input, shape, output] = process.argv.slice(3);
  const dims = shape.split(',').map(Number);
  const raw = fs.readFileSync(input);
  const data = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
  const session = await ort.InferenceSession.create(file, {logSeverityLevel: 3});
  const result = await session.run({[session.inputNames[0]]: new ort.Tensor('float32', data, dims)});
  const y = result[session.outputNames[0]].data;
  fs.writeFileSync(output, Buffer.from(y.buffer, y.byteOffset, y.byteLength));
})().catch(e => { console.error(e.message); process.exit(1); });
"""


def run_in_onnxruntime(package, file, x):
    with open(os.path.join(package, "package.json")) as f:
        version = json.load(f)["version"]
    with tempfile.TemporaryDirectory() as tmp:
        script, inp, out = (os.path.join(tmp, n) for n in ("run.js", "in.f32", "out.f32"))
        with open(script, "w") as f:
            f.write(_ORT_SCRIPT)
        np.ascontiguousarray(x, dtype=np.float32).tofile(inp)
        shape = ",".join(str(d) for d in x.shape)
        r = subprocess.run(["node", script, package, file, inp, shape, out], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("ONNX Runtime: " + (r.stderr.strip().splitlines() or ["failed"])[-1])
        y = np.fromfile(out, dtype=np.float32).reshape(x.shape[0], -1)
    return "ONNX Runtime " + version + " (Node.js)", y


def run_in_opencv(cv2, proto, file, x, shape):
    net = cv2.dnn.readNetFromONNX(file)
    if not any(n.op_type in ("LSTM", "GRU") for n in proto.graph.node):
        net.setInput(x)
        return net.forward().reshape(shape[0], -1)
    # OpenCV 4.6 fixes a recurrent layer's batch size when it reads the file (as 1 for a symbolic
    # batch): feed it one image at a time; every image is still compared.
    rows = []
    for i in range(shape[0]):
        net.setInput(x[i:i + 1])
        rows.append(net.forward().reshape(1, -1))
    return np.concatenate(rows)


if __name__ == "__main__":
    main()
