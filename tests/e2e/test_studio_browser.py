"""The generation studio in a real browser: a local image with alt text, the banner without a key, and a
content-filter sentence from the loopback stand-in configured as Azure OpenAI."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from devtools.fake_openai import API_VERSION, AZURE_KEY, FakeOpenAI
from genlab.diffusion import RESOLUTION
from tests.support.browser import running_app

RESULT = 'img[alt^="AI-generated image for the prompt: "]'


def settled(page: Page) -> None:
    """Streamlit has finished the script run the last interaction started."""
    page.wait_for_timeout(200)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)


def open_studio(browser: Browser, url: str) -> Page:
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{url}/studio")
    settled(page)
    expect(page.locator("h1")).to_have_text("Generation studio", timeout=30_000)
    return page


def generate(page: Page, prompt: str) -> None:
    page.get_by_label("Prompt", exact=True).fill(prompt)
    page.get_by_role("button", name="Generate", exact=True).click()


def test_banner_says_local_is_used_because_no_key_was_found(browser: Browser, app_url: str,
                                                           screenshots: Path) -> None:
    page = open_studio(browser, app_url)
    banner = page.get_by_text("Active backend: the local model.")
    expect(banner).to_be_visible()
    expect(page.get_by_text("No Azure OpenAI or OpenAI key was found", exact=False).first).to_be_visible()
    expect(page.get_by_text("How to add a key.", exact=False)).to_be_visible()
    page.screenshot(path=str(screenshots / "studio-before.png"))
    page.context.close()


def test_local_generate_shows_an_image_with_alt_text(browser: Browser, app_url: str, screenshots: Path) -> None:
    page = open_studio(browser, app_url)
    generate(page, "a large red circle on the left on a white background")
    image = page.locator(RESULT).first
    expect(image).to_be_visible(timeout=60_000)
    expect(image).to_have_attribute("alt", "AI-generated image for the prompt: a large red circle on the left on "
                                           "a white background")
    expect(page.get_by_text("Free, on your CPU.").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download image 1", exact=True).click()
    saved = download.value.path()
    assert Path(saved).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"  # the original file, not a screenshot of it
    page.screenshot(path=str(screenshots / "studio-after.png"), full_page=True)
    page.context.close()


def test_paint_the_area_to_change_then_edit(browser: Browser, app_url: str, screenshots: Path) -> None:
    page = open_studio(browser, app_url)
    generate(page, "a large red circle on the left on a white background")
    expect(page.locator(RESULT).first).to_be_visible(timeout=60_000)
    page.get_by_role("tab", name="Edit").click()
    panel = page.get_by_role("tabpanel", name="Edit")
    expect(panel.get_by_text("Paint the area to change")).to_be_visible(timeout=10_000)
    canvas = panel.locator("canvas").last
    expect(canvas).to_be_visible()
    canvas.scroll_into_view_if_needed()  # mouse strokes land only where the canvas is on screen
    page.wait_for_timeout(500)
    box = canvas.bounding_box()
    assert box is not None and box["width"] >= 200
    # One stroke down the left quarter of the picture, from top to bottom.
    x = box["x"] + box["width"] * 0.15
    page.mouse.move(x, box["y"] + 4)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(x, box["y"] + 4 + step * (box["height"] - 8) / 20, steps=2)
    page.mouse.up()
    overlay = panel.locator('img[alt="The image to edit with the area to change (paint it) painted magenta"]')
    expect(overlay).to_be_visible(timeout=30_000)
    marked = panel.get_by_text("Marked: ")
    side = RESOLUTION
    expect(marked).to_contain_text(f"of the picture's {side * side} pixels")
    count = int(marked.inner_text().split("Marked: ")[1].split(" ")[0])
    assert side <= count <= side * side // 3, count  # a column an eighth of the picture wide, top to bottom
    page.screenshot(path=str(screenshots / "studio-edit-painted.png"), full_page=True)
    panel.get_by_label("What should the marked area show?").fill("a large yellow star on the left")
    panel.get_by_role("button", name="Make the edit").click()
    edited = panel.locator('img[alt="AI-generated image for the prompt: a large yellow star on the left"]')
    expect(edited).to_be_visible(timeout=60_000)
    page.context.close()


@pytest.fixture(scope="module")
def azure_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app started against the stand-in, configured as Azure OpenAI."""
    with FakeOpenAI() as fake, running_app(tmp_path_factory.mktemp("azure-data"), env={
            "AZURE_OPENAI_ENDPOINT": fake.url, "AZURE_OPENAI_API_KEY": AZURE_KEY,
            "AZURE_OPENAI_DEPLOYMENT": "img15", "AZURE_OPENAI_API_VERSION": API_VERSION,
            "GENLAB_REQUEST_TIMEOUT_S": "10", "GENLAB_REQUEST_MAX_RETRIES": "0"}) as app:
        yield app.url


def test_content_filter_sentence_from_azure(browser: Browser, azure_url: str, screenshots: Path) -> None:
    page = open_studio(browser, azure_url)
    prompt_box = page.get_by_label("Prompt", exact=True)
    prompt_box.fill("typed, not sent yet")
    page.locator(".st-key-studio_backend").get_by_text("Azure OpenAI", exact=True).click()
    expect(page.get_by_text("Active backend: Azure OpenAI.")).to_be_visible(timeout=30_000)
    settled(page)
    expect(prompt_box).to_have_value("typed, not sent yet")  # switching backends keeps what was typed
    generate(page, "a red fox trigger:content_filter_prompt")
    sentence = ("Azure OpenAI's content filter blocked your prompt as violence (high). No image was made; rephrase "
                "the prompt and try again.")
    expect(page.get_by_text(sentence)).to_be_visible(timeout=60_000)
    expect(page.get_by_label("Prompt", exact=True)).to_have_value("a red fox trigger:content_filter_prompt")
    page.screenshot(path=str(screenshots / "studio-error.png"), full_page=True)
    page.context.close()


def test_cancel_really_stops_waiting_for_a_silent_service(browser: Browser, azure_url: str) -> None:
    page = open_studio(browser, azure_url)
    page.locator(".st-key-studio_backend").get_by_text("Azure OpenAI", exact=True).click()
    expect(page.get_by_text("Active backend: Azure OpenAI.")).to_be_visible(timeout=30_000)
    settled(page)
    page.get_by_label("Prompt", exact=True).fill("a red fox trigger:silent")
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page.get_by_text("of at most 10 s")).to_be_visible(timeout=10_000)  # elapsed against the deadline
    started = time.monotonic()
    page.get_by_role("button", name="Cancel", exact=True).click()
    expect(page.get_by_text("You stopped waiting after")).to_be_visible(timeout=5_000)
    assert time.monotonic() - started < 5, "Cancel answered long before the 10-second deadline"
    expect(page.get_by_text("it may still make the image and bill it")).to_be_visible()
    page.context.close()
