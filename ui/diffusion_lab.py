"""Interactive parts of the diffusion lesson: every step of the real local model, live.

Results are cached by their parameters (the model is deterministic for a given seed), so
scrubbing, replaying and returning to the page cost nothing, and no image sits in session state.
The panels below the step viewer use its seed and steps, so the whole lesson talks about one run.
"""

import inspect

import numpy as np
import pandas as pd
import streamlit as st

from genlab.backends.masks import REGIONS, region_area
from genlab.diffusion import attention, pipeline, schedulers
from genlab.diffusion.display import animation
from genlab.diffusion.model import ModelMissing, load_model, model_info
from genlab.diffusion.schedule import alphas_cumprod
from genlab.world import vocab
from genlab.world.prompt import read_prompt
from genlab.world.tokenizer import tokenize
from ui import charts, images, keys, warmup

DEFAULT_PROMPT = "a fluffy orange cat wearing a tiny top hat, watercolour style"
DEFAULT_SEED, DEFAULT_STEPS = 7, 20
GUIDANCE = 4.0


@st.cache_data(max_entries=64, show_spinner=False)
def run(prompt: str, seed: int, steps: int, guidance: float, scheduler: str, n: int = 1,
        trace: bool = False) -> pipeline.GenerationOutput:
    return pipeline.generate(prompt, seed=seed, num_inference_steps=steps, guidance_scale=guidance,
                             scheduler=scheduler, eta=0.0, n=n, trace=trace)


@st.cache_data(max_entries=32, show_spinner=False)
def run_inpaint(base_prompt: str, seed: int, region: str, prompt: str, steps: int,
                guidance: float) -> tuple[np.ndarray, np.ndarray, pipeline.GenerationOutput]:
    base = run(base_prompt, seed, steps, guidance, "ddim").images[0]
    mask = region_area((pipeline.RESOLUTION, pipeline.RESOLUTION), region)
    out = pipeline.inpaint(base, mask, prompt, seed=seed + 1, num_inference_steps=steps,
                           guidance_scale=guidance, trace=True)
    return base, mask, out


@st.cache_data(max_entries=32, show_spinner=False)
def step_animation(prompt: str, seed: int, steps: int, guidance: float, scheduler: str) -> bytes:
    """The GIF of every noisy step and the finished image (built once per setting)."""
    out = run(prompt, seed, steps, guidance, scheduler, trace=True)
    return animation([s.x_t[0] for s in out.trace or []] + [out.images[0]], size=256)


@warmup.task("the diffusion lesson's default runs")
def _warm_lesson() -> None:
    """What every first visit of the lesson computes with its default settings, once per server."""
    seed, steps = DEFAULT_SEED, DEFAULT_STEPS
    run(DEFAULT_PROMPT, seed, steps, GUIDANCE, "ddim", trace=True)
    step_animation(DEFAULT_PROMPT, seed, steps, GUIDANCE, "ddim")


def model_ready() -> bool:
    """False (after saying why) if the shipped weights cannot be loaded."""
    try:
        load_model()
    except ModelMissing as exc:
        st.error(str(exc), icon=":material/error:")
        return False
    return True


def prompt_feedback(prompt: str) -> None:
    """How the model reads a prompt: the same notes under every prompt box of the app."""
    tokens = tokenize(prompt)
    for note in pipeline.prompt_notes(tokens) + read_prompt(prompt).notes:
        st.info(note, icon=":material/info:")


def current_run() -> tuple[int, int]:
    """The seed and number of steps chosen in the step viewer (the defaults before it is used)."""
    return (int(st.session_state.get(keys.DL_SEED, DEFAULT_SEED)),
            int(st.session_state.get(keys.DL_STEPS, DEFAULT_STEPS)))


def vocabulary() -> None:
    st.markdown(f"**Words this model knows.** {vocab.vocabulary_sentence()}")


