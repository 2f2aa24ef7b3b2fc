"""On a phone (390x844) the sidebar closes after a tap on a page in its navigation, whether or not the
browser says it is a phone; on a wide screen it stays open beside the page."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import wait_for_app

IPHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Version/17.5 Mobile/15E148 Safari/604.1")


def sidebar_open(page: Page) -> bool:
    box = page.get_by_test_id("stSidebar").bounding_box()
    return box is not None and box["width"] > 0 and box["x"] + box["width"] > 0


def tap_flashcards(page: Page) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Flashcards").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flashcards", timeout=30_000)
    wait_for_app(page)


@pytest.mark.parametrize("user_agent", [None, IPHONE_UA], ids=["narrow-window", "phone-user-agent"])
def test_the_phone_sidebar_closes_after_a_tap(browser: Browser, app_url: str, user_agent: str | None) -> None:
    options = {"user_agent": user_agent} if user_agent else {}
    page = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, **options).new_page()
    page.goto(app_url)
    wait_for_app(page)
    assert not sidebar_open(page), "a phone starts with the sidebar closed"
    page.get_by_test_id("stExpandSidebarButton").tap()
    expect(page.get_by_test_id("stSidebarNav")).to_be_in_viewport(timeout=5_000)
    tap_flashcards(page)
    expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible(timeout=5_000)
    assert not sidebar_open(page)
    page.context.close()


def test_a_wide_screen_keeps_the_sidebar_open(browser: Browser, app_url: str) -> None:
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.goto(app_url)
    wait_for_app(page)
    assert sidebar_open(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Flashcards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flashcards", timeout=30_000)
    wait_for_app(page)
    page.wait_for_timeout(300)
    assert sidebar_open(page)
    page.context.close()
