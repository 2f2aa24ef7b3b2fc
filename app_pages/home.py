"""Start here: what the lab teaches, the learning path, and which AI-901 objectives each part covers."""

import pandas as pd
import streamlit as st

from genlab.content import OBJECTIVE_NAMES, domain_of
from genlab.diffusion.model import model_info
from ui.lesson import lessons
from ui.navigation import all_pages

st.title("AI-901 Image Generation Lab", anchor=False)
st.markdown(
    "Learn how AI image generation works by **using** it. Every lesson runs a real diffusion model that "
    "ships with this app, so it works with no key and no network; connect an Azure OpenAI `gpt-image-1.5` "
    "deployment to try the real thing.")

st.header("Your learning path", anchor=False)
paths = {p.path: p for p in all_pages()}
for lesson in lessons().values():
    page = next((p for p in paths.values() if p.heading == lesson.title), None)
    with st.container(border=True):
        st.subheader(f"{lesson.order}. {lesson.title}", anchor=False)
        st.markdown(f"{lesson.summary} *About {lesson.minutes} minutes.*")
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
        f"A {info['parameters'] / 1e6:.1f}-million-parameter text-to-image diffusion model (a U-Net with "
        f"cross-attention), trained for {info['steps']:,} steps on 32x32 pictures of coloured shapes. "
        "It runs on your CPU in well under a second; the diffusion lesson shows its every step.")
