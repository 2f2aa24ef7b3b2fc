"""Every listed page: opens, shows its one heading, no exception box, passes axe in light and dark."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.support.browser import app_violations, axe_violations, wait_for_app
from ui.navigation import all_pages

PAGES = all_pages()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_page_renders_and_passes_axe(browser: Browser, app_url: str, screenshots: Path, spec, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{app_url}/{spec.url_path}")
    wait_for_app(page)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(spec.heading)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    images_without_alt = page.locator('[data-testid="stMain"] img:not([alt])')
    expect(images_without_alt).to_have_count(0)
    page.screenshot(path=str(screenshots / f"{spec.url_path or 'home'}-{scheme}.png"), full_page=False)
    problems = app_violations(axe_violations(page))
    context.close()
    assert not problems, "\n".join(problems)
