"""The latent text-to-image model, readable top to bottom: an autoencoder and a denoiser.

Like Stable Diffusion, the denoiser never sees pixels. The autoencoder squeezes a 64x64x3 picture
into a 16x16x4 latent (12x fewer numbers) and back; the denoiser learns to remove noise from
latents, conditioned on the prompt; the decoder turns the last latent into the picture. Denoising
1,024 numbers instead of 12,288 is what makes each of the 20 steps cheap.

Denoiser shape (16x16x4 latent, plus two coordinate channels so a position knows where it is):

    16x16x c0 --ResBlock + CrossAttention --------------------- ResBlock + CrossAttention --> 4
       | down                                                            ^ up
     8x8x c1 --ResBlock + CrossAttention ------------ ResBlock + CrossAttention
       | down                                                            ^ up
     4x4x c2 --ResBlock + CrossAttention -- middle -- ResBlock + CrossAttention

The prompt is read by a small Transformer over word ids (embeddings plus two layers). Every
cross-attention layer lets each latent position look at each word; the attention weights of the
16x16 layers are a second output, so the app can show where in the picture each word looks.
"""

import math
from dataclasses import asdict, dataclass

import torch
from torch import nn
from torch.nn import functional as F

from genlab.world.tokenizer import MAX_TOKENS, VOCAB_SIZE


@dataclass(frozen=True)
class LatentModelConfig:
    """Every hyper-parameter of the shipped model, saved with each checkpoint and in the app's JSON."""

    image_size: int = 64
    latent_channels: int = 4
    latent_size: int = 16
    ae_channels: tuple[int, int] = (32, 64)
    channels: tuple[int, int, int] = (64, 128, 160)
    text_dim: int = 128
    text_layers: int = 2
    heads: int = 4
    vocab_size: int = VOCAB_SIZE
    max_tokens: int = MAX_TOKENS

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "LatentModelConfig":
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


# ---------------------------------------------------------------- autoencoder

class _AEBlock(nn.Module):
    def __init__(self, cin: int, cout: int) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.GroupNorm(8, cin), nn.SiLU(), nn.Conv2d(cin, cout, 3, padding=1),
                                  nn.GroupNorm(8, cout), nn.SiLU(), nn.Conv2d(cout, cout, 3, padding=1))
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x) + self.skip(x)


