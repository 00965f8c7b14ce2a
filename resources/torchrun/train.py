#!/usr/bin/python3
"""A NeuralCanvas training run for PyTorch's distributed engine (DDP, launched by torchrun).

Exported by NeuralCanvas with the project's network (model.py), its initial weights
(init.ncmodel), the training settings and data (job.json) and the validation split's indices
(split.json). Rank 0 writes what NeuralCanvas reads back (File > Import Run...):
metrics.jsonl (the app's event format), best.ncmodel and last.ncckpt (safetensors).

    torchrun --standalone --nproc_per_node=2 --redirects 1 --tee 1 train.py --out run
    python3 train.py --out run                      # one process, no launcher
    torchrun ... train.py --out run --resume run/last.ncckpt --epochs 10

README.md lists every option and says what differs from training in the app.
Needs only PyTorch (>= 1.13): the safetensors files are read and written with the standard library.
"""
import argparse
import gzip
import json
import math
import os
import struct
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data.distributed import DistributedSampler

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import model as generated  # noqa: E402  (the PyTorch-code export of the project's graph)

MASK = (1 << 64) - 1


class JobError(Exception):
    """A problem the user can fix: printed as one line, exit code 2."""


# --- safetensors, with the standard library -------------------------------------------------

_DTYPE_NAMES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
                torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
                torch.bool: "BOOL"}


def read_safetensors(path):
    try:
        tensors, metadata = generated.read_safetensors(path)
    except FileNotFoundError:
        raise JobError(f"{path}: no such file")
    except (ValueError, KeyError, RuntimeError, struct.error) as e:
        raise JobError(f"{path} is not a readable safetensors file ({e})")
    return tensors, metadata


def write_safetensors(path, tensors, metadata):
    """Sorted by name, header padded to 8 bytes, written atomically (as NeuralCanvas writes)."""
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().to("cpu").contiguous()
        raw = t.numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": _DTYPE_NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# --- data -----------------------------------------------------------------------------------

