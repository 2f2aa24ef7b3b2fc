"""Samplers that turn the network's predictions into a slightly less noisy image, one step at a time.

Written in NumPy with the names diffusers uses (``set_timesteps``, ``timesteps``, ``step``,
``alphas_cumprod``, ``prediction_type``, ``eta``), so a learner who reads these ~100 lines can
then read diffusers' own ``DDPMScheduler`` and ``DDIMScheduler``.

The network predicts *v* (a mix of the noise and the clean image). From v and the current noisy
sample we can recover both the model's guess of the clean image (``pred_original_sample``, what
the lesson shows as "the model's current guess") and the noise it thinks was added.
"""

from dataclasses import dataclass

import numpy as np

from genlab.diffusion.schedule import NUM_TRAIN_TIMESTEPS, alphas_cumprod


@dataclass
class SchedulerOutput:
    prev_sample: np.ndarray
    pred_original_sample: np.ndarray


class _Base:
    prediction_type = "v_prediction"

    def __init__(self, num_train_timesteps: int = NUM_TRAIN_TIMESTEPS, clip_sample: bool = True) -> None:
        self.num_train_timesteps = num_train_timesteps
        self.alphas_cumprod = alphas_cumprod(num_train_timesteps)
        self.clip_sample = clip_sample
        self.timesteps = np.arange(num_train_timesteps)[::-1].copy()
        self.num_inference_steps = num_train_timesteps

    def set_timesteps(self, num_inference_steps: int) -> None:
        """Pick which of the 1000 training noise levels to visit.

        "Trailing" spacing (as ``timestep_spacing="trailing"`` in diffusers) starts at the very
        last timestep, pure noise, which is where sampling from random noise must begin.
        """
        if not 1 <= num_inference_steps <= self.num_train_timesteps:
            raise ValueError(f"num_inference_steps must be between 1 and {self.num_train_timesteps}.")
        self.num_inference_steps = num_inference_steps
        ratio = self.num_train_timesteps / num_inference_steps
        self.timesteps = (np.round(np.arange(self.num_train_timesteps, 0, -ratio)) - 1).astype(np.int64)

    def previous_timestep(self, timestep: int) -> int:
        i = int(np.nonzero(self.timesteps == timestep)[0][0])
        return int(self.timesteps[i + 1]) if i + 1 < len(self.timesteps) else -1

    def _alpha(self, timestep: int) -> float:
        return float(self.alphas_cumprod[timestep]) if timestep >= 0 else 1.0

    def predictions(self, model_output: np.ndarray, timestep: int,
                    sample: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(pred_original_sample, pred_epsilon) from the network's v-prediction."""
        a = self._alpha(timestep)
        x0 = np.sqrt(a) * sample - np.sqrt(1 - a) * model_output
        eps = np.sqrt(a) * model_output + np.sqrt(1 - a) * sample
        if self.clip_sample:
            x0 = np.clip(x0, -1.0, 1.0)
            eps = (sample - np.sqrt(a) * x0) / np.sqrt(1 - a)
        return x0, eps

    def add_noise(self, original_samples: np.ndarray, noise: np.ndarray, timestep: int) -> np.ndarray:
        """The forward process: blend a clean image with noise to the level of ``timestep``."""
        a = self._alpha(timestep)
        return np.sqrt(a) * original_samples + np.sqrt(1 - a) * noise


class DDIMScheduler(_Base):
    """DDIM (Song et al., 2020): deterministic when ``eta`` is 0, so few steps suffice."""

    def step(self, model_output: np.ndarray, timestep: int, sample: np.ndarray, eta: float = 0.0,
             generator: np.random.Generator | None = None) -> SchedulerOutput:
        prev_t = self.previous_timestep(timestep)
        a_t, a_prev = self._alpha(timestep), self._alpha(prev_t)
        x0, eps = self.predictions(model_output, timestep, sample)
        sigma = eta * np.sqrt((1 - a_prev) / (1 - a_t) * (1 - a_t / a_prev))
        direction = np.sqrt(max(1 - a_prev - sigma**2, 0.0)) * eps
        prev = np.sqrt(a_prev) * x0 + direction
        if eta > 0 and prev_t >= 0:
            rng = generator if generator is not None else np.random.default_rng()
            prev = prev + sigma * rng.standard_normal(sample.shape).astype(sample.dtype)
        return SchedulerOutput(prev.astype(sample.dtype), x0.astype(sample.dtype))


class DDPMScheduler(_Base):
    """DDPM (Ho et al., 2020): every step adds fresh noise back, as the original paper samples."""

    def step(self, model_output: np.ndarray, timestep: int, sample: np.ndarray, eta: float = 1.0,
             generator: np.random.Generator | None = None) -> SchedulerOutput:
        prev_t = self.previous_timestep(timestep)
        a_t, a_prev = self._alpha(timestep), self._alpha(prev_t)
        alpha_t = a_t / a_prev
        beta_t = 1 - alpha_t
        x0, _ = self.predictions(model_output, timestep, sample)
        mean = (np.sqrt(a_prev) * beta_t / (1 - a_t)) * x0 + (np.sqrt(alpha_t) * (1 - a_prev) / (1 - a_t)) * sample
        if prev_t >= 0:
            variance = max((1 - a_prev) / (1 - a_t) * beta_t, 1e-20)
            rng = generator if generator is not None else np.random.default_rng()
            mean = mean + np.sqrt(variance) * rng.standard_normal(sample.shape).astype(sample.dtype)
        return SchedulerOutput(mean.astype(sample.dtype), x0.astype(sample.dtype))


SCHEDULERS = {"ddim": DDIMScheduler, "ddpm": DDPMScheduler}
