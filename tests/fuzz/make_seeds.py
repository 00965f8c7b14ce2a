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


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", help="neuralcanvas-cli, to save a real .ncmodel seed")
    args = ap.parse_args()
    project_seeds(); idx_seeds(); cifar_seeds(); safetensors_seeds(); ncmodel_seeds(args.cli); image_seeds()
