"""The noise schedule, shared by training (PyTorch) and sampling (NumPy).

One definition for both sides means the sampler can never drift from what the network was
trained on. Names follow diffusers: ``betas``, ``alphas_cumprod``, ``num_train_timesteps``.
"""

import math

import numpy as np

NUM_TRAIN_TIMESTEPS = 1000


def betas_for_alpha_bar(num_train_timesteps: int = NUM_TRAIN_TIMESTEPS,
                        max_beta: float = 0.999) -> np.ndarray:
    """The cosine ("squaredcos_cap_v2") schedule of Nichol & Dhariwal (2021).

    Small images lose their structure very early under a linear schedule; the cosine schedule
    spends more of the steps where the image is still recognisable, which trains faster.
    """
    def alpha_bar(t: float) -> float:
        return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2

    betas = [min(1 - alpha_bar((i + 1) / num_train_timesteps) / alpha_bar(i / num_train_timesteps),
                 max_beta) for i in range(num_train_timesteps)]
    return np.asarray(betas, dtype=np.float64)


def alphas_cumprod(num_train_timesteps: int = NUM_TRAIN_TIMESTEPS) -> np.ndarray:
    """How much of the original signal survives at each timestep (1 at t=0, ~0 at the end)."""
    return np.cumprod(1.0 - betas_for_alpha_bar(num_train_timesteps))
