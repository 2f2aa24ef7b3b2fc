"""The Content Credentials viewer in a real browser, with an uploaded file whose CAWG identity names a
``did:web`` issuer on a loopback host: the identity section, c2pa-rs's own explanation one click away,
URLs that copy exactly (read as the browser renders them), and no connection to that host, ever.
Screenshots at desktop size in light and dark, and at phone size, go to test-results/screenshots."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from genlab.provenance.runtime import toolkit
from tests.fixtures import provenance_fixtures as fx
from tests.fixtures.network import HOST, Listener
from tests.support.browser import running_app

pytestmark = pytest.mark.skipif(HOST is None, reason="no host name resolves to loopback in /etc/hosts")

INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
LAYOUTS = {"desktop-light": ({"width": 1400, "height": 900}, "light"),
           "desktop-dark": ({"width": 1400, "height": 900}, "dark"),
           "phone": ({"width": 390, "height": 844}, "light")}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Listener]]:
    """The app on its own data directory, a listener on loopback, and a file signed by that app's demo CA
    whose identity issuer is ``did:web:<loopback name>:<listener port>``."""
    data_dir = tmp_path_factory.mktemp("viewer-data")
    toolkit(data_dir)  # the app and this process share one demo CA
    listener = Listener()
    path = tmp_path_factory.mktemp("upload") / "identity.png"
    path.write_bytes(fx.ica_identity(data_dir, HOST, listener.port))
    try:
        with running_app(data_dir) as app:
            yield app.url, path, listener
    finally:
        listener.close()


def settled(page: Page) -> None:
    page.wait_for_timeout(200)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)


def upload(browser: Browser, url: str, path: Path, viewport: dict, scheme: str) -> Page:
    page = browser.new_context(viewport=viewport, color_scheme=scheme).new_page()
    page.goto(f"{url}/credentials")
    settled(page)
    expect(page.locator("h1")).to_have_text("Content Credentials viewer", timeout=30_000)
    page.get_by_text("My own image", exact=True).click()
    settled(page)
    page.locator('input[type="file"]').set_input_files(str(path))
    expect(page.get_by_text("Identity claims (CAWG)", exact=False)).to_be_visible(timeout=60_000)
    settled(page)
    return page


@pytest.mark.parametrize("layout", LAYOUTS)
def test_viewer_shows_the_identity_offline(browser: Browser, hostile: tuple[str, Path, Listener], layout: str,
                                           screenshots: Path) -> None:
    url, path, listener = hostile
    viewport, scheme = LAYOUTS[layout]
    page = upload(browser, url, path, viewport, scheme)
    main = page.locator('[data-testid="stMain"]')
    text = main.inner_text()
    assert "Trusted" in text and "Not verified" in text and "Eve Example" in text
    assert "identity service (identity claims aggregation)" in text and "did not fetch it" in text

    # Copyable text is exactly the file's characters, as the browser renders it.
    for expected in ("https://social.example/eve", f"did:web:{HOST}%3A{listener.port}", "cawg.ica.did_unavailable"):
        code = main.locator("code", has_text=expected).first
        expect(code).to_be_visible()
        rendered = code.inner_text()
        assert rendered.strip() == expected, rendered
        assert not any(ch in rendered for ch in INVISIBLE)
    assert not any(ch in text for ch in INVISIBLE)

    page.screenshot(path=str(screenshots / f"viewer-identity-{layout}-top.png"))
    main.get_by_text("Identity claims (CAWG)", exact=False).scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"viewer-identity-{layout}.png"))

    # c2pa-rs's own explanation of the did:web failure, one click away.
    buttons = page.get_by_role("button", name="What c2pa-rs reported")
    explained = []
    for i in range(buttons.count()):
        buttons.nth(i).click()
        popover = page.locator('[data-testid="stPopoverBody"]').last
        expect(popover).to_be_visible()
        explained.append(popover.inner_text())
        if "Unable to resolve issuer DID" in explained[-1]:
            page.screenshot(path=str(screenshots / f"viewer-identity-{layout}-explained.png"))
            break
        page.keyboard.press("Escape")
    assert "Unable to resolve issuer DID" in explained[-1], explained
    assert not any(ch in "".join(explained) for ch in INVISIBLE)
    page.context.close()
    assert listener.settle() == [], "the viewer connected to the did:web host"
