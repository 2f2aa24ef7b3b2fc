"""Generation studio: make, edit and compare images with the local model, Azure OpenAI or OpenAI.

Thin on purpose: each click is :func:`genlab.studio.run` (validate, limit, call, save); the widgets are in
``ui/studio/``. Session state holds small run records (paths, not bytes).
"""

from dataclasses import replace

import streamlit as st

from genlab.backends import available_backends
from genlab.backends.gallery import Gallery
from genlab.backends.limits import LOCAL_SIZE, limits_for, validate
from ui import keys, lesson, state
from ui.studio import backend, clicks, compare, controls, edit, history, results

st.title("Generation studio", anchor=False)
st.markdown("Write a prompt, choose the settings, and make images. Every result shows what it cost, how long it "
            "took, its Content Credentials, and the code that makes the same request. "
            + lesson.badges(["2.3.2", "1.2.3"]))

config = state.settings()
store = state.store()
gallery = Gallery(store, config) if store is not None else None
learner = state.current_learner()
available = available_backends(config)
name = backend.choose_backend(available)
backend.banner(available, name)
chosen = backend.backend(name, config)
if chosen is None:
    st.stop()
lim = limits_for(name, chosen.model)
runs: dict = st.session_state.setdefault(keys.STUDIO_RUNS, {})
smooth = "bicubic" if st.session_state.get(keys.STUDIO_SMOOTH) else "nearest"

create_tab, edit_tab, compare_tab, history_tab = st.tabs(["Create", "Edit", "Compare", "History"])

with create_tab:
    writing, settings_column = st.columns([3, 2], gap="large")
    with settings_column:
        st.subheader("Settings", anchor=False)
        template = controls.settings_controls(name, lim)
    with writing:
        st.subheader("Describe the image", anchor=False)
        controls.example_picker(name)
        with st.form("studio_form"):
            prompt = st.text_area("Prompt", key="studio_prompt", max_chars=controls.MAX_PROMPT_CHARS, height=110)
            submitted = st.form_submit_button("Generate", type="primary", icon=":material/brush:")
        request = replace(template, prompt=prompt)
        controls.estimate_line(request, name, chosen.model)
        controls.budget_line(name, clicks.limiter(gallery))
        controls.profile_note(learner)
        refusals = validate(request, name, chosen.model, "generate")
        if refusals and not submitted:
            for refusal in refusals:
                st.warning(f"Before you press Generate: {refusal}", icon=":material/rule:")
    controls.code_panel(request, config, name)
    if submitted:
        runs["create"] = clicks.run_with_progress(chosen, request, "generate", gallery, "create")
    if clicks.WAIT_KEY in st.session_state:
        clicks.countdown()
    if "create" in runs:
        st.subheader("Results" if runs["create"].error is None else "What happened", anchor=False)
        results.edit_hint("studio_create")
        if runs["create"].backend == "local" and runs["create"].paths:
            st.toggle("Smooth the enlarged pixels (bicubic)", key=keys.STUDIO_SMOOTH,
                      help=f"The model makes {LOCAL_SIZE} pixels; the page enlarges them for display only. Off shows "
                           f"the real pixels as squares. Downloads are always the original {LOCAL_SIZE} file.")
        results.show_run(runs["create"], "studio_create", smooth)

with edit_tab:
    st.markdown("Change part of an image: mark an area, then describe what it should show. "
                + ("The local model re-imagines only the marked area (inpainting), and signs the result as an "
                   "edit, with the original image recorded as its ingredient." if name == "local" else
                   f"{results.SERVICE[name]} receives the image and a mask whose transparent pixels mark the area."))
    history_items = gallery.history(learner.id, history.HISTORY_LIMIT) if learner and gallery else []
    compared = runs.get("compare") or [None, None]
    slots = {"Create": runs.get("create"), "Edit": runs.get("edit"), "Compare A": compared[0],
             "Compare B": compared[1]}
    form = edit.edit_form(edit.edit_candidates(slots, history_items), name, lim)
    if form is not None:
        mask_problems = edit.mask_refusals(form.image, form.mask, name, chosen.model) if form.mask else []
        for problem in mask_problems:
            st.warning(problem, icon=":material/rule:")
        if form.submitted and form.mask is None:
            st.error(form.missing_mask, icon=":material/error:")
        elif form.submitted:
            edit_request = replace(form.settings, prompt=form.prompt, images=[form.image], mask=form.mask)
            runs["edit"] = clicks.run_with_progress(chosen, edit_request, "edit", gallery, "edit")
    if "edit" in runs:
        st.subheader("Edited image" if runs["edit"].error is None else "What happened", anchor=False)
        results.edit_hint("studio_edit")
        results.show_run(runs["edit"], "studio_edit", smooth)

with compare_tab:
    st.markdown("Run two requests that differ in one thing and see them side by side.")
    pair, captions, compare_submitted = compare.compare_form(name, chosen.model, lim, template)
    if compare_submitted:
        runs["compare"] = [clicks.run_with_progress(chosen, r, "generate", gallery, f"compare{i}")
                           for i, r in enumerate(pair)]
        runs["compare_captions"] = captions
    if "compare" in runs:
        for column, run, caption in zip(st.columns(2), runs["compare"], runs["compare_captions"], strict=True):
            with column:
                st.markdown(f"**{results.escape(caption)}**")
                results.edit_hint(f"studio_cmp_{caption[0]}")
                results.show_run(run, f"studio_cmp_{caption[0]}", smooth, columns=2)

with history_tab:
    history.history_panel(gallery)
