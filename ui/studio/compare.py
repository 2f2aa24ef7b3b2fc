"""The Compare tab: two requests that differ in one thing, side by side."""

from dataclasses import replace

import streamlit as st

from genlab.backends import ImageRequest
from genlab.backends.limits import ModelLimits
from genlab.backends.prices import PRICES_AS_OF, dollars, estimate
from ui.studio.controls import MAX_PROMPT_CHARS, SERVICE_EXAMPLES

# --- compare --------------------------------------------------------------------------------------------


def compare_form(name: str, model: str, lim: ModelLimits,
                 template: ImageRequest) -> tuple[list[ImageRequest], list[str], bool]:
    """Two requests that differ in one thing (the prompt, or a setting), with the same seed on the local
    model. Returns the requests, a caption for each column, and whether the form was submitted."""
    mode = st.radio("What differs between the two", ["The prompt", "The settings"], horizontal=True,
                    key="studio_cmp_mode")
    local = lim.local_controls
    one = replace(template, n=1)
    with st.form("studio_compare_form"):
        a, b = st.columns(2)
        if mode == "The prompt":
            defaults = (("a large green triangle in the centre", "a large green heart in the centre") if local else
                        (SERVICE_EXAMPLES["Concept art"], "Futuristic city skyline at sunset, watercolour style"))
            pa = a.text_input("Prompt A", defaults[0], max_chars=MAX_PROMPT_CHARS, key="studio_cmp_a")
            pb = b.text_input("Prompt B", defaults[1], max_chars=MAX_PROMPT_CHARS, key="studio_cmp_b")
            requests, captions = [replace(one, prompt=pa), replace(one, prompt=pb)], [f"A: {pa}", f"B: {pb}"]
        else:
            prompt = st.text_input("Prompt for both", "a small blue star at the top on a black background" if local
                                   else SERVICE_EXAMPLES["Marketing"], max_chars=MAX_PROMPT_CHARS,
                                   key="studio_cmp_prompt")
            if local:
                ga = a.number_input("Guidance A", *lim.guidance_range, 1.0, 0.5, format="%.1f", key="studio_cmp_ga")
                sa = a.number_input("Steps A", *lim.steps_range, 20, key="studio_cmp_sa")
                gb = b.number_input("Guidance B", *lim.guidance_range, 7.0, 0.5, format="%.1f", key="studio_cmp_gb")
                sb = b.number_input("Steps B", *lim.steps_range, 20, key="studio_cmp_sb")
                requests = [replace(one, prompt=prompt, guidance=ga, steps=sa),
                            replace(one, prompt=prompt, guidance=gb, steps=sb)]
                captions = [f"A: guidance {ga:g}, {sa} steps", f"B: guidance {gb:g}, {sb} steps"]
            else:
                qa = a.selectbox("Quality A", lim.qualities, index=0, key="studio_cmp_qa")
                qb = b.selectbox("Quality B", lim.qualities, index=min(2, len(lim.qualities) - 1),
                                 key="studio_cmp_qb")
                requests = [replace(one, prompt=prompt, quality=qa), replace(one, prompt=prompt, quality=qb)]
                captions = [f"A: quality {qa}", f"B: quality {qb}"]
        if local:
            seed = st.number_input("Seed for both", 0, 2**32 - 1, 7, key="studio_cmp_seed",
                                   help="The same starting noise for both, so every difference comes from what "
                                        "you changed.")
            requests = [replace(r, seed=int(seed)) for r in requests]
        submitted = st.form_submit_button("Run both", type="primary", icon=":material/compare:")
    if local:
        st.caption("Both images start from the same noise (the seed), so the only difference is what you changed.")
    else:
        total = sum(estimate(r, model, name).usd for r in requests)
        st.caption(f"Both together cost about {dollars(total)} (estimate; OpenAI list prices gathered {PRICES_AS_OF}; "
                   "Azure may differ). GPT image models have no seed, so even two identical requests give "
                   "different images: compare several pairs before drawing conclusions.")
    return requests, captions, submitted


