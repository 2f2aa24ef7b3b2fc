"""How fast every interactive control of the lessons answers, in a real browser; prints one JSON object.

    python -m bench.lessons

Each figure is the time from the learner's action (a changed value, a pressed key) until Streamlit
reports the rerun it caused finished (observed in the page), with values never used before, so
nothing comes from a cache.
"""

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.machine import describe
from bench.support import CHROMIUM, CHROMIUM_ARGS, running_app

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def settle(page: Page) -> None:
    """Wait for the page's script run to finish, then watch for the next runs to finish."""
    page.wait_for_selector(IDLE, timeout=120_000)
    page.evaluate("""() => {
        const app = document.querySelector('[data-testid="stApp"]');
        window.__runDone = 0;
        new MutationObserver(() => {
            if (app.dataset.testScriptState === 'notRunning') window.__runDone = performance.now();
        }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
    }""")


def timed(page: Page, action: Callable[[], None]) -> float:
    """Seconds, on the page's own clock, from the action to the end of the rerun it caused."""
    for _attempt in range(2):  # an input typed while the page redraws can be lost; then act again
        page.wait_for_selector(IDLE, timeout=120_000)
        started = page.evaluate("performance.now()")
        action()
        try:
            page.wait_for_function("t => window.__runDone > t", arg=started, timeout=30_000)
        except PlaywrightTimeout:
            continue
        page.wait_for_selector(IDLE, timeout=120_000)
        return round((page.evaluate("window.__runDone") - started) / 1000, 3)
    raise RuntimeError("the action caused no rerun")


def fill(page: Page, label: str, text: str) -> Callable[[], None]:
    def act() -> None:
        box = page.get_by_label(label, exact=True)
        box.fill(text)
        box.press("Enter")
    return act


def key(page: Page, slider: str, name: str) -> Callable[[], None]:
    def act() -> None:
        page.get_by_role("slider", name=slider).focus()
        page.keyboard.press(name)
    return act


def choose(page: Page, label: str, option: str) -> Callable[[], None]:
    def act() -> None:
        box = page.get_by_label(label, exact=True)
        box.click()
        box.press_sequentially(option)  # selectboxes filter as you type; Enter picks the match
        box.press("Enter")
    return act


def submit_prompt(page: Page, prompt: str) -> Callable[[], None]:
    def act() -> None:
        page.get_by_label("Prompt", exact=True).first.fill(prompt)
        page.get_by_role("button", name="Run the model").click()
    return act


def main() -> None:
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as data, running_app(Path(data)) as app, sync_playwright() as p:
        url = app.url
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 1000})
        page.goto(f"{url}/responsible-ai")
        settle(page)
        results["responsible_content_filter"] = timed(page, fill(page, "Prompt to check", "a gun on a table"))
        results["responsible_bias_probe"] = timed(page, fill(page, "Seed of the first image", "32"))
        page.goto(f"{url}/diffusion")
        settle(page)
        results["diffusion_run_model"] = timed(page, submit_prompt(page, "a small green star at the top"))
        results["diffusion_scrub_step"] = timed(page, key(page, "Scrub through the steps", "Home"))
        results["diffusion_guidance_row"] = timed(page, fill(page, "Prompt for the guidance row",
                                                             "a large orange diamond on the right"))
        results["diffusion_two_prompts"] = timed(page, fill(page, "Second prompt", "a large green square"))
        results["diffusion_seed_row"] = timed(page, fill(page, "Prompt for the seed row", "a pink heart"))
        results["diffusion_inpaint_region"] = timed(page, choose(page, "Region to re-imagine", "top half"))
        results["diffusion_inpaint_scrub"] = timed(page, key(page, "Inpainting step", "Home"))
        page.goto(f"{url}/vision-vs-generation")
        settle(page)
        results["vision_round_trip"] = timed(page, fill(page, "Caption for the generator",
                                                        "a large brown circle on the left"))
        results["vision_compose_scene"] = timed(page, choose(page, "Shape", "heart"))
        browser.close()
    print(json.dumps({"controls_s": results, "slowest_s": max(results.values()),
                      "all_under_1s": max(results.values()) < 1.0, "machine": describe()}))


if __name__ == "__main__":
    main()
