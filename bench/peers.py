#!/usr/bin/python3
"""Plain-PyTorch peers of the NeuralCanvas templates, and a training-step benchmark.

The five built-in templates (resources/templates/*.ncproj) written as ordinary nn.Module
classes, layer for layer, so that `neuralcanvas-cli bench` can be compared with the same
network trained by PyTorch itself (Debian's python3-torch is the same LibTorch 1.13.1 build
the C++ side links against).

    /usr/bin/python3 bench/peers.py --check
    /usr/bin/python3 bench/peers.py --model keras-cnn --dataset fashion-mnist \
        --batch 128 --steps 50 --warmup 5 --threads 2 [--precision bf16] --json

Two forms of the training loop (--style):

  typical (the default): what a PyTorch user typically writes. A DataLoader over a
    TensorDataset of the uint8 images (batch_size, shuffle=True, drop_last=True, no workers),
    each batch converted to float and normalised, torch.optim.Adam (or the named optimizer)
    with its default arguments, opt.zero_grad(), forward, cross_entropy, backward, step, and
    loss.item() plus the batch accuracy each step for the progress line. The images are held
    in memory and normalised per batch, which is kinder to the peer than per-sample
    transforms on PIL images would be.
  matched: one step does exactly what one NeuralCanvas step did before issue 20
    (core/train/Trainer.cpp), as described below: the fair like-for-like kernel comparison.

In the matched form one step is:
  - the data is held in memory as uint8 [N,C,H,W] plus int64 labels; the epoch's order is a
    random permutation; a batch is gathered by index while still uint8;
  - it is converted to float and normalised per channel as addcmul(shift, x, scale) with
    scale = 1/(255*std) and shift = -mean/std (mean/std of the benchmark's training images);
  - forward (bf16: autocast('cpu', bfloat16) around the forward only), logits.float(),
    cross_entropy (label smoothing 0);
  - gradients set to None, backward, optimizer step (single-tensor Adam, foreach=False);
  - like NeuralCanvas, the loss is read back (loss.item()) and the batch accuracy counted
    (argmax) for the per-batch progress event.
Only the `steps` steps after `warmup` steps are timed. The benchmark uses the first
(warmup + steps) * batch training images, exactly one epoch, like the CLI.

Datasets: `fashion-mnist` reads the Debian package's IDX .gz files (NC_DATA_DIR overrides
the folder) with gzip + numpy. `shapes` does NOT draw circles/squares/triangles: the peer
uses random uint8 images of shape 3x32x32 with 3 classes, which costs the same per step.

Parameter counts on 1x28x28 with 10 classes (checked by --check):
  keras-cnn 93,322  lenet5 61,706  mlp 235,146  vgg-mini 871,082  resnet-mini 77,754
"""

import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------- networks

def _conv_out(size, k, stride=1, pad=0):
    return (size + 2 * pad - k) // stride + 1


