"""The model card: what the local model is, how it was made, and how well it follows prompts.

Rendered from ``weights/unet.json`` (written by training/export_onnx.py and bench/diffusion.py), so
the card can never disagree with the facts that ship next to the weights.
"""

from genlab.diffusion.model import CARD_FILE, model_info
from genlab.toyworld import FREQUENCIES
from genlab.toyworld.sample import HELD_OUT_COUNT

CARD_MARKDOWN = CARD_FILE.with_name("MODEL_CARD.md")


def render_card(info: dict | None = None) -> str:
    info = info if info is not None else model_info()
    ev = info.get("evaluation", {})
    frequencies = "\n".join(f"| {slot} | " + ", ".join(f"{w} {p:.0%}" for w, p in table.items()) + " |"
                            for slot, table in FREQUENCIES.items())
    by_attribute = ", ".join(f"{k} {v:.1%}" for k, v in ev.get("adherence_by_attribute", {}).items())
    hours = info.get("wall_s", 0) / 3600
    evaluation = (
        f"- Prompt adherence on {ev.get('held_out_captions')} held-out captions (shape, colour and position "
        f"all read back by the vision reader): **{ev.get('adherence', 0):.1%}**\n"
        f"- By attribute: {by_attribute}\n"
        f"- Latency, 20 guided DDIM steps, 2 threads: {ev.get('latency_s_batch1')} s (1 image), "
        f"{ev.get('latency_s_batch4')} s (4 images)\n"
        f"- U-Net cost: {ev.get('unet_gflops_per_image')} GFLOP per image per pass; efficiency "
        f"{ev.get('efficiency')} of this CPU's measured matmul rate ({ev.get('cpu_matmul_gflops')} GFLOP/s)\n"
        f"- Measured on: {ev.get('machine', {}).get('cpu', '?')}, {ev.get('machine', {}).get('cores', '?')} cores"
        if ev else "- Not evaluated yet: run `python -m bench.diffusion --write-card`.")
    return f"""# Model card: genlab toy diffusion ({info.get('version', 'dev')})

A small text-to-image diffusion model that ships with the AI-901 Image Generation Lab so the lessons and
the studio work with no key and no network. It is a teaching model: it draws 32x32 pictures of coloured
shapes, and nothing else.

## Model
- Architecture: U-Net (channels {info.get('config', {}).get('channels')}), FiLM conditioning on the
  timestep and the pooled prompt, cross-attention from pixels to the prompt's 8 slots at 16x16 and 8x8;
  a one-layer Transformer mixes the slot embeddings; two coordinate input channels (CoordConv) tell
  each pixel where it is, which is what makes "on the left" learnable in hours on a CPU.
- Parameters: {info.get('parameters', 0):,}
- Objective: v-prediction on a cosine noise schedule (1000 timesteps), min-SNR-5 loss weighting;
  classifier-free guidance learnt by dropping whole captions 10% of the time; EMA weights (decay 0.999).
- Runtime: ONNX (opset 17) run by onnxruntime; schedulers (DDPM, DDIM) in NumPy.

## Data
Images rendered by `genlab/toyworld` from scenes sampled with deliberately uneven frequencies
(the responsible-AI lesson shows the model inheriting them):

| slot | frequency in training |
|---|---|
{frequencies}

Captions leave slots out at random (shape 10%, colour 15%, size 35%, position 30%, background 35%),
so partial prompts work. {HELD_OUT_COUNT} (shape, colour, position) combinations are held out of training and used
only for evaluation.

## Training
- Steps: {info.get('steps', 0):,} at batch {info.get('train_args', {}).get('batch')}, learning rate
  {info.get('train_args', {}).get('lr')} (warm-up, cosine decay), seed {info.get('train_args', {}).get('seed')}
- Wall time: {hours:.2f} h on {info.get('trained_on', 'cpu')} ({info.get('hardware', '')})
- Final training loss (min-SNR weighted): {info.get('final_loss')}
- Reproduce (seeded, from an empty `training/checkpoints/`): `python -m training.train_diffusion
  --steps {info.get('train_args', {}).get('steps')} --stop-at {info.get('steps')}`, then
  `python -m training.export_onnx` (identical up to floating-point differences between machines and thread counts).

## Evaluation
{evaluation}

## Limits
Only the toy world's words are understood; everything else in a prompt is reported as unknown.
Two-thing scenes are harder than single things: "… above …" sometimes lets one thing's colour bleed
into the other. Prompts that leave most slots unspecified ("a shape") come out blurrier and greyer
(the model averages the possibilities, e.g. white and black backgrounds). It is not a model of people,
places or styles.
"""


def write_card() -> None:
    CARD_MARKDOWN.write_text(render_card())
