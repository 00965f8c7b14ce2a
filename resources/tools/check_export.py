#!/usr/bin/env python3
"""Runs a NeuralCanvas export in an independent runtime and compares it with the app's logits.

  check_export.py --format torchscript|onnx|python|tflite --file EXPORT [--model M.ncmodel]
                  --input IMAGES.u8 --shape N,C,H,W --expected LOGITS.f32 [--save-output Y.f32]
                  [--input-dtype f32] [--no-argmax]

--input-dtype f32: the input is float32 as it is (a generative model's decoder reads latents
[N, width, 1, 1], not uint8 images); --no-argmax: the outputs are pixels, not class scores, so
only their differences count.

TorchScript and the generated PyTorch code run in Python's torch; ONNX runs in ONNX Runtime
(npm onnxruntime-node, under Node.js) when --node-modules names a folder that holds it, else in
OpenCV's dnn module; TFLite runs in both ArmNN (Debian's python3-pyarmnn, CpuRef backend) and
LiteRT (npm @litertjs/core, WebAssembly, under Node.js), images one at a time and channels last.
Prints one JSON line: the largest absolute difference (over every runtime used), the share of
images whose top class agrees, and the class names found in the file's metadata.
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
    ap.add_argument("--save-output")
    ap.add_argument("--input-dtype", default="u8")
    ap.add_argument("--no-argmax", action="store_true")
    a = ap.parse_args()
    shape = [int(v) for v in a.shape.split(",")]
    if a.input_dtype == "f32":
        x = np.fromfile(a.input, dtype=np.float32).reshape(shape)
    else:
        x = np.fromfile(a.input, dtype=np.uint8).reshape(shape).astype(np.float32) / np.float32(255.0)
    expected = np.fromfile(a.expected, dtype=np.float32).reshape(shape[0], -1)
    class_names = None
    runtime = ""
    per_runtime = None
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
    elif a.format == "tflite":
        class_names = tflite_class_names(a.file)
        nhwc = np.ascontiguousarray(x.transpose(0, 2, 3, 1))
        outputs = []
        try:
            outputs.append(run_in_armnn(a.file, nhwc))
        except ImportError:
            pass
        litert = litert_package(a.node_modules)
        if litert:
            outputs.append(run_in_litert(litert, a.file, nhwc))
        if not outputs:
            sys.exit("no TFLite runtime: install python3-pyarmnn or npm @litertjs/core (scripts/install-deps.sh)")
        runtime = " and ".join(r for r, _ in outputs)
        per_runtime = {r: float(np.max(np.abs(out - expected))) for r, out in outputs}
        # The worse of the runtimes is what is reported (and saved).
        y = max((out for _, out in outputs), key=lambda out: float(np.max(np.abs(out - expected))))
    else:
        sys.exit("unknown format " + a.format)
    if a.save_output:
        np.ascontiguousarray(y, dtype=np.float32).tofile(a.save_output)
    diff = float(np.max(np.abs(y - expected)))
    agree = np.ones(shape[0], dtype=bool) if a.no_argmax else y.argmax(1) == expected.argmax(1)
    print(json.dumps({"format": a.format, "runtime": runtime, "max_abs_diff": diff, "class_names": class_names,
                      "argmax_agrees": bool(agree.all()), "agreement": float(agree.mean()),
                      "per_runtime": per_runtime}))


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


def run_in_node(script_text, suffix, package, file, x, runtime):
    """Runs `script_text` (run.js / run.mjs) under Node.js on the images `x` (float32) and reads
    its logits back: argv is PACKAGE FILE INPUT SHAPE OUTPUT. Returns (name and version, logits)."""
    with open(os.path.join(package, "package.json")) as f:
        version = json.load(f)["version"]
    with tempfile.TemporaryDirectory() as tmp:
        script, inp, out = (os.path.join(tmp, n) for n in ("run" + suffix, "in.f32", "out.f32"))
        with open(script, "w") as f:
            f.write(script_text)
        np.ascontiguousarray(x, dtype=np.float32).tofile(inp)
        shape = ",".join(str(d) for d in x.shape)
        r = subprocess.run(["node", script, package, file, inp, shape, out], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(runtime + ": " + (r.stderr.strip().splitlines() or ["failed"])[-1])
        y = np.fromfile(out, dtype=np.float32).reshape(x.shape[0], -1)
    return runtime + " " + version, y


def run_in_onnxruntime(package, file, x):
    name, y = run_in_node(_ORT_SCRIPT, ".js", package, file, x, "ONNX Runtime")
    return name + " (Node.js)", y


def tflite_class_names(file):
    """The class names in the file's "neuralcanvas" metadata (a JSON buffer), found without a
    FlatBuffers library: the JSON object that holds "class_names"."""
    data = open(file, "rb").read()
    if data[4:8] != b"TFL3":
        sys.exit("not a TFLite file (no TFL3 identifier)")
    start = data.find(b'{"class_names"')
    if start < 0:
        return None
    return json.JSONDecoder().raw_decode(data[start:].decode("utf-8", "replace"))[0]["class_names"]


def run_in_armnn(file, x):
    import io
    import contextlib
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        import pyarmnn as ann  # prints which of its parsers this build lacks
    parser = ann.ITfLiteParser()
    network = parser.CreateNetworkFromBinaryFile(file)
    inputs = parser.GetNetworkInputBindingInfo(0, parser.GetSubgraphInputTensorNames(0)[0])
    output = parser.GetNetworkOutputBindingInfo(0, parser.GetSubgraphOutputTensorNames(0)[0])
    runtime = ann.IRuntime(ann.CreationOptions())
    optimized, _ = ann.Optimize(network, [ann.BackendId("CpuRef")], runtime.GetDeviceSpec(), ann.OptimizerOptions())
    net_id, _ = runtime.LoadNetwork(optimized)
    rows = []
    for i in range(x.shape[0]):
        out_tensors = ann.make_output_tensors([output])
        runtime.EnqueueWorkload(net_id, ann.make_input_tensors([inputs], [x[i:i + 1]]), out_tensors)
        rows.append(ann.workload_tensors_to_ndarray(out_tensors)[0].reshape(1, -1))
    return "ArmNN " + ann.ARMNN_VERSION + " (CpuRef)", np.concatenate(rows).astype(np.float32)


def litert_package(folder):
    if not folder or not shutil.which("node"):
        return None
    package = os.path.join(folder, "@litertjs", "core")
    return package if os.path.isfile(os.path.join(package, "package.json")) else None


# LiteRT.js loads its WebAssembly glue with a <script> tag or importScripts, which Node.js lacks:
# the shim below gives it importScripts (running the glue in this context), require and __dirname.
_LITERT_SCRIPT = r"""
import vm from 'node:vm';
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';
import {fileURLToPath, pathToFileURL} from 'node:url';
const [pkg, file, input, shape, output] = process.argv.slice(2);
const wasmDir = path.join(pkg, 'wasm');
globalThis.self = globalThis;
globalThis.require = createRequire(path.join(wasmDir, 'loader.js'));
globalThis.__dirname = wasmDir;
globalThis.importScripts = (url) => {
  const f = url.startsWith('file:') ? fileURLToPath(url) : url;
  vm.runInThisContext(fs.readFileSync(f, 'utf8'), {filename: f});
};
const say = console.error;
console.log = console.info = console.warn = console.error = () => {};  // its progress chatter
try {
  const lrt = await import(pathToFileURL(path.join(pkg, 'dist', 'index.js')).href);
  await lrt.loadLiteRt(pathToFileURL(wasmDir).href + '/');
  const model = await lrt.loadAndCompile(new Uint8Array(fs.readFileSync(file)), {accelerator: 'wasm'});
  const [n, h, w, c] = shape.split(',').map(Number);
  const raw = fs.readFileSync(input);
  const all = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
  const rows = [];
  for (let i = 0; i < n; ++i) {
    const x = all.slice(i * h * w * c, (i + 1) * h * w * c);
    const out = await model.run([new lrt.Tensor(x, [1, h, w, c])]);
    rows.push(Float32Array.from(out[0].toTypedArray()));
  }
  const y = new Float32Array(rows.reduce((s, r) => s + r.length, 0));
  let at = 0;
  for (const r of rows) { y.set(r, at); at += r.length; }
  fs.writeFileSync(output, Buffer.from(y.buffer));
  process.exit(0);
} catch (e) { say(String(e && e.message || e)); process.exit(1); }
"""


def run_in_litert(package, file, x):
    name, y = run_in_node(_LITERT_SCRIPT, ".mjs", package, file, x, "LiteRT.js")
    return name + " (WebAssembly)", y


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
