"""The studio's inputs: settings per backend, example prompts, the cost before sending, the budget,
and the code that makes the same request."""


import pandas as pd
import streamlit as st

from genlab.backends import ImageRequest
from genlab.backends.code import code_samples
from genlab.backends.gallery import PAID_BACKENDS
from genlab.backends.limits import ModelLimits
from genlab.backends.prices import FALLBACK_MODEL, PER_IMAGE, PRICES_AS_OF, SIZE_INDEX, dollars, estimate, resolve_model
from genlab.settings import Settings
from genlab.studio import SERVICE, Limiter
from genlab.world.vocab import vocabulary_sentence
from ui import keys, state

#: The use cases of the AI-901 module (shared/seeds), as prompts for GPT image models.
SERVICE_EXAMPLES: dict[str, str] = {
    "Marketing": "Professional product photo of a smartwatch on a white background",
    "Concept art": "Futuristic city skyline at sunset, cyberpunk style",
    "Education": "Diagram showing how a solar panel converts sunlight to electricity",
    "Prototyping": "Mobile app mockup for a fitness tracker, dark mode, minimal design",
    "GreenLeaf report": "Friendly flat illustration for GreenLeaf's sustainability report: a farm with cover "
                        "crops, hedgerows and a solar-powered irrigation pump",
}
#: Prompts in the local model's illustrated world: the module's own examples first.
TOY_EXAMPLES: dict[str, str] = {
    "A cat in a top hat (the lesson's prompt)": "a fluffy orange cat wearing a tiny top hat, watercolour style",
    "A cat and a dog (the vision table's)": "a cat and a dog playing in a park",
    "A cat on Mars (the REST example's)": "A cat in a spacesuit walking on the surface of Mars",
    "One above another": "a blue bird above a red house at night, pixel art",
    "Marketing prompt (see the unknown words)": SERVICE_EXAMPLES["Marketing"],
}
#: The prompt boxes' limit whatever the backend (the services' 32,000): a widget whose parameters change is a
#: new widget and loses what was typed, so the local model's shorter limit is checked by validation instead.
MAX_PROMPT_CHARS = 32_000



# --- settings -------------------------------------------------------------------------------------------


def settings_controls(name: str, lim: ModelLimits) -> ImageRequest:
    """The size, quality, count and format controls this backend and model accept (or the local model's
    seed, steps and guidance), as a request without a prompt. Keys are per backend, so switching
    backends keeps each one's settings."""
    k = f"studio_{name}_"
    if lim.local_controls:
        c1, c2 = st.columns(2)
        n = c1.number_input("Number of images", 1, lim.n_max, 1, key=k + "n")
        seed = c2.number_input("Seed", 0, 2**32 - 1, value=None, placeholder="random", key=k + "seed",
                               help="The starting noise. Leave empty for a random one; the result says which "
                                    "seed was used, so you can repeat an image exactly.")
        # Number boxes rather than sliders: a slider's value is drawn in the theme's primary colour, which
        # cannot reach AA contrast on the dark background and under white button text at once.
        c3, c4 = st.columns(2)
        steps = c3.number_input("Steps", *lim.steps_range, 20, key=k + "steps",
                                help="How many denoising steps: more is slower and usually cleaner.")
        guidance = c4.number_input("Guidance scale", *lim.guidance_range, 3.0, 0.5, format="%.1f",
                                   key=k + "guidance", help="How hard the model follows the prompt (0 ignores it).")
        previews = st.checkbox("Show rough previews while drawing", True, key=k + "previews",
                               help="The model's guess of the finished picture at a quarter, half and three "
                                    "quarters of the steps (the API calls these partial images).")
        return ImageRequest("", size=lim.sizes[0], n=int(n), seed=None if seed is None else int(seed),
                            steps=int(steps), guidance=float(guidance), partial_images=3 if previews else 0)
    c1, c2 = st.columns(2)
    size = c1.selectbox("Size", lim.sizes, key=k + "size")
    quality = c2.selectbox("Quality", lim.qualities, index=lim.qualities.index("low"), key=k + "quality",
                           help=f"Low is cheapest and fine for learning; {SERVICE[name]}'s default is "
                                f"{lim.default_quality}.")
    c3, c4 = st.columns(2)
    n = c3.number_input("Number of images", 1, lim.n_max, 1, key=k + "n")
    fmt = c4.selectbox("Format", lim.formats, key=k + "format",
                       help="Azure OpenAI has no WEBP output." if name == "azure" else None)
    background = st.selectbox("Background", ("auto", "opaque", "transparent"), key=k + "background",
                              help="Transparent needs PNG (or WEBP on OpenAI).")
    partial = st.selectbox("Partial previews while the image is made (streaming)", [0, 1, 2, 3], key=k + "partial",
                           format_func=lambda v: "none: wait for the finished image" if v == 0 else str(v),
                           help="Rough previews streamed while the image is made. They may add a little to the "
                                "cost (output tokens).")
    return ImageRequest("", size=size, quality=quality, n=int(n), output_format=None if fmt == "png" else fmt,
                        background=None if background == "auto" else background, partial_images=int(partial))


