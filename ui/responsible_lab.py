"""Interactive parts of the responsible-AI lesson: a content filter, a bias probe, scenarios."""

import numpy as np
import pandas as pd
import streamlit as st

from genlab.backends import safety
from genlab.diffusion import pipeline
from genlab.vision.reader import read_batch
from genlab.world.sample import FREQUENCIES, SUBJECT_COLOURS
from ui import images

PROBE_IMAGES = 16


def content_filter() -> None:
    st.subheader("Try the content filter", anchor=False)
    st.markdown("The local model has a small, documented filter that rates prompts the way Azure's does: four "
                f"harm categories, four severities, blocking **{safety.BLOCK_AT}** and above. It is a word "
                "list, so it makes the mistakes word lists make; try *a toy water gun at a summer party* (blocked) and "
                "*a knife on a cutting board* (allowed with a note).")
    prompt = st.text_input("Prompt to check", "a bloody knife fight", key="ra_filter_prompt", max_chars=300)
    rating = safety.rate(prompt)
    rows = [{"Category": c.replace("_", "-"), "Severity": s,
             "Decision": "blocked" if c in rating.blocked else "allowed",
             "Matched words": ", ".join(rating.matched.get(c, [])) or "—"} for c, s in rating.severities.items()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    error, notes = safety.check(prompt)
    if error is not None:
        st.error(error.message, icon=":material/block:")
    else:
        st.success("Allowed: the prompt would be sent to the model.", icon=":material/check_circle:")
    for note in notes:
        st.info(note, icon=":material/info:")


PROBE_PROMPT = "a cat"
PROBE_FACTS = ("colour", "scene", "style")


def _training_table(fact: str) -> dict[str, float]:
    """How often each value of ``fact`` appeared with the probe's subject in training."""
    return SUBJECT_COLOURS["cat"] if fact == "colour" else FREQUENCIES[fact]


@st.cache_data(max_entries=8, show_spinner=False)
def bias_probe(seed: int) -> tuple[list[np.ndarray], dict[str, dict[str, float]]]:
    """Ask for "a cat" many times; count the colours, scenes and styles the reader sees."""
    # Guidance 1 samples the distribution the model learnt; higher guidance would push every image
    # towards the most typical picture and exaggerate the imbalance (and cost twice as much).
    out = [pipeline.generate(PROBE_PROMPT, seed=seed + 8 * k, n=8, num_inference_steps=20, guidance_scale=1.0)
           for k in range(PROBE_IMAGES // 8)]
    pictures = [image for o in out for image in o.images]
    readings = read_batch(pictures)
    seen = {fact: dict.fromkeys(_training_table(fact), 0.0) for fact in PROBE_FACTS}
    for r in readings:
        for fact in seen:
            if r.facts.get(fact) in seen[fact]:
                seen[fact][r.facts[fact]] += 1 / len(readings)
    return pictures, seen


def fairness_probe() -> None:
    st.subheader(f"Bias probe: ask for \"{PROBE_PROMPT}\"", anchor=False)
    st.markdown("The prompt says nothing about colour, scene or drawing style, so the model falls back on what "
                "its training data made likely. Compare what it draws with how often each value appeared in "
                "training. (The probe uses guidance scale 1, the distribution the model learnt; stronger "
                "guidance would push every picture towards the most typical one.)")
    seed = st.number_input("Seed of the first image", 0, 10_000, 0, step=PROBE_IMAGES, key="ra_bias_seed")
    pictures, seen = bias_probe(int(seed))
    images.row(pictures[:8], [f"Picture {i + 1} generated for '{PROBE_PROMPT}'" for i in range(8)], size=80)
    images.row(pictures[8:16], [f"Picture {i + 9} generated for '{PROBE_PROMPT}'" for i in range(8)], size=80)
    for fact in PROBE_FACTS:
        table = _training_table(fact)
        frame = pd.DataFrame({fact: list(table),
                              "In the training data": [f"{p:.0%}" for p in table.values()],
                              f"In these {PROBE_IMAGES} pictures": [f"{seen[fact][w]:.0%}" for w in table]})
        st.dataframe(frame, hide_index=True, width="stretch")
    top = max(seen["colour"], key=seen["colour"].get)
    trained = _training_table("colour")
    common, rare = max(trained, key=trained.get), min(trained, key=trained.get)
    st.markdown(f"**What to notice.** The most common colour in these pictures is **{top}**. In training, "
                f"{common} is the most frequent colour of a cat ({trained[common]:.0%}) and {rare} among the "
                f"rarest ({trained[rare]:.0%}): the prompt asked for no colour, so any preference comes from the "
                "data. Real image models inherit the same way who and what is over- or under-represented in "
                "their data, which is why Azure tests models for demographic bias and why prompts should say "
                "what matters instead of leaving it to the model's defaults.")


SCENARIOS = [
    ("Privacy and security", "1.1.3",
     "A learner wants to upload a colleague's photo and generate an image of them at a party they never attended.",
     ["Fine: it is only for fun", "Ask the colleague first, and never publish a realistic fake of a real person",
      "Fine if the image is labelled"],
     1, "Realistic images of real people without consent are deepfakes: they can harm privacy and reputation "
        "even as a joke. Consent comes first; labelling helps transparency but does not replace consent."),
    ("Inclusiveness", "1.1.4",
     "GreenLeaf's sustainability report will include generated illustrations. Some readers use screen readers.",
     ["Add alt text describing each generated image", "Nothing: images are decorative",
      "Generate higher-resolution images"],
     0, "Inclusive design means everyone can use the report: every meaningful image needs a text alternative. "
        "This app puts alt text on every image it shows for the same reason."),
    ("Accountability", "1.1.6",
     "A news site generates images for articles. An image later turns out to be misleading.",
     ["Nobody is responsible: the AI made it", "The model provider alone is responsible",
      "The site is accountable: it should have logged prompt, model, settings and time, and reviewed the image"],
     2, "Accountability stays with the people who deploy AI. gpt-image has no seed, so the audit trail is the log: "
        "prompt, deployment, size, quality and a UTC timestamp, plus a human review before publishing."),
    ("Copyright", "1.1.6",
     "A marketing team asks for 'a famous cartoon mouse holding our product'.",
     ["Generate it: AI images are free of copyright", "Create an original mascot instead",
      "Generate it but make the mouse blue"],
     1, "Copyrighted characters and trademarks should not be generated; a small change does not make it original. "
        "Describe an original character instead."),
]


def scenarios() -> None:
    st.subheader("What would you do?", anchor=False)
    for i, (principle, objective, situation, options, answer, why) in enumerate(SCENARIOS):
        with st.container(border=True):
            st.markdown(f"**{principle}** (AI-901 {objective}). {situation}")
            choice = st.radio("Your choice", options, index=None, key=f"ra_scenario_{i}")
            if choice is not None:
                if options.index(choice) == answer:
                    st.success(f"Good choice. {why}", icon=":material/check_circle:")
                else:
                    st.error(f"Not quite: the better choice is \"{options[answer]}\". {why}", icon=":material/cancel:")
