"""Export the latent model (EMA denoiser, autoencoder) to ONNX for the app: no PyTorch at run time.

    python -m training.export_latent

Writes ``genlab/diffusion/weights/``: ``denoiser.onnx`` (word ids, latent, timestep -> v and the
16x16 cross-attention maps), ``decoder.onnx``, ``encoder.onnx`` and ``model.json`` (the config
dataclass, the latent scale and the training facts the model card shows).
"""

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

import torch

from bench.machine import cpu_model
from training.latent_models import Autoencoder, LatentModelConfig, LatentUNet
from training.train_latent import AE_CHECKPOINT, UNET_CHECKPOINT

WEIGHTS = Path("genlab/diffusion/weights")


def _records(checkpoint: Path) -> list[dict]:
    log = checkpoint.with_name(checkpoint.stem + "_log.jsonl")
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def export(out: Path = WEIGHTS, unet_checkpoint: Path = UNET_CHECKPOINT, ae_checkpoint: Path = AE_CHECKPOINT) -> dict:
    """Write the three ONNX files and ``model.json`` from the denoiser's and the autoencoder's checkpoints."""
    unet_state = torch.load(unet_checkpoint, map_location="cpu", weights_only=False)
    ae_state = torch.load(ae_checkpoint, map_location="cpu", weights_only=False)
    cfg = LatentModelConfig.from_json(unet_state["config"])
    unet = LatentUNet(cfg)
    unet.load_state_dict(unet_state["ema"])
    unet.eval()
    ae = Autoencoder(cfg)
    ae.load_state_dict(ae_state["model"])
    ae.eval()
    out.mkdir(parents=True, exist_ok=True)

    latent = torch.randn(2, cfg.latent_channels, cfg.latent_size, cfg.latent_size)
    ids = torch.zeros(2, cfg.max_tokens, dtype=torch.long)
    batch = {0: "batch"}
    torch.onnx.export(unet, (latent, torch.tensor([999, 10]), ids), str(out / "denoiser.onnx"),
                      input_names=["sample", "timestep", "ids"], output_names=["v", "attention"],
                      opset_version=17, dynamo=False,
                      dynamic_axes={"sample": batch, "timestep": batch, "ids": batch, "v": batch, "attention": batch})
    torch.onnx.export(ae.decoder, (latent,), str(out / "decoder.onnx"), input_names=["latent"],
                      output_names=["image"], opset_version=17, dynamo=False,
                      dynamic_axes={"latent": batch, "image": batch})
    image = torch.rand(2, 3, cfg.image_size, cfg.image_size) * 2 - 1
    torch.onnx.export(ae.encoder, (image,), str(out / "encoder.onnx"), input_names=["image"],
                      output_names=["latent"], opset_version=17, dynamo=False,
                      dynamic_axes={"image": batch, "latent": batch})

    denoiser_log, ae_log = _records(unet_checkpoint), _records(ae_checkpoint)
    info = {
        "name": "genlab-latent-diffusion",
        "version": f"step{unet_state['step']}",
        "config": cfg.to_json(),
        "latent_scale": unet_state["latent_scale"],
        "denoiser_parameters": sum(p.numel() for p in unet.parameters()),
        "text_encoder_parameters": sum(p.numel() for p in unet.text.parameters()),
        "decoder_parameters": sum(p.numel() for p in ae.decoder.parameters()),
        "encoder_parameters": sum(p.numel() for p in ae.encoder.parameters()),
        "autoencoder_steps": ae_state["step"],
        "autoencoder_wall_s": round(ae_state["wall_s"], 1),
        "autoencoder_final_loss": ae_log[-1]["loss"] if ae_log else None,
        "denoiser_steps": unet_state["step"],
        "denoiser_wall_s": round(unet_state["wall_s"], 1),
        "denoiser_final_loss": denoiser_log[-1]["loss"] if denoiser_log else None,
        "train_args": {k: v for k, v in unet_state["args"].items()},
        "trained_on": denoiser_log[-1]["device"] if denoiser_log else "cpu",
        "hardware": cpu_model(),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (out / "model.json").write_text(json.dumps(info, indent=2) + "\n")
    return info


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__).parse_args()
    print(json.dumps(export(), indent=2))
