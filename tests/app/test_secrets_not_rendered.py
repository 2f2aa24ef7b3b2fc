"""No page ever renders a configured secret, even with every backend configured."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.apptest import APP, reload_settings
from ui.navigation import all_pages

KEY = "sk-RENDER-CHECK-987654321"


def everything_rendered(node) -> str:
    """The protobuf text of every element on the page, sidebar included."""
    own = str(node.proto) if getattr(node, "proto", None) is not None else ""
    children = getattr(node, "children", {}) or {}
    return own + "".join(everything_rendered(child) for child in children.values())


@pytest.mark.parametrize("page", [p.path for p in all_pages()])
def test_no_page_shows_a_secret(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("AZURE_OPENAI_DEPLOYMENT", "my-image-deployment")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("GENLAB_INSTRUCTOR_PASSCODE", KEY)
    reload_settings()
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(page).run()
    rendered = everything_rendered(at._tree)
    assert KEY not in rendered
    assert "my-image-deployment" in rendered  # the sidebar does show the (non-secret) deployment name
