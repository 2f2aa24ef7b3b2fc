"""The vision lesson's "Describe with Azure OpenAI" buttons, through AppTest against the loopback stand-in."""

import pytest
from streamlit.testing.v1 import AppTest

from devtools.fake_openai import API_VERSION, AZURE_KEY, VISION_DEPLOYMENT, FakeOpenAI
from tests.support.apptest import open_page, reload_settings

BUTTON = "Describe with Azure OpenAI"


def vision_page() -> AppTest:
    return open_page("app_pages/lesson_vision.py")


@pytest.fixture
def configured(fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAI:
    for var, value in {"AZURE_OPENAI_ENDPOINT": fake_openai.url, "AZURE_OPENAI_API_KEY": AZURE_KEY,
                       "AZURE_OPENAI_DEPLOYMENT": "img15", "AZURE_OPENAI_VISION_DEPLOYMENT": VISION_DEPLOYMENT,
                       "AZURE_OPENAI_API_VERSION": API_VERSION}.items():
        monkeypatch.setenv(var, value)
    reload_settings()
    return fake_openai


def test_both_buttons_describe_their_image(configured: FakeOpenAI) -> None:
    at = vision_page()
    assert [b.label for b in at.button if b.label == BUTTON] == [BUTTON, BUTTON]
    at.button(key="vl_describe_yours").click().run()
    assert not at.exception and not at.error
    [sentence] = [t.value for t in at.text]
    assert sentence.startswith("A ") and sentence.endswith(" background.")
    assert configured.requests[-1].path == f"/openai/deployments/{VISION_DEPLOYMENT}/chat/completions"
    assert any(c.value.startswith(f"Deployment '{VISION_DEPLOYMENT}'") for c in at.caption)

    at.button(key="vl_describe_generated").click().run()
    assert not at.exception and len(at.text) == 2 and len(configured.requests) == 2
    at.selectbox(key="vl_colour").set_value("green").run()  # another image: its old description goes
    assert len(at.text) == 1


def test_a_failure_is_a_sentence_not_a_traceback(configured: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_VISION_DEPLOYMENT", "no-such-deployment")
    reload_settings()
    at = vision_page()
    at.button(key="vl_describe_yours").click().run()
    assert not at.exception and not at.text
    assert at.error[0].value.startswith("Azure OpenAI has no deployment named 'no-such-deployment' (404).")
    assert AZURE_KEY not in at.error[0].value


def test_without_a_vision_deployment_the_page_says_how_to_enable_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AZURE_OPENAI_VISION_DEPLOYMENT", raising=False)
    reload_settings()
    at = vision_page()
    assert not [b for b in at.button if b.label == BUTTON]
    hints = [m.value for m in at.markdown if "AZURE_OPENAI_VISION_DEPLOYMENT" in m.value]
    assert len(hints) == 2
