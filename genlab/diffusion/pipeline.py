"""Text-to-image, inpainting and image-to-image with the local latent diffusion model.

The loop in :func:`denoise_latents` is the whole of diffusion sampling: start from noise, ask the
network what it sees, take a small step towards its guess, repeat. As in Stable Diffusion the loop
runs on 16x16x4 latents, not on pixels, and the decoder turns the last latent into the 64x64
picture. Classifier-free guidance runs the network twice per step (with the prompt and without)
and pushes the result away from the unprompted guess by ``guidance_scale``.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from genlab.diffusion import RESOLUTION
from genlab.diffusion.model import load_model, model_info
from genlab.diffusion.schedulers import SCHEDULERS
from genlab.world.tokenizer import Tokens, empty_ids, tokenize

MODEL_NAME = "genlab-latent-diffusion"
MODEL_VERSION = str(model_info().get("version", "dev"))
MAX_IMAGES = 8

#: callback(step_index, total_steps, preview): ``preview()`` decodes the current guess of the final images
#: (uint8 NHWC) only when the callback asks, so a step nobody looks at costs no decoder run.
StepCallback = Callable[[int, int, Callable[[], np.ndarray]], None]


@dataclass
class Step:
    """One denoising step, for the lesson's scrubber: what the sampler holds and what the model guesses."""

    index: int
    timestep: int
    signal: float          # alphas_cumprod[t]: the share of x_t's variance that is signal (the rest is noise)
    latent: np.ndarray     # float16 (N, 4, 16, 16): the noisy latent entering this step
    x_t: np.ndarray        # uint8 NHWC: that latent, decoded to a picture
    pred_x0: np.ndarray    # uint8 NHWC: the model's guess of the finished picture at this step, decoded
    attention: np.ndarray  # float16 (N, 256, words): how much each 16x16 position looks at each word


@dataclass
class GenerationOutput:
    images: list[np.ndarray]
    tokens: Tokens
    seed: int
    num_inference_steps: int
    guidance_scale: float
    scheduler: str
    trace: list[Step] | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def notes(self) -> list[str]:
        """What the learner should know about how their prompt was read."""
        return prompt_notes(self.tokens)


def prompt_notes(tokens: Tokens) -> list[str]:
    """The sentences every prompt box shows about how a prompt was read (one wording everywhere)."""
    notes = []
    if tokens.is_empty:
        notes.append("The prompt has no words the model knows, so this is an unconditional sample: "
                     "the model draws whatever its training data made most likely.")
    if tokens.unknown_words:
        notes.append("The model does not know these words and could not use them: "
                     + ", ".join(tokens.unknown_words) + ".")
    if tokens.truncated:
        notes.append(f"The model reads only the first {len(tokens.words)} words; the rest were cut off.")
    return notes


def to_uint8(x: np.ndarray) -> np.ndarray:
    """Picture space [-1, 1] NCHW -> displayable uint8 NHWC."""
    return np.clip((x.transpose(0, 2, 3, 1) + 1.0) * 127.5 + 0.5, 0, 255).astype(np.uint8)


def to_model(images: np.ndarray) -> np.ndarray:
    """uint8 NHWC (or HWC) -> picture space [-1, 1] NCHW float32."""
    batch = images[None] if images.ndim == 3 else images
    return (batch.astype(np.float32) / 127.5 - 1.0).transpose(0, 3, 1, 2)


def _check(num_inference_steps: int, guidance_scale: float, n: int) -> None:
    if not 1 <= n <= MAX_IMAGES:
        raise ValueError(f"The local model makes 1 to {MAX_IMAGES} images at a time.")
    if not 1 <= num_inference_steps <= 1000:
        raise ValueError("Choose between 1 and 1000 steps.")
    if not 0 <= guidance_scale <= 20:
        raise ValueError("Choose a guidance scale between 0 and 20.")


