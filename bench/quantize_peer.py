#!/usr/bin/python3
"""The PyTorch int8 peer of `neuralcanvas-cli compress --quantize int8` (issue 15).

Takes the same trained model as the app, through its PyTorch-code export, and quantises it the way
PyTorch documents post-training static quantisation: FX graph mode, the onednn default qconfig
mapping, calibrated on the same number of training images, spread evenly across the training set.
Prints one JSON line: float and int8 test accuracy, and the forward time of each at batch 1 and 64
(median of repeated runs after warm-up, with the thread count given).

    /usr/bin/python3 bench/quantize_peer.py MODEL.py MODEL.ncmodel [--calibration 512]
        [--threads 1] [--test-limit 10000]
"""
import argparse
import gzip
import importlib.util
import json
import os
import sys
import time

import numpy as np
import torch


def read_idx_gz(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(raw[3])]
    offset = 4 + 4 * raw[3]
    return np.frombuffer(raw, dtype=np.uint8, count=int(np.prod(dims)), offset=offset).reshape(dims)


def fashion(split):
    folder = os.environ.get("NC_DATA_DIR", "/usr/share/datasets/fashion-mnist")
    prefix = "train" if split == "train" else "t10k"
    x = read_idx_gz(os.path.join(folder, f"{prefix}-images-idx3-ubyte.gz"))
    y = read_idx_gz(os.path.join(folder, f"{prefix}-labels-idx1-ubyte.gz"))
    return torch.from_numpy(x.copy()).unsqueeze(1).float().div_(255.0), torch.from_numpy(y.astype(np.int64))


def accuracy(model, x, y):
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 256):
            correct += int((model(x[i:i + 256]).argmax(1) == y[i:i + 256]).sum())
    return correct / len(x)


def median_ms(model, x, seconds=1.0):
    with torch.no_grad():
        for _ in range(3):
            model(x)
        runs = []
        end = time.perf_counter() + seconds
        while len(runs) < 5 or time.perf_counter() < end:
            t0 = time.perf_counter()
            model(x)
            runs.append((time.perf_counter() - t0) * 1000.0)
    runs.sort()
    return runs[len(runs) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("module")
    ap.add_argument("model")
    ap.add_argument("--calibration", type=int, default=512)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--test-limit", type=int, default=10000)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.backends.quantized.engine = "onednn" if "onednn" in torch.backends.quantized.supported_engines else "qnnpack"

    spec = importlib.util.spec_from_file_location("exported", args.module)
    exported = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exported)
    model = exported.load_ncmodel(args.model)
    # torch's quantized convolution takes numbers, not padding="same": the same padding as numbers
    # (odd kernels, stride 1, as the templates use it).
    for m in model.modules():
        if isinstance(m, torch.nn.Conv2d) and m.padding == "same":
            m.padding = tuple(d * (k - 1) // 2 for k, d in zip(m.kernel_size, m.dilation))
            m._reversed_padding_repeated_twice = [p for p in reversed(m.padding) for _ in range(2)]

    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

    train_x, _ = fashion("train")
    test_x, test_y = fashion("test")
    test_x, test_y = test_x[:args.test_limit], test_y[:args.test_limit]
    picks = torch.tensor([i * len(train_x) // args.calibration for i in range(args.calibration)])
    calibration = train_x.index_select(0, picks)

    engine = torch.backends.quantized.engine
    if any(isinstance(m, (torch.nn.LSTM, torch.nn.GRU)) for m in model.modules()):
        # FX static quantisation has no recurrent layers; PyTorch's documented way for them is
        # dynamic quantisation (int8 weights, activations quantised on the fly).
        scheme = "dynamic (quantize_dynamic: LSTM, GRU, Linear)"
        int8 = torch.ao.quantization.quantize_dynamic(model, {torch.nn.LSTM, torch.nn.GRU, torch.nn.Linear},
                                                       dtype=torch.qint8)
    else:
        scheme = "static (FX, default qconfig mapping)"
        prepared = prepare_fx(model, get_default_qconfig_mapping(engine), example_inputs=(calibration[:1],))
        with torch.no_grad():
            for i in range(0, len(calibration), 64):
                prepared(calibration[i:i + 64])
        int8 = convert_fx(prepared)

    result = {"engine": engine, "scheme": scheme, "threads": args.threads, "calibration_images": args.calibration,
              "test_images": len(test_x), "float_accuracy": accuracy(model, test_x, test_y),
              "int8_accuracy": accuracy(int8, test_x, test_y), "timing": []}
    for batch in (1, 64):
        x = train_x[:batch]
        f, q = median_ms(model, x), median_ms(int8, x)
        result["timing"].append({"batch": batch, "float_ms": f, "int8_ms": q, "speedup": f / q})
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
