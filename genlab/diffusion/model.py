"""The local model's networks, run by onnxruntime: no PyTorch at run time.

Three ONNX files ship in ``weights/`` (``training/export_latent.py`` writes them): the denoiser
(word ids, noisy latent, timestep -> v and its cross-attention maps), the decoder (latent ->
picture) and the encoder (picture -> latent, for image-to-image and inpainting). ``model.json``
beside them holds the configuration, the latent scale and the training facts.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import onnxruntime as ort

from genlab.errors import LearnerError

WEIGHTS = Path(__file__).resolve().parent / "weights"
DENOISER_FILE = WEIGHTS / "denoiser.onnx"
DECODER_FILE = WEIGHTS / "decoder.onnx"
ENCODER_FILE = WEIGHTS / "encoder.onnx"
CARD_FILE = WEIGHTS / "model.json"


class ModelMissing(LearnerError, RuntimeError):
    """The shipped weights are not there (a broken checkout); says how to rebuild them."""


def _session(path: Path, threads: int) -> ort.InferenceSession:
    if not path.exists():
        raise ModelMissing(f"The local model's weights ({path.name}) are missing. Restore them with "
                           "`git checkout -- genlab/diffusion/weights` or rebuild them with "
                           "`python -m training.export_latent`.")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Threads that spin while waiting collapse when cores are shared (a busy laptop, a server with
    # many sessions generating at once): measured 70 ms versus 43 ms per U-Net call under load.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


@dataclass
class LatentModel:
    """The three networks and the facts needed to use them."""

    denoiser: ort.InferenceSession
    decoder: ort.InferenceSession
    encoder: ort.InferenceSession
    latent_scale: float
    latent_shape: tuple[int, int, int]
    image_size: int

    def denoise(self, sample: np.ndarray, timestep: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(v, attention): v for a batch of scaled latents; attention is (batch, positions, words)."""
        v, attention = self.denoiser.run(None, {"sample": sample.astype(np.float32),
                                                "timestep": timestep.astype(np.int64),
                                                "ids": ids.astype(np.int64)})
        return v, attention

    def decode(self, latents: np.ndarray) -> np.ndarray:
        """Scaled latents (N, C, H, W) -> pictures in [-1, 1] (N, 3, 64, 64)."""
        return self.decoder.run(None, {"latent": (latents / self.latent_scale).astype(np.float32)})[0]

    def encode(self, images: np.ndarray) -> np.ndarray:
        """Pictures in [-1, 1] (N, 3, 64, 64) -> scaled latents."""
        return self.encoder.run(None, {"image": images.astype(np.float32)})[0] * self.latent_scale


def model_info() -> dict:
    """Training facts shipped next to the weights (steps, loss, hardware), for the model card UI."""
    return json.loads(CARD_FILE.read_text()) if CARD_FILE.exists() else {}


@lru_cache(maxsize=1)
def load_model(threads: int = 2) -> LatentModel:
    """One set of networks per process: sessions are thread-safe and heavy."""
    info = model_info()
    if not info:
        raise ModelMissing("The local model's description (model.json) is missing. Restore it with "
                           "`git checkout -- genlab/diffusion/weights`.")
    cfg = info["config"]
    return LatentModel(_session(DENOISER_FILE, threads), _session(DECODER_FILE, threads),
                       _session(ENCODER_FILE, threads), float(info["latent_scale"]),
                       (cfg["latent_channels"], cfg["latent_size"], cfg["latent_size"]), cfg["image_size"])
