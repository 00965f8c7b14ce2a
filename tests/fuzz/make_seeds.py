#!/usr/bin/python3
"""Writes the seed inputs of tests/fuzz/corpus/<target>/: seed-* (tiny valid files of each format)
and bad-* (hand-written invalid ones).

Run by scripts/fuzz.sh --seeds (the committed seeds came from it). The .ncmodel seeds are saved by
neuralcanvas-cli from a tiny model when a CLI is given (--cli PATH); otherwise only the
hand-written ones are made. Images are written with OpenCV (python3-opencv).
"""
import argparse, gzip, json, os, struct, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def join2(a: bytes, b: bytes) -> bytes:
    return struct.pack("<I", len(a)) + a + b


def write(target, name, data, prefix="seed-"):
    """seed-* files are valid and must parse; bad-* are hand-written invalid ones."""
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, prefix + name), "wb") as f:
        f.write(data)


def tiny_graph():
    return {"nodes": [{"id": "input", "type": "Input", "params": {}, "pos": [0, 0]},
                      {"id": "conv1", "type": "Conv2d", "params": {"out_channels": 2, "kernel_size": 3, "padding": "same"}, "pos": [0, 90]},
                      {"id": "bn1", "type": "BatchNorm2d", "params": {}, "pos": [0, 135]},
                      {"id": "relu1", "type": "ReLU", "params": {}, "pos": [0, 180]},
                      {"id": "pool", "type": "GlobalAvgPool2d", "params": {}, "pos": [0, 270]},
                      {"id": "flat", "type": "Flatten", "params": {}, "pos": [0, 300]},
                      {"id": "dense1", "type": "Linear", "params": {"out_features": 3}, "pos": [0, 360]},
                      {"id": "output", "type": "Output", "params": {"loss": "cross_entropy"}, "pos": [0, 450]}],
            "edges": [{"from": "input:out", "to": "conv1:in"}, {"from": "conv1:out", "to": "bn1:in"},
                      {"from": "bn1:out", "to": "relu1:in"}, {"from": "relu1:out", "to": "pool:in"},
                      {"from": "pool:out", "to": "flat:in"}, {"from": "flat:out", "to": "dense1:in"},
                      {"from": "dense1:out", "to": "output:in"}]}


def project_seeds():
    for name in ("mlp", "lenet5", "resnet-mini"):
        p = os.path.join(ROOT, "resources", "templates", name + ".ncproj")
        with open(p, "rb") as f:
            doc = json.load(f)
        write("project", name + ".ncproj", json.dumps(doc, separators=(",", ":")).encode())
    g = tiny_graph()
    # Version 0 kept nodes and edges at the top level (migrated on load).
    write("project", "v0.ncproj", json.dumps({"format": "neuralcanvas-project", "version": 0, "name": "v0",
                                              "nodes": g["nodes"], "edges": g["edges"]}).encode())
    # Add/Concat with several inputs, every training key.
    doc = {"format": "neuralcanvas-project", "version": 1, "name": "branches", "dataset": "shapes:64",
           "graph": {"nodes": [{"id": "input", "type": "Input"},
                               {"id": "a", "type": "Conv2d", "params": {"out_channels": 4, "kernel_size": 3, "padding": 1}},
                               {"id": "b", "type": "Conv2d", "params": {"out_channels": 4, "kernel_size": 1}},
                               {"id": "sum", "type": "Add", "params": {"inputs": 2}},
                               {"id": "cat", "type": "Concat", "params": {"inputs": 2}},
                               {"id": "gap", "type": "GlobalAvgPool2d"},
                               {"id": "fc", "type": "Linear", "params": {"out_features": 3}},
                               {"id": "output", "type": "Output", "params": {"label_smoothing": 0.1}}],
                     "edges": [{"from": "input:out", "to": "a:in"}, {"from": "input:out", "to": "b:in"},
                               {"from": "a:out", "to": "sum:in0"}, {"from": "b:out", "to": "sum:in1"},
                               {"from": "sum:out", "to": "cat:in0"}, {"from": "a:out", "to": "cat:in1"},
                               {"from": "cat:out", "to": "gap:in"}, {"from": "gap:out", "to": "fc:in"},
                               {"from": "fc:out", "to": "output:in"}]},
           "training": {"epochs": 2, "batch_size": 8, "optimizer": "sgd", "learning_rate": 0.1, "momentum": 0.9,
                        "weight_decay": 0.0001, "schedule": "step", "step_size": 1, "gamma": 0.5,
                        "label_smoothing": -1, "grad_clip_norm": 1.0, "early_stopping_patience": 3,
                        "augment_flip": True, "augment_pad_crop": 2, "validation_fraction": 0.1, "seed": 7,
                        "device": "cpu", "precision": "fp32", "threads": 1, "limit_train": 32},
           "runs": [{"id": "20240101-000000", "dir": "x.runs/20240101-000000", "result": {"val_accuracy": 0.5}}]}
    write("project", "branches.ncproj", json.dumps(doc).encode())


