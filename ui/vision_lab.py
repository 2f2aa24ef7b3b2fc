"""Interactive parts of the vision-versus-generation lesson: text -> image -> text, live."""

import hashlib
import io

import numpy as np
import pandas as pd
import streamlit as st
from PIL import Image

from genlab import uploads
from genlab.vision.describe import SETTING, describe_image, vision_configured
from genlab.vision.reader import SIZE, Reading, read
from genlab.world import vocab
from genlab.world.prompt import read_prompt
from genlab.world.render import render
from genlab.world.scene import Scene, Subject
from ui import images, keys
from ui.diffusion_lab import GUIDANCE, prompt_feedback, run
from ui.state import settings


def reading_table(reading: Reading, wanted: dict[str, str | None] | None = None) -> None:
    """The reader's words and confidences; with ``wanted``, whether each matches the prompt."""
    rows = []
    for fact, value in reading.facts.items():
        if value is None:
            continue
        row = {"Fact": fact, "The reader sees": value, "Confidence": f"{reading.confidence[fact]:.0%}"}
        if wanted is not None:
            asked = wanted.get(fact)
            row["The prompt asked for"] = asked or "(not said)"
            row["Agree?"] = "—" if asked is None else ("yes" if asked == value else "NO")
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _model_png(image: np.ndarray) -> bytes:
    """PNG for the multimodal model: a small local-model picture enlarged (sharp pixels), a big photo shrunk."""
    picture = Image.fromarray(image)
    if max(picture.size) < 256:
        scale = 256 // max(picture.size)
        picture = picture.resize((picture.width * scale, picture.height * scale), Image.Resampling.NEAREST)
    elif max(picture.size) > 1024:
        picture.thumbnail((1024, 1024))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def cloud_description(image: np.ndarray, key: str) -> None:
    """Azure OpenAI's multimodal model describes ``image`` too, when a vision deployment is configured."""
    config = settings()
    if not vision_configured(config):
        st.markdown(f"To compare with a multimodal model in Azure OpenAI, set `{SETTING}` and restart the app.")
        return
    png = _model_png(image)
    digest = hashlib.sha256(png).hexdigest()
    deployment = config.azure_vision_deployment
    if st.button("Describe with Azure OpenAI", key=key, icon=":material/cloud:"):
        with st.spinner(f"Sending the image to the deployment '{deployment}'…"):
            st.session_state[key + keys.VL_RESULT_SUFFIX] = (digest, describe_image(png, config))
    saved = st.session_state.get(key + keys.VL_RESULT_SUFFIX)
    if saved is None or saved[0] != digest:  # nothing asked yet, or asked about another image
        return
    description = saved[1]
    if description.error is not None:
        st.error(description.error.message, icon=":material/cloud_off:")
        return
    st.markdown("**Azure OpenAI's description** (a multimodal model; the same image, sent as a data URL):")
    st.text(description.text)  # the model's words as they are, never rendered as markdown
    tokens = (description.usage or {}).get("total_tokens")
    st.caption(f"Deployment '{deployment}', {description.elapsed_s:.1f} s" + (f", {tokens} tokens" if tokens else ""))


def round_trip() -> None:
    """Generate from a caption (text -> image), then read it back (image -> text)."""
    st.subheader("Try it: text to image, and back to text", anchor=False)
    prompt = st.text_input("Caption for the generator", "a cat and a dog playing in a park",
                           key="vl_prompt", max_chars=200)
    prompt_feedback(prompt)
    seed = st.number_input("Seed", 0, 10_000, 3, key="vl_seed")
    out = run(prompt, int(seed), 20, GUIDANCE, "ddim")
    reading = read(out.images[0])
    left, right = st.columns([1, 2])
    with left:
        images.show(out.images[0], f"Image generated for the caption '{prompt}'",
                    caption="Generation: text in, image out", size=200)
    with right:
        st.markdown(f"**Vision: image in, text out.** The reader's caption: *{reading.caption}*")
        understood = read_prompt(prompt)
        wanted = understood.facts
        reading_table(reading, wanted)
        disagree = [k for k, ok in reading.agrees_with(wanted).items() if not ok]
        if not understood.asked():
            st.info("The prompt names nothing the reader can check, so there is nothing to compare.",
                    icon=":material/info:")
        elif disagree:
            st.warning("The reader and the prompt disagree on: " + ", ".join(disagree) + ". Either the "
                       "generator did not follow the prompt there, or the reader misread the image.",
                       icon=":material/compare_arrows:")
        else:
            checked = ", ".join(f"{k} {v}" for k, v in understood.asked().items())
            unread = f" It could not check: {', '.join(understood.unknown_words)}." if understood.unknown_words else ""
            st.success(f"The reader found everything it could check: {checked}.{unread}",
                       icon=":material/check_circle:")
        cloud_description(out.images[0], "vl_describe_generated")


