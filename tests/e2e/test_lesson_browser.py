"""The diffusion lesson in a real browser: scrubbing the steps changes what is shown."""

import re

from playwright.sync_api import Browser, Page, expect

from tests.support.browser import wait_for_app

NOISY = re.compile(r"^(The noisy latent of step \d+, decoded|The finished picture)")
GUESS = re.compile(r"^The model's guess of the finished picture")


def shown(page: Page) -> tuple[str, str]:
    """(src of the noisy image, src of the model's guess) currently on the page."""
    return (page.get_by_role("img", name=NOISY).first.get_attribute("src"),
            page.get_by_role("img", name=GUESS).first.get_attribute("src"))


def test_scrubbing_the_steps_changes_the_images(browser: Browser, app_url: str, screenshots) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 1000})
    page.goto(f"{app_url}/diffusion")
    wait_for_app(page)
    slider = page.get_by_role("slider", name="Scrub through the steps")
    slider.scroll_into_view_if_needed()
    finished = shown(page)
    slider.focus()
    page.keyboard.press("Home")  # to step 1: pure noise
    expect(page.get_by_text("Text description of step 1 of 20", exact=False)).to_be_visible(timeout=20_000)
    wait_for_app(page)
    step1 = shown(page)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("Text description of step 2 of 20", exact=False)).to_be_visible(timeout=20_000)
    wait_for_app(page)
    step2 = shown(page)
    assert step1[0] != finished[0] and step1[1] != finished[1]  # noisy image and guess both changed
    assert step2[0] != step1[0]
    expect(page.get_by_role("img", name=re.compile("^The noisy latent of step 2, decoded"))).to_have_count(1)
    page.screenshot(path=str(screenshots / "diffusion-step2.png"))
    page.close()
