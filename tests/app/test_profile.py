"""The sidebar profile: choose a name, keep progress under it, sign in when OIDC is configured."""

from streamlit.testing.v1 import AppTest

from tests.support.apptest import APP


def start() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def submit_name(at: AppTest, name: str) -> AppTest:
    at.sidebar.text_input[0].set_value(name)
    next(b for b in at.sidebar.button if b.label == "Start learning").click().run()
    return at


def test_choosing_a_profile_name() -> None:
    at = submit_name(start(), "  Ada ")
    assert at.session_state["learner"].name == "Ada"
    assert any("Learning as **Ada**" in m.value for m in at.sidebar.markdown)


def test_profile_is_remembered_across_app_restarts() -> None:
    submit_name(start(), "Grace")
    again = start()  # a new session against the same data directory
    assert any("Grace" in c.value for c in again.sidebar.caption)


def test_a_bad_name_gets_a_sentence_and_no_profile() -> None:
    at = submit_name(start(), "<script>")
    assert "learner" not in at.session_state
    assert "letters, digits" in at.sidebar.error[0].value


def test_signed_in_user_becomes_the_profile() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x",
                          "client_id": "id", "client_secret": "s",
                          "server_metadata_url": "https://login.example/.well-known/openid-configuration"}
    at.user = {"is_logged_in": True, "sub": "entra-123", "name": "Alan Turing", "email": "alan@example.edu"}
    at.run()
    assert not at.exception
    assert at.session_state["learner"].name == "Alan Turing"
    assert any(b.label == "Sign out" for b in at.sidebar.button)


def test_sign_in_button_only_when_configured() -> None:
    assert not any(b.label == "Sign in" for b in start().sidebar.button)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"client_id": "id"}
    at.run()
    assert any(b.label == "Sign in" for b in at.sidebar.button)
