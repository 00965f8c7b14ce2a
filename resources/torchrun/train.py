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
import json
import math
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import model as generated  # noqa: E402  (the PyTorch-code export of the project's graph)
from ncjob import (AppOrderSampler, JobError, augment, load_optimizer_state, load_training_data,  # noqa: E402
                   make_optimizer, mix, optimizer_state, read_safetensors, scheduled_lr, write_safetensors)


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
        clean_from = cfg["epochs"] - int(cfg.get("augment_clean_epochs", 0))  # the app's clean epochs at the end
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
                if augmenting and epoch < clean_from:
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
        return 1 if reason == "failed" else 0


def main(argv):
    try:
        code = Run(parse_args(argv)).run()
    except JobError as e:
        print(f"train.py: error: {e}", file=sys.stderr)
        code = 2
    if dist.is_available() and dist.is_initialized():
        # torch 1.13's DDP teardown can deadlock (the Reducer's destructor joins a gloo thread
        # that waits for the GIL the destructor holds); every file is written and closed, so
        # leave without running it.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