class KerasCNN(nn.Module):
    """keras-cnn: conv3x3(32)-relu-maxpool2, conv3x3(64)-relu-maxpool2, conv3x3(64)-relu,
    flatten, dense 64-relu, dense classes."""

    def __init__(self, in_shape=(1, 28, 28), classes=10):
        super().__init__()
        c, h, w = in_shape
        self.conv1 = nn.Conv2d(c, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.conv3 = nn.Conv2d(64, 64, 3)
        for _ in range(2):
            h, w = _conv_out(h, 3) // 2, _conv_out(w, 3) // 2
        h, w = _conv_out(h, 3), _conv_out(w, 3)
        self.dense1 = nn.Linear(64 * h * w, 64)
        self.dense2 = nn.Linear(64, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2, 2)
        x = F.relu(self.conv3(x))
        x = x.flatten(1)
        x = F.relu(self.dense1(x))
        return self.dense2(x)


class LeNet5(nn.Module):
    """lenet5: conv5x5(6, pad 2)-tanh-avgpool2, conv5x5(16)-tanh-avgpool2, flatten,
    dense 120-tanh, dense 84-tanh, dense classes."""

    def __init__(self, in_shape=(1, 28, 28), classes=10):
        super().__init__()
        c, h, w = in_shape
        self.conv1 = nn.Conv2d(c, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        h, w = _conv_out(h, 5, 1, 2) // 2, _conv_out(w, 5, 1, 2) // 2
        h, w = _conv_out(h, 5) // 2, _conv_out(w, 5) // 2
        self.dense1 = nn.Linear(16 * h * w, 120)
        self.dense2 = nn.Linear(120, 84)
        self.dense3 = nn.Linear(84, classes)

    def forward(self, x):
        x = F.avg_pool2d(torch.tanh(self.conv1(x)), 2, 2)
        x = F.avg_pool2d(torch.tanh(self.conv2(x)), 2, 2)
        x = x.flatten(1)
        x = torch.tanh(self.dense1(x))
        x = torch.tanh(self.dense2(x))
        return self.dense3(x)


class MLP(nn.Module):
    """mlp: flatten, dense 256-relu-dropout(0.2), dense 128-relu, dense classes."""

    def __init__(self, in_shape=(1, 28, 28), classes=10):
        super().__init__()
        c, h, w = in_shape
        self.dense1 = nn.Linear(c * h * w, 256)
        self.dense2 = nn.Linear(256, 128)
        self.dense3 = nn.Linear(128, classes)

    def forward(self, x):
        x = x.flatten(1)
        x = F.relu(self.dense1(x))
        x = torch.dropout(x, 0.2, self.training)
        x = F.relu(self.dense2(x))
        return self.dense3(x)


class VGGMini(nn.Module):
    """vgg-mini: 2 x [conv3x3 same (no bias)-BN-relu] x2 blocks (32, 64) each followed by
    maxpool2 and dropout2d(0.1); flatten, dense 256 (no bias)-BN1d-relu-dropout(0.5),
    dense classes."""

    def __init__(self, in_shape=(1, 28, 28), classes=10):
        super().__init__()
        c, h, w = in_shape
        self.conv1a = nn.Conv2d(c, 32, 3, padding="same", bias=False)
        self.bn1a = nn.BatchNorm2d(32)
        self.conv1b = nn.Conv2d(32, 32, 3, padding="same", bias=False)
        self.bn1b = nn.BatchNorm2d(32)
        self.conv2a = nn.Conv2d(32, 64, 3, padding="same", bias=False)
        self.bn2a = nn.BatchNorm2d(64)
        self.conv2b = nn.Conv2d(64, 64, 3, padding="same", bias=False)
        self.bn2b = nn.BatchNorm2d(64)
        h, w = h // 2 // 2, w // 2 // 2
        self.dense1 = nn.Linear(64 * h * w, 256, bias=False)
        self.bn3 = nn.BatchNorm1d(256)
        self.dense2 = nn.Linear(256, classes)

    def forward(self, x):
        x = F.relu(self.bn1a(self.conv1a(x)))
        x = F.relu(self.bn1b(self.conv1b(x)))
        x = torch.feature_dropout(F.max_pool2d(x, 2, 2), 0.1, self.training)
        x = F.relu(self.bn2a(self.conv2a(x)))
        x = F.relu(self.bn2b(self.conv2b(x)))
        x = torch.feature_dropout(F.max_pool2d(x, 2, 2), 0.1, self.training)
        x = x.flatten(1)
        x = F.relu(self.bn3(self.dense1(x)))
        x = torch.dropout(x, 0.5, self.training)
        return self.dense2(x)


class ResNetMini(nn.Module):
    """resnet-mini: stem conv3x3(16)-BN-relu; block 1 (16, identity shortcut); blocks 2 and 3
    (32, 64; stride 2; 1x1 stride-2 projection + BN on the shortcut); each block is
    conv-BN-relu-conv-BN, Add(in0 = main path, in1 = shortcut), relu; global average pool
    (mean over H, W), dense classes. All convolutions have no bias."""

    def __init__(self, in_shape=(1, 28, 28), classes=10):
        super().__init__()
        c = in_shape[0]
        self.stem = nn.Conv2d(c, 16, 3, padding=1, bias=False)
        self.stem_bn = nn.BatchNorm2d(16)
        self.b1_conv1 = nn.Conv2d(16, 16, 3, padding=1, stride=1, bias=False)
        self.b1_bn1 = nn.BatchNorm2d(16)
        self.b1_conv2 = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.b1_bn2 = nn.BatchNorm2d(16)
        self.b2_conv1 = nn.Conv2d(16, 32, 3, padding=1, stride=2, bias=False)
        self.b2_bn1 = nn.BatchNorm2d(32)
        self.b2_conv2 = nn.Conv2d(32, 32, 3, padding=1, bias=False)
        self.b2_bn2 = nn.BatchNorm2d(32)
        self.b2_proj = nn.Conv2d(16, 32, 1, stride=2, bias=False)
        self.b2_proj_bn = nn.BatchNorm2d(32)
        self.b3_conv1 = nn.Conv2d(32, 64, 3, padding=1, stride=2, bias=False)
        self.b3_bn1 = nn.BatchNorm2d(64)
        self.b3_conv2 = nn.Conv2d(64, 64, 3, padding=1, bias=False)
        self.b3_bn2 = nn.BatchNorm2d(64)
        self.b3_proj = nn.Conv2d(32, 64, 1, stride=2, bias=False)
        self.b3_proj_bn = nn.BatchNorm2d(64)
        self.dense = nn.Linear(64, classes)

    def forward(self, x):
        x = F.relu(self.stem_bn(self.stem(x)))
        y = F.relu(self.b1_bn1(self.b1_conv1(x)))
        x = F.relu(self.b1_bn2(self.b1_conv2(y)) + x)
        y = F.relu(self.b2_bn1(self.b2_conv1(x)))
        x = F.relu(self.b2_bn2(self.b2_conv2(y)) + self.b2_proj_bn(self.b2_proj(x)))
        y = F.relu(self.b3_bn1(self.b3_conv1(x)))
        x = F.relu(self.b3_bn2(self.b3_conv2(y)) + self.b3_proj_bn(self.b3_proj(x)))
        x = x.mean((2, 3))
        return self.dense(x)


MODELS = {
    "keras-cnn": KerasCNN,
    "lenet5": LeNet5,
    "mlp": MLP,
    "vgg-mini": VGGMini,
    "resnet-mini": ResNetMini,
}

# Parameter counts NeuralCanvas reports (`neuralcanvas-cli validate`) on 1x28x28, 10 classes.
EXPECTED_PARAMETERS = {
    "keras-cnn": 93322,
    "lenet5": 61706,
    "mlp": 235146,
    "vgg-mini": 871082,
    "resnet-mini": 77754,
}


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


# ---------------------------------------------------------------- data

def _read_idx_gz(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    offset = 4 + 4 * ndim
    count = int(np.prod(dims)) if dims else 0
    if len(raw) - offset < count:
        raise ValueError(f"{path}: truncated")
    return np.frombuffer(raw, dtype=np.uint8, count=count, offset=offset).reshape(dims)


def load_dataset(spec, limit):
    """Returns (images uint8 [N,C,H,W], labels int64 [N], classes) holding the first `limit` images."""
    if spec == "fashion-mnist":
        folder = os.environ.get("NC_DATA_DIR", "/usr/share/datasets/fashion-mnist")
        images = _read_idx_gz(os.path.join(folder, "train-images-idx3-ubyte.gz"))
        labels = _read_idx_gz(os.path.join(folder, "train-labels-idx1-ubyte.gz"))
        if len(images) < limit:
            raise SystemExit(f"the dataset has {len(images)} training images; the benchmark needs {limit}")
        x = torch.from_numpy(images[:limit].copy()).unsqueeze(1).contiguous()
        y = torch.from_numpy(labels[:limit].astype(np.int64))
        return x, y, 10
    if spec == "shapes" or spec.startswith("shapes:"):
        # Stand-in for NeuralCanvas' synthetic shapes: random pixels, same size and class count.
        g = torch.Generator().manual_seed(0)
        x = torch.randint(0, 256, (limit, 3, 32, 32), dtype=torch.uint8, generator=g)
        y = torch.randint(0, 3, (limit,), dtype=torch.int64, generator=g)
        return x, y, 3
    raise SystemExit(f"unsupported dataset spec {spec!r} (fashion-mnist or shapes)")


def normalization(x_u8):
    """Per-channel (scale, shift) shaped [1,C,1,1] so that x*scale+shift is standardised."""
    xd = x_u8.to(torch.float64)
    mean = xd.mean(dim=(0, 2, 3))
    std = xd.std(dim=(0, 2, 3), unbiased=False)
    mean, std = mean / 255.0, std / 255.0
    std = torch.where(std > 0, std, torch.ones_like(std))
    scale = (1.0 / (255.0 * std)).to(torch.float32).view(1, -1, 1, 1)
    shift = (-mean / std).to(torch.float32).view(1, -1, 1, 1)
    return scale, shift


# ---------------------------------------------------------------- benchmark

def make_optimizer(name, params, lr, weight_decay):
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay, foreach=False)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay, foreach=False)
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=weight_decay, foreach=False)
    if name == "nesterov":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=True, weight_decay=weight_decay, foreach=False)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, weight_decay=weight_decay, foreach=False)
    raise SystemExit("--optimizer must be one of sgd, nesterov, adam, adamw, rmsprop")


