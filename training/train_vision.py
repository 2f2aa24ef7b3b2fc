"""Train the vision reader: a small CNN that reads a toy-world image back into its caption slots.

    python -m training.train_vision            # ~10 minutes on 2 CPU cores; writes the ONNX file

It is the "computer vision" direction of the lesson (image in, text out) and the judge of the
generator's prompt adherence. It trains on freshly rendered, jittered images with a little noise,
so it also reads the generator's imperfect images.
"""

import argparse
import json
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from genlab.toyworld.caption import SLOTS
from genlab.vision.reader import CARD_FILE, READER_FILE
from training.data import render_dataset

HEAD_SIZES = [len(words) for _, words in SLOTS]


class Reader(nn.Module):
    def __init__(self) -> None:
        super().__init__()

        def block(cin: int, cout: int) -> nn.Sequential:
            return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                                 nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())

        self.features = nn.Sequential(block(3, 32), nn.MaxPool2d(2), block(32, 64), nn.MaxPool2d(2),
                                      block(64, 96), nn.MaxPool2d(2))
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(96 * 16, 256), nn.ReLU(), nn.Dropout(0.1),
                                nn.Linear(256, sum(HEAD_SIZES)))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """uint8-range float NCHW in [0, 255] -> concatenated logits of every slot."""
        return self.fc(self.features(images / 127.5 - 1.0))


def labels_from_ids(ids: np.ndarray) -> np.ndarray:
    """Slot token ids -> per-slot class index, -1 where the slot does not apply (loss ignores it)."""
    from genlab.toyworld.caption import _OFFSETS

    return np.where(ids == np.asarray(_OFFSETS), -1, ids - np.asarray(_OFFSETS) - 1)


def loss_fn(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    total, start = 0.0, 0
    for k, size in enumerate(HEAD_SIZES):
        total = total + F.cross_entropy(logits[:, start:start + size], labels[:, k], ignore_index=-1)
        start += size
    return total


def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    hits, count, start = 0, 0, 0
    for k, size in enumerate(HEAD_SIZES):
        valid = labels[:, k] >= 0
        pred = logits[:, start:start + size].argmax(1)
        hits += int((pred[valid] == labels[valid, k]).sum())
        count += int(valid.sum())
        start += size
    return hits / count


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--steps", type=int, default=4000)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=902)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    started = time.perf_counter()
    images, ids = render_dataset(60_000, seed=args.seed)
    x = torch.from_numpy(images).permute(0, 3, 1, 2).float()
    y = torch.from_numpy(labels_from_ids(ids))
    test_images, test_ids = render_dataset(4000, seed=args.seed + 1)
    tx = torch.from_numpy(test_images).permute(0, 3, 1, 2).float()
    ty = torch.from_numpy(labels_from_ids(test_ids))
    model = Reader()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=args.steps)
    rng = np.random.default_rng(args.seed)
    for step in range(args.steps):
        idx = torch.from_numpy(rng.integers(0, len(x), 128))
        batch = x[idx] + torch.randn(128, 1, 1, 1) * rng.uniform(0, 12) * torch.randn_like(x[idx]).sign()
        loss = loss_fn(model(batch.clamp(0, 255)), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if (step + 1) % 500 == 0:
            print(json.dumps({"step": step + 1, "loss": round(loss.item(), 4)}), flush=True)
    model.eval()
    with torch.no_grad():
        acc = accuracy(model(tx), ty)
    torch.onnx.export(model, (tx[:2],), str(READER_FILE), input_names=["images"], output_names=["logits"],
                      opset_version=17, dynamo=False, dynamic_axes={"images": {0: "batch"}, "logits": {0: "batch"}})
    info = {"steps": args.steps, "attribute_accuracy_fresh_renders": round(acc, 4),
            "train_images": 60_000, "test_images": 4000, "wall_s": round(time.perf_counter() - started, 1),
            "parameters": sum(p.numel() for p in model.parameters()), "seed": args.seed}
    CARD_FILE.write_text(json.dumps(info, indent=2) + "\n")
    print(json.dumps(info))


if __name__ == "__main__":
    main()
