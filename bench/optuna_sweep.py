#!/usr/bin/python3
"""The peer of `neuralcanvas-cli sweep`: Optuna's TPESampler + SuccessiveHalvingPruner driving the
same trials through `neuralcanvas-cli train --json` (one process per trial, the same space, epochs
and budget). Each epoch's best-so-far validation accuracy is reported; a pruned trial's process is
stopped there. Prints one JSON line: best validation accuracy and epochs trained."""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

import optuna


def suggest(trial, p):
    key, kind = p["key"], p.get("type", "choice" if "values" in p else "float")
    if kind == "choice":
        return trial.suggest_categorical(key, p["values"])
    if kind == "int":
        return trial.suggest_int(key, int(p["low"]), int(p["high"]), step=int(p.get("step", 1)), log=p.get("log", False))
    return trial.suggest_float(key, p["low"], p["high"], log=p.get("log", False))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--project", required=True)
    ap.add_argument("--space", required=True)
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--epochs", type=int, default=9)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--startup-trials", type=int, default=10)
    ap.add_argument("--min-epochs", type=int, default=1)
    ap.add_argument("--eta", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit-train", type=int, default=0)
    args = ap.parse_args()
    space = json.load(open(args.space))
    base = json.load(open(args.project))
    workdir = tempfile.mkdtemp(prefix="optuna-sweep-")
    epochs_trained = 0

    def objective(trial):
        nonlocal epochs_trained
        doc = json.loads(json.dumps(base))
        doc["runs"] = []
        doc["training"]["epochs"] = args.epochs
        doc["training"]["threads"] = args.threads
        if args.limit_train:
            doc["training"]["limit_train"] = args.limit_train
        for p in space:
            value = suggest(trial, p)
            head, name = p["key"].rsplit(".", 1)
            if head == "training":
                doc["training"][name] = value
            else:
                next(n for n in doc["graph"]["nodes"] if n["id"] == head).setdefault("params", {})[name] = value
        path = os.path.join(workdir, "t%03d.ncproj" % trial.number)
        json.dump(doc, open(path, "w"))
        proc = subprocess.Popen([args.cli, "train", path, "--json", "--limit-test", "1",
                                 "--out", os.path.join(workdir, "run%03d" % trial.number)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        best = 0.0
        for line in proc.stdout:
            ev = json.loads(line)
            if ev.get("event") != "epoch":
                continue
            epochs_trained += 1
            best = max(best, ev["val_accuracy"])
            trial.report(best, ev["epoch"])
            if ev["epoch"] < args.epochs and trial.should_prune():
                proc.kill()
                proc.wait()
                raise optuna.TrialPruned()
        if proc.wait() != 0:
            raise RuntimeError("trial %d failed" % trial.number)
        return best

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(
        direction="maximize",
        sampler=optuna.samplers.TPESampler(seed=args.seed, n_startup_trials=args.startup_trials),
        pruner=optuna.pruners.SuccessiveHalvingPruner(min_resource=args.min_epochs, reduction_factor=args.eta))
    study.optimize(objective, n_trials=args.trials, catch=(RuntimeError,))
    done = [t for t in study.trials if t.value is not None or t.intermediate_values]
    best = max([t.value for t in study.trials if t.value is not None] +
               [max(t.intermediate_values.values()) for t in done if t.intermediate_values] + [0.0])
    print(json.dumps({"peer": "optuna", "version": optuna.__version__, "seed": args.seed,
                      "best_val_accuracy": best, "epochs_trained": epochs_trained,
                      "trials": len(study.trials)}))


if __name__ == "__main__":
    sys.exit(main())