def step_viewer() -> None:
    """Prompt, seed, steps, guidance and scheduler in; every step's latent, picture and attention out."""
    st.subheader("Watch the model work, step by step", anchor=False)
    vocabulary()
    with st.form("steps_form"):
        prompt = st.text_input("Prompt", DEFAULT_PROMPT, max_chars=200, key="dl_prompt")
        c1, c2, c3, c4 = st.columns(4)
        seed = c1.number_input("Seed", 0, 10_000, DEFAULT_SEED, key=keys.DL_SEED)
        steps = c2.slider("Steps", 2, 50, DEFAULT_STEPS, key=keys.DL_STEPS)
        guidance = c3.slider("Guidance scale", 0.0, 10.0, GUIDANCE, 0.5, key="dl_guidance")
        scheduler = c4.radio("Scheduler", ["ddim", "ddpm"], format_func=str.upper, key="dl_scheduler",
                             horizontal=True)
        if st.form_submit_button("Run the model", type="primary", icon=":material/play_arrow:"):
            st.rerun()  # the whole lesson, so every panel below uses the new seed and steps
    out = run(prompt, int(seed), steps, guidance, scheduler, trace=True)
    prompt_feedback(prompt)
    trace = out.trace or []
    total = len(trace) + 1  # every step, then the finished image
    index = st.slider("Scrub through the steps", 1, total, total, key="dl_scrub",
                      help="Step 1 is pure noise; the last position is the finished picture.") - 1
    step = trace[min(index, len(trace) - 1)]
    finished = index >= len(trace)
    latent_col, noisy_col, guess_col, anim_col = st.columns(4)
    with latent_col:
        st.image(attention.latent_picture(step.latent[0].astype(np.float32), 160), width=160,
                 caption=f"The latent entering step {step.index + 1}: 4 channels of 16x16",
                 alt="The four channels of the 16 by 16 latent, as grey maps in a two by two grid")
    with noisy_col:
        if finished:
            images.show(out.images[0], "The finished picture", caption="The finished picture", size=160)
        else:
            images.show(step.x_t[0], f"The noisy latent of step {index + 1}, decoded",
                        caption=f"That latent, decoded (timestep {step.timestep})", size=160)
    with guess_col:
        images.show(step.pred_x0[0], f"The model's guess of the finished picture at step {step.index + 1}",
                    caption="The model's current guess (predicted x0, decoded)", size=160)
    with anim_col:
        st.image(step_animation(prompt, int(seed), steps, guidance, scheduler), width=160,
                 caption="Every step, from noise to the picture",
                 alt="Animation of all steps: noise slowly turns into the finished picture")
    if finished:
        st.markdown(f"**Text description of the finished picture.** After {len(trace)} steps the last latent "
                    "was decoded into this 64x64 picture. The latent and guess beside it are from the last step.")
    else:
        st.markdown(
            f"**Text description of step {index + 1} of {len(trace)}.** At timestep {step.timestep} about "
            f"{step.signal:.0%} of the latent is signal and {1 - step.signal:.0%} is noise (shares of the "
            "variance). The model's guess of the finished picture: early guesses are blurry averages of "
            "everything the prompt could mean, later ones are sharp.")
    attention_row(out, step, prompt)
    st.caption(f"{out.num_inference_steps} steps with {out.scheduler.upper()} took "
               f"{out.timings['total_s']:.2f} s on this computer's CPU, decoding included (the first run of a "
               "setting; repeats come from a cache).")