class Encoder(nn.Module):
    """64x64x3 picture in [-1, 1] -> 16x16x4 latent."""

    def __init__(self, cfg: LatentModelConfig) -> None:
        super().__init__()
        a, b = cfg.ae_channels
        self.net = nn.Sequential(
            nn.Conv2d(3, a, 3, padding=1), _AEBlock(a, a), nn.Conv2d(a, a, 3, stride=2, padding=1),
            _AEBlock(a, b), nn.Conv2d(b, b, 3, stride=2, padding=1), _AEBlock(b, b),
            nn.GroupNorm(8, b), nn.SiLU(), nn.Conv2d(b, cfg.latent_channels, 3, padding=1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class Decoder(nn.Module):
    """16x16x4 latent -> 64x64x3 picture in [-1, 1]."""

    def __init__(self, cfg: LatentModelConfig) -> None:
        super().__init__()
        a, b = cfg.ae_channels
        self.net = nn.Sequential(
            nn.Conv2d(cfg.latent_channels, b, 3, padding=1), _AEBlock(b, b), _AEBlock(b, b),
            nn.Upsample(scale_factor=2.0, mode="nearest"), nn.Conv2d(b, b, 3, padding=1), _AEBlock(b, a),
            nn.Upsample(scale_factor=2.0, mode="nearest"), nn.Conv2d(a, a, 3, padding=1), _AEBlock(a, a),
            nn.GroupNorm(8, a), nn.SiLU(), nn.Conv2d(a, 3, 3, padding=1))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)


class Autoencoder(nn.Module):
    def __init__(self, cfg: LatentModelConfig) -> None:
        super().__init__()
        self.encoder = Encoder(cfg)
        self.decoder = Decoder(cfg)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        z = self.encoder(x)
        return self.decoder(z), z


# ---------------------------------------------------------------- denoiser

def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal features of the timestep, as in the Transformer's positions."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class ResBlock(nn.Module):
    """Two convolutions, told the timestep and the pooled prompt by FiLM (a per-channel scale and shift)."""

    def __init__(self, cin: int, cout: int, emb_dim: int) -> None:
        super().__init__()
        self.norm1 = nn.GroupNorm(8, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.film = nn.Linear(emb_dim, 2 * cout)
        self.norm2 = nn.GroupNorm(8, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        scale, shift = self.film(emb)[:, :, None, None].chunk(2, dim=1)
        h = self.norm2(h) * (1 + scale) + shift
        h = self.conv2(F.silu(h))
        return h + self.skip(x)


class CrossAttention(nn.Module):
    """Latent positions (queries) attend to the prompt's words (keys and values).

    Written out (softmax of q.k) rather than with a fused kernel, so the attention weights can be
    returned: averaged over heads they are the map of where each word looks.
    """

    def __init__(self, channels: int, context_dim: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.norm = nn.GroupNorm(8, channels)
        self.q = nn.Linear(channels, channels)
        self.kv = nn.Linear(context_dim, 2 * channels)
        self.out = nn.Linear(channels, channels)

    def forward(self, x: torch.Tensor, context: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        b, c, h, w = x.shape
        d = c // self.heads
        q = self.q(self.norm(x).flatten(2).transpose(1, 2)).reshape(b, h * w, self.heads, d).transpose(1, 2)
        k, v = self.kv(context).chunk(2, dim=-1)
        k = k.reshape(b, -1, self.heads, d).transpose(1, 2)
        v = v.reshape(b, -1, self.heads, d).transpose(1, 2)
        weights = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d), dim=-1)      # b, heads, hw, tokens
        a = (weights @ v).transpose(1, 2).reshape(b, h * w, c)
        return x + self.out(a).transpose(1, 2).reshape(b, c, h, w), weights.mean(dim=1)


class TextEncoder(nn.Module):
    """Word ids -> one vector per word (for cross-attention) and a pooled vector (for FiLM)."""

    def __init__(self, cfg: LatentModelConfig) -> None:
        super().__init__()
        self.token = nn.Embedding(cfg.vocab_size, cfg.text_dim)
        self.position = nn.Parameter(torch.zeros(cfg.max_tokens, cfg.text_dim))
        layer = nn.TransformerEncoderLayer(cfg.text_dim, cfg.heads, 2 * cfg.text_dim, dropout=0.0,
                                           batch_first=True, norm_first=True)
        self.layers = nn.ModuleList([layer] + [
            nn.TransformerEncoderLayer(cfg.text_dim, cfg.heads, 2 * cfg.text_dim, dropout=0.0,
                                       batch_first=True, norm_first=True) for _ in range(cfg.text_layers - 1)])
        self.norm = nn.LayerNorm(cfg.text_dim)

    def forward(self, ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.token(ids) + self.position
        for layer in self.layers:
            h = layer(h)
        h = self.norm(h)
        real = (ids != 0).float()[..., None]
        pooled = (h * real).sum(1) / real.sum(1).clamp(min=1.0)
        return h, pooled


class LatentUNet(nn.Module):
    def __init__(self, cfg: LatentModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        c0, c1, c2 = cfg.channels
        emb, td, hd = 4 * c0, cfg.text_dim, cfg.heads
        axis = torch.linspace(-1.0, 1.0, cfg.latent_size)
        self.register_buffer("grid", torch.stack(torch.meshgrid(axis, axis, indexing="xy"))[None], persistent=False)
        self.text = TextEncoder(cfg)
        self.time_mlp = nn.Sequential(nn.Linear(c0, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.text_mlp = nn.Linear(td, emb)
        self.conv_in = nn.Conv2d(cfg.latent_channels + 2, c0, 3, padding=1)
        self.down0, self.attn_d0 = ResBlock(c0, c0, emb), CrossAttention(c0, td, hd)
        self.pool0 = nn.Conv2d(c0, c0, 3, stride=2, padding=1)
        self.down1, self.attn_d1 = ResBlock(c0, c1, emb), CrossAttention(c1, td, hd)
        self.pool1 = nn.Conv2d(c1, c1, 3, stride=2, padding=1)
        self.down2, self.attn_d2 = ResBlock(c1, c2, emb), CrossAttention(c2, td, hd)
        self.mid, self.attn_mid = ResBlock(c2, c2, emb), CrossAttention(c2, td, hd)
        self.up2, self.attn_u2 = ResBlock(2 * c2, c2, emb), CrossAttention(c2, td, hd)
        self.unpool2 = nn.Conv2d(c2, c1, 3, padding=1)
        self.up1, self.attn_u1 = ResBlock(2 * c1, c1, emb), CrossAttention(c1, td, hd)
        self.unpool1 = nn.Conv2d(c1, c0, 3, padding=1)
        self.up0, self.attn_u0 = ResBlock(2 * c0, c0, emb), CrossAttention(c0, td, hd)
        self.norm_out = nn.GroupNorm(8, c0)
        self.conv_out = nn.Conv2d(c0, cfg.latent_channels, 3, padding=1)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    def forward(self, sample: torch.Tensor, timestep: torch.Tensor,
                ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Predict v for a noisy latent; also return the 16x16 attention maps (batch, 256, tokens)."""
        context, pooled = self.text(ids)
        emb = self.time_mlp(timestep_embedding(timestep, self.conv_in.out_channels))
        emb = F.silu(emb + self.text_mlp(pooled))
        x = torch.cat([sample, self.grid.expand(sample.shape[0], -1, -1, -1)], dim=1)
        h0, att_in = self.attn_d0(self.down0(self.conv_in(x), emb), context)
        h1, _ = self.attn_d1(self.down1(self.pool0(h0), emb), context)
        h2, _ = self.attn_d2(self.down2(self.pool1(h1), emb), context)
        m, _ = self.attn_mid(self.mid(h2, emb), context)
        u, _ = self.attn_u2(self.up2(torch.cat([m, h2], 1), emb), context)
        u = self.unpool2(F.interpolate(u, scale_factor=2.0, mode="nearest"))
        u, _ = self.attn_u1(self.up1(torch.cat([u, h1], 1), emb), context)
        u = self.unpool1(F.interpolate(u, scale_factor=2.0, mode="nearest"))
        u, att_out = self.attn_u0(self.up0(torch.cat([u, h0], 1), emb), context)
        return self.conv_out(F.silu(self.norm_out(u))), (att_in + att_out) / 2
