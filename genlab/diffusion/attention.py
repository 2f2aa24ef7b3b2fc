"""Where each word of the prompt looks: cross-attention maps, as pictures and as sentences.

At every step, each of the 16x16 latent positions spreads its attention over the prompt's words
(its weights sum to 1). The map of one word is that word's weight at every position: bright where
the picture is "listening" to that word. The text equivalent names the ninth of the picture where
the word's attention is strongest and how concentrated it is, so a learner who cannot see the map
gets the same information.
"""

from dataclasses import dataclass

import numpy as np

_ROWS = ("top", "middle", "bottom")
_COLS = ("left", "centre", "right")


@dataclass(frozen=True)
class WordAttention:
    """One word's attention at one step."""

    word: str
    position: int            # index of the word in the prompt's tokens
    map: np.ndarray          # float32 (16, 16), this word's weight at each position
    share: float             # mean weight the picture gives this word (all words together sum to 1)
    peak_region: str         # e.g. "top centre"
    concentration: float     # share of this word's attention inside its peak ninth (1/9 if uniform)

    def sentence(self) -> str:
        focus = ("spread over the whole picture" if self.concentration < 0.2 else
                 f"mostly on the {self.peak_region}" if self.concentration >= 0.35 else
                 f"leaning towards the {self.peak_region}")
        return (f"“{self.word}” gets {self.share:.0%} of the picture's attention, "
                f"{focus} ({self.concentration:.0%} of it in that ninth).")


def word_maps(attention: np.ndarray, words: list[str]) -> list[WordAttention]:
    """Per-word maps from one image's attention (positions x tokens) at one step."""
    side = round(float(np.sqrt(attention.shape[0])))
    out = []
    for k, word in enumerate(words):
        m = attention[:, k].astype(np.float32).reshape(side, side)
        total = float(m.sum())
        ninths = m.reshape(3, side // 3, 3, side // 3) if side % 3 == 0 else _ninths(m)
        sums = ninths.sum(axis=(1, 3)) if ninths.ndim == 4 else ninths
        r, c = np.unravel_index(int(np.argmax(sums)), sums.shape)
        region = "centre" if (r, c) == (1, 1) else f"{_ROWS[r]} {_COLS[c]}"
        out.append(WordAttention(word, k, m, float(m.mean()), region,
                                 float(sums[r, c] / total) if total > 0 else 0.0))
    return out


def _ninths(m: np.ndarray) -> np.ndarray:
    """Sum of a square map over a 3x3 grid of (nearly) equal cells."""
    edges = np.linspace(0, m.shape[0], 4).round().astype(int)
    return np.asarray([[m[edges[i]:edges[i + 1], edges[j]:edges[j + 1]].sum() for j in range(3)]
                       for i in range(3)])


def heatmap(map16: np.ndarray, picture: np.ndarray, size: int = 192) -> np.ndarray:
    """The picture with one word's map laid over it (bright = attended), upscaled for display."""
    from PIL import Image

    m = map16 - map16.min()
    m = m / m.max() if m.max() > 0 else m
    heat = np.asarray(Image.fromarray((m * 255).astype(np.uint8)).resize((size, size), Image.Resampling.BILINEAR),
                      dtype=np.float32)[..., None] / 255.0
    base = np.asarray(Image.fromarray(picture).resize((size, size), Image.Resampling.NEAREST), dtype=np.float32)
    grey = base.mean(axis=-1, keepdims=True) * 0.35
    warm = np.array([255.0, 200.0, 40.0])
    return np.clip(grey * (1 - heat) + (0.4 * base + 0.6 * warm) * heat, 0, 255).astype(np.uint8)


def latent_picture(latent: np.ndarray, size: int = 192) -> np.ndarray:
    """A latent (4, 16, 16) shown as its four channels in a 2x2 grid of grey maps."""
    from PIL import Image

    c = latent.shape[0]
    tiles = []
    for k in range(c):
        ch = latent[k].astype(np.float32)
        ch = np.clip((ch / 3.0 + 1.0) * 127.5, 0, 255).astype(np.uint8)  # latents have unit variance: +-3 sd
        tiles.append(ch)
    grid = np.block([[tiles[0], tiles[1]], [tiles[2], tiles[3]]]) if c == 4 else np.hstack(tiles)
    return np.asarray(Image.fromarray(grid).resize((size, size), Image.Resampling.NEAREST).convert("RGB"))
