"""Train the vision reader of the illustrated world: a CNN that reads a picture back into its facts.

    python -m training.train_world_reader         # after training.train_latent has trained the autoencoder

It is the "computer vision" direction of the lesson (image in, text out) and the judge of the
generator's prompt adherence. Half of each batch is rendered pictures, half the same pictures after
a round trip through the autoencoder, so it reads the generator's decoded pictures as well as
clean renders. Accuracy is measured on freshly rendered pictures from another seed.
"""

import argparse
import json
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from genlab.world.attributes import ATTRIBUTES, label_row
from training.latent_models import Autoencoder, LatentModelConfig
from training.train_latent import AE_CHECKPOINT, to_tensor
from training.world_data import CACHE, cached_dataset, render_dataset

HEAD_SIZES = [len(v) for v in ATTRIBUTES.values()]


class WorldReader(nn.Module):
    def __init__(self) -> None:
        super().__init__()

        def block(cin: int, cout: int) -> nn.Sequential:
            return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                                 nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())

        # A strided first convolution halves the picture at once (64 -> 32): 4x cheaper than full-size
        # blocks, and a 2-pixel stride still sees a pair of glasses or a crown.
        stem = nn.Sequential(nn.Conv2d(3, 24, 3, stride=2, padding=1), nn.BatchNorm2d(24), nn.ReLU())
        self.features = nn.Sequential(stem, block(24, 32), nn.MaxPool2d(2), block(32, 64), nn.MaxPool2d(2),
                                      block(64, 96), nn.MaxPool2d(2))
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(96 * 16, 256), nn.ReLU(), nn.Dropout(0.1),
                                nn.Linear(256, sum(HEAD_SIZES)))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """uint8-range float NCHW in [0, 255] -> concatenated logits of every attribute."""
        return self.fc(self.features(images / 127.5 - 1.0))


def loss_fn(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    total, start = 0.0, 0
    for k, size in enumerate(HEAD_SIZES):
        total = total + F.cross_entropy(logits[:, start:start + size], labels[:, k], ignore_index=-1)
        start += size
    return total


def accuracy_by_attribute(logits: torch.Tensor, labels: torch.Tensor) -> dict[str, float]:
    out, start = {}, 0
    for k, (name, size) in enumerate(zip(ATTRIBUTES, HEAD_SIZES, strict=True)):
        valid = labels[:, k] >= 0
        pred = logits[:, start:start + size].argmax(1)
        out[name] = float((pred[valid] == labels[valid, k]).float().mean()) if valid.any() else 1.0
        start += size
    return out


def _autoencoder() -> Autoencoder:
    state = torch.load(AE_CHECKPOINT, map_location="cpu", weights_only=False)
    ae = Autoencoder(LatentModelConfig.from_json(state["config"]))
    ae.load_state_dict(state["model"])
    return ae.eval()


def _to_uint8(pictures: torch.Tensor) -> np.ndarray:
    return ((pictures.clamp(-1, 1) + 1) * 127.5 + 0.5).byte().permute(0, 2, 3, 1).numpy()


@torch.no_grad()
def round_trip(images: np.ndarray, batch: int = 256) -> np.ndarray:
    """Pictures after encoding and decoding with the trained autoencoder (uint8 NHWC)."""
    ae = _autoencoder()
    return np.concatenate([_to_uint8(ae(to_tensor(images[i:i + batch]))[0]) for i in range(0, len(images), batch)])


@torch.no_grad()
def decode_cached(latents: torch.Tensor, batch: int = 256) -> np.ndarray:
    """The decoder's pictures of latents the denoiser's training already encoded (unscaled), uint8 NHWC."""
    ae = _autoencoder()
    return np.concatenate([_to_uint8(ae.decoder(latents[i:i + batch])) for i in range(0, len(latents), batch)])


def main() -> None:
    from genlab.vision.reader import CARD_FILE, READER_FILE

    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--images", type=int, default=80_000, help="the denoiser's cached training pictures")
    p.add_argument("--round-trips", type=int, default=12_000)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=96, help="half rendered pictures, half autoencoder round trips")
    p.add_argument("--seed", type=int, default=901)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    started = time.perf_counter()
    images, scenes = cached_dataset(args.images, args.seed)
    labels = torch.tensor([label_row(s) for s in scenes])
    cached = CACHE / f"latents_{args.images}_{args.seed}.pt"
    trips = (decode_cached(torch.load(cached)[0][:args.round_trips]) if cached.exists()
             else round_trip(images[:args.round_trips]))
    recon = torch.from_numpy(trips).permute(0, 3, 1, 2).float()
    x = torch.from_numpy(images).permute(0, 3, 1, 2).float()
    test_images, test_scenes = render_dataset(4000, seed=args.seed + 7)
    tx = torch.from_numpy(test_images).permute(0, 3, 1, 2).float()
    ty = torch.tensor([label_row(s) for s in test_scenes])
    tr = torch.from_numpy(round_trip(test_images)).permute(0, 3, 1, 2).float()
    model = WorldReader()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=args.steps)
    rng = np.random.default_rng(args.seed)
    for step in range(args.steps):
        a = torch.from_numpy(rng.integers(0, len(x), args.batch // 2))
        b = torch.from_numpy(rng.integers(0, len(recon), args.batch // 2))
        batch = torch.cat([x[a], recon[b]])
        batch = (batch + torch.randn_like(batch) * float(rng.uniform(0, 8))).clamp(0, 255)
        loss = loss_fn(model(batch), torch.cat([labels[a], labels[b]]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if (step + 1) % 500 == 0:
            print(json.dumps({"step": step + 1, "loss": round(loss.item(), 4)}), flush=True)
    model.eval()
    with torch.no_grad():
        fresh = accuracy_by_attribute(model(tx), ty)
        trips = accuracy_by_attribute(model(tr), ty)
    READER_FILE.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(model, (tx[:2],), str(READER_FILE), input_names=["images"], output_names=["logits"],
                      opset_version=17, dynamo=False, dynamic_axes={"images": {0: "batch"}, "logits": {0: "batch"}})
    info = {"steps": args.steps, "accuracy_fresh_renders": {k: round(v, 4) for k, v in fresh.items()},
            "accuracy_autoencoder_round_trip": {k: round(v, 4) for k, v in trips.items()},
            "test_images": len(test_images), "wall_s": round(time.perf_counter() - started, 1),
            "parameters": sum(p.numel() for p in model.parameters()), "seed": args.seed}
    CARD_FILE.write_text(json.dumps(info, indent=2) + "\n")
    print(json.dumps(info))


if __name__ == "__main__":
    main()