def read_maybe_gzip(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise JobError(f"cannot read {path}: {e.strerror}; pass --data DIR naming the folder that holds it")
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def read_idx(path, dims_expected):
    data = read_maybe_gzip(path)
    if len(data) < 4 or data[0] or data[1] or data[2] != 8 or data[3] != dims_expected:
        raise JobError(f"{path} is not an IDX file of unsigned bytes with {dims_expected} dimension(s)")
    dims = struct.unpack(f">{dims_expected}I", data[4:4 + 4 * dims_expected])
    start, count = 4 + 4 * dims_expected, math.prod(dims)
    if len(data) - start != count:
        raise JobError(f"{path}: its header says {count} bytes of data but it holds {len(data) - start}")
    return torch.frombuffer(bytearray(data[start:]), dtype=torch.uint8).reshape(dims)


def locate(path, data_dir):
    return os.path.join(data_dir, os.path.basename(path)) if data_dir else path


def load_training_data(spec, data_dir):
    """The full training part of the exported dataset (uint8 [N, C, H, W], int64 [N]), and the
    data's own validation part where the job says it has one."""
    kind, validation = spec["kind"], None
    if kind == "idx":
        images = read_idx(locate(spec["images"], data_dir), 3).unsqueeze(1)
        labels = read_idx(locate(spec["labels"], data_dir), 1).to(torch.int64)
        if labels.numel() != images.shape[0]:
            raise JobError(f"{spec['images']} has {images.shape[0]} images but its labels file has {labels.numel()}")
    elif kind == "cifar10":
        parts = []
        for p in spec["batches"]:
            raw = read_maybe_gzip(locate(p, data_dir))
            if len(raw) % 3073:
                raise JobError(f"{p} is not a CIFAR-10 binary batch (its size is not a multiple of 3073 bytes)")
            parts.append(torch.frombuffer(bytearray(raw), dtype=torch.uint8).reshape(-1, 3073))
        rows = torch.cat(parts)
        labels, images = rows[:, 0].to(torch.int64), rows[:, 1:].reshape(-1, 3, 32, 32).contiguous()
    elif kind == "nccache":
        images, labels, validation = read_nccache(locate(spec["path"], data_dir))
    else:
        raise JobError(f"job.json names a dataset kind '{kind}' this train.py does not read")
    c, h, w = spec["shape"]
    if tuple(images.shape[1:]) != (c, h, w) or images.shape[0] != spec["train_images"]:
        raise JobError(f"the data holds {images.shape[0]} training images of {list(images.shape[1:])} but the job "
                       f"was exported for {spec['train_images']} of {[c, h, w]}; is --data the right folder?")
    if labels.numel() and (int(labels.min()) < 0 or int(labels.max()) >= spec["classes"]):
        raise JobError(f"the data holds labels outside 0..{spec['classes'] - 1}")
    return images, labels, validation


def read_nccache(path):
    """The image cache of an imported folder or CSV (docs/FORMATS.md, Image cache)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"NCIMGC\x01\n" or len(data) < 16:
        raise JobError(f"{path} is not a NeuralCanvas image cache")
    (n,) = struct.unpack("<Q", data[8:16])
    if 16 + n > len(data):
        raise JobError(f"{path}: its header is longer than the file")
    header = json.loads(data[16:16 + n])
    c, h, w = header["channels"], header["height"], header["width"]
    pos = (16 + n + 63) // 64 * 64
    parts = []
    for key in ("train", "test", "validation"):
        count = header["counts"][key]
        end = pos + 8 * count + c * h * w * count
        if end > len(data):
            raise JobError(f"{path} is shorter than its header says")
        labels = torch.frombuffer(bytearray(data[pos:pos + 8 * count]), dtype=torch.int64) if count else \
            torch.empty(0, dtype=torch.int64)
        images = torch.frombuffer(bytearray(data[pos + 8 * count:end]), dtype=torch.uint8).reshape(count, c, h, w) \
            if count else torch.empty(0, c, h, w, dtype=torch.uint8)
        parts.append((images, labels))
        pos = end
    return parts[0][0], parts[0][1], (parts[2] if parts[2][1].numel() else None)


# --- the app's training semantics (core/train) ------------------------------------------------

def mix(seed, a, b=0):
    """The app's seed mixer: (seed, epoch, batch) -> a 64-bit seed."""
    x = (seed ^ (a * 0x9E3779B97F4A7C15 & MASK) ^ (b * 0xC2B2AE3D27D4EB4F & MASK)) & MASK
    x ^= x >> 31
    x = (x * 0xBF58476D1CE4E5B9) & MASK
    x ^= x >> 29
    return x


class MT19937_64:
    """std::mt19937_64, which the app shuffles with."""

    def __init__(self, seed):
        mt = [seed & MASK]
        for i in range(1, 312):
            mt.append((6364136223846793005 * (mt[-1] ^ (mt[-1] >> 62)) + i) & MASK)
        self.mt, self.index = mt, 312

    def __call__(self):
        mt = self.mt
        if self.index >= 312:
            for i in range(312):
                x = (mt[i] & 0xFFFFFFFF80000000) | (mt[(i + 1) % 312] & 0x7FFFFFFF)
                mt[i] = mt[(i + 156) % 312] ^ (x >> 1) ^ (0xB5026F5AA96619E9 if x & 1 else 0)
            self.index = 0
        y = mt[self.index]
        self.index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        return (y ^ (y >> 43)) & MASK


def app_permutation(n, seed):
    """The app's epoch order (core/train/Trainer.cpp permutation): Fisher-Yates from the end."""
    p, rng = list(range(n)), MT19937_64(seed)
    for i in range(n - 1, 0, -1):
        j = rng() % (i + 1)
        p[i], p[j] = p[j], p[i]
    return p


class AppOrderSampler(DistributedSampler):
    """DistributedSampler (padding to a multiple of the world size, rank r takes every W-th
    index, set_epoch) over the app's own epoch order, so that global batch k holds the same
    images as the app's batch k of the same size, whatever the world size."""

    def __init__(self, n, world, rank, seed):
        super().__init__(range(n), num_replicas=world, rank=rank, shuffle=True, seed=0, drop_last=False)
        self.n, self.app_seed = n, seed

    def __iter__(self):
        order = app_permutation(self.n, mix(self.app_seed, 2000 + self.epoch))
        order += order[:self.total_size - len(order)]
        return iter(order[self.rank:self.total_size:self.num_replicas])


def scheduled_lr(cfg, lr, step, total, per_epoch):
    """core/train/TrainConfig.cpp scheduledLearningRate, a function of the step."""
    t = step / (total - 1) if total > 1 else 0.0
    s = cfg["schedule"]
    if s == "step":
        return lr * cfg["gamma"] ** ((step // per_epoch if per_epoch else 0) // cfg["step_size"])
    if s == "cosine":
        return 0.5 * lr * (1.0 + math.cos(math.pi * t))
    if s == "one-cycle":
        start, warm = lr / 25.0, 0.3
        end = start / 1e4
        if t < warm:
            return start + (lr - start) * 0.5 * (1.0 - math.cos(math.pi * t / warm))
        return end + (lr - end) * 0.5 * (1.0 + math.cos(math.pi * (t - warm) / (1.0 - warm)))
    return lr


def make_optimizer(cfg, params, lr):
    kind, wd = cfg["optimizer"], cfg["weight_decay"]
    if kind in ("sgd", "nesterov"):
        m = cfg["momentum"]
        return torch.optim.SGD(params, lr=lr, momentum=m, weight_decay=wd, nesterov=kind == "nesterov" and m > 0)
    if kind in ("adam", "adamw"):
        cls = torch.optim.Adam if kind == "adam" else torch.optim.AdamW
        return cls(params, lr=lr, betas=(cfg["beta1"], cfg["beta2"]), eps=cfg["eps"], weight_decay=wd)
    if kind == "rmsprop":  # the app's RMSprop: PyTorch's defaults, no momentum, not centred
        return torch.optim.RMSprop(params, lr=lr, alpha=0.99, eps=cfg["eps"], weight_decay=wd)
    raise JobError(f"unknown optimizer '{kind}' in job.json")


SLOTS = ("momentum_buffer", "exp_avg", "exp_avg_sq", "square_avg")  # the app's optim/<param>/<slot> names


def optimizer_state(opt, names):
    out = {}
    for p, name in names.items():
        for slot, value in opt.state.get(p, {}).items():
            if slot in SLOTS and isinstance(value, torch.Tensor):
                out[f"optim/{name}/{slot}"] = value
    return out


def load_optimizer_state(opt, names, tensors, step, path):
    by_name = {name: p for p, name in names.items()}
    for key, t in tensors.items():
        if not key.startswith("optim/"):
            continue
        name, _, slot = key[6:].rpartition("/")
        p = by_name.get(name)
        if p is None or slot not in SLOTS:
            raise JobError(f"{path}: optimizer state '{key[6:]}' belongs to no parameter of this network")
        if tuple(t.shape) != tuple(p.shape):
            raise JobError(f"{path}: optimizer state '{key[6:]}' does not match its parameter's shape")
        state = opt.state[p]
        state[slot] = t.to(p.device, p.dtype).clone()
        if slot in ("exp_avg", "square_avg"):  # PyTorch keeps the step count per parameter
            state["step"] = torch.tensor(float(step)) if slot == "exp_avg" else step


def augment(x, aug, seed):
    """The app's augmentation (core/data/Augment.h) on uint8 [B, C, H, W]: flips, zoom, rotation,
    shifts and pad-crop as one affine map sampled bilinearly with 0 outside; then brightness,
    contrast around the image's mean; then random erasing. Same distributions, PyTorch's sampler
    and random numbers (not the app's bytes)."""
    b, c, h, w = x.shape
    g = torch.Generator().manual_seed(seed & ((1 << 63) - 1))
    u = torch.rand(b, 12, generator=g, dtype=torch.float64)
    sym = lambda col, r: (2 * u[:, col] - 1) * r  # noqa: E731
    flip_x = torch.where((u[:, 0] < 0.5) & bool(aug["flip"]), -1.0, 1.0)
    flip_y = torch.where((u[:, 1] < 0.5) & bool(aug["vflip"]), -1.0, 1.0)
    pad = aug["pad_crop"]
    shift_x = sym(2, aug["width_shift"]) * w + (torch.floor(u[:, 3] * (2 * pad + 1)) - pad)
    shift_y = sym(4, aug["height_shift"]) * h + (torch.floor(u[:, 5] * (2 * pad + 1)) - pad)
    theta = sym(6, aug["rotation"]) * math.pi / 180
    zoom = 1 + sym(7, min(aug["zoom"], 0.95))
    out = x
    if aug["flip"] or aug["vflip"] or pad or aug["width_shift"] or aug["height_shift"] or aug["rotation"] or aug["zoom"]:
        # output pixel -> source pixel, in align_corners=True units ([-1, 1] spans the pixel centres)
        cos, sin = torch.cos(theta), torch.sin(theta)
        a, bb = flip_x * cos / zoom, -flip_x * sin / zoom
        d, e = flip_y * sin / zoom, flip_y * cos / zoom
        sx, sy = (w - 1) / 2 if w > 1 else 1, (h - 1) / 2 if h > 1 else 1
        mat = torch.zeros(b, 2, 3, dtype=torch.float64)
        mat[:, 0, 0], mat[:, 0, 1], mat[:, 0, 2] = a, bb * sy / sx, -(a * shift_x + bb * shift_y) / sx
        mat[:, 1, 0], mat[:, 1, 1], mat[:, 1, 2] = d * sx / sy, e, -(d * shift_x + e * shift_y) / sy
        grid = F.affine_grid(mat.float(), [b, c, h, w], align_corners=True)
        out = F.grid_sample(x.float(), grid, mode="bilinear", padding_mode="zeros", align_corners=True)
        out = out.round_().clamp_(0, 255)
    if aug["brightness"] or aug["contrast"]:
        out = out.float() + torch.floor(sym(8, aug["brightness"]) * 255 + 0.5).float().view(b, 1, 1, 1)
        out = out.clamp_(0, 255)
        k = (1 + sym(9, min(aug["contrast"], 1.0))).float().view(b, 1, 1, 1)
        mean = out.mean(dim=(1, 2, 3), keepdim=True)
        out = (mean + k * (out - mean)).round_().clamp_(0, 255)
    out = out.to(torch.uint8)
    if aug["erase"] > 0:
        for i in range(b):
            if u[i, 10] >= aug["erase"]:
                continue
            r = torch.rand(4, generator=g, dtype=torch.float64).tolist()
            area = h * w * (0.02 + r[0] * 0.23)
            aspect = math.exp(math.log(0.3) + r[1] * (-2 * math.log(0.3)))
            eh = int(min(max(math.floor(math.sqrt(area * aspect) + 0.5), 1), h))
            ew = int(min(max(math.floor(math.sqrt(area / aspect) + 0.5), 1), w))
            y0, x0 = int(r[2] * (h - eh + 1)), int(r[3] * (w - ew + 1))
            out[i, :, y0:y0 + eh, x0:x0 + ew] = torch.randint(0, 256, (c, eh, ew), generator=g, dtype=torch.uint8)
    return out


# --- the run ------------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description="Train the exported NeuralCanvas network under torchrun (DDP).")
    p.add_argument("--out", default="run", help="run folder (rank 0 writes metrics.jsonl, best.ncmodel, last.ncckpt)")
    p.add_argument("--data", help="folder holding the dataset files, where it differs from the exporting machine")
    p.add_argument("--epochs", type=int, help="epochs in all (default: the project's)")
    p.add_argument("--resume", help="a last.ncckpt, written by this script or by NeuralCanvas")
    p.add_argument("--batch-per-rank", type=int, help="images per rank per step (default: the project's batch "
                   "size divided by the world size, so the global batch is the project's)")
    p.add_argument("--lr-scaling", choices=("linear", "sqrt", "none"), default="linear",
                   help="how the learning rate follows a global batch other than the project's (default linear)")
    p.add_argument("--device", choices=("cpu", "cuda"), help="default: cuda when the job says so and a GPU is there")
    p.add_argument("--precision", choices=("fp32", "bf16"), help="default: the project's (auto: bf16 on GPUs)")
    p.add_argument("--threads", type=int, default=0, help="torch threads per rank (0: as the launcher set)")
    return p.parse_args(argv)


class Run:
    def __init__(self, args):
        self.args = args
        with open(os.path.join(HERE, "job.json")) as f:
            self.job = json.load(f)
        with open(os.path.join(HERE, "split.json")) as f:
            self.split = json.load(f)
        self.cfg = dict(self.job["config"])
        if args.epochs:
            self.cfg["epochs"] = args.epochs
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        want = args.device or ("cuda" if str(self.cfg.get("device", "cpu")).startswith("cuda") else "cpu")
        if want == "cuda" and not torch.cuda.is_available():
            raise JobError("--device cuda, but this PyTorch sees no GPU")
        self.device = torch.device(f"cuda:{self.local_rank}" if want == "cuda" else "cpu")
        precision = args.precision or self.cfg.get("precision", "fp32")
        self.bf16 = precision == "bf16" or (precision == "auto" and self.device.type == "cuda")
        self.distributed = "WORLD_SIZE" in os.environ
        if self.distributed:
            if self.device.type == "cuda":
                torch.cuda.set_device(self.device)
            dist.init_process_group("nccl" if self.device.type == "cuda" else "gloo")
        if args.threads > 0:
            torch.set_num_threads(args.threads)
        batch = self.cfg["batch_size"]
        if args.batch_per_rank:
            self.per_rank = args.batch_per_rank
        elif batch % self.world:
            raise JobError(f"the project's batch of {batch} does not divide among {self.world} ranks; "
                           f"pass --batch-per-rank")
        else:
            self.per_rank = batch // self.world
        ratio = self.per_rank * self.world / batch
        self.lr = self.cfg["learning_rate"] * {"linear": ratio, "sqrt": math.sqrt(ratio), "none": 1.0}[args.lr_scaling]
        self.log = None

    def emit(self, event):
        if self.log:
            self.log.write(json.dumps(event) + "\n")
            self.log.flush()

    def all_sum(self, values):
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        if self.distributed:
            dist.all_reduce(t)
        return t.tolist()

    def prepare(self):
        images, labels, validation = load_training_data(self.job["dataset"], self.args.data)
        tr = torch.tensor(self.split["train"], dtype=torch.int64)
        if tr.numel() and int(tr.max()) >= images.shape[0]:
            raise JobError("split.json names images the data does not have")
        self.train_x, self.train_y = images[tr], labels[tr]
        if self.split.get("validation_source") == "part":
            if validation is None:
                raise JobError("the job validates on the data's own validation part, but the data has none")
            self.val_x, self.val_y = validation
        else:
            va = torch.tensor(self.split["validation"], dtype=torch.int64)
            self.val_x, self.val_y = images[va], labels[va]

    def build(self):
        net = generated.NeuralCanvasModel()
        tensors, _ = read_safetensors(os.path.join(HERE, "init.ncmodel"))
        net.load_state_dict(tensors, strict=True)
        if self.device.type == "cuda" and self.world > 1:
            net = torch.nn.SyncBatchNorm.convert_sync_batchnorm(net)  # GPUs only: gloo has no SyncBatchNorm
        self.net = net.to(self.device)
        self.names = {p: n for n, p in self.net.named_parameters()}
        self.opt = make_optimizer(self.cfg, list(self.net.parameters()), self.lr)
        self.ddp = DistributedDataParallel(self.net) if self.distributed else self.net

    def loss_spec(self):
        out = self.job["loss"]
        smoothing = self.cfg["label_smoothing"] if self.cfg["label_smoothing"] >= 0 else out["label_smoothing"]
        return out["type"] == "mse", smoothing

    def autocast(self):
        return torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.bf16)

    def validate(self):
        self.net.eval()
        loss_sum, correct = 0.0, 0
        xs, ys = self.val_x[self.rank::self.world], self.val_y[self.rank::self.world]
        with torch.no_grad():
            for s in range(0, len(ys), 512):
                x = xs[s:s + 512].to(self.device).float().div_(255)
                y = ys[s:s + 512].to(self.device)
                with self.autocast():
                    logits = self.net(x)
                logits = logits.float()
                loss_sum += float(F.cross_entropy(logits, y, reduction="sum"))
                correct += int((logits.argmax(1) == y).sum())
        self.net.train()
        total_loss, total_correct, n = self.all_sum([loss_sum, correct, len(ys)])
        return (total_loss / n, total_correct / n) if n else (None, None)

    def model_metadata(self, metrics):
        j = self.job
        meta = {"format": "neuralcanvas-model", "version": "1", "writer": j["writer"], "graph": json.dumps(j["graph"]),
                "input_shape": json.dumps(j["input_shape"]), "class_names": json.dumps(j["class_names"]),
                "normalization": json.dumps(j["normalization"]), "metrics": json.dumps(metrics)}
        if "input_appearance" in j:
            meta["input_appearance"] = json.dumps(j["input_appearance"])
        return meta

    def state_tensors(self):
        return {k: v for k, v in self.net.state_dict().items()}

    def write_checkpoint(self, s):
        tensors = {"model/" + k: v for k, v in self.state_tensors().items()}
        tensors.update(optimizer_state(self.opt, self.names))
        cfg = dict(self.cfg, learning_rate=self.cfg["learning_rate"])
        meta = {"format": "neuralcanvas-checkpoint", "version": "1", "writer": self.job["writer"],
                "epoch": str(s["epochs_done"]), "step": str(s["step"]), "config": json.dumps(cfg),
                "seed": str(self.cfg["seed"]), "graph": json.dumps(self.job["graph"]),
                "best_val_accuracy": json.dumps(s["best"]), "best_epoch": str(s["best_epoch"]),
                "epochs_without_improvement": str(s["stale"]), "history": json.dumps(s["history"]),
                "batch_in_epoch": "0", "epoch_loss_sum": "0", "epoch_correct": "0", "epoch_seen": "0",
                "first_loss": json.dumps(s["first_loss"]), "precision_used": "bf16" if self.bf16 else "fp32",
                "normalization": json.dumps(self.job["normalization"])}
        write_safetensors(os.path.join(self.args.out, "last.ncckpt"), tensors, meta)

    def resume(self, path):
        tensors, meta = read_safetensors(path)
        if meta.get("format") != "neuralcanvas-checkpoint":
            raise JobError(f"{path} is not a NeuralCanvas checkpoint")
        if int(meta.get("version", "0")) > 1:
            raise JobError(f"{path} was written by {meta.get('writer', 'a newer NeuralCanvas')} (checkpoint format "
                           f"{meta['version']}); this train.py reads checkpoint format 1")
        try:
            weights = {k[6:]: v for k, v in tensors.items() if k.startswith("model/")}
            self.net.load_state_dict(weights, strict=True)
            s = {"epochs_done": int(meta["epoch"]), "step": int(meta["step"]),
                 "best": json.loads(meta["best_val_accuracy"]), "best_epoch": int(meta["best_epoch"]),
                 "stale": int(meta["epochs_without_improvement"]), "history": json.loads(meta["history"]),
                 "first_loss": json.loads(meta.get("first_loss", "0")),
                 "batch_in_epoch": int(meta.get("batch_in_epoch", "0")),
                 "epoch_sums": [json.loads(meta.get("epoch_loss_sum", "0")), int(meta.get("epoch_correct", "0")),
                                int(meta.get("epoch_seen", "0"))]}
        except (KeyError, ValueError, RuntimeError) as e:
            raise JobError(f"{path} does not fit this job ({str(e).splitlines()[0]})")
        if json.loads(meta["normalization"]) != self.job["normalization"]:
            print(f"warning: {path} was trained with another normalisation than this job's", file=sys.stderr)
        load_optimizer_state(self.opt, self.names, tensors, s["step"], path)
        return s

    def run(self):
        args, cfg = self.args, self.cfg
        self.prepare()
        self.build()
        s = {"epochs_done": 0, "step": 0, "best": -1.0, "best_epoch": 0, "stale": 0, "history": [],
             "first_loss": 0.0, "batch_in_epoch": 0, "epoch_sums": [0.0, 0, 0]}
        if args.resume:
            s = self.resume(args.resume)
        if self.rank == 0:
            os.makedirs(args.out, exist_ok=True)
            self.log = open(os.path.join(args.out, "metrics.jsonl"), "a" if args.resume else "w")
        n = len(self.train_y)
        sampler = AppOrderSampler(n, self.world, self.rank, cfg["seed"])
        per_rank = len(sampler)
        b = self.per_rank
        batches = per_rank // b + (1 if per_rank % b >= 2 else 0)  # a last batch of one is dropped
        if batches == 0:
            raise JobError(f"each of the {self.world} ranks gets {per_rank} images, too few for one batch")
        total = batches * cfg["epochs"]
        mse, smoothing = self.loss_spec()
        aug = {k: cfg.get("augment_" + k, 0) for k in ("flip", "vertical_flip", "pad_crop", "rotation", "width_shift",
                                                      "height_shift", "zoom", "brightness", "contrast", "erase")}
        aug["vflip"] = aug.pop("vertical_flip")
        augmenting = any(bool(v) for v in aug.values())
        self.emit({"event": "start", "config": cfg, "train_images": n, "val_images": len(self.val_y),
                   "resumed_from_epoch": s["epochs_done"], "precision": "bf16" if self.bf16 else "fp32",
                   "precision_reason": "the job's setting", "world_size": self.world, "batch_per_rank": b,
                   "global_batch": b * self.world, "learning_rate": self.lr, "lr_scaling": args.lr_scaling})
        run_start, reason = time.time(), "completed"
        for epoch in range(s["epochs_done"], cfg["epochs"]):
            sampler.set_epoch(epoch)
            order = list(sampler)
            start_t = time.time()
            first = s["batch_in_epoch"] if epoch == s["epochs_done"] else 0
            loss_sum, correct_sum, seen = s["epoch_sums"] if first else (0.0, 0, 0)
            s["batch_in_epoch"], lr = 0, self.lr
            for bi in range(first, batches):
                torch.manual_seed(mix(cfg["seed"], 1000 + epoch, (bi + 1) * 1024 + self.rank) & ((1 << 63) - 1))
                ids = torch.tensor(order[bi * b:(bi + 1) * b], dtype=torch.int64)
                x, y = self.train_x[ids], self.train_y[ids].to(self.device)
                if augmenting:
                    x = augment(x, aug, mix(cfg["seed"], 3000 + epoch, bi * 1024 + self.rank))
                x = x.to(self.device).float().div_(255)
                lr = scheduled_lr(cfg, self.lr, s["step"], total, batches)
                for group in self.opt.param_groups:
                    group["lr"] = lr
                self.opt.zero_grad(set_to_none=True)
                with self.autocast():
                    logits = self.ddp(x)
                logits = logits.float()
                if mse:
                    loss = F.mse_loss(logits, F.one_hot(y, logits.shape[1]).float())
                else:
                    loss = F.cross_entropy(logits, y, label_smoothing=smoothing)
                correct = int((logits.argmax(1) == y).sum())
                g_loss, g_correct, g_count = self.all_sum([float(loss) * len(y), correct, len(y)])
                value = g_loss / g_count
                if s["first_loss"] <= 0 and math.isfinite(value):
                    s["first_loss"] = value
                if not math.isfinite(value) or value > 1e4 * max(s["first_loss"], 1e-2):
                    return self.finish(s, "failed", run_start, message=f"the loss became {value:.4g} at epoch "
                                       f"{epoch + 1}, batch {bi + 1} (learning rate {lr:.3g}); lower the learning "
                                       "rate or enable gradient clipping")
                loss.backward()
                if cfg["grad_clip_norm"] > 0:
                    torch.nn.utils.clip_grad_norm_(self.net.parameters(), cfg["grad_clip_norm"])
                self.opt.step()
                s["step"] += 1
                loss_sum, correct_sum, seen = loss_sum + g_loss, correct_sum + g_correct, seen + g_count
                elapsed = time.time() - start_t
                self.emit({"event": "batch", "epoch": epoch + 1, "epochs": cfg["epochs"], "batch": bi + 1,
                           "batches": batches, "step": s["step"], "loss": value, "accuracy": g_correct / g_count,
                           "lr": lr, "images_per_second": seen / elapsed if elapsed > 0 else 0.0})
            train_seconds = time.time() - start_t
            val_loss, val_acc = self.validate()
            if val_loss is None:
                val_loss, val_acc = loss_sum / seen, correct_sum / seen
            improved = val_acc > s["best"]
            s["epochs_done"] = epoch + 1
            if improved:
                s["best"], s["best_epoch"], s["stale"] = val_acc, epoch + 1, 0
            else:
                s["stale"] += 1
            ev = {"event": "epoch", "epoch": epoch + 1, "epochs": cfg["epochs"], "train_loss": loss_sum / seen,
                  "train_accuracy": correct_sum / seen, "val_loss": val_loss, "val_accuracy": val_acc, "lr": lr,
                  "seconds": time.time() - start_t, "images_per_second": seen / train_seconds if train_seconds else 0.0,
                  "improved": improved}
            s["history"].append(ev)
            self.emit(ev)
            if self.rank == 0:
                print(f"epoch {epoch + 1}/{cfg['epochs']}  loss {ev['train_loss']:.4f}  acc {ev['train_accuracy']:.4f}  "
                      f"val_loss {val_loss:.4f}  val_acc {val_acc:.4f}  {ev['seconds']:.1f}s  "
                      f"{ev['images_per_second']:.0f} img/s{'  (best)' if improved else ''}", flush=True)
            if self.rank == 0:
                if improved:
                    metrics = {"epoch": epoch + 1, "val_accuracy": val_acc, "val_loss": val_loss,
                               "train_accuracy": ev["train_accuracy"], "train_loss": ev["train_loss"]}
                    write_safetensors(os.path.join(args.out, "best.ncmodel"), self.state_tensors(),
                                      self.model_metadata(metrics))
                self.write_checkpoint(s)
            patience = cfg["early_stopping_patience"]
            if patience > 0 and s["stale"] >= patience and s["epochs_done"] < cfg["epochs"]:
                reason = "early-stopped"
                break
        return self.finish(s, reason, run_start)

    def finish(self, s, reason, run_start, message=None):
        ev = {"event": "failed" if reason == "failed" else "finished", "reason": reason,
              "epochs_done": s["epochs_done"], "steps": s["step"], "best_val_accuracy": s["best"],
              "best_epoch": s["best_epoch"], "seconds": time.time() - run_start,
              "precision": "bf16" if self.bf16 else "fp32"}
        if message:
            ev["message"] = message
            if self.rank == 0:
                print(message, file=sys.stderr)
        self.emit(ev)
        if self.log:
            self.log.close()
        if self.distributed:
            dist.barrier()
            dist.destroy_process_group()
        return 1 if reason == "failed" else 0


def main(argv):
    try:
        return Run(parse_args(argv)).run()
    except JobError as e:
        print(f"train.py: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
