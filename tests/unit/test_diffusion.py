"""Schedulers and pipeline of the local model (NumPy + onnxruntime, no torch)."""

import numpy as np
import pytest

from genlab.backends.masks import region_area
from genlab.diffusion import attention, pipeline
from genlab.diffusion.schedulers import DDIMScheduler, DDPMScheduler


def oracle_v(x0: np.ndarray, sched, t: int, sample: np.ndarray) -> np.ndarray:
    """The exact v a perfect network would predict if the clean image were ``x0``."""
    a = sched.alphas_cumprod[t]
    eps = (sample - np.sqrt(a) * x0) / np.sqrt(1 - a)
    return np.sqrt(a) * eps - np.sqrt(1 - a) * x0


def test_trailing_timesteps_start_at_pure_noise() -> None:
    sched = DDIMScheduler()
    sched.set_timesteps(20)
    assert sched.timesteps[0] == 999 and sched.timesteps[-1] == 49 and len(sched.timesteps) == 20
    assert sched.alphas_cumprod[999] < 1e-3 and sched.alphas_cumprod[0] > 0.999


@pytest.mark.parametrize("cls,eta", [(DDIMScheduler, 0.0), (DDIMScheduler, 1.0), (DDPMScheduler, 1.0)])
def test_a_perfect_network_leads_the_sampler_to_the_image(cls, eta: float) -> None:
    rng = np.random.default_rng(0)
    x0 = rng.uniform(-0.9, 0.9, (1, 3, 8, 8)).astype(np.float32)
    sched = cls()
    sched.set_timesteps(10)
    sample = rng.standard_normal(x0.shape).astype(np.float32)
    for t in sched.timesteps:
        out = sched.step(oracle_v(x0, sched, int(t), sample), int(t), sample, eta=eta, generator=rng)
        np.testing.assert_allclose(out.pred_original_sample, x0, atol=1e-4)
        sample = out.prev_sample
    np.testing.assert_allclose(sample, x0, atol=1e-3)


def test_same_seed_same_image_and_seeds_per_image() -> None:
    a = pipeline.generate("a small blue star", seed=5, num_inference_steps=8)
    b = pipeline.generate("a small blue star", seed=5, num_inference_steps=8)
    four = pipeline.generate("a small blue star", seed=4, num_inference_steps=8, n=4)
    assert a.images[0].shape == (64, 64, 3) and np.array_equal(a.images[0], b.images[0])
    assert np.array_equal(four.images[1], a.images[0])  # image i of a batch uses seed + i
    assert not np.array_equal(four.images[0], four.images[1])


def test_notes_for_unknown_words_and_empty_prompt() -> None:
    out = pipeline.generate("a purple unicorn", num_inference_steps=2)
    assert any("unicorn" in note for note in out.notes)
    assert out.tokens.unknown_words == ["unicorn"]
    empty = pipeline.generate("", num_inference_steps=2)
    assert any("unconditional" in note for note in empty.notes)


def test_trace_has_latents_decoded_pictures_and_attention_for_every_word() -> None:
    seen: list[int] = []
    prompt = "a cat wearing a top hat"
    out = pipeline.generate(prompt, num_inference_steps=6, trace=True,
                            callback=lambda i, total, preview: seen.append(i))
    assert seen == [1, 2, 3, 4, 5, 6] and len(out.trace) == 6
    first = out.trace[0]
    assert first.timestep == 999 and first.signal < 0.01 < out.trace[-1].signal
    assert first.latent.shape == (1, 4, 16, 16)
    assert first.x_t.shape == (1, 64, 64, 3) and first.pred_x0.dtype == np.uint8
    assert first.attention.shape[:2] == (1, 256)
    np.testing.assert_allclose(first.attention[0].astype(np.float32).sum(-1), 1.0, atol=1e-2)  # softmax over words
    maps = attention.word_maps(first.attention[0], out.tokens.words)
    assert [m.word for m in maps] == ["a", "cat", "wearing", "a", "tophat"]
    assert all(m.map.shape == (16, 16) and m.sentence().startswith(f"“{m.word}”") for m in maps)


def test_inpainting_keeps_every_pixel_outside_the_mask() -> None:
    base = pipeline.generate("a red car on the left in a park", seed=1, num_inference_steps=10).images[0]
    mask = region_area((64, 64), "right half")
    out = pipeline.inpaint(base, mask, "a blue bird on the right in a park", seed=2, num_inference_steps=10)
    assert np.array_equal(out.images[0][:, :32], base[:, :32])
    assert not np.array_equal(out.images[0][:, 32:], base[:, 32:])


def test_image_to_image_strength_controls_how_much_changes() -> None:
    base = pipeline.generate("a green tree in a park", seed=3, num_inference_steps=10).images[0]
    light = pipeline.image_to_image(base, "a green tree in a park", strength=0.2, seed=9, num_inference_steps=10)
    heavy = pipeline.image_to_image(base, "a green tree in a park", strength=1.0, seed=9, num_inference_steps=10)
    diff = lambda x: np.abs(x.astype(int) - base.astype(int)).mean()  # noqa: E731
    assert diff(light.images[0]) < diff(heavy.images[0])


@pytest.mark.parametrize("kwargs", [{"n": 0}, {"n": 9}, {"num_inference_steps": 0}, {"guidance_scale": -1}])
def test_out_of_range_settings_are_refused_with_a_sentence(kwargs: dict) -> None:
    with pytest.raises(ValueError, match=r"^Choose|^The local model"):
        pipeline.generate("a circle", **kwargs)


def test_attention_sentences_name_where_a_word_looks() -> None:
    focused = np.zeros((256, 2), dtype=np.float32)
    focused[:, 1] = 1.0
    grid = np.zeros((16, 16), dtype=np.float32)
    grid[:5, 11:] = 1.0                                    # the top right corner looks only at word 0
    focused[:, 0] = grid.ravel()
    focused[:, 1] = 1.0 - focused[:, 0]
    hat, _ = attention.word_maps(focused, ["hat", "cat"])
    assert hat.peak_region == "top right" and hat.concentration > 0.9
    assert "mostly on the top right" in hat.sentence()
    assert "spread over the whole picture" in attention.word_maps(np.full((256, 1), 1.0), ["a"])[0].sentence()


