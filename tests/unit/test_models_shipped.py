"""The shipped networks: ONNX agrees with PyTorch, and the vision reader reads fresh renders."""

import json

import numpy as np
import pytest

from genlab.diffusion.model import CARD_FILE, UNet
from genlab.toyworld import render, sample_scene
from genlab.toyworld.caption import scene_slots
from genlab.vision.reader import read_batch


def test_onnx_export_matches_pytorch(tmp_path) -> None:
    torch = pytest.importorskip("torch", reason="the training extra (requirements-train.txt) is not installed")
    from training.export_onnx import export
    from training.unet import UNet as TorchUNet

    torch.manual_seed(0)
    model = TorchUNet()
    for p in model.parameters():  # random, non-zero weights everywhere (the output layer starts at zero)
        torch.nn.init.normal_(p, std=0.05)
    state = {"ema": model.state_dict(), "config": model.config, "step": 0, "wall_s": 0.0, "args": {}}
    checkpoint = tmp_path / "model.pt"
    torch.save(state, checkpoint)
    export(checkpoint, tmp_path / "unet.onnx", tmp_path / "unet.json")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 3, 32, 32)).astype(np.float32)
    t = np.array([999, 500, 3])
    ids = rng.integers(0, 49, (3, 8))
    with torch.no_grad():
        expected = model.eval()(torch.from_numpy(x), torch.from_numpy(t), torch.from_numpy(ids)).numpy()
    got = UNet(tmp_path / "unet.onnx")(x, t, ids)
    assert np.abs(expected).mean() > 1e-3
    np.testing.assert_allclose(got, expected, atol=1e-4, rtol=1e-3)


def test_model_card_facts_ship_with_the_weights() -> None:
    info = json.loads(CARD_FILE.read_text())
    assert info["steps"] > 0 and info["parameters"] > 100_000 and info["final_loss"] is not None


def test_vision_reader_reads_fresh_renders() -> None:
    rng = np.random.default_rng(2026)
    scenes = [sample_scene(rng, allow_held_out=True) for _ in range(600)]
    readings = read_batch([render(s, 32, rng) for s in scenes])
    hits = total = 0
    for scene, reading in zip(scenes, readings, strict=True):
        for slot, word in scene_slots(scene).items():
            if word is not None:
                total += 1
                hits += reading.slots.get(slot) == word
    assert hits / total >= 0.98
