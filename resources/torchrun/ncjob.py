"""The parts of a NeuralCanvas training job that train.py builds on: safetensors with the
standard library, the dataset readers, and the app's training semantics (core/train and
core/data): seed mixing, its epoch order, the learning-rate schedule, optimizer state names and
augmentation. Exported with train.py; see its README.md."""
import gzip
import json
import math
import os
import struct

import torch
import torch.nn.functional as F
from torch.utils.data.distributed import DistributedSampler

import model as generated  # the PyTorch-code export of the project's graph (beside this file)

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
