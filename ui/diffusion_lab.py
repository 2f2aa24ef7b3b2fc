"""Interactive parts of the diffusion lesson: every step of the real local model, live.

Results are cached by their parameters (the model is deterministic for a given seed), so
scrubbing, replaying and returning to the page cost nothing, and no image sits in session state.
"""

import inspect

import numpy as np
import pandas as pd
import streamlit as st

from genlab.diffusion import pipeline, schedulers
from genlab.diffusion.display import animation
from genlab.diffusion.model import ModelMissing
from genlab.diffusion.schedule import alphas_cumprod
from genlab.toyworld import COLOURS, SHAPES
from ui import charts, images

DEFAULT_PROMPT = "a large red circle on the left on a white background"
MASKS = {
    "left half": (slice(None), slice(0, 16)),
    "right half": (slice(None), slice(16, 32)),
    "top half": (slice(0, 16), slice(None)),
    "bottom half": (slice(16, 32), slice(None)),
    "centre square": (slice(8, 24), slice(8, 24)),
}


@st.cache_data(max_entries=64, show_spinner=False)
def run(prompt: str, seed: int, steps: int, guidance: float, scheduler: str, n: int = 1,
        trace: bool = False) -> pipeline.GenerationOutput:
    return pipeline.generate(prompt, seed=seed, num_inference_steps=steps, guidance_scale=guidance,
                             scheduler=scheduler, eta=0.0, n=n, trace=trace)


@st.cache_data(max_entries=32, show_spinner=False)
def run_inpaint(base_prompt: str, seed: int, region: str, prompt: str, steps: int,
                guidance: float) -> tuple[np.ndarray, np.ndarray, pipeline.GenerationOutput]:
    base = run(base_prompt, seed, steps, guidance, "ddim").images[0]
    mask = np.zeros((32, 32), dtype=bool)
    mask[MASKS[region]] = True
    out = pipeline.inpaint(base, mask, prompt, seed=seed + 1, num_inference_steps=steps,
                           guidance_scale=guidance, trace=True)
    return base, mask, out


@st.cache_data(max_entries=32, show_spinner=False)
def step_animation(prompt: str, seed: int, steps: int, guidance: float, scheduler: str) -> bytes:
    """The GIF of every noisy step and the finished image (built once per setting)."""
    out = run(prompt, seed, steps, guidance, scheduler, trace=True)
    return animation([s.x_t[0] for s in out.trace or []] + [out.images[0]], size=256)


def model_ready() -> bool:
    """False (after saying why) if the shipped weights cannot be loaded."""
    try:
        run("a circle", 0, 1, 1.0, "ddim")
    except ModelMissing as exc:
        st.error(str(exc), icon=":material/error:")
        return False
    return True


def _notes(out: pipeline.GenerationOutput) -> None:
    for note in out.notes:
        st.info(note, icon=":material/info:")
    st.caption(f"How the model read your prompt: {out.parsed.understood()}.")


def vocabulary() -> None:
    st.markdown("**Words this model knows.** Shapes: " + ", ".join(SHAPES) + ". Colours: "
                + ", ".join(COLOURS) + ". Sizes: small, large. Positions: left, right, top, bottom, "
                "centre. Backgrounds: white, black, grey. Composition: \"two …\" and \"… above …\".")


def step_viewer() -> None:
    """Prompt, seed, steps, guidance and scheduler in; every step's x_t and predicted x0 out."""
    st.subheader("Watch the model work, step by step", anchor=False)
    vocabulary()
    with st.form("steps_form"):
        prompt = st.text_input("Prompt", DEFAULT_PROMPT, max_chars=200, key="dl_prompt")
        c1, c2, c3, c4 = st.columns(4)
        seed = c1.number_input("Seed", 0, 10_000, 7, key="dl_seed")
        steps = c2.slider("Steps", 2, 50, 20, key="dl_steps")
        guidance = c3.slider("Guidance scale", 0.0, 10.0, 3.0, 0.5, key="dl_guidance")
        scheduler = c4.radio("Scheduler", ["ddim", "ddpm"], format_func=str.upper, key="dl_scheduler",
                             horizontal=True)
        st.form_submit_button("Run the model", type="primary", icon=":material/play_arrow:")
    out = run(prompt, int(seed), steps, guidance, scheduler, trace=True)
    _notes(out)
    trace = out.trace or []
    total = len(trace) + 1  # every step, then the finished image
    index = st.slider("Scrub through the steps", 1, total, total, key="dl_scrub",
                      help="Step 1 is pure noise; the last position is the finished image.") - 1
    left, right, third = st.columns(3)
    if index < len(trace):
        step = trace[index]
        noisy, guess = step.x_t[0], step.pred_x0[0]
        noisy_alt = (f"Noisy image entering step {index + 1}: " + ("mostly random coloured static"
                     if step.signal < 0.3 else "the picture shows through the noise"))
        noisy_caption = f"x_t entering step {index + 1} (timestep {step.timestep})"
        description = (
            f"**Text description of step {index + 1} of {len(trace)}.** At timestep {step.timestep} about "
            f"{step.signal:.0%} of the noisy image is picture and {1 - step.signal:.0%} is noise (shares of "
            "the variance). The model's guess of the finished image is on the right: early guesses are "
            "blurry averages of everything the prompt could mean, later guesses are sharp.")
    else:
        noisy = guess = out.images[0]
        noisy_alt, noisy_caption = "The finished image", "The finished image (all noise removed)"
        description = (f"**Text description of the finished image.** After {len(trace)} steps no noise is "
                       "left: this is the image the model returns.")
    with left:
        images.show(noisy, noisy_alt, caption=noisy_caption)
    with right:
        images.show(guess, f"The model's guess of the finished image at position {index + 1}",
                    caption="The model's current guess of the final image (predicted x0)")
    with third:
        st.image(step_animation(prompt, int(seed), steps, guidance, scheduler),
                 caption="Animation of every step, from noise to the image",
                 alt="Animation of all steps: static slowly turns into the finished image", width=256)
    st.markdown(description)
    st.caption(f"{out.num_inference_steps} steps with {out.scheduler.upper()} took "
               f"{out.timings['total_s']:.2f} s on this computer's CPU (the first run of a setting; "
               "repeats come from a cache).")


