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
    lesson.text_input(key="dl_prompt").set_value("a fluffy red unicorn")  # form values go with the submit
    click(lesson, "Run the model")
    notes = " ".join(i.value for i in lesson.info)
    unknown = notes.split("could not use them:")[1].split(".")[0]
    assert unknown.strip() == "unicorn"  # "fluffy" is a word the model knows
    assert "describe nothing" in notes  # and the page says the colour and texture belong to no subject


def test_fewer_steps_and_ddpm_reach_every_panel(lesson: AppTest) -> None:
    lesson.slider(key="dl_steps").set_value(5)
    lesson.number_input(key="dl_seed").set_value(11)
    lesson.radio(key="dl_scheduler").set_value("ddpm")
    click(lesson, "Run the model")
    assert lesson.slider(key="dl_scrub").max == 6  # five steps, then the finished image
    assert not lesson.exception
    assert any("seed 11, 5 steps" in m.value for m in lesson.markdown)  # the guidance row uses the same run
    assert any("With the step viewer's 5 steps" in m.value for m in lesson.markdown)


def image_alts(at: AppTest) -> list[str]:
    """Alt text of every image element on the page (AppTest keeps it in the protobuf)."""
    return [i.alt for image in at.image for i in image.proto.imgs]


def test_attention_maps_for_each_word_with_a_text_equivalent(lesson: AppTest) -> None:
    alts = image_alts(lesson)
    for word in ("fluffy", "orange", "cat", "tophat", "watercolour"):
        assert any(a.startswith(f"Attention map of the word {word}:") for a in alts), word
    sentences = " ".join(e.markdown[0].value for e in lesson.expander if e.label.startswith("Where each word looks"))
    assert "“cat” gets" in sentences and "of the picture's attention" in sentences


def test_latent_and_decoded_picture_side_by_side(lesson: AppTest) -> None:
    alts = image_alts(lesson)
    assert any("16 by 16 latent" in a for a in alts)
    assert any(m.value.startswith("**Text description.** The denoiser works on 1,024 numbers instead of 12,288")
               for m in lesson.markdown)


def test_guidance_row_follows_its_prompt(lesson: AppTest) -> None:
    lesson.text_input(key="dl_guidance_prompt").set_value("two blue birds").run()
    alts = image_alts(lesson)
    assert [a for a in alts if "'two blue birds' with guidance scale" in a] == [
        f"Picture for 'two blue birds' with guidance scale {g}" for g in (0.0, 1.0, 2.0, 4.0, 8.0)]


def test_two_prompts_share_the_seed(lesson: AppTest) -> None:
    lesson.text_input(key="dl_cmp_b").set_value("a green tree at night").run()
    assert "Picture for 'a green tree at night'" in image_alts(lesson)


def test_seed_row_shows_six_seeds(lesson: AppTest) -> None:
    lesson.text_input(key="dl_seeds_prompt").set_value("a small orange fish").run()
    assert sum("for 'a small orange fish' (seed" in a for a in image_alts(lesson)) == 6


def test_inpainting_region_and_scrubber(lesson: AppTest) -> None:
    lesson.selectbox(key="dl_mask").set_value("top half").run()
    assert "The starting picture with the top half marked in magenta" in image_alts(lesson)
    lesson.slider(key="dl_inpaint_scrub").set_value(1).run()
    assert "Inpainting, noisy latent at step 1, decoded" in image_alts(lesson)


def test_read_the_code_shows_the_real_loop(lesson: AppTest) -> None:
    code = " ".join(c.value for c in lesson.code)
    assert "def denoise_latents(" in code and "class DDIMScheduler" in code
