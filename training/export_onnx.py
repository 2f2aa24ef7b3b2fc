"""Export the EMA weights of a training checkpoint to ONNX for the app (no PyTorch at run time).

    python -m training.export_onnx                      # training/checkpoints/diffusion.pt -> weights
"""

import argparse
import json
import platform
from datetime import UTC, datetime
from pathlib import Path

import torch

from genlab.diffusion.model import CARD_FILE, UNET_FILE
from training.train_diffusion import CHECKPOINT
from training.unet import UNet


def export(checkpoint: Path = CHECKPOINT, out: Path = UNET_FILE, card: Path = CARD_FILE) -> dict:
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    model = UNet(**{k: tuple(v) if isinstance(v, list) else v for k, v in state["config"].items()})
    model.load_state_dict(state["ema"])
    model.eval()
    out.parent.mkdir(parents=True, exist_ok=True)
    sample = torch.randn(2, 3, 32, 32)
    timestep = torch.tensor([999, 10])
    ids = torch.zeros(2, 8, dtype=torch.long)
    torch.onnx.export(model, (sample, timestep, ids), str(out), input_names=["sample", "timestep", "ids"],
                      output_names=["v"], opset_version=17, dynamo=False,
                      dynamic_axes={"sample": {0: "batch"}, "timestep": {0: "batch"}, "ids": {0: "batch"},
                                    "v": {0: "batch"}})
    log = checkpoint.with_name(checkpoint.stem + "_log.jsonl")
    records = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    info = {
        "version": f"step{state['step']}",
        "steps": state["step"],
        "wall_s": round(state["wall_s"], 1),
        "final_loss": records[-1]["loss"] if records else None,
        "parameters": sum(p.numel() for p in model.parameters()),
        "config": state["config"],
        "train_args": {k: v for k, v in state["args"].items() if k != "checkpoint"},
        "trained_on": records[-1]["device"] if records else "cpu",
        "hardware": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    existing = json.loads(card.read_text()) if card.exists() else {}
    card.write_text(json.dumps(existing | info, indent=2) + "\n")
    return info


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--checkpoint", type=Path, default=CHECKPOINT)
    args = p.parse_args()
    print(json.dumps(export(args.checkpoint), indent=2))