def _decode(data: bytes) -> np.ndarray | None:
    if uploads.too_big(len(data), uploads.VISION_UPLOAD_MB):  # the upload box refuses these too
        st.error(f"That file is {uploads.size_text(len(data))}; the reader takes images up to "
                 f"{uploads.VISION_UPLOAD_MB} MB. Try a smaller image.", icon=":material/error:")
        return None
    # Bomb-checked (genlab.images.MAX_PIXELS); the reader and the cloud model get at most 1024 px a side.
    decoded = images.decode(data, max_side=1024)
    if decoded is None:
        st.error("That file could not be read as an image (it may be damaged or not an image at all). "
                 "Try a PNG or JPEG.", icon=":material/error:")
        return None
    return np.asarray(decoded.convert("RGB"))


def your_image() -> None:
    """Upload an image, or compose one, for the reader."""
    st.subheader("Give the reader your own image", anchor=False)
    source = st.radio("Image", ["Compose a scene", "Upload a picture"], horizontal=True, key="vl_source")
    image: np.ndarray | None = None
    if source == "Upload a picture":
        upload = st.file_uploader(f"Picture to read (PNG or JPEG, up to {uploads.VISION_UPLOAD_MB} MB)",
                                  type=["png", "jpg", "jpeg"], key="vl_upload",
                                  max_upload_size=uploads.VISION_UPLOAD_MB)
        if upload is not None:
            image = _decode(upload.getvalue())
        else:
            st.caption("The reader only knows the illustrated world; a photo shows what happens outside its training "
                       "data: it still answers, confidently and wrongly.")
    else:
        c = st.columns(4)
        kind = c[0].selectbox("Subject", vocab.SUBJECTS, key="vl_subject")
        colour = c[1].selectbox("Colour", list(vocab.COLOURS), 1, key="vl_colour")
        accessory = c[2].selectbox("Accessory (animals only)", vocab.ACCESSORIES, key="vl_accessory",
                                   disabled=kind not in vocab.ANIMALS)
        position = c[3].selectbox("Position", vocab.POSITIONS, 1, key="vl_position")
        c = st.columns(3)
        scene = c[0].selectbox("Scene", vocab.SCENES, key="vl_scene")
        style = c[1].selectbox("Style", vocab.STYLES, key="vl_style")
        size = c[2].selectbox("Size", vocab.SIZES, 1, key="vl_size")
        noise = st.slider("Add noise (how the reader copes with a messier picture)", 0, 120, 0, 10, key="vl_noise")
        subject = Subject(kind, colour, accessory if kind in vocab.ANIMALS else "none")
        image = render(Scene("single", (subject,), scene, style, size, position))
        if noise:
            jitter = np.random.default_rng(0).normal(0, noise, image.shape)
            image = np.clip(image + jitter, 0, 255).astype(np.uint8)
    if image is None:
        return
    reading = read(image)
    left, right = st.columns([1, 2])
    with left:
        images.show(np.asarray(Image.fromarray(image).convert("RGB").resize((SIZE, SIZE), Image.Resampling.BOX)),
                    f"The image given to the reader, at the reader's {SIZE} by {SIZE} resolution", size=200,
                    caption=f"What the reader sees ({SIZE}x{SIZE})")
    with right:
        st.markdown(f"**The reader's caption:** *{reading.caption}*")
        reading_table(reading)
        if min(reading.confidence.values()) < 0.6:
            st.info("Some answers have low confidence: the reader is unsure, which is honest. A real vision "
                    "service reports confidences too; apps should show or act on them.", icon=":material/help:")
        cloud_description(image, "vl_describe_yours")
