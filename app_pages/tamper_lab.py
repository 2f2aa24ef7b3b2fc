"""Tamper lab: change a freshly signed image in one way and watch its Content Credentials verdict change."""

from pathlib import Path

import streamlit as st

from genlab.backends import get_backend
from genlab.backends.types import ImageRequest
from genlab.provenance import TAMPERS, ProvenanceSummary, inspect, sample_images, self_test, tamper
from genlab.provenance.formats import sniff_mime
from ui import lesson
from ui import provenance_card as card
from ui.state import settings

PROMPT = "a red car on the beach"


@st.cache_data(show_spinner="Making and signing an image with the local model…")
def original(data_dir: Path) -> tuple[bytes, str]:
    """A freshly signed image, and a sentence on where it came from (the local backend, else the signed sample).

    The image comes through the same local backend as the studio's, so it passes the same content filter
    and is signed the same way (with or without the prompt, as ``GENLAB_SIGN_PROMPT`` says)."""
    config = settings()
    result = get_backend("local", config).generate(ImageRequest(PROMPT, seed=1))
    if not result.ok:
        sample = next(s for s in sample_images(data_dir) if s.key == "signed")
        reason = result.error.message if result.error is not None else "it made no image"
        return sample.data, (f"The local model could not make an image ({reason}), so this is the app's signed "
                             f"sample image ({sample.caption})")
    return result.images[0], (f"Made by the local model from the prompt \"{PROMPT}\" (seed 1) and signed by the "
                              "app's demo certificate authority, exactly as the studio makes and signs its images.")


@st.cache_data(show_spinner="Changing the file…", max_entries=16)
def changed(kind: str, data_dir: Path) -> bytes:
    return tamper(kind, original(data_dir)[0], data_dir=data_dir)


@st.cache_data(show_spinner=False, max_entries=16)
def verdict_of(kind: str | None, data_dir: Path, trust_file: Path | None) -> ProvenanceSummary:
    """The summary of the original (``kind`` None) or of its tampered copy."""
    data = original(data_dir)[0] if kind is None else changed(kind, data_dir)
    return inspect(data, data_dir=data_dir, trust_anchors_file=trust_file)


st.title("Tamper lab", anchor=False)
st.markdown(
    "Content Credentials support the **Transparency** principle only if they cannot be changed quietly. "
    "Start from an image the local model has just made and signed, change it in one way, and compare what "
    "a verifier says before and after. " + lesson.badges(["1.1.5"]))

config = settings()
check = self_test(config.data_dir, config.trust_anchors_file)
if not check.ok:
    st.error(check.message, icon=":material/error:")
    st.stop()

signed, origin = original(config.data_dir)
st.markdown(origin)
kind = st.radio("Change to make", list(TAMPERS), format_func=lambda k: TAMPERS[k].title, key="tl_kind",
                horizontal=True)
experiment = TAMPERS[kind]
tampered = changed(kind, config.data_dir)  # a ProvenanceError's sentence is shown by the router
st.info(f"**Why the verdict changes.** {experiment.explanation}", icon=":material/lightbulb:")

before, after = st.columns(2, gap="large")
with before:
    st.subheader("Before", anchor=False)
    st.markdown("**As signed** by the app")
    card.preview(signed, alt=f"The signed image the local model made for the prompt \"{PROMPT}\"", width=160)
    card.render(verdict_of(None, config.data_dir, config.trust_anchors_file), key="tl_before")
with after:
    st.subheader("After the change", anchor=False)
    st.markdown(f"**Change:** {experiment.title}")
    card.preview(tampered, alt=f"The same image after the change: {experiment.title.lower()}", width=160)
    card.render(verdict_of(kind, config.data_dir, config.trust_anchors_file), key="tl_after")
    extension = "jpg" if sniff_mime(tampered) == "image/jpeg" else "png"
    st.download_button("Download the changed file", tampered, file_name=f"tampered-{kind}.{extension}",
                       mime=sniff_mime(tampered), icon=":material/download:", on_click="ignore")
    st.page_link("app_pages/provenance_viewer.py", label="Check it, or any other image, in the viewer",
                 icon=":material/arrow_forward:")
