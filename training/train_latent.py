"""Train the local latent text-to-image model: first the autoencoder, then the denoiser.

    python -m training.train_latent --stop-at 12000             # resumes from training/checkpoints/
    python -m training.train_latent --stop-at 12000 --device cuda

Stage 1 renders the pictures (cached), stage 2 trains the autoencoder (64x64x3 <-> 16x16x4), stage 3
encodes every picture to a latent once and scales latents to unit variance (as Stable Diffusion's
0.18215 does), stage 4 trains the denoiser on those latents with fresh captions each step:
v-prediction on a cosine schedule, min-SNR-5 weighting, AdamW with warm-up and cosine decay, an EMA
of the weights (what ships), and caption dropout for classifier-free guidance. Every stage is seeded
and resumable; a stage already done is skipped.
"""

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F

from genlab.diffusion.schedule import NUM_TRAIN_TIMESTEPS, alphas_cumprod
from training.latent_models import Autoencoder, LatentModelConfig, LatentUNet
from training.world_data import CACHE, cached_dataset, caption_ids

CHECKPOINTS = Path("training/checkpoints")
AE_CHECKPOINT = CHECKPOINTS / "autoencoder.pt"
UNET_CHECKPOINT = CHECKPOINTS / "latent_unet.pt"


def lr_at(step: int, total: int, peak: float, warmup: int = 500) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def _log(path: Path, record: dict) -> None:
    print(json.dumps(record), flush=True)
    with path.with_name(path.stem + "_log.jsonl").open("a") as f:
        f.write(json.dumps(record) + "\n")


