#!/usr/bin/python3
"""The peer of bench/image-folder-bench.sh: torchvision's ImageFolder + DataLoader with PIL, the
way the tutorials load a folder of images, decoding and resizing every image once.

    imagefolder_peer.py DIR HEIGHT WIDTH CHANNELS WORKERS

Prints one JSON line: images, seconds, images_per_second.
"""
import json
import sys
import time

import torch
from torchvision import datasets, transforms


def main():
    root, h, w, c, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    steps = [transforms.Grayscale(1) if c == 1 else transforms.Lambda(lambda im: im.convert("RGB")),
             transforms.Resize((h, w)), transforms.PILToTensor()]
    ds = datasets.ImageFolder(root, transform=transforms.Compose(steps))
    torch.set_num_threads(1)
    loader = torch.utils.data.DataLoader(ds, batch_size=256, shuffle=False, num_workers=workers)
    t0 = time.perf_counter()
    n = 0
    for x, _ in loader:
        n += x.shape[0]
    dt = time.perf_counter() - t0
    print(json.dumps({"images": n, "seconds": dt, "images_per_second": n / dt}))


if __name__ == "__main__":
    main()
