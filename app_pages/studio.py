"""Generation studio: make, edit and compare images with the local model, Azure OpenAI or OpenAI.

Thin on purpose: the widgets are in ``ui/studio_widgets.py``; limits, prices, errors, code samples and the
gallery are in ``genlab.backends``. Session state holds small run records (paths, not bytes).
"""

from dataclasses import replace

import streamlit as st

from genlab.backends import available_backends
from genlab.backends.gallery import Gallery
from genlab.backends.limits import limits_for, validate
from ui import keys, lesson, state
from ui import studio_widgets as studio

st.title("Generation studio", anchor=False)
st.markdown("Write a prompt, choose the settings, and make images. Every result shows what it cost, how long it "
            "took, its Content Credentials, and the code that makes the same request. "
            + lesson.badges(["2.3.2", "1.2.3"]))

config = state.settings()
store = state.store()
gallery = Gallery(store, config) if store is not None else None
learner = state.current_learner()
available = available_backends(config)
name = studio.choose_backend(available)
studio.banner(available, name)
chosen = studio.backend(name, config)
if chosen is None:
    st.stop()
lim = limits_for(name, chosen.model)
runs: dict = st.session_state.setdefault(keys.STUDIO_RUNS, {})
smooth = "bicubic" if st.session_state.get(keys.STUDIO_SMOOTH) else "nearest"

create, edit, compare, history = st.tabs(["Create", "Edit", "Compare", "History"])

with create:
    writing, settings_column = st.columns([3, 2], gap="large")
    with settings_column:
        st.subheader("Settings", anchor=False)
        template = studio.settings_controls(name, lim)
    with writing:
        st.subheader("Describe the image", anchor=False)
        studio.example_picker(name)
        with st.form("studio_form"):
            prompt = st.text_area("Prompt", key="studio_prompt", max_chars=studio.MAX_PROMPT_CHARS, height=110)
            submitted = st.form_submit_button("Generate", type="primary", icon=":material/brush:")
        request = replace(template, prompt=prompt)
        studio.estimate_line(request, name, chosen.model)
        studio.budget_line(name, gallery)
        studio.profile_note(learner)
        refusals = validate(request, name, chosen.model, "generate")
        if refusals and not submitted:
            for refusal in refusals:
                st.warning(f"Before you press Generate: {refusal}", icon=":material/rule:")
    studio.code_panel(request, config, name)
    if submitted:
        runs["create"] = studio.run_request(chosen, request, "generate", gallery)
    if "create" in runs:
        st.subheader("Results" if runs["create"].error is None else "What happened", anchor=False)
        studio.edit_hint("studio_create")
        if runs["create"].backend == "local" and runs["create"].paths:
            st.toggle("Smooth the enlarged pixels (bicubic)", key=keys.STUDIO_SMOOTH,
                      help="The model makes 32x32 pixels; the page enlarges them for display only. Off shows the "
                           "real pixels as squares. Downloads are always the original 32x32 file.")
        studio.show_run(runs["create"], "studio_create", smooth)

with edit:
    st.markdown("Change part of an image: mark an area, then describe what it should show. "
                + ("The local model re-imagines only the marked area (inpainting), and signs the result as an "
                   "edit, with the original image recorded as its ingredient." if name == "local" else
                   f"{studio.SERVICE[name]} receives the image and a mask whose transparent pixels mark the area."))
    history_items = gallery.history(learner.id, studio.HISTORY_LIMIT) if learner and gallery else []
    recent = [r for r in (runs.get("create"), runs.get("edit"), *runs.get("compare", [])) if r is not None]
    picked = studio.edit_form(studio.edit_candidates(recent, history_items), name)
    if picked is not None:
        image, mask, edit_prompt, edit_submitted = picked
        mask_problems = studio.mask_refusals(image, mask, name, chosen.model) if mask is not None else []
        for problem in mask_problems:
            st.warning(problem, icon=":material/rule:")
        if edit_submitted and mask is None:
            st.error("Upload a mask first: a PNG the size of the image whose transparent pixels mark the area "
                     "to change.", icon=":material/error:")
        elif edit_submitted:
            edit_request = replace(template, prompt=edit_prompt, n=1, images=[image], mask=mask)
            runs["edit"] = studio.run_request(chosen, edit_request, "edit", gallery)
    if "edit" in runs:
        st.subheader("Edited image" if runs["edit"].error is None else "What happened", anchor=False)
        studio.edit_hint("studio_edit")
        studio.show_run(runs["edit"], "studio_edit", smooth)

with compare:
    st.markdown("Run two requests that differ in one thing and see them side by side.")
    pair, captions, compare_submitted = studio.compare_form(name, chosen.model, lim, template)
    if compare_submitted:
        runs["compare"] = [studio.run_request(chosen, r, "generate", gallery) for r in pair]
        runs["compare_captions"] = captions
    if "compare" in runs:
        for column, run, caption in zip(st.columns(2), runs["compare"], runs["compare_captions"], strict=True):
            with column:
                st.markdown(f"**{studio.escape(caption)}**")
                studio.edit_hint(f"studio_cmp_{caption[0]}")
                studio.show_run(run, f"studio_cmp_{caption[0]}", smooth, columns=2)

with history:
    studio.history_panel(gallery)
