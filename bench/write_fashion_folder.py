#!/usr/bin/python3
"""Writes Fashion-MNIST (Debian's dataset-fashion-mnist IDX files) as PNG files in class folders:
DIR/train/<class>/<index>.png and DIR/test/<class>/<index>.png (grey, 28 x 28, lossless).

    write_fashion_folder.py DIR [IDX_DIR]
"""
import gzip
import os
import sys

import numpy as np
from PIL import Image

NAMES = ["T-shirt_top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle_boot"]


def read(idx_dir, prefix):
    x = np.frombuffer(gzip.open(f"{idx_dir}/{prefix}-images-idx3-ubyte.gz").read(), np.uint8, offset=16)
    y = np.frombuffer(gzip.open(f"{idx_dir}/{prefix}-labels-idx1-ubyte.gz").read(), np.uint8, offset=8)
    return x.reshape(-1, 28, 28), y


def main():
    out = sys.argv[1]
    idx_dir = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/datasets/fashion-mnist"
    for split, prefix in (("train", "train"), ("test", "t10k")):
        x, y = read(idx_dir, prefix)
        for name in NAMES:
            os.makedirs(f"{out}/{split}/{name}", exist_ok=True)
        for i in range(len(y)):
            Image.fromarray(x[i]).save(f"{out}/{split}/{NAMES[y[i]]}/{i:05d}.png")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