def attention_row(out: pipeline.GenerationOutput, step: pipeline.Step, prompt: str) -> None:
    """Where each word of the prompt looks at this step: a map per word and a sentence per word."""
    words = out.tokens.words
    if not words or out.tokens.is_empty:
        return
    st.markdown(f"**Where each word looks at step {step.index + 1}** (cross-attention at 16x16, averaged "
                "over heads; bright means that part of the picture is reading that word):")
    maps = attention.word_maps(step.attention[0], words)
    shown = [m for m in maps if m.word not in _LITTLE_WORDS] or maps
    for start in range(0, len(shown), 6):
        columns = st.columns(6)
        for column, word_map in zip(columns, shown[start:start + 6], strict=False):
            with column:
                st.image(attention.heatmap(word_map.map, step.pred_x0[0], 120), width=120,
                         caption=f"“{word_map.word}”", output_format="PNG",
                         alt=f"Attention map of the word {word_map.word}: {word_map.sentence()}")
    with st.expander("Where each word looks, in words"):
        st.markdown("\n".join(f"- {m.sentence()}" for m in maps))


_LITTLE_WORDS = frozenset({"a", "an", "the", "of", "in", "on", "at", "by", "to", "is", "with", "wearing", "style"})


def latent_space() -> None:
    """What the latent is, with the numbers of this model."""
    st.subheader("Pixels versus latents, on this model", anchor=False)
    cfg = model_info()["config"]
    pixels = cfg["image_size"] ** 2 * 3
    latent = cfg["latent_channels"] * cfg["latent_size"] ** 2
    seed, steps = current_run()
    out = run(DEFAULT_PROMPT, seed, steps, GUIDANCE, "ddim", trace=True)
    step = (out.trace or [])[-1]
    c1, c2 = st.columns(2)
    with c1:
        st.image(attention.latent_picture(step.latent[0].astype(np.float32), 200), width=200,
                 caption=f"A latent: {cfg['latent_channels']} x {cfg['latent_size']} x {cfg['latent_size']} numbers",
                 alt="The four latent channels of the picture beside it, as grey maps")
    with c2:
        images.show(out.images[0], "The picture the decoder made from that latent", size=200,
                    caption=f"Its picture: {cfg['image_size']} x {cfg['image_size']} x 3 numbers")
    st.markdown(
        f"**Text description.** The denoiser works on {latent:,} numbers instead of {pixels:,}: "
        f"{pixels / latent:.0f} times fewer, at each of the {steps} steps. Only once, at the end, the decoder "
        f"turns the latent into pixels (it took {out.timings['decode_s'] * 1000:.0f} ms here). The channels do "
        "not mean anything a person would name; the autoencoder learned them so that the decoder can rebuild "
        "the picture.")


def schedule_chart() -> None:
    """How much signal remains at each timestep, with the timesteps the sampler visits."""
    st.subheader("The noise schedule", anchor=False)
    acp = alphas_cumprod()
    t = np.arange(len(acp))
    frame = pd.DataFrame({"timestep": t, "picture": acp, "noise": 1 - acp})
    _, steps = current_run()
    sched = schedulers.DDIMScheduler()
    sched.set_timesteps(steps)
    st.altair_chart(charts.schedule(frame, sched.timesteps), width="stretch")
    visited = ", ".join(str(int(x)) for x in sched.timesteps)
    st.markdown(f"**Text description.** The chart shows a cosine schedule over 1000 timesteps, as shares of "
                f"the noisy latent's variance: at timestep 0 it is all signal; at timestep 500 about "
                f"{acp[500]:.0%} is signal and {1 - acp[500]:.0%} noise; at timestep 999 it is pure noise. "
                f"With the step viewer's {steps} steps, the sampler visits timesteps {visited}.")


def guidance_row() -> None:
    st.subheader("What guidance does", anchor=False)
    prompt = st.text_input("Prompt for the guidance row", "a red car on the beach, pixel art",
                           key="dl_guidance_prompt", max_chars=200)
    prompt_feedback(prompt)
    seed, steps = current_run()
    scales = [0.0, 1.0, 2.0, 4.0, 8.0]
    outs = [run(prompt, seed, steps, g, "ddim").images[0] for g in scales]
    images.row(outs, [f"Picture for '{prompt}' with guidance scale {g}" for g in scales],
               [f"guidance {g:g}" for g in scales])
    st.markdown(f"**Text description.** Same prompt, seed {seed}, {steps} steps, five guidance scales. At 0 the "
                "prompt is ignored (an unconditional sample); at 1 the prompt is used without extra push; "
                "higher values follow the prompt harder and, pushed too far, exaggerate colours and edges.")