def _noise(seed: int, n: int) -> np.ndarray:
    """Image i gets its own generator seeded ``seed + i``: same seed, same image, whatever n is."""
    shape = load_model().latent_shape
    return np.concatenate([np.random.default_rng(seed + i).standard_normal((1, *shape))
                           for i in range(n)]).astype(np.float32)


def denoise_latents(tokens: Tokens, sample: np.ndarray, *, seed: int, num_inference_steps: int,
                    guidance_scale: float, scheduler: str, eta: float, start_index: int = 0,
                    known: np.ndarray | None = None, keep: np.ndarray | None = None, trace: bool = False,
                    callback: StepCallback | None = None) -> tuple[np.ndarray, list[Step] | None]:
    """Run the sampling loop on latents from ``timesteps[start_index]``.

    With ``known`` and ``keep`` (inpainting), after every step the latent outside the mask is reset
    to the known picture's latent, noised to the same level, so only the masked region is re-imagined.
    """
    model = load_model()
    sched = SCHEDULERS[scheduler](clip_sample=False)
    sched.set_timesteps(num_inference_steps)
    n = sample.shape[0]
    cond = np.asarray([tokens.ids] * n)
    guided = guidance_scale != 1.0 and not tokens.is_empty
    ids = np.concatenate([cond, np.asarray([empty_ids()] * n)]) if guided else cond
    rng = np.random.default_rng(seed + 10_000)  # noise added during sampling (DDPM, DDIM eta > 0)
    steps: list[Step] | None = [] if trace else None
    timesteps = sched.timesteps[start_index:]
    for i, t in enumerate(timesteps):
        batch = np.concatenate([sample, sample]) if guided else sample
        v, attention = model.denoise(batch, np.full(len(batch), t), ids)
        if guided:
            v = v[n:] + guidance_scale * (v[:n] - v[n:])
        out = sched.step(v, int(t), sample, eta=eta, generator=rng)
        if steps is not None:
            decoded = to_uint8(model.decode(np.concatenate([sample, out.pred_original_sample])))
            steps.append(Step(i, int(t), float(sched.alphas_cumprod[t]), sample.astype(np.float16),
                              decoded[:n], decoded[n:], attention[:n].astype(np.float16)))
        sample = out.prev_sample
        if known is not None and keep is not None:
            prev_t = sched.previous_timestep(int(t))
            noised = sched.add_noise(known, rng.standard_normal(known.shape).astype(np.float32), prev_t)
            sample = np.where(keep, noised, sample).astype(np.float32)
        if callback is not None:
            guess = out.pred_original_sample
            callback(i + 1, len(timesteps), lambda guess=guess: to_uint8(model.decode(guess)))
    return sample, steps


def _output(sample: np.ndarray, tokens: Tokens, seed: int, steps: int, guidance: float, scheduler: str,
            trace: list[Step] | None, started: float) -> GenerationOutput:
    decode_started = time.perf_counter()
    pictures = list(to_uint8(load_model().decode(sample)))
    now = time.perf_counter()
    return GenerationOutput(pictures, tokens, seed, steps, guidance, scheduler, trace,
                            {"total_s": now - started, "decode_s": now - decode_started})


def generate(prompt: str, *, seed: int = 0, num_inference_steps: int = 20, guidance_scale: float = 4.0,
             n: int = 1, scheduler: str = "ddim", eta: float = 0.0, trace: bool = False,
             callback: StepCallback | None = None) -> GenerationOutput:
    """Draw ``n`` new 64x64 pictures for ``prompt``, starting from seeded noise."""
    _check(num_inference_steps, guidance_scale, n)
    started = time.perf_counter()
    tokens = tokenize(prompt)
    sample, steps = denoise_latents(tokens, _noise(seed, n), seed=seed, num_inference_steps=num_inference_steps,
                                    guidance_scale=guidance_scale, scheduler=scheduler, eta=eta, trace=trace,
                                    callback=callback)
    return _output(sample, tokens, seed, num_inference_steps, guidance_scale, scheduler, steps, started)


