"""Train the local text-to-image model.

    python -m training.train_diffusion --stop-at 3500       # the shipped weights; resumes from a checkpoint
    python -m training.train_diffusion --stop-at 3500 --device cuda

Recipe: v-prediction on a cosine schedule, min-SNR-5 loss weighting, AdamW with warm-up and cosine
decay, EMA of the weights (the EMA is what we ship), caption dropout for classifier-free guidance.
Everything is seeded; one command from an empty checkpoint reproduces the shipped weights (up to
floating-point differences between machines).
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
from training.data import drop_slots, render_dataset
from training.unet import UNet, add_coordinate_channels

CHECKPOINT = Path("training/checkpoints/diffusion.pt")


def lr_at(step: int, total: int, peak: float, warmup: int = 500) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=30000, help="length of the learning-rate schedule, in steps")
    p.add_argument("--stop-at", type=int, default=None,
                   help="stop (with a checkpoint) at this step; a later run with a higher value resumes")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--images", type=int, default=100_000, help="rendered training images")
    p.add_argument("--seed", type=int, default=901)
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--checkpoint-every", type=int, default=500)
    p.add_argument("--checkpoint", type=Path, default=CHECKPOINT)
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    images, ids = render_dataset(args.images, seed=args.seed)
    data = torch.from_numpy(images).permute(0, 3, 1, 2).float().div(127.5).sub(1.0)
    all_ids = torch.from_numpy(ids)
    acp = torch.tensor(alphas_cumprod(), dtype=torch.float32, device=device)

    model = UNet().to(device)
    ema = UNet().to(device)
    ema.load_state_dict(model.state_dict())
    ema.requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    step, wall = 0, 0.0
    rng = np.random.default_rng(args.seed)
    if args.checkpoint.exists():
        state = add_coordinate_channels(torch.load(args.checkpoint, map_location=device, weights_only=False))
        model.load_state_dict(state["model"])
        ema.load_state_dict(state["ema"])
        opt.load_state_dict(state["opt"])
        step, wall = state["step"], state["wall_s"]
        rng.bit_generator.state = state["numpy_rng"]
        torch.set_rng_state(state["torch_rng"])
        print(f"resumed at step {step} ({wall / 3600:.2f} h of training so far)")
    args.checkpoint.parent.mkdir(parents=True, exist_ok=True)

    losses: list[float] = []
    started = time.perf_counter()
    stop_at = min(args.steps, args.stop_at or args.steps)
    while step < stop_at:
        index = torch.from_numpy(rng.integers(0, len(data), args.batch))
        x0 = data[index].to(device)
        cond = torch.from_numpy(drop_slots(all_ids[index].numpy(), rng)).to(device)
        t = torch.from_numpy(rng.integers(0, NUM_TRAIN_TIMESTEPS, args.batch)).to(device)
        noise = torch.randn_like(x0)
        a = acp[t].sqrt()[:, None, None, None]
        s = (1 - acp[t]).sqrt()[:, None, None, None]
        x_t = a * x0 + s * noise
        v_target = a * noise - s * x0
        snr = acp[t] / (1 - acp[t])
        weight = torch.clamp(snr, max=5.0) / (snr + 1)            # min-SNR-5 for v-prediction
        per_sample = F.mse_loss(model(x_t, t, cond), v_target, reduction="none").mean((1, 2, 3))
        loss = (weight * per_sample).mean()

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
            wall += now - started
            started = now
            record = {"step": step, "loss": float(np.mean(losses)), "wall_s": round(wall, 1),
                      "lr": lr_at(step, args.steps, args.lr), "device": str(device)}
            losses.clear()
            print(json.dumps(record), flush=True)
            with args.checkpoint.with_name(args.checkpoint.stem + "_log.jsonl").open("a") as f:
                f.write(json.dumps(record) + "\n")
            tmp = args.checkpoint.with_suffix(".tmp")
            torch.save({"model": model.state_dict(), "ema": ema.state_dict(),
                        "opt": opt.state_dict(), "step": step, "wall_s": wall,
                        "config": model.config, "numpy_rng": rng.bit_generator.state,
                        "torch_rng": torch.get_rng_state(),
                        "args": vars(args) | {"checkpoint": str(args.checkpoint)}},
                       tmp)
            tmp.replace(args.checkpoint)


if __name__ == "__main__":
    main()