def compare_prompts() -> None:
    st.subheader("Same seed, two prompts", anchor=False)
    c1, c2 = st.columns(2)
    a = c1.text_input("First prompt", "a cat and a dog playing in a park", key="dl_cmp_a", max_chars=200)
    b = c2.text_input("Second prompt", "a bird above a house in a park", key="dl_cmp_b", max_chars=200)
    prompt_feedback(a)
    prompt_feedback(b)
    seed, steps = current_run()
    images.row([run(a, seed, steps, GUIDANCE, "ddim").images[0], run(b, seed, steps, GUIDANCE, "ddim").images[0]],
               [f"Picture for '{a}'", f"Picture for '{b}'"], [a, b], size=200)
    st.markdown(f"**Text description.** Both pictures start from the very same noise (seed {seed}); only the "
                "prompt differs, so every difference between them comes from the words.")


def seed_row() -> None:
    st.subheader("Same prompt, several seeds", anchor=False)
    prompt = st.text_input("Prompt for the seed row", "a cat", key="dl_seeds_prompt", max_chars=200)
    prompt_feedback(prompt)
    seed, steps = current_run()
    out = run(prompt, seed, steps, GUIDANCE, "ddim", n=6)
    images.row(out.images, [f"Picture {i + 1} for '{prompt}' (seed {seed + i})" for i in range(6)],
               [f"seed {seed + i}" for i in range(6)], size=110)
    asked = read_prompt(prompt).asked()
    open_facts = [k for k in ("colour", "accessory", "scene", "style") if k not in asked]
    st.markdown("**Text description.** Six seeds give six different starting noises, so six different pictures "
                "that all match the prompt. " + (f"What the prompt leaves open ({', '.join(open_facts)}) varies "
                                                   "the most." if open_facts else ""))


def inpainting() -> None:
    st.subheader("Inpainting, step by step", anchor=False)
    c1, c2 = st.columns(2)
    region = c1.selectbox("Region to re-imagine", list(REGIONS), index=1, key="dl_mask")
    prompt = c2.text_input("Prompt for the new picture", "a blue bird on the right in a park",
                           key="dl_inpaint_prompt", max_chars=200)
    prompt_feedback(prompt)
    seed, steps = current_run()
    base, mask, out = run_inpaint("a tree on the left in a park", seed, region, prompt, steps, GUIDANCE)
    trace = out.trace or []
    index = st.slider("Inpainting step", 1, len(trace), len(trace), key="dl_inpaint_scrub") - 1
    shown_mask = np.where(mask[..., None], np.array([255, 0, 255], np.uint8), base)
    images.row([base, shown_mask, trace[index].x_t[0], out.images[0]],
               ["The starting picture", f"The starting picture with the {region} marked in magenta",
                f"Inpainting, noisy latent at step {index + 1}, decoded", "The finished inpainted picture"],
               ["start", "mask (magenta)", f"step {index + 1}", "result"], size=150)
    st.markdown(f"**Text description.** Only the {region} is re-imagined: at every step the latent outside the "
                "mask is reset to the starting picture's latent (noised to the same level), and at the end every "
                "pixel outside the mask is the starting picture's own, so only the new content changes.")


def read_the_code() -> None:
    st.subheader("Read the code", anchor=False)
    st.markdown("This is the real sampling loop the app just ran (from `genlab/diffusion/pipeline.py`), and "
                "the DDIM step it calls (from `genlab/diffusion/schedulers.py`).")
    st.code(inspect.getsource(pipeline.denoise_latents), language="python", wrap_lines=True)
    st.code(inspect.getsource(schedulers.DDIMScheduler), language="python", wrap_lines=True)