def idx_seeds():
    images = struct.pack(">IIII", 0x803, 2, 3, 3) + bytes(range(18))
    labels = struct.pack(">II", 0x801, 2) + bytes([0, 1])
    write("idx", "plain", join2(images, labels))
    write("idx", "gzip", join2(gzip.compress(images, mtime=0), gzip.compress(labels, mtime=0)))


def cifar_seeds():
    rec = lambda label, v: bytes([label]) + bytes([v]) * 3072
    write("cifar", "standard-names", join2(b"", rec(3, 7) + rec(9, 200)))
    write("cifar", "meta", join2(b"cat\n  dog \r\n\n", rec(1, 0)))


def safetensors_bytes(header: dict, data: bytes) -> bytes:
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


def safetensors_seeds():
    hdr = {"__metadata__": {"format": "pt"},
           "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
           "b": {"dtype": "I64", "shape": [1, 1], "data_offsets": [8, 16]},
           "c": {"dtype": "BF16", "shape": [0], "data_offsets": [16, 16]},
           "d": {"dtype": "BOOL", "shape": [], "data_offsets": [16, 17]}}
    write("safetensors", "small", safetensors_bytes(hdr, struct.pack("<ffq", 1.0, -2.0, 5) + b"\x01"))
    write("safetensors", "empty", safetensors_bytes({}, b""))


def ncmodel_seeds(cli):
    graph = tiny_graph()
    meta = {"format": "neuralcanvas-model", "version": "1", "graph": json.dumps(graph),
            "input_shape": "[3,8,8]", "class_names": json.dumps(["a", "b", "c"]),
            "normalization": json.dumps({"mean": [0.5] * 3, "std": [0.25] * 3}),
            "metrics": json.dumps({"epoch": 1, "val_accuracy": 0.5})}
    # Metadata only (the tensors are not checked before the network is built).
    write("ncmodel", "metadata-only", safetensors_bytes({"__metadata__": meta}, b""))
    if not cli:
        return
    with tempfile.TemporaryDirectory() as tmp:
        proj = {"format": "neuralcanvas-project", "version": 1, "name": "tiny", "dataset": "shapes:16",
                "graph": graph, "training": {"epochs": 1, "batch_size": 8, "threads": 1}}
        pp = os.path.join(tmp, "tiny.ncproj")
        with open(pp, "w") as f:
            json.dump(proj, f)
        subprocess.run([cli, "train", pp, "--dataset", "shapes:16", "--epochs", "1", "--threads", "1",
                        "--out", os.path.join(tmp, "run")], check=True, stdout=subprocess.DEVNULL)
        found = [os.path.join(dp, f) for dp, _, fs in os.walk(tmp) for f in fs if f.endswith(".ncmodel")]
        if not found:
            sys.exit("make_seeds: the CLI wrote no .ncmodel")
        with open(found[0], "rb") as f:
            write("ncmodel", "cli-tiny.ncmodel", f.read())


def read_safetensors(data: bytes):
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {k: (v["dtype"], v["shape"], data[base + v["data_offsets"][0]:base + v["data_offsets"][1]])
               for k, v in header.items()}
    return tensors, meta


def build_safetensors(tensors: dict, meta: dict) -> bytes:
    header, blob = {"__metadata__": meta}, b""
    for k, (dtype, shape, raw) in tensors.items():
        header[k] = {"dtype": dtype, "shape": shape, "data_offsets": [len(blob), len(blob) + len(raw)]}
        blob += raw
    return safetensors_bytes(header, blob)


