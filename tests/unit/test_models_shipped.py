"""The shipped networks: ONNX agrees with PyTorch, the card ships, the vision reader reads fresh renders."""

import json

import numpy as np
import onnxruntime as ort
import pytest

from genlab.diffusion.model import CARD_FILE, DECODER_FILE, DENOISER_FILE, ENCODER_FILE
from genlab.vision.reader import read_batch
from genlab.world.attributes import facts_of
from genlab.world.render import render
from genlab.world.sample import sample_scene


def test_onnx_export_matches_pytorch(tmp_path) -> None:
    torch = pytest.importorskip("torch", reason="the training extra (requirements-train.txt) is not installed")
    from training.export_latent import export
    from training.latent_models import Autoencoder, LatentModelConfig, LatentUNet

    torch.manual_seed(0)
    cfg = LatentModelConfig()
    unet, ae = LatentUNet(cfg), Autoencoder(cfg)
    for p in [*unet.parameters(), *ae.parameters()]:  # random, non-zero weights everywhere
        torch.nn.init.normal_(p, std=0.05)
    common = {"step": 0, "wall_s": 0.0, "config": cfg.to_json(), "latent_scale": 0.5}
    torch.save(common | {"ema": unet.state_dict(), "args": {}}, tmp_path / "unet.pt")
    torch.save(common | {"model": ae.state_dict()}, tmp_path / "ae.pt")
    info = export(tmp_path / "weights", tmp_path / "unet.pt", tmp_path / "ae.pt")
    assert info["config"] == cfg.to_json() and LatentModelConfig.from_json(info["config"]) == cfg

    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4, 16, 16)).astype(np.float32)
    t = np.array([999, 500, 3])
    ids = rng.integers(0, cfg.vocab_size, (3, cfg.max_tokens))
    with torch.no_grad():
        v, att = unet.eval()(torch.from_numpy(x), torch.from_numpy(t), torch.from_numpy(ids))
        picture = ae.eval().decoder(torch.from_numpy(x))
    got_v, got_att = ort.InferenceSession(str(tmp_path / "weights" / "denoiser.onnx")).run(
        None, {"sample": x, "timestep": t, "ids": ids})
    got_picture = ort.InferenceSession(str(tmp_path / "weights" / "decoder.onnx")).run(None, {"latent": x})[0]
    assert np.abs(v.numpy()).mean() > 1e-3
    np.testing.assert_allclose(got_v, v.numpy(), atol=1e-4, rtol=1e-3)
    np.testing.assert_allclose(got_att, att.numpy(), atol=1e-5)
    np.testing.assert_allclose(got_picture, picture.numpy(), atol=1e-4, rtol=1e-3)


def test_model_card_facts_ship_with_the_weights() -> None:
    info = json.loads(CARD_FILE.read_text())
    assert info["denoiser_steps"] > 0 and info["denoiser_parameters"] > 1_000_000
    assert info["denoiser_final_loss"] is not None and info["latent_scale"] > 0
    assert all(path.exists() for path in (DENOISER_FILE, DECODER_FILE, ENCODER_FILE))


def test_vision_reader_reads_fresh_renders() -> None:
    rng = np.random.default_rng(2026)
    scenes = [sample_scene(rng, allow_held_out=True) for _ in range(600)]
    readings = read_batch([render(s, rng) for s in scenes])
    hits = total = 0
    for scene, reading in zip(scenes, readings, strict=True):
        for fact, value in facts_of(scene).items():
            if value is not None:
                total += 1
                hits += reading.facts.get(fact) == value
    assert hits / total >= 0.97
