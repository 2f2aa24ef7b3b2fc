"""The vision and responsible-AI lessons' controls, through AppTest on the real local models."""

import io

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.support.apptest import open_page


@pytest.fixture
def vision() -> AppTest:
    return open_page("app_pages/lesson_vision.py")


@pytest.fixture
def responsible() -> AppTest:
    return open_page("app_pages/lesson_responsible_ai.py")


def test_round_trip_reads_the_generated_image_back(vision: AppTest) -> None:
    vision.text_input(key="vl_prompt").set_value("a large blue car on the left on the beach").run()
    table = vision.dataframe[0].value
    assert {"Fact", "The reader sees", "Confidence", "Agree?"} <= set(table.columns)
    assert {"car", "blue", "beach", "left"} <= set(table["The prompt asked for"])


def test_round_trip_says_which_words_it_could_not_check(vision: AppTest) -> None:
    vision.text_input(key="vl_prompt").set_value("a cat wearing a top hat next to a unicorn").run()
    notes = " ".join(i.value for i in vision.info)
    assert "unicorn" in notes
    if vision.success:  # a verdict never claims more than the reader could check
        assert "It could not check: unicorn." in vision.success[0].value


def test_composed_scene_is_read_with_confidences(vision: AppTest) -> None:
    vision.selectbox(key="vl_subject").set_value("dog").run()
    vision.selectbox(key="vl_colour").set_value("blue").run()
    vision.selectbox(key="vl_scene").set_value("park").run()
    table = vision.dataframe[1].value
    seen = dict(zip(table["Fact"], table["The reader sees"], strict=True))
    assert seen["subject"] == "dog" and seen["colour"] == "blue" and seen["scene"] == "park"


def test_a_broken_upload_gets_a_sentence_and_the_page_survives(vision: AppTest) -> None:
    vision.radio(key="vl_source").set_value("Upload a picture").run()
    vision.file_uploader(key="vl_upload").set_value(("photo.png", b"\x89PNG\r\n\x1a\nnot really", "image/png")).run()
    assert not vision.exception
    assert "could not be read as an image" in vision.error[0].value


def test_an_uploaded_photo_is_read(vision: AppTest) -> None:
    buffer = io.BytesIO()
    Image.fromarray(np.full((64, 64, 3), 200, np.uint8)).save(buffer, format="PNG")
    vision.radio(key="vl_source").set_value("Upload a picture").run()
    vision.file_uploader(key="vl_upload").set_value(("grey.png", buffer.getvalue(), "image/png")).run()
    assert not vision.exception and "The reader's caption" in " ".join(m.value for m in vision.markdown)


def test_content_filter_blocks_and_explains(responsible: AppTest) -> None:
    responsible.text_input(key="ra_filter_prompt").set_value("a bloody knife fight").run()
    table = next(d.value for d in responsible.dataframe if "Category" in d.value.columns)
    assert dict(zip(table["Category"], table["Decision"], strict=True))["violence"] == "blocked"
    assert responsible.error and "violence" in responsible.error[0].value.lower()
    responsible.text_input(key="ra_filter_prompt").set_value("a knife on a cutting board").run()
    assert responsible.success and responsible.info  # allowed, with the low-severity note


def test_bias_probe_compares_with_training_frequencies(responsible: AppTest) -> None:
    frames = [d.value for d in responsible.dataframe if "In the training data" in d.value.columns]
    assert [f.columns[0] for f in frames] == ["colour", "scene", "style"]
    colours = frames[0]
    assert colours.loc[colours["colour"] == "orange", "In the training data"].item() == "30%"


def test_scenarios_give_feedback_in_words(responsible: AppTest) -> None:
    responsible.radio(key="ra_scenario_1").set_value("Add alt text describing each generated image").run()
    assert any(s.value.startswith("Good choice.") for s in responsible.success)
    responsible.radio(key="ra_scenario_0").set_value("Fine: it is only for fun").run()
    assert any(e.value.startswith("Not quite:") for e in responsible.error)


def test_foundry_lesson_renders_with_its_navigation_entry() -> None:
    from ui.navigation import all_pages

    spec = next(p for p in all_pages() if p.path == "app_pages/lesson_foundry.py")
    assert spec.url_path == "foundry"
    at = open_page("app_pages/lesson_foundry.py")
    assert not at.exception
    assert [t.value for t in at.title] == [spec.heading]
    headers = [h.value for h in at.header]
    assert "The playground" in headers and "Deployment types" in headers and headers[-1] == "Check your understanding"
    assert any("About" in m.value and "minutes" in m.value for m in at.markdown)


def test_bias_probe_text_matches_its_own_counts(responsible: AppTest) -> None:
    """The sentence under the probe is computed from the probe's run, so new weights cannot make it false."""
    frames = [d.value for d in responsible.dataframe if "In the training data" in d.value.columns]
    colours = frames[0]
    seen = next(c for c in colours.columns if c.startswith("In these"))
    shares = dict(zip(colours["colour"], (float(v.rstrip("%")) for v in colours[seen]), strict=True))
    note = next(m.value for m in responsible.markdown if m.value.startswith("**What to notice.**"))
    stated = note.split("**")[3]
    assert shares[stated] == max(shares.values())