def typical_loop(args, model, opt, x_all, y_all, scale, shift, bf16):
    """The DataLoader-style script. Returns (seconds of the timed steps, last loss, last correct)."""
    from torch.utils.data import DataLoader, TensorDataset
    g = torch.Generator().manual_seed(args.seed)
    loader = DataLoader(TensorDataset(x_all, y_all), batch_size=args.batch, shuffle=True,
                        drop_last=True, generator=g)
    t0 = time.perf_counter() if args.warmup == 0 else None
    CPU0[0] = time.process_time()
    loss_value, correct = 0.0, 0
    for b, (x_u8, y) in enumerate(loader):
        x = x_u8.float() * scale + shift
        opt.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = model(x)
        loss = F.cross_entropy(logits.float(), y)
        loss.backward()
        opt.step()
        loss_value = loss.item()
        correct = int((logits.argmax(1) == y).sum().item())
        if b + 1 == args.warmup:
            t0 = time.perf_counter()
            CPU0[0] = time.process_time()
    return time.perf_counter() - t0, loss_value, correct


def make_default_optimizer(name, params, lr, weight_decay):
    """The optimizer as a typical script makes it: default arguments beyond lr/weight decay."""
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    if name in ("sgd", "nesterov"):
        return torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=name == "nesterov", weight_decay=weight_decay)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, weight_decay=weight_decay)
    raise SystemExit("--optimizer must be one of sgd, nesterov, adam, adamw, rmsprop")