def ncmodel_int8_seeds(cli):
    """The whole-model target (Model::load on torch): a tiny float model, its int8 self from
    `compress`, and int8 files damaged the ways the reader must refuse."""
    if not cli:
        return
    with tempfile.TemporaryDirectory() as tmp:
        proj = {"format": "neuralcanvas-project", "version": 1, "name": "tiny", "dataset": "shapes:16",
                "graph": tiny_graph(), "training": {"epochs": 1, "batch_size": 8, "threads": 1}}
        pp = os.path.join(tmp, "tiny.ncproj")
        with open(pp, "w") as f:
            json.dump(proj, f)
        subprocess.run([cli, "train", pp, "--dataset", "shapes:16", "--epochs", "1", "--threads", "1",
                        "--out", os.path.join(tmp, "run")], check=True, stdout=subprocess.DEVNULL)
        fm, qm = os.path.join(tmp, "run", "best.ncmodel"), os.path.join(tmp, "int8.ncmodel")
        subprocess.run([cli, "compress", fm, "--quantize", "int8", "--dataset", "shapes:16", "--calibration", "16",
                        "--no-timing", "--threads", "1", "-o", qm], check=True, stdout=subprocess.DEVNULL)
        floaty, int8 = open(fm, "rb").read(), open(qm, "rb").read()
    write("ncmodel_int8", "cli-tiny.ncmodel", floaty)
    write("ncmodel_int8", "cli-tiny-int8.ncmodel", int8)
    tensors, meta = read_safetensors(int8)
    q = json.loads(meta["quantization"])

    def variant(name, tensors=tensors, meta=meta, q=q):
        m = dict(meta)
        m["quantization"] = json.dumps(q)
        write("ncmodel_int8", name, build_safetensors(tensors, m), prefix="bad-")

    for label, value in (("zero", 0.0), ("nan", float("nan")), ("negative", -1.0), ("inf", float("inf"))):
        t = dict(tensors)
        dtype, shape, raw = t["conv1.weight_scale"]
        t["conv1.weight_scale"] = (dtype, shape, struct.pack("<f", value) + raw[4:])
        variant(f"weight-scale-{label}.ncmodel", tensors=t)
    for label, step, key, value in (("activation-scale-zero", "conv1", "scale", 0.0),
                                    ("activation-scale-negative", "dense1", "scale", -0.5),
                                    ("zero-point-300", "conv1", "zero_point", 300),
                                    ("zero-point-negative", "dense1", "zero_point", -1),
                                    ("zero-point-fraction", "conv1", "zero_point", 3.5)):
        qq = json.loads(json.dumps(q))
        qq["steps"][step][key] = value
        variant(f"{label}.ncmodel", q=qq)
    qq = json.loads(json.dumps(q))
    qq["input"]["scale"] = 1e-320
    variant("input-scale-denormal.ncmodel", q=qq)
    qq = json.loads(json.dumps(q))
    qq["steps"]["conv1"]["kind"] = "float"
    variant("kind-changed.ncmodel", q=qq)
    # int8 weights stored with a float dtype (and the bytes to match), and with a wrong shape
    t = dict(tensors)
    dtype, shape, raw = t["conv1.weight"]
    t["conv1.weight"] = ("F32", shape, struct.pack(f"<{len(raw)}f", *struct.unpack(f"<{len(raw)}b", raw)))
    variant("int8-weight-as-f32.ncmodel", tensors=t)
    t = dict(tensors)
    t["conv1.weight"] = ("I8", [shape[0], shape[1] * shape[2] * shape[3]], raw)
    variant("int8-weight-flattened.ncmodel", tensors=t)
    t = dict(tensors)
    del t["dense1.weight_scale"]
    variant("weight-scale-missing.ncmodel", tensors=t)
    m = dict(meta)
    m["quantization"] = "{not json"
    write("ncmodel_int8", "quantization-not-json.ncmodel", build_safetensors(tensors, m), prefix="bad-")


