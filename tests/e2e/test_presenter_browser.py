"""Presenter mode on a 1920x1080 projector: the host's main buttons are on the first screen, and every
slider's value sits clear of its track, measured from the rendered page's bounding boxes."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.support.browser import running_app, wait_for_app

PASSCODE = "presenter-test-passcode"
PROJECTOR = {"width": 1920, "height": 1080}
QUESTION_IDS = "diff-01, diff-03"  # two questions, so the reveal's main button is "Next question"


@pytest.fixture(scope="module")
def host_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("presenter-data"),
                     env={"GENLAB_INSTRUCTOR_PASSCODE": PASSCODE}) as app:
        yield app.url


def box(locator: Locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not on the page"
    return found


def above_the_fold(page: Page, locator: Locator) -> None:
    """Entirely inside the first screen, without scrolling."""
    expect(locator).to_be_visible(timeout=20_000)
    page.evaluate("window.scrollTo(0, 0)")
    b = box(locator)
    assert b["y"] >= 0 and b["y"] + b["height"] <= PROJECTOR["height"], f"{locator}: {b}"
    assert b["x"] >= 0 and b["x"] + b["width"] <= PROJECTOR["width"], f"{locator}: {b}"


def overlaps(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def font_px(locator: Locator) -> float:
    """The type size as drawn on the screen, in screen pixels (presenter mode zooms the main area)."""
    return float(locator.evaluate("e => parseFloat(getComputedStyle(e).fontSize) * (e.currentCSSZoom || 1)"))


def test_host_buttons_are_on_the_first_screen(browser: Browser, host_url: str, screenshots: Path) -> None:
    host = browser.new_context(viewport=PROJECTOR).new_page()
    host.goto(f"{host_url}/classroom-host?present=1")
    wait_for_app(host)
    host.get_by_label("Instructor passcode").fill(PASSCODE)
    host.get_by_role("button", name="Sign in to host").click()
    host.get_by_text("Hand-picked question ids").click()
    ids = host.get_by_role("textbox", name="Question ids, in order")
    ids.fill(QUESTION_IDS)
    ids.press("Enter")
    host.get_by_role("button", name="Create room with 2 questions").click()
    host.wait_for_url(re.compile(r"room=[A-Z0-9]{6}"), timeout=20_000)
    code = re.search(r"room=([A-Z0-9]{6})", host.url).group(1)

    learner = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    learner.goto(f"{host_url}/classroom?room={code}")
    wait_for_app(learner)
    learner.get_by_role("textbox", name="Nickname").fill("Ada")
    learner.get_by_role("button", name="Join", exact=True).click()
    expect(learner.get_by_text("You're in, Ada!")).to_be_visible(timeout=20_000)

    start = host.get_by_role("button", name="Start the quiz")
    expect(host.get_by_text("1 joined")).to_be_visible(timeout=10_000)
    above_the_fold(host, start)
    code_value = host.get_by_test_id("stMetricValue").first
    assert font_px(code_value.locator("p").first) >= 64  # the join code, from the back of the room
    qr = host.get_by_role("img", name=f"QR code that opens the join page for room {code}")
    assert box(qr)["width"] >= 360
    host.screenshot(path=str(screenshots / "presenter-1080-lobby.png"))
    start.click()

    for name in ("Reveal answer", "Pause", "+15 s", "Ask again"):
        above_the_fold(host, host.get_by_role("button", name=name))
    stem = host.get_by_test_id("stMain").get_by_test_id("stMarkdownContainer").locator("strong").first
    assert font_px(stem) >= 24
    host.screenshot(path=str(screenshots / "presenter-1080-question.png"))
    learner.get_by_role("button", name=re.compile(r"^D · ")).click()
    expect(host.get_by_text("Everyone has answered.")).to_be_visible(timeout=10_000)
    host.get_by_role("button", name="Reveal answer").click()

    above_the_fold(host, host.get_by_role("button", name="Next question"))
    expect(host.get_by_text("Leaderboard")).to_be_visible()
    host.screenshot(path=str(screenshots / "presenter-1080-reveal.png"))
    for metric in host.get_by_test_id("stMetricValue").all():
        assert font_px(metric.locator("p").first) >= 48
    host.get_by_role("button", name="Next question").click()
    above_the_fold(host, host.get_by_role("button", name="Reveal answer"))
    for page in (host, learner):
        page.context.close()


def test_slider_values_clear_their_tracks(browser: Browser, host_url: str, screenshots: Path) -> None:
    page = browser.new_context(viewport=PROJECTOR).new_page()
    page.goto(f"{host_url}/diffusion?present=1")
    wait_for_app(page)
    sliders = page.get_by_test_id("stSlider")
    expect(sliders.first).to_be_visible(timeout=60_000)
    assert sliders.count() >= 2
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        slider.scroll_into_view_if_needed()
        track = box(slider.get_by_role("slider").locator("xpath=..").locator("xpath=.."))
        thumb = box(slider.get_by_role("slider"))
        value = slider.get_by_test_id("stSliderThumbValue")
        assert font_px(value) >= 22, "the value is readable from the back of the room"
        label = box(value)
        assert not overlaps(label, thumb), f"slider {i}: value {label} over its thumb {thumb}"
        assert label["y"] + label["height"] <= thumb["y"] + 1, f"slider {i}: value {label} not above the thumb {thumb}"
        for end in ("stSliderTickBarMin", "stSliderTickBarMax"):
            ticks = slider.get_by_test_id(end)
            if ticks.count():
                assert not overlaps(box(ticks), thumb), f"slider {i}: {end} over the thumb"
                assert font_px(ticks) >= 20
        assert track["height"] > 0
    page.screenshot(path=str(screenshots / "presenter-1080-diffusion.png"))
    page.context.close()