def bench(args):
    threads = args.threads if args.threads > 0 else (os.cpu_count() or 1)
    torch.set_num_threads(threads)
    n = (args.steps + args.warmup) * args.batch
    x_all, y_all, classes = load_dataset(args.dataset, n)
    scale, shift = normalization(x_all)
    in_shape = tuple(x_all.shape[1:])

    torch.manual_seed(args.seed)
    model = MODELS[args.model](in_shape, classes)
    model.train()
    bf16 = args.precision == "bf16"
    if args.style == "typical":
        opt = make_default_optimizer(args.optimizer, model.parameters(), args.lr, args.weight_decay)
        seconds, loss_value, correct = typical_loop(args, model, opt, x_all, y_all, scale, shift, bf16)
        return report(args, model, seconds, loss_value, correct)
    opt = make_optimizer(args.optimizer, model.parameters(), args.lr, args.weight_decay)

    order = torch.randperm(n)
    t0 = time.perf_counter() if args.warmup == 0 else None
    CPU0[0] = time.process_time()
    loss_value, correct = 0.0, 0
    for b in range(args.steps + args.warmup):
        idx = order[b * args.batch:(b + 1) * args.batch]
        x_u8 = x_all.index_select(0, idx)
        y = y_all.index_select(0, idx)
        x = torch.addcmul(shift, x_u8.float(), scale)
        opt.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = model(x)
        logits = logits.float()
        loss = F.cross_entropy(logits, y, label_smoothing=0.0)
        loss_value = loss.item()
        loss.backward()
        opt.step()
        correct = int(logits.argmax(1).eq(y).sum().item())
        if b + 1 == args.warmup:
            t0 = time.perf_counter()
            CPU0[0] = time.process_time()
    seconds = time.perf_counter() - t0
    return report(args, model, seconds, loss_value, correct)


