"""Who you are survives a reload, in a real browser: the learner's remembered device and the host token."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import running_app, wait_for_app

PASSCODE = "identity-test-passcode"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("data"), {"GENLAB_INSTRUCTOR_PASSCODE": PASSCODE}) as running:
        yield running.url


def cookie_value(page: Page, name: str) -> str:
    """The cookie's value once the page's script has set it (it runs as the page draws)."""
    for _ in range(50):
        found = [c["value"] for c in page.context.cookies() if c["name"] == name]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError(f"the page never set the {name} cookie")


def open_profile(page: Page, name: str, pin: str, remember: bool = True) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_label("Profile name").fill(name)
    sidebar.get_by_role("textbox", name="PIN or passphrase", exact=True).fill(pin)
    if not remember:
        sidebar.get_by_text("Remember me in this browser").click()
    sidebar.get_by_role("button", name="Start learning").click()
    expect(sidebar.get_by_text(f"Learning as {name}")).to_be_visible(timeout=20_000)


def test_a_learner_stays_themselves_across_reloads_and_tabs(browser: Browser, app: str, screenshots: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{app}/flashcards")
    wait_for_app(page)
    open_profile(page, "Ada", "2468")
    page.reload()
    wait_for_app(page)
    expect(page.get_by_text("Learning as Ada")).to_be_visible(timeout=20_000)
    cookie = next(c for c in context.cookies() if c["name"] == "genlab_device")
    assert cookie["sameSite"] == "Strict" and cookie["expires"] > 0  # a lasting cookie, not a session one
    other_tab = context.new_page()  # tomorrow, in another tab
    other_tab.goto(f"{app}/quiz")
    wait_for_app(other_tab)
    expect(other_tab.get_by_text("Learning as Ada")).to_be_visible(timeout=20_000)
    other_tab.screenshot(path=str(screenshots / "identity-remembered.png"))

    # Another browser (no cookie) sees no profile and no names, and Ada's name without her PIN opens nothing.
    stranger = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    stranger.goto(app)
    wait_for_app(stranger)
    expect(stranger.get_by_text("Learning as Ada")).to_have_count(0)
    assert "Ada" not in stranger.locator("body").inner_text()

    # Sign out forgets the device: a reload asks again.
    other_tab.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out").click()
    expect(other_tab.get_by_label("Profile name")).to_be_visible(timeout=20_000)
    other_tab.reload()
    wait_for_app(other_tab)
    expect(other_tab.get_by_label("Profile name")).to_be_visible(timeout=20_000)
    expect(other_tab.get_by_text("Learning as Ada")).to_have_count(0)
    context.close()


def test_not_remembered_means_a_reload_asks_again(browser: Browser, app: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(app)
    wait_for_app(page)
    open_profile(page, "Grace", "1357", remember=False)
    page.reload()
    wait_for_app(page)
    expect(page.get_by_label("Profile name")).to_be_visible(timeout=20_000)
    assert not any(c["name"] == "genlab_device" for c in context.cookies())
    context.close()


def test_the_host_survives_a_reload_and_learners_pages_stay_learners(browser: Browser, app: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    host = context.new_page()
    host.goto(f"{app}/classroom-host")
    wait_for_app(host)
    host.get_by_label("Instructor passcode").fill(PASSCODE)
    host.get_by_role("button", name="Sign in to host").click()
    expect(host.get_by_text("Create a room")).to_be_visible(timeout=20_000)
    token = cookie_value(host, "genlab_host")
    assert PASSCODE not in token
    host.reload()
    wait_for_app(host)
    expect(host.get_by_text("Create a room")).to_be_visible(timeout=20_000)
    expect(host.get_by_label("Instructor passcode")).to_have_count(0)
    # The same browser on the learners' page gets the learners' page, nothing of the host's.
    host.goto(f"{app}/classroom")
    wait_for_app(host)
    expect(host.get_by_label("Nickname")).to_be_visible(timeout=20_000)
    expect(host.get_by_text("Create a room")).to_have_count(0)
    # A forged token opens nothing.
    forged = browser.new_context()
    forged.add_cookies([{"name": "genlab_host", "value": token[:-2] + "xx", "url": app}])
    page = forged.new_page()
    page.goto(f"{app}/classroom-host")
    wait_for_app(page)
    expect(page.get_by_label("Instructor passcode")).to_be_visible(timeout=20_000)
    forged.close()
    context.close()