def _fill_prompt(examples: dict[str, str]) -> None:
    choice = st.session_state.get(keys.STUDIO_EXAMPLE)
    if choice in examples:
        st.session_state[keys.STUDIO_PROMPT] = examples[choice]


def example_picker(name: str) -> None:
    """Example prompts from the module's use cases; for the local model, toy-world ones first."""
    examples = TOY_EXAMPLES if name == "local" else SERVICE_EXAMPLES
    st.session_state.setdefault(keys.STUDIO_PROMPT, next(iter(examples.values())))
    st.selectbox("Start from an example", list(examples), index=None, key=keys.STUDIO_EXAMPLE,
                 placeholder="Choose an example to fill the prompt box", on_change=_fill_prompt, args=(examples,),
                 format_func=lambda label: f"{label}: {examples[label]}")
    if name == "local":
        st.caption(vocabulary_sentence())


def price_table(model: str) -> None:
    """The per-image list prices the estimate uses, so a learner can see what quality and size cost."""
    row = PER_IMAGE[resolve_model(model) or FALLBACK_MODEL]
    frame = pd.DataFrame({"Quality": list(row)} | {size: [dollars(p[i]) for p in row.values()]
                                                     for size, i in SIZE_INDEX.items()})
    st.table(frame.set_index("Quality"))
    st.caption(f"US dollars per image, OpenAI list prices gathered {PRICES_AS_OF}; Azure may differ. The prompt "
               "adds a little (text tokens), and edits also pay for their input images.")


def estimate_line(request: ImageRequest, name: str, model: str) -> None:
    label = estimate(request, model, name).label
    st.markdown(f"**Cost before you press Generate:** {label}")
    if name in PAID_BACKENDS:
        with st.expander("Price table", icon=":material/payments:"):
            price_table(model)


def budget_line(name: str, limits: Limiter) -> None:
    """Today's spending on paid images, as the limiter counts it, and the learner's budget."""
    if name not in PAID_BACKENDS:
        return
    config = state.settings()
    st.caption(f"Spent today on paid images: {dollars(limits.spent_today())} of the "
               f"{dollars(config.daily_budget_usd)} daily budget per learner. Only what a service reports (or "
               "images that arrive) is counted.")


def profile_note(learner: state.CurrentLearner | None) -> None:
    if learner is None:
        st.caption(":material/info: You have no profile, so images are **not saved**: they stay for this visit "
                   "only. Choose a profile in the sidebar (**Your profile**) to keep them in your history.")



# --- view code ----------------------------------------------------------------------------------------------


def code_panel(request: ImageRequest, settings: Settings, name: str) -> None:
    """The Python and cURL that make this request, prefilled, never with the key."""
    with st.expander("View code", icon=":material/code:"):
        st.caption("Prefilled from your settings and prompt. The key is read from an environment variable, "
                   "never written here.")
        samples = code_samples(request, settings, name)
        if name == "local":
            # The same idea on Azure OpenAI: GPT image models have no seed, steps or guidance, nor a tiny size.
            azure_like = ImageRequest(request.prompt or "a large red circle on the left", n=request.n,
                                      images=request.images, mask=request.mask)
            samples += code_samples(azure_like, settings, "azure")
        for tab, sample in zip(st.tabs([s.title for s in samples]), samples, strict=True):
            with tab:
                st.code(sample.code, language=sample.language, wrap_lines=True)