# process_time() when the timed steps began (CPU time of all threads: robust to a busy machine
# when OMP_WAIT_POLICY=PASSIVE keeps waiting threads from spinning).
CPU0 = [0.0]


def report(args, model, seconds, loss_value, correct):
    cpu_seconds = time.process_time() - CPU0[0]
    ips = args.steps * args.batch / seconds
    summary = {
        "event": "summary", "peer": "pytorch", "style": args.style, "torch": torch.__version__, "model": args.model,
        "dataset": args.dataset, "batch": args.batch, "steps": args.steps, "warmup": args.warmup,
        "optimizer": args.optimizer, "precision": args.precision, "threads": torch.get_num_threads(),
        "parameters": parameter_count(model), "seconds": seconds, "images_per_second": ips,
        "ms_per_step": 1000.0 * seconds / args.steps, "cpu_ms_per_step": 1000.0 * cpu_seconds / args.steps,
        "last_loss": loss_value,
        "last_accuracy": correct / args.batch,
    }
    if args.json:
        print(json.dumps(summary), flush=True)
    else:
        print(f"{args.model} (PyTorch {torch.__version__}): {ips:.0f} images/s "
              f"({summary['ms_per_step']:.2f} ms per step of {args.batch}, cpu, {args.precision})")


def check():
    ok = True
    for name, cls in MODELS.items():
        model = cls((1, 28, 28), 10)
        count = parameter_count(model)
        expected = EXPECTED_PARAMETERS[name]
        status = "ok" if count == expected else f"MISMATCH (NeuralCanvas template: {expected})"
        ok &= count == expected
        with torch.no_grad():
            out = model.eval()(torch.zeros(2, 1, 28, 28))
        shapes_out = cls((3, 32, 32), 3).eval()(torch.zeros(2, 3, 32, 32))
        print(f"{name:12s} {count:>9,d} parameters on 1x28x28  {status}  "
              f"(output {tuple(out.shape)}; 3x32x32 -> {tuple(shapes_out.shape)})")
    assert ok, "a peer's parameter count differs from its template"
    assert parameter_count(KerasCNN()) == 93322
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--check", action="store_true", help="print and assert each model's parameter count")
    p.add_argument("--model", choices=sorted(MODELS), default="keras-cnn")
    p.add_argument("--dataset", default="fashion-mnist")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--threads", type=int, default=0, help="0 = all cores")
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    p.add_argument("--optimizer", default="adam")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--style", choices=["typical", "matched"], default="typical",
                   help="typical: DataLoader + default optimizer (default); matched: NeuralCanvas' own step")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    if args.check:
        return check()
    if args.steps < 1 or args.warmup < 0 or args.batch < 1:
        p.error("--steps and --batch must be positive and --warmup not negative")
    bench(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
