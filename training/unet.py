"""A small text-conditioned U-Net, readable top to bottom.

Shape of the network (32x32 input):

    32x32x32  --ResBlock--------------------------------------------- ResBlock --> 3 channels
       | down                                                            ^ up
    16x16x64  --ResBlock + CrossAttention ------------ ResBlock + CrossAttention
       | down                                                            ^ up
     8x8x128  --ResBlock + CrossAttention -- middle -- ResBlock + CrossAttention

Every ResBlock is told the timestep and the pooled prompt (FiLM: a per-channel scale and shift);
the cross-attention layers let each pixel look at each prompt slot. Two extra input channels hold
each pixel's x and y coordinate (CoordConv), so a pixel knows whether it is "on the left": without
them, position can only be inferred from the zero padding at the borders, which trains very slowly.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

from genlab.toyworld.caption import NUM_SLOTS, VOCAB_SIZE


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal features of the timestep, as in the Transformer's positions."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class ResBlock(nn.Module):
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
    """Pixels (queries) attend to the prompt's slot embeddings (keys and values)."""

    def __init__(self, channels: int, context_dim: int, heads: int = 4) -> None:
        super().__init__()
        self.heads = heads
        self.norm = nn.GroupNorm(8, channels)
        self.q = nn.Linear(channels, channels)
        self.kv = nn.Linear(context_dim, 2 * channels)
        self.out = nn.Linear(channels, channels)

    def forward(self, x: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        q = self.q(self.norm(x).flatten(2).transpose(1, 2))            # b, hw, c
        k, v = self.kv(context).chunk(2, dim=-1)                        # b, slots, c
        split = lambda t: t.reshape(b, -1, self.heads, c // self.heads).transpose(1, 2)  # noqa: E731
        a = F.scaled_dot_product_attention(split(q), split(k), split(v))
        a = a.transpose(1, 2).reshape(b, h * w, c)
        return x + self.out(a).transpose(1, 2).reshape(b, c, h, w)


class TextEncoder(nn.Module):
    """Slot ids -> one embedding per slot (for attention) and a pooled vector (for FiLM)."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.token = nn.Embedding(VOCAB_SIZE, dim)
        self.slot = nn.Parameter(torch.zeros(NUM_SLOTS, dim))
        self.mix = nn.TransformerEncoderLayer(dim, 4, 2 * dim, dropout=0.0, batch_first=True,
                                              norm_first=True)

    def forward(self, ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        tokens = self.mix(self.token(ids) + self.slot)
        return tokens, tokens.mean(dim=1)


class UNet(nn.Module):
    def __init__(self, channels: tuple[int, int, int] = (32, 64, 128), text_dim: int = 64,
                 coords: bool = True, size: int = 32) -> None:
        super().__init__()
        c0, c1, c2 = channels
        emb = 4 * c0
        self.config = {"channels": list(channels), "text_dim": text_dim, "coords": coords, "size": size}
        axis = torch.linspace(-1.0, 1.0, size)
        grid = torch.stack(torch.meshgrid(axis, axis, indexing="xy"))[None] if coords else torch.zeros(1, 0, size, size)
        self.register_buffer("grid", grid, persistent=False)
        self.text = TextEncoder(text_dim)
        self.time_mlp = nn.Sequential(nn.Linear(c0, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.text_mlp = nn.Linear(text_dim, emb)
        self.conv_in = nn.Conv2d(3 + self.grid.shape[1], c0, 3, padding=1)
        self.down0 = ResBlock(c0, c0, emb)
        self.pool0 = nn.Conv2d(c0, c0, 3, stride=2, padding=1)
        self.down1 = ResBlock(c0, c1, emb)
        self.attn_d1 = CrossAttention(c1, text_dim)
        self.pool1 = nn.Conv2d(c1, c1, 3, stride=2, padding=1)
        self.down2 = ResBlock(c1, c2, emb)
        self.attn_d2 = CrossAttention(c2, text_dim)
        self.mid = ResBlock(c2, c2, emb)
        self.attn_mid = CrossAttention(c2, text_dim)
        self.up2 = ResBlock(2 * c2, c2, emb)
        self.attn_u2 = CrossAttention(c2, text_dim)
        self.unpool2 = nn.Conv2d(c2, c1, 3, padding=1)
        self.up1 = ResBlock(2 * c1, c1, emb)
        self.attn_u1 = CrossAttention(c1, text_dim)
        self.unpool1 = nn.Conv2d(c1, c0, 3, padding=1)
        self.up0 = ResBlock(2 * c0, c0, emb)
        self.norm_out = nn.GroupNorm(8, c0)
        self.conv_out = nn.Conv2d(c0, 3, 3, padding=1)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    def forward(self, sample: torch.Tensor, timestep: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        """Predict v (the "velocity" target) for a noisy ``sample`` at ``timestep`` given slot ``ids``."""
        context, pooled = self.text(ids)
        emb = self.time_mlp(timestep_embedding(timestep, self.conv_in.out_channels))
        emb = F.silu(emb + self.text_mlp(pooled))
        sample = torch.cat([sample, self.grid.expand(sample.shape[0], -1, -1, -1)], dim=1)
        h0 = self.down0(self.conv_in(sample), emb)
        h1 = self.attn_d1(self.down1(self.pool0(h0), emb), context)
        h2 = self.attn_d2(self.down2(self.pool1(h1), emb), context)
        m = self.attn_mid(self.mid(h2, emb), context)
        u = self.attn_u2(self.up2(torch.cat([m, h2], 1), emb), context)
        u = self.unpool2(F.interpolate(u, scale_factor=2.0, mode="nearest"))
        u = self.attn_u1(self.up1(torch.cat([u, h1], 1), emb), context)
        u = self.unpool1(F.interpolate(u, scale_factor=2.0, mode="nearest"))
        u = self.up0(torch.cat([u, h0], 1), emb)
        return self.conv_out(F.silu(self.norm_out(u)))


def add_coordinate_channels(state: dict) -> dict:
    """Upgrade a checkpoint made without coordinate channels, keeping everything it learnt.

    The new input channels get zero weights (so the network computes exactly what it did) and zero
    optimizer moments; training then learns to use them.
    """
    if state["config"].get("coords"):
        return state
    for key in ("model", "ema"):
        weight = state[key]["conv_in.weight"]
        state[key]["conv_in.weight"] = torch.cat([weight, torch.zeros_like(weight[:, :2])], dim=1)
    names = list(state["model"])
    index = names.index("conv_in.weight")  # optimizer state is keyed by parameter order
    slot = state["opt"]["state"].get(index)
    if slot is not None:
        for moment in ("exp_avg", "exp_avg_sq"):
            slot[moment] = torch.cat([slot[moment], torch.zeros_like(slot[moment][:, :2])], dim=1)
    state["config"] = state["config"] | {"coords": True, "size": 32}
    return state
