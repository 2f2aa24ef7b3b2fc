"""Content Credentials viewer: check any image's C2PA manifest, one of six prepared samples, or an image the
studio sent ("Inspect the credentials" under a result)."""

from pathlib import Path

import streamlit as st

from genlab import uploads
from genlab.provenance import ProvenanceSummary, Sample, inspect, sample_images, self_test
from genlab.studio import owned_image
from ui import keys, lesson
from ui import provenance_card as card
from ui.state import current_learner, settings

MAX_UPLOAD_MB = int(st.get_option("server.maxUploadSize"))  # the uploader refuses more; inspect checks too
SAMPLE, UPLOAD = "A prepared sample", "My own image"


@st.cache_data(show_spinner="Preparing the sample images…")
def samples(data_dir: Path) -> dict[str, Sample]:
    return {s.key: s for s in sample_images(data_dir)}


@st.cache_data(show_spinner=False, max_entries=16)
def inspect_sample(key: str, data_dir: Path, trust_file: Path | None) -> ProvenanceSummary:
    return inspect(samples(data_dir)[key].data, data_dir=data_dir, trust_anchors_file=trust_file)


st.title("Content Credentials viewer", anchor=False)
st.markdown("Check what an image's Content Credentials say, and whether they still match the file. "
            + lesson.badges(["1.1.5"]))
with st.container(border=True):
    st.markdown(
        "**What is C2PA?** C2PA (Coalition for Content Provenance and Authenticity) is an open standard for "
        "embedding signed **provenance metadata**, shown to people as **Content Credentials**, in an image: "
        "it records the image's origin, such as that it was **AI-generated**, by which tool, and what was "
        "changed since. That supports the **Transparency** principle: anyone can check whether content was "
        "made with AI, even without a visible label, and the signature shows if the file changed after "
        "signing. Know its limits: re-saving or a screenshot **strips** the credentials, so a missing "
        "credential is **not proof of anything**, least of all that a person made the image.")

def studio_image(data_dir: Path) -> tuple[bytes, str] | None:
    """The image "Inspect the credentials" sent from the studio, when it still exists and belongs to this
    learner or this visit; its bytes and a label."""
    sent = st.session_state.get(keys.VIEWER_IMAGE)
    if not isinstance(sent, dict):
        return None
    learner = current_learner()
    path = owned_image(data_dir, str(sent.get("path", "")), learner.id if learner else None,
                       st.session_state.get(keys.STUDIO_VISIT))
    if path is None:
        return None
    try:
        return path.read_bytes(), str(sent.get("label", path.name))
    except OSError:
        return None


config = settings()
data_dir = config.data_dir
trust_file = config.trust_anchors_file
check = self_test(data_dir, trust_file)
if not check.ok:
    st.error(check.message, icon=":material/error:")
    st.stop()

sent = studio_image(data_dir)
choices = [card.STUDIO_IMAGE, SAMPLE, UPLOAD] if sent is not None else [SAMPLE, UPLOAD]
if st.session_state.get(keys.VIEWER_SOURCE) not in choices:
    st.session_state.pop(keys.VIEWER_SOURCE, None)

picker, result = st.columns([1, 2], gap="large")
with picker:
    if keys.VIEWER_IMAGE in st.session_state and sent is None:
        st.warning("The image sent from the studio is no longer there (it was deleted, or the visit ended); "
                   "pick a sample or upload a file.", icon=":material/hide_image:")
    source = st.radio("Image to check", choices, horizontal=True, key=keys.VIEWER_SOURCE)
    if source == card.STUDIO_IMAGE and sent is not None:
        data, label = sent
        st.markdown(f"**From the studio:** {card.escape(label)}")
        card.preview(data, alt=label)
        summary = inspect(data, data_dir=data_dir, trust_anchors_file=trust_file)
    elif source == SAMPLE:
        prepared = samples(data_dir)
        key = st.selectbox("Sample", list(prepared), format_func=lambda k: prepared[k].title, key="pv_sample")
        st.markdown(f"*What it shows:* {prepared[key].caption}")
        card.preview(prepared[key].data, alt=prepared[key].title)
        summary = inspect_sample(key, data_dir, trust_file)
    else:
        upload = st.file_uploader(
            "Upload any image", type=None, key="pv_upload",
            help="Any format: the viewer reads the file's first bytes, not its name. For files over "
                 f"{MAX_UPLOAD_MB} MB use a desktop tool such as c2patool: shrinking an image removes its "
                 "credentials.")
        st.markdown(f"Files up to {MAX_UPLOAD_MB} MB. PNG, JPEG, WebP, GIF, TIFF, AVIF and HEIC can carry "
                    "credentials. The file is checked here, offline, and is not saved.")
        if upload is None:
            summary = None
        else:
            data = upload.getvalue()
            card.preview(data, alt="Uploaded image")
            summary = inspect(data, max_bytes=MAX_UPLOAD_MB * uploads.MB, data_dir=data_dir,
                              trust_anchors_file=trust_file)

with result:
    if summary is None:
        st.info("Upload an image to see its Content Credentials, or pick a prepared sample.",
                icon=":material/upload_file:")
    else:
        card.render(summary, key="pv")
st.markdown(f":material/check_circle: {check.message}")