def _save(path: Path, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    tmp.replace(path)


def to_tensor(images: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(images).permute(0, 3, 1, 2).float().div(127.5).sub(1.0)


def train_autoencoder(images: np.ndarray, cfg: LatentModelConfig, args: argparse.Namespace,
                      device: torch.device) -> Autoencoder:
    ae = Autoencoder(cfg).to(device)
    opt = torch.optim.AdamW(ae.parameters(), lr=args.ae_lr, weight_decay=0.0)
    step, wall = 0, 0.0
    rng = np.random.default_rng(args.seed + 1)
    if AE_CHECKPOINT.exists():
        state = torch.load(AE_CHECKPOINT, map_location=device, weights_only=False)
        ae.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        step, wall = state["step"], state["wall_s"]
        rng.bit_generator.state = state["numpy_rng"]
    losses: list[float] = []
    started = time.perf_counter()
    while step < args.ae_steps:
        x = to_tensor(images[rng.integers(0, len(images), args.ae_batch)]).to(device)
        recon, z = ae(x)
        loss = F.l1_loss(recon, x) + 0.5 * F.mse_loss(recon, x) + 1e-4 * z.pow(2).mean()
        for group in opt.param_groups:
            group["lr"] = lr_at(step, args.ae_steps, args.ae_lr, warmup=100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        losses.append(loss.item())
        if step % 250 == 0 or step == args.ae_steps:
            now = time.perf_counter()
            wall, started = wall + now - started, now
            _log(AE_CHECKPOINT, {"stage": "autoencoder", "step": step, "loss": float(np.mean(losses)),
                                 "wall_s": round(wall, 1), "device": str(device)})
            losses.clear()
            _save(AE_CHECKPOINT, {"model": ae.state_dict(), "opt": opt.state_dict(), "step": step, "wall_s": wall,
                                  "numpy_rng": rng.bit_generator.state, "config": cfg.to_json(),
                                  "latent_scale": None})
    return ae


@torch.no_grad()
def encode_all(ae: Autoencoder, images: np.ndarray, device: torch.device, batch: int = 256) -> torch.Tensor:
    ae.eval()
    out = [ae.encoder(to_tensor(images[i:i + batch]).to(device)).cpu() for i in range(0, len(images), batch)]
    return torch.cat(out)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--images", type=int, default=80_000, help="rendered training pictures")
    p.add_argument("--ae-steps", type=int, default=1500)
    p.add_argument("--ae-batch", type=int, default=16)
    p.add_argument("--ae-lr", type=float, default=2e-3)
    p.add_argument("--steps", type=int, default=20_000, help="length of the denoiser's learning-rate schedule")
    p.add_argument("--stop-at", type=int, default=None, help="stop the denoiser (with a checkpoint) at this step")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=8e-4)
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--seed", type=int, default=901)
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--checkpoint-every", type=int, default=250)
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    cfg = LatentModelConfig()
    CHECKPOINTS.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    images, scenes = cached_dataset(args.images, args.seed)
    print(json.dumps({"stage": "render", "images": len(images), "s": round(time.perf_counter() - t0, 1)}), flush=True)

    ae = train_autoencoder(images, cfg, args, device)
    latents_path = CACHE / f"latents_{args.images}_{args.seed}.pt"
    if latents_path.exists():
        latents, scale = torch.load(latents_path)
    else:
        latents = encode_all(ae, images, device)
        scale = float(1.0 / latents.std())
        torch.save((latents, scale), latents_path)
        state = torch.load(AE_CHECKPOINT, weights_only=False)
        state["latent_scale"] = scale
        _save(AE_CHECKPOINT, state)
    latents = (latents * scale).to(device)
    print(json.dumps({"stage": "encode", "latent_scale": scale}), flush=True)

    acp = torch.tensor(alphas_cumprod(), dtype=torch.float32, device=device)
    model, ema = LatentUNet(cfg).to(device), LatentUNet(cfg).to(device)
    ema.load_state_dict(model.state_dict())
    ema.requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    step, wall = 0, 0.0
    rng = np.random.default_rng(args.seed)
    if UNET_CHECKPOINT.exists():
        state = torch.load(UNET_CHECKPOINT, map_location=device, weights_only=False)
        model.load_state_dict(state["model"])
        ema.load_state_dict(state["ema"])
        opt.load_state_dict(state["opt"])
        step, wall = state["step"], state["wall_s"]
        rng.bit_generator.state = state["numpy_rng"]
        torch.set_rng_state(state["torch_rng"])
        print(f"resumed at step {step} ({wall / 3600:.2f} h of training so far)", flush=True)

    losses: list[float] = []
    started = time.perf_counter()
    stop_at = min(args.steps, args.stop_at or args.steps)
    while step < stop_at:
        index = rng.integers(0, len(latents), args.batch)
        x0 = latents[torch.from_numpy(index).to(device)]
        ids = torch.from_numpy(caption_ids(scenes, index, rng)).to(device)
        t = torch.from_numpy(rng.integers(0, NUM_TRAIN_TIMESTEPS, args.batch)).to(device)
        noise = torch.randn_like(x0)
        a = acp[t].sqrt()[:, None, None, None]
        s = (1 - acp[t]).sqrt()[:, None, None, None]
        v_target = a * noise - s * x0
        snr = acp[t] / (1 - acp[t])
        weight = torch.clamp(snr, max=5.0) / (snr + 1)              # min-SNR-5 for v-prediction
        v, _ = model(a * x0 + s * noise, t, ids)
        loss = (weight * F.mse_loss(v, v_target, reduction="none").mean((1, 2, 3))).mean()
        for group in opt.param_groups:
            group["lr"] = lr_at(step, args.steps, args.lr)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        with torch.no_grad():
            decay = min(args.ema, (1 + step) / (10 + step))
            for pe, pm in zip(ema.parameters(), model.parameters(), strict=True):
                pe.lerp_(pm, 1 - decay)
        step += 1
        losses.append(loss.item())
        if step % args.checkpoint_every == 0 or step == stop_at:
            now = time.perf_counter()
            wall, started = wall + now - started, now
            _log(UNET_CHECKPOINT, {"stage": "denoiser", "step": step, "loss": float(np.mean(losses)),
                                   "wall_s": round(wall, 1), "lr": lr_at(step, args.steps, args.lr),
                                   "device": str(device)})
            losses.clear()
            _save(UNET_CHECKPOINT, {"model": model.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(),
                                    "step": step, "wall_s": wall, "config": cfg.to_json(),
                                    "latent_scale": scale, "numpy_rng": rng.bit_generator.state,
                                    "torch_rng": torch.get_rng_state(), "args": vars(args)})


if __name__ == "__main__":
    main()
