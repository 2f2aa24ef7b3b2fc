"""The model card: what the local model is, how it was made, and how well it follows prompts.

Rendered from ``weights/model.json`` (written by training/export_latent.py and bench/diffusion.py),
so the card can never disagree with the facts that ship next to the weights.
"""

from genlab.diffusion.model import CARD_FILE, model_info
from genlab.world.caption import CAPTION_DROPOUT, DROP
from genlab.world.sample import FREQUENCIES, HELD_OUT, SUBJECT_COLOURS

CARD_MARKDOWN = CARD_FILE.with_name("MODEL_CARD.md")


def _table(table: dict[str, float]) -> str:
    return ", ".join(f"{w} {p:.0%}" for w, p in table.items())


def render_card(info: dict | None = None) -> str:
    info = info if info is not None else model_info()
    cfg = info.get("config", {})
    ev = info.get("evaluation", {})
    frequencies = "\n".join(f"| {name} | {_table(table)} |" for name, table in FREQUENCIES.items())
    favourites = "; ".join(f"{kind}: " + ", ".join(f"{c} {p:.0%}" for c, p in sorted(
        table.items(), key=lambda kv: -kv[1])[:3]) for kind, table in SUBJECT_COLOURS.items())
    side = f"{cfg.get('image_size')}x{cfg.get('image_size')}"
    hours = (info.get("denoiser_wall_s", 0) + info.get("autoencoder_wall_s", 0)) / 3600
    args = info.get("train_args", {})
    if ev:
        by_attribute = ", ".join(f"{k} {v:.1%}" for k, v in ev.get("adherence_by_attribute", {}).items())
        sources = "\n".join(f"  - “{p}”: {share:.0%} of 4 seeds"
                            for p, share in ev.get("source_prompts", {}).items())
        evaluation = (
            f"- Prompt adherence on {ev.get('held_out_captions')} held-out captions (subject, colour, scene and "
            f"style combinations never seen in training), read back by the vision reader: {by_attribute}; "
            f"**{ev.get('adherence_all_attributes', 0):.1%}** of captions with every attribute right\n"
            f"- The sources' own prompts, every named fact read back:\n{sources}\n"
            f"- Latency, 4 pictures, 20 guided DDIM steps and decoding, 2 threads: {ev.get('latency_s_batch4')} s "
            f"(1 picture: {ev.get('latency_s_batch1')} s)\n"
            f"- Denoiser cost: {ev.get('denoiser_gflops_per_image')} GFLOP per latent per pass; efficiency "
            f"{ev.get('efficiency')} of this CPU's measured matmul rate ({ev.get('cpu_matmul_gflops')} GFLOP/s)\n"
            f"- Weights the app loads: {ev.get('weights_mib')} MiB; loading them: {ev.get('load_s')} s\n"
            f"- Measured on: {ev.get('machine', {}).get('cpu', '?')}, {ev.get('machine', {}).get('cores', '?')} cores")
    else:
        evaluation = "- Not evaluated yet: run `python -m bench.diffusion --write-card`."
    return f"""# Model card: genlab latent diffusion ({info.get('version', 'dev')})

A small text-to-image latent diffusion model that ships with the AI-901 Image Generation Lab, so the
lessons and the studio work with no key and no network. It is a teaching model: it draws
{side} pictures of an illustrated world (animals, houses,
trees, cars, boats and shapes, with accessories, scenes and drawing styles), and nothing else.

## Model
- Like Stable Diffusion, three networks: an autoencoder that squeezes a {side}x3
  picture into a {cfg.get('latent_size')}x{cfg.get('latent_size')}x{cfg.get('latent_channels')} latent and back
  (encoder {info.get('encoder_parameters', 0):,} and decoder {info.get('decoder_parameters', 0):,} parameters);
  a text encoder (word embeddings, {cfg.get('text_layers')} Transformer layers of width {cfg.get('text_dim')},
  {cfg.get('max_tokens')} words at most, {info.get('text_encoder_parameters', 0):,} parameters); and a U-Net
  denoiser on latents (channels {cfg.get('channels')}, FiLM conditioning on the timestep and the pooled
  prompt, cross-attention from latent positions to every word at 16x16, 8x8 and 4x4, two coordinate
  input channels), {info.get('denoiser_parameters', 0):,} parameters with the text encoder.
- Objective: v-prediction on a cosine noise schedule (1000 timesteps), min-SNR-5 loss weighting;
  classifier-free guidance learnt by dropping whole captions {CAPTION_DROPOUT:.0%} of the time; EMA weights.
- Runtime: ONNX (opset 17) run by onnxruntime; schedulers (DDPM, DDIM) in NumPy; latent scale
  {info.get('latent_scale', 0):.4f} (latents are scaled to unit variance, as Stable Diffusion's 0.18215 does).

## Data
Pictures rendered by `genlab/world` from scenes sampled with deliberately uneven frequencies (the
responsible-AI lesson shows the model inheriting them):

| fact | frequency in training |
|---|---|
{frequencies}

Each subject has favourite colours (the top three: {favourites}); every other colour shares the rest.
Captions are written afresh at every training step in many phrasings, and leave facts out at random
({_table(DROP)}), so partial prompts work. {len(HELD_OUT)} (subject, colour, scene, style) combinations
are held out of training and used only for evaluation.

## Training
- Autoencoder: {info.get('autoencoder_steps', 0):,} steps, final loss {info.get('autoencoder_final_loss')}.
- Denoiser: {info.get('denoiser_steps', 0):,} steps at batch {args.get('batch')}, learning rate {args.get('lr')}
  (warm-up, cosine decay over {args.get('steps')} steps), seed {args.get('seed')}, final loss
  {info.get('denoiser_final_loss')}.
- Wall time: {hours:.2f} h on {info.get('trained_on', 'cpu')} ({info.get('hardware', '')}).
- Reproduce (seeded, from an empty `training/checkpoints/`): `python -m training.train_latent
  --steps {args.get('steps')} --stop-at {info.get('denoiser_steps')}`, then `python -m training.export_latent`
  (identical up to floating-point differences between machines and thread counts).

## Evaluation
{evaluation}

## Limits
Only the world's words are understood; every other word in a prompt is reported as unknown. Two-subject
pictures are harder than single subjects, and the model was never shown accessories in them. Facts a
prompt leaves open are filled from the training frequencies above. It is not a model of people,
photographs or real places.
"""


def write_card() -> None:
    CARD_MARKDOWN.write_text(render_card())
