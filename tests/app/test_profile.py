"""The sidebar profile: a name and a PIN (or single sign-on) open a profile, and nothing else does."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from genlab.store import learners as profiles
from tests.support.apptest import APP, reload_settings
from ui.navigation import all_pages

FLASHCARDS = "app_pages/flashcards.py"
QUIZ = "app_pages/quiz.py"


def start() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def submit(at: AppTest, name: str, pin: str = "2468") -> AppTest:
    next(t for t in at.sidebar.text_input if t.label == "Profile name").set_value(name)
    next(t for t in at.sidebar.text_input if t.label == "PIN or passphrase").set_value(pin)
    next(b for b in at.sidebar.button if b.label == "Start learning").click().run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label.startswith(label)).click().run()
    assert not at.exception, at.exception
    return at


def everything(at: AppTest) -> str:
    """Every piece of text on the page (main area and sidebar)."""
    parts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "success", "warning", "error",
                 "metric", "text", "code", "table", "dataframe"):
        for element in getattr(at, kind):
            parts.append(str(getattr(element, "value", "")) + " " + str(getattr(element, "label", "")))
    return "\n".join(parts)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_a_new_name_and_pin_make_a_profile() -> None:
    at = submit(start(), "  Ada ")
    assert at.session_state["learner"].name == "Ada"
    assert any("Learning as **Ada**" in m.value for m in at.sidebar.markdown)
    assert "Made the profile Ada" in at.sidebar.success[0].value
    assert "Learning as **Ada**" in everything(at)  # what the privacy tests below search does see the sidebar


def test_no_page_lists_other_learners() -> None:
    submit(start(), "Grace Hopper")
    again = start()  # another browser: no cookie, no session
    assert "learner" not in again.session_state
    assert "Grace" not in everything(again)
    for page in all_pages():
        again.switch_page(page.path).run()
        assert not again.exception, page.path
        assert "Grace" not in everything(again), page.path


def test_the_pin_reopens_the_profile_with_its_progress() -> None:
    at = submit(start(), "Ada")
    at.switch_page(FLASHCARDS).run()
    click(at, "Show answer")
    click(at, "Good")
    again = submit(start(), "ada", "2468")  # another device: same name and PIN
    again.switch_page(FLASHCARDS).run()
    assert again.session_state["learner"].name == "Ada"
    assert metric(again, "Reviewed today") == "1"


def test_another_learners_name_does_not_open_their_profile() -> None:
    at = submit(start(), "Ada")
    at.switch_page(FLASHCARDS).run()
    click(at, "Show answer")
    click(at, "Good")
    intruder = submit(start(), "Ada", "0000")
    assert "learner" not in intruder.session_state
    assert "not the PIN of the profile Ada" in intruder.sidebar.error[0].value
    intruder.switch_page(FLASHCARDS).run()
    assert not intruder.metric and "Reviewed today" not in everything(intruder)
    # Links cannot pick a learner either: another profile visiting every page with Ada's id in the URL
    # sees only its own (empty) progress.
    grace = submit(start(), "Grace", "1357")
    ada_id = at.session_state["learner"].id
    for page in all_pages():
        grace.query_params.update({"learner": str(ada_id), "learner_id": str(ada_id), "profile": "Ada",
                                   "name": "Ada"})
        grace.switch_page(page.path).run()
        assert not grace.exception, page.path
        assert grace.session_state["learner"].name == "Grace", page.path
        assert "Ada" not in everything(grace), page.path
    grace.switch_page(FLASHCARDS).run()
    assert metric(grace, "Reviewed today") == "0"


def test_wrong_pins_lock_the_profile() -> None:
    submit(start(), "Ada")
    at = start()
    for _ in range(profiles.PIN_ATTEMPTS):
        submit(at, "Ada", "0000")
    submit(at, "Ada", "2468")  # even the right PIN waits now
    assert "learner" not in at.session_state
    assert "locked for 15 more minutes" in at.sidebar.error[0].value


@pytest.mark.parametrize(("pin", "sentence"), [("", "Type your PIN"), ("12", "at least 4 characters")])
def test_a_missing_or_short_pin_gets_a_sentence(pin: str, sentence: str) -> None:
    at = submit(start(), "Ada", pin)
    assert "learner" not in at.session_state
    assert sentence in at.sidebar.error[0].value


def test_a_bad_name_gets_a_sentence_and_no_profile() -> None:
    at = submit(start(), "<script>")
    assert "learner" not in at.session_state
    assert "letters, digits" in at.sidebar.error[0].value


def test_sign_out_closes_the_profile_and_clears_its_screens() -> None:
    at = submit(start(), "Ada")
    at.switch_page(FLASHCARDS).run()
    click(at, "Show answer")
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    assert "learner" not in at.session_state and "fc_revealed" not in at.session_state
    assert any(t.label == "Profile name" for t in at.sidebar.text_input)


def set_up_sign_in(tmp_path: Path) -> None:
    """An ``[auth]`` table in the app's secrets file (the conftest points the settings at this one)."""
    (tmp_path / "secrets.toml").write_text('[auth]\nclient_id = "id"\n', encoding="utf-8")
    reload_settings()


def test_signed_in_user_becomes_the_profile(tmp_path: Path) -> None:
    set_up_sign_in(tmp_path)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x",
                          "client_id": "id", "client_secret": "s",
                          "server_metadata_url": "https://login.example/.well-known/openid-configuration"}
    at.user = {"is_logged_in": True, "sub": "entra-123", "name": "Alan Turing", "email": "alan@example.edu"}
    at.run()
    assert not at.exception
    assert at.session_state["learner"].name == "Alan Turing"
    assert any(b.label == "Sign out" for b in at.sidebar.button)


def test_sign_in_button_only_when_configured(tmp_path: Path) -> None:
    assert not any(b.label == "Sign in" for b in start().sidebar.button)
    set_up_sign_in(tmp_path)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert any(b.label == "Sign in" for b in at.sidebar.button)


def test_required_sign_in_hides_the_pin_form_and_the_pages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GENLAB_REQUIRE_SIGN_IN", "true")
    set_up_sign_in(tmp_path)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not any(t.label == "Profile name" for t in at.sidebar.text_input)
    assert any(b.label == "Sign in" for b in at.sidebar.button)
    assert at.title[0].value == "Sign in to use this lab"
    at.switch_page(FLASHCARDS).run()
    assert at.title[0].value == "Sign in to use this lab"
    (tmp_path / "secrets.toml").unlink()  # sign-in required, but no [auth] table
    reload_settings()
    unconfigured = start()
    assert "GENLAB_REQUIRE_SIGN_IN" in unconfigured.sidebar.error[0].value
    assert "sign-in is not set up yet" in everything(unconfigured)