def image_to_image(image: np.ndarray, prompt: str, *, strength: float = 0.6, seed: int = 0,
                   num_inference_steps: int = 20, guidance_scale: float = 4.0, n: int = 1,
                   scheduler: str = "ddim", eta: float = 0.0, trace: bool = False,
                   callback: StepCallback | None = None) -> GenerationOutput:
    """Start from ``image`` noised part-way (``strength`` 0 keeps it, 1 ignores it) and denoise towards the prompt."""
    _check(num_inference_steps, guidance_scale, n)
    if not 0.0 < strength <= 1.0:
        raise ValueError("Strength must be above 0 and at most 1.")
    started = time.perf_counter()
    tokens = tokenize(prompt)
    sched = SCHEDULERS[scheduler](clip_sample=False)
    sched.set_timesteps(num_inference_steps)
    start_index = num_inference_steps - max(1, round(num_inference_steps * strength))
    init = np.repeat(load_model().encode(to_model(fit(image))), n, axis=0)
    sample = sched.add_noise(init, _noise(seed, n), int(sched.timesteps[start_index])).astype(np.float32)
    sample, steps = denoise_latents(tokens, sample, seed=seed, num_inference_steps=num_inference_steps,
                                    guidance_scale=guidance_scale, scheduler=scheduler, eta=eta,
                                    start_index=start_index, trace=trace, callback=callback)
    return _output(sample, tokens, seed, num_inference_steps, guidance_scale, scheduler, steps, started)


def inpaint(image: np.ndarray, mask: np.ndarray, prompt: str, *, seed: int = 0, num_inference_steps: int = 20,
            guidance_scale: float = 4.0, n: int = 1, scheduler: str = "ddim", eta: float = 0.0,
            trace: bool = False, callback: StepCallback | None = None) -> GenerationOutput:
    """Re-imagine only where ``mask`` is True (HxW bool), keeping every other pixel of ``image``."""
    _check(num_inference_steps, guidance_scale, n)
    started = time.perf_counter()
    model = load_model()
    tokens = tokenize(prompt)
    pixels = fit(image)
    pixel_mask = fit_mask(mask)
    known = np.repeat(model.encode(to_model(pixels)), n, axis=0)
    channels, size, _ = model.latent_shape
    factor = RESOLUTION // size
    latent_mask = pixel_mask.reshape(size, factor, size, factor).any(axis=(1, 3))   # any pixel to change
    keep = ~latent_mask[None, None].repeat(n, axis=0).repeat(channels, axis=1)
    sample, steps = denoise_latents(tokens, _noise(seed, n), seed=seed, num_inference_steps=num_inference_steps,
                                    guidance_scale=guidance_scale, scheduler=scheduler, eta=eta, known=known,
                                    keep=keep, trace=trace, callback=callback)
    out = _output(sample, tokens, seed, num_inference_steps, guidance_scale, scheduler, steps, started)
    # Outside the mask the learner's own pixels come back exactly, not their autoencoder copy.
    out.images = [np.where(pixel_mask[..., None], picture, pixels) for picture in out.images]
    return out


def fit(image: np.ndarray) -> np.ndarray:
    """Any RGB(A) image -> the model's 64x64 RGB."""
    from PIL import Image

    pil = Image.fromarray(image).convert("RGB")
    if pil.size != (RESOLUTION, RESOLUTION):
        pil = pil.resize((RESOLUTION, RESOLUTION), Image.Resampling.BOX)
    return np.asarray(pil)


def fit_mask(mask: np.ndarray) -> np.ndarray:
    """Any HxW mask -> the model's 64x64 bool mask (True: re-imagine here)."""
    from PIL import Image

    if mask.shape != (RESOLUTION, RESOLUTION):
        pil = Image.fromarray(mask.astype(np.uint8) * 255).resize((RESOLUTION, RESOLUTION), Image.Resampling.BOX)
        return np.asarray(pil) >= 128
    return mask.astype(bool)