def image_seeds():
    import cv2
    import numpy as np
    img = np.zeros((6, 9, 3), np.uint8)
    img[1:4, 2:6] = (0, 128, 255)
    for ext, params in ((".png", []), (".jpg", [cv2.IMWRITE_JPEG_QUALITY, 50]), (".bmp", []),
                        (".ppm", []), (".tiff", []), (".webp", [cv2.IMWRITE_WEBP_QUALITY, 50])):
        ok, buf = cv2.imencode(ext, img, params)
        if ok:
            write("image", "color" + ext, buf.tobytes())
    ok, buf = cv2.imencode(".png", img[:, :, 0])
    write("image", "gray.png", buf.tobytes())
    # A GIF header (OpenCV 4.6 does not decode GIF; the header size check still reads it).
    write("image", "tiny.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
                               b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;", prefix="bad-")


def http_request(method, target, body=b"", headers=()):
    head = [f"{method} {target} HTTP/1.1", "Host: localhost"]
    head += [f"{k}: {v}" for k, v in headers]
    if body or method == "POST":
        head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def serve_request_seeds():
    """HTTP requests for a served model "m" with a 1x4x4 input and three classes (FuzzTargets.h)."""
    import base64
    pixels = [round(i / 15, 4) for i in range(16)]
    image = [[pixels[r * 4:(r + 1) * 4] for r in range(4)]]
    js = lambda o: json.dumps(o).encode()
    ctype = ("Content-Type", "application/json")
    infer = {"id": "42", "inputs": [{"name": "input", "shape": [1, 1, 4, 4], "datatype": "FP32", "data": pixels}]}
    write("serve_request", "v2-infer.http", http_request("POST", "/v2/models/m/infer", js(infer), [ctype]))
    infer2 = {"inputs": [{"name": "input", "shape": [2, 1, 4, 4], "datatype": "UINT8", "data": [[int(v * 255) for v in pixels]] * 2}],
              "outputs": [{"name": "probabilities"}]}
    write("serve_request", "v2-infer-uint8-versions.http",
          http_request("POST", "/v2/models/m/versions/1/infer", js(infer2), [ctype]))
    header = js({"inputs": [{"name": "input", "shape": [1, 1, 4, 4], "datatype": "FP32",
                             "parameters": {"binary_data_size": 64}}],
                 "outputs": [{"name": "logits", "parameters": {"binary_data": True}}]})
    binary = struct.pack("<16f", *pixels)
    write("serve_request", "v2-infer-binary.http",
          http_request("POST", "/v2/models/m/infer", header + binary,
                       [("Content-Type", "application/octet-stream"), ("Inference-Header-Content-Length", len(header))]))
    write("serve_request", "v1-predict-instances.http",
          http_request("POST", "/v1/models/m:predict", js({"instances": [image, image]}), [ctype]))
    write("serve_request", "v1-predict-inputs.http",
          http_request("POST", "/v1/models/m/versions/1:predict", js({"inputs": [image]}), [ctype]))
    write("serve_request", "v2-explain.http",
          http_request("POST", "/v2/models/m/explain",
                       js({"inputs": infer["inputs"], "parameters": {"method": "grad-cam", "target": 2}}), [ctype]))
    write("serve_request", "chunked-infer.http",
          ("POST /v2/models/m/infer HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
           f"{len(js(infer)):x}\r\n").encode() + js(infer) + b"\r\n0\r\n\r\n")
    write("serve_request", "get-health.http", http_request("GET", "/v2/health/ready"))
    write("serve_request", "json.http", http_request("POST", "/v2/models/m/infer", b'{"inputs": [', [ctype]), prefix="bad-")
    write("serve_request", "shape.http", http_request("POST", "/v2/models/m/infer", js(
        {"inputs": [{"name": "input", "shape": [1, 3, 4, 4], "datatype": "FP32", "data": pixels}]}), [ctype]), prefix="bad-")
    write("serve_request", "datatype-number.http", http_request("POST", "/v2/models/m/infer", js(
        {"inputs": [{"name": "input", "shape": [1, 1, 4, 4], "datatype": 7, "data": pixels}]}), [ctype]), prefix="bad-")
    write("serve_request", "deep.http", http_request("POST", "/v1/models/m:predict", b"[" * 5000, [ctype]), prefix="bad-")
    write("serve_request", "http.http", b"POST /v2/models/m/infer HTTP/1.1\r\nContent-Length: -5\r\n\r\n", prefix="bad-")
    write("serve_request", "length-past-body.http",
          http_request("POST", "/v2/models/m/infer", header,
                       [("Inference-Header-Content-Length", 99999)]), prefix="bad-")
    try:
        import cv2
        import numpy as np
    except ImportError:
        return
    ok, png = cv2.imencode(".png", (np.arange(64, dtype=np.uint8).reshape(8, 8) * 4))
    png = png.tobytes()
    write("serve_request", "v1-classify-png.http",
          http_request("POST", "/v1/models/m:classify?top=2", png, [("Content-Type", "image/png")]))
    boundary = "nc-boundary"
    form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
            "Content-Type: image/png\r\n\r\n").encode() + png + f"\r\n--{boundary}--\r\n".encode()
    write("serve_request", "v1-classify-multipart.http",
          http_request("POST", "/v1/models/m:classify", form,
                       [("Content-Type", f"multipart/form-data; boundary={boundary}")]))
    b64 = base64.b64encode(png).decode()
    write("serve_request", "v1-predict-b64.http",
          http_request("POST", "/v1/models/m:predict", js({"instances": [{"b64": b64}]}), [ctype]))
    write("serve_request", "v1-explain-b64.http",
          http_request("POST", "/v1/models/m:explain", js({"instances": [{"b64": b64}]}), [ctype]))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", help="neuralcanvas-cli, to save a real .ncmodel seed")
    ap.add_argument("--only", help="one target's seeds (e.g. ncmodel_int8)")
    args = ap.parse_args()
    makers = {"project": project_seeds, "idx": idx_seeds, "cifar": cifar_seeds, "safetensors": safetensors_seeds,
              "ncmodel": lambda: ncmodel_seeds(args.cli), "ncmodel_int8": lambda: ncmodel_int8_seeds(args.cli),
              "image": image_seeds, "serve_request": serve_request_seeds}
    for name, make in makers.items():
        if not args.only or args.only == name:
            make()
