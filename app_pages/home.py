"""Start here: what the lab teaches, the learning path, and which AI-901 objectives each part covers."""

import pandas as pd
import streamlit as st

from genlab import lessons as reading
from genlab.content import OBJECTIVE_NAMES, domain_of
from genlab.diffusion.model import model_info
from ui import state
from ui.lesson import lessons
from ui.lesson import page_for as lesson_page

st.title("AI-901 Image Generation Lab", anchor=False)
st.markdown(
    "Learn how AI image generation works by **using** it. Every lesson runs a real diffusion model that "
    "ships with this app, so it works with no key and no network; connect an Azure OpenAI `gpt-image-1.5` "
    "deployment to try the real thing.")

learner, store = state.current_learner(), state.store()
progress = None
if learner is not None and store is not None:
    with store.session() as session:
        here = reading.continue_point(session, learner.id, list(lessons().values()))
        progress = reading.lesson_progress(list(lessons().values()), reading.read_sections(session, learner.id))
    with st.container(border=True):
        if here is None:
            st.markdown(f"**Welcome back, {learner.name}.** You have read every lesson; the Practice pages keep "
                        "it fresh.")
        else:
            section = here.lesson.sections[here.section].title
            st.markdown((f"**Continue where you left off**, {learner.name}: lesson {here.lesson.order}, "
                         f"section {here.section + 1}, “{section}”.") if here.started else
                        f"**Start here**, {learner.name}: lesson {here.lesson.order}, “{here.lesson.title}”.")
            page = lesson_page(here.lesson)
            if page is not None:
                st.page_link(page.path, label=f"Open {here.lesson.title}", icon=":material/play_arrow:")

st.header("Your learning path", anchor=False)
for lesson in lessons().values():
    page = lesson_page(lesson)
    with st.container(border=True):
        st.subheader(f"{lesson.order}. {lesson.title}", anchor=False)
        st.markdown(f"{lesson.summary} *About {lesson.minutes} minutes.*")
        if progress is not None:
            p = progress[lesson.slug]
            st.progress(p.done / p.total, text="Completed: every section read" if p.complete else
                        f"{p.done} of {p.total} sections read")
        if page is not None:
            st.page_link(page.path, label=f"Open lesson {lesson.order}", icon=":material/arrow_forward:")

st.header("AI-901 objectives covered here", anchor=False)
rows = []
for objective, name in OBJECTIVE_NAMES.items():
    sections = [f"{lesson.order}. {s.title}" for lesson in lessons().values() for s in lesson.sections
                if objective in s.objectives]
    if sections:
        rows.append({"Objective": objective, "Domain": domain_of(objective), "Skill": name,
                     "Where to learn it": "; ".join(sections)})
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

info = model_info()
if info:
    st.header("The model inside this app", anchor=False)
    st.markdown(
        f"A {info['denoiser_parameters'] / 1e6:.1f}-million-parameter latent diffusion model (a U-Net with "
        f"cross-attention on {info['config']['latent_size']}x{info['config']['latent_size']} latents, a small "
        f"Transformer text encoder and a decoder to {info['config']['image_size']}x{info['config']['image_size']} "
        f"pictures), trained for {info['denoiser_steps']:,} steps on an illustrated world of animals, houses, "
        "cars and boats with hats, scenes and drawing styles. It runs on your CPU; the diffusion lesson shows "
        "its every step and where each word of your prompt looks.")