def schedule_chart() -> None:
    """How much signal remains at each timestep, with the timesteps the sampler visits."""
    st.subheader("The noise schedule", anchor=False)
    acp = alphas_cumprod()
    t = np.arange(len(acp))
    frame = pd.DataFrame({"timestep": t, "picture": acp, "noise": 1 - acp})
    steps = st.session_state.get("dl_steps", 20)
    sched = schedulers.DDIMScheduler()
    sched.set_timesteps(steps)
    st.altair_chart(charts.schedule(frame, sched.timesteps), width="stretch")
    visited = ", ".join(str(int(x)) for x in sched.timesteps)
    st.markdown(f"**Text description.** The chart shows a cosine schedule over 1000 timesteps, as shares of "
                f"the noisy image's variance: at timestep 0 it is all picture; at timestep 500 about "
                f"{acp[500]:.0%} is picture and {1 - acp[500]:.0%} noise; at timestep 999 it is pure noise. "
                f"With {steps} steps, the sampler visits timesteps {visited}.")


def guidance_row() -> None:
    st.subheader("What guidance does", anchor=False)
    prompt = st.text_input("Prompt for the guidance row", "a small blue star at the top on a black background",
                           key="dl_guidance_prompt", max_chars=200)
    seed = st.session_state.get("dl_seed", 7)
    scales = [0.0, 1.0, 3.0, 5.0, 8.0]
    outs = [run(prompt, int(seed), 20, g, "ddim").images[0] for g in scales]
    images.row(outs, [f"Image for '{prompt}' with guidance scale {g}" for g in scales],
               [f"guidance {g:g}" for g in scales])
    st.markdown("**Text description.** Same prompt, same seed, five guidance scales. At 0 the prompt is "
                "ignored (an unconditional sample); at 1 the prompt is used without extra push; higher "
                "values follow the prompt harder and, pushed too far, exaggerate colours and edges.")


def compare_prompts() -> None:
    st.subheader("Same seed, two prompts", anchor=False)
    c1, c2 = st.columns(2)
    a = c1.text_input("First prompt", "a large green triangle in the center", key="dl_cmp_a", max_chars=200)
    b = c2.text_input("Second prompt", "a large green heart in the center", key="dl_cmp_b", max_chars=200)
    seed = int(st.session_state.get("dl_seed", 7))
    images.row([run(a, seed, 20, 3.0, "ddim").images[0], run(b, seed, 20, 3.0, "ddim").images[0]],
               [f"Image for '{a}'", f"Image for '{b}'"], [a, b], size=200)
    st.markdown("**Text description.** Both images start from the very same noise (the seed); only the "
                "prompt differs, so every difference between them comes from the words.")


def seed_row() -> None:
    st.subheader("Same prompt, several seeds", anchor=False)
    prompt = st.text_input("Prompt for the seed row", "a purple square", key="dl_seeds_prompt", max_chars=200)
    seed = int(st.session_state.get("dl_seed", 7))
    out = run(prompt, seed, 20, 3.0, "ddim", n=6)
    images.row(out.images, [f"Image {i + 1} for '{prompt}' (seed {seed + i})" for i in range(6)],
               [f"seed {seed + i}" for i in range(6)], size=110)
    st.markdown("**Text description.** Six seeds give six different starting noises, so six different "
                "images that all match the prompt. Words the prompt leaves out (here size, position and "
                "background) vary the most.")


def inpainting() -> None:
    st.subheader("Inpainting, step by step", anchor=False)
    c1, c2 = st.columns(2)
    region = c1.selectbox("Region to re-imagine", list(MASKS), index=1, key="dl_mask")
    prompt = c2.text_input("Prompt for the new image", "a large yellow star on the right on a white background",
                           key="dl_inpaint_prompt", max_chars=200)
    seed = int(st.session_state.get("dl_seed", 7))
    base, mask, out = run_inpaint(DEFAULT_PROMPT, seed, region, prompt, 20, 3.0)
    trace = out.trace or []
    index = st.slider("Inpainting step", 1, len(trace), len(trace), key="dl_inpaint_scrub") - 1
    shown_mask = np.where(mask[..., None], np.array([255, 0, 255], np.uint8), base)
    images.row([base, shown_mask, trace[index].x_t[0], out.images[0]],
               ["The starting image", f"The starting image with the {region} marked in magenta",
                f"Inpainting, noisy image at step {index + 1}", "The finished inpainted image"],
               ["start", "mask (magenta)", f"step {index + 1}", "result"], size=150)
    st.markdown(f"**Text description.** Only the {region} is re-imagined: at every step the pixels outside "
                "the mask are reset to the starting image (noised to the same level), so they come out "
                "unchanged and the new content is blended in at the border.")


def read_the_code() -> None:
    st.subheader("Read the code", anchor=False)
    st.markdown("This is the real sampling loop the app just ran (from `genlab/diffusion/pipeline.py`), and "
                "the DDIM step it calls (from `genlab/diffusion/schedulers.py`).")
    st.code(inspect.getsource(pipeline._denoise), language="python", wrap_lines=True)
    st.code(inspect.getsource(schedulers.DDIMScheduler), language="python", wrap_lines=True)
