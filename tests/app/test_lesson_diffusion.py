"""The diffusion lesson's controls, driven through AppTest against the real local model."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.apptest import click, open_page

PAGE = "app_pages/lesson_diffusion.py"


@pytest.fixture
def lesson() -> AppTest:
    return open_page(PAGE)


def test_lesson_renders_with_objective_tags(lesson: AppTest) -> None:
    assert [t.value for t in lesson.title] == ["How AI creates images from noise"]
    assert any("AI-901 1.2.1" in m.value for m in lesson.markdown)


def test_scrubbing_changes_the_step_shown(lesson: AppTest) -> None:
    lesson.slider(key="dl_scrub").set_value(1).run()
    first = next(m.value for m in lesson.markdown if m.value.startswith("**Text description of step"))
    assert "step 1 of 20" in first and "timestep 999" in first
    lesson.slider(key="dl_scrub").set_value(10).run()
    tenth = next(m.value for m in lesson.markdown if m.value.startswith("**Text description of step"))
    assert "step 10 of 20" in tenth


def test_unknown_words_are_reported(lesson: AppTest) -> None:
    lesson.text_input(key="dl_prompt").set_value("a fluffy red circle")  # form values go with the submit
    click(lesson, "Run the model")
    notes = " ".join(i.value for i in lesson.info)
    assert "fluffy" in notes


def test_fewer_steps_and_ddpm(lesson: AppTest) -> None:
    lesson.slider(key="dl_steps").set_value(5)
    lesson.radio(key="dl_scheduler").set_value("ddpm")
    click(lesson, "Run the model")
    assert lesson.slider(key="dl_scrub").max == 6  # five steps, then the finished image
    assert not lesson.exception


def image_alts(at: AppTest) -> list[str]:
    """Alt text of every image element on the page (AppTest keeps it in the protobuf)."""
    return [i.alt for image in at.image for i in image.proto.imgs]


def test_guidance_row_follows_its_prompt(lesson: AppTest) -> None:
    lesson.text_input(key="dl_guidance_prompt").set_value("two blue hearts").run()
    alts = image_alts(lesson)
    assert [a for a in alts if "'two blue hearts' with guidance scale" in a] == [
        f"Image for 'two blue hearts' with guidance scale {g}" for g in (0.0, 1.0, 3.0, 5.0, 8.0)]


def test_two_prompts_share_the_seed(lesson: AppTest) -> None:
    lesson.text_input(key="dl_cmp_b").set_value("a large green star in the center").run()
    assert "Image for 'a large green star in the center'" in image_alts(lesson)


def test_seed_row_shows_six_seeds(lesson: AppTest) -> None:
    lesson.text_input(key="dl_seeds_prompt").set_value("a small orange square").run()
    assert sum("for 'a small orange square' (seed" in a for a in image_alts(lesson)) == 6


def test_inpainting_region_and_scrubber(lesson: AppTest) -> None:
    lesson.selectbox(key="dl_mask").set_value("top half").run()
    assert "The starting image with the top half marked in magenta" in image_alts(lesson)
    lesson.slider(key="dl_inpaint_scrub").set_value(1).run()
    assert "Inpainting, noisy image at step 1" in image_alts(lesson)


def test_read_the_code_shows_the_real_loop(lesson: AppTest) -> None:
    code = " ".join(c.value for c in lesson.code)
    assert "def _denoise(" in code and "class DDIMScheduler" in code
