"""Settings: read from the environment and secrets.toml; secrets never appear in text."""

import logging
from pathlib import Path

import pytest

from genlab.backends import available_backends
from genlab.settings import Settings, SettingsError, load_settings
from genlab.studio import active_backend

KEY = "sk-THIS-IS-A-SECRET-0123456789"
DB_PASSWORD = "pg-pass-secret-42"


def test_environment_wins_over_secrets_file(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('AZURE_OPENAI_DEPLOYMENT = "from-file"\n[azure_openai]\nendpoint = "https://file.example"\n')
    s = load_settings({"AZURE_OPENAI_DEPLOYMENT": "from-env"}, secrets)
    assert s.azure_deployment == "from-env" and s.azure_endpoint == "https://file.example"


def test_defaults_are_offline(tmp_path: Path) -> None:
    s = load_settings({}, tmp_path / "missing.toml")
    assert not s.azure_configured and not s.openai_configured
    assert active_backend(available_backends(s), None).name == "local"
    assert (s.request_deadline_s, s.request_retries, s.azure_route) == (120.0, 1, "classic")
    assert s.sqlalchemy_url.startswith("sqlite:///") and s.sqlalchemy_url.endswith("genlab.sqlite3")


def test_azure_needs_endpoint_deployment_and_a_credential(tmp_path: Path) -> None:
    env = {"AZURE_OPENAI_ENDPOINT": "https://x.openai.azure.com", "AZURE_OPENAI_DEPLOYMENT": "img"}
    assert not load_settings(env, tmp_path / "none").azure_configured
    assert load_settings(env | {"AZURE_OPENAI_API_KEY": KEY}, tmp_path / "none").azure_configured
    assert load_settings(env | {"AZURE_OPENAI_USE_ENTRA_ID": "true"}, tmp_path / "none").azure_configured


def test_postgres_urls_use_psycopg_and_display_without_credentials(tmp_path: Path) -> None:
    s = load_settings({"DATABASE_URL": f"postgres://app:{DB_PASSWORD}@db.example:5432/genlab"}, tmp_path / "none")
    assert s.sqlalchemy_url.startswith("postgresql+psycopg://app:")
    assert s.describe_database() == "postgresql://db.example:5432/genlab"


def test_secrets_never_reach_text_logs_or_errors(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    env = {"AZURE_OPENAI_API_KEY": KEY, "OPENAI_API_KEY": KEY, "GENLAB_INSTRUCTOR_PASSCODE": KEY,
           "DATABASE_URL": f"postgresql://u:{DB_PASSWORD}@h/db"}
    s = load_settings(env, tmp_path / "none")
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("genlab").info("settings: %s %r", s, s)
    texts = [str(s), repr(s), f"{s}", s.model_dump_json(), caplog.text, s.describe_database(),
             active_backend(available_backends(s), "azure").reason]
    for text in texts:
        assert KEY not in text and DB_PASSWORD not in text
    assert s.azure_api_key is not None and s.azure_api_key.get_secret_value() == KEY  # still usable on purpose


def test_bad_values_name_the_setting_not_the_value(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as err:
        load_settings({"GENLAB_DAILY_BUDGET_USD": f"not-a-number-{KEY}"}, tmp_path / "none")
    assert "daily_budget_usd" in str(err.value) and KEY not in str(err.value)


def test_broken_secrets_file_does_not_echo_its_lines(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'AZURE_OPENAI_API_KEY = "{KEY}\n')  # unterminated string
    with pytest.raises(SettingsError) as err:
        load_settings({}, secrets)
    assert KEY not in str(err.value) and "line 1" in str(err.value)


def test_settings_are_immutable() -> None:
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError for frozen models
        Settings().data_dir = Path("/tmp")


def test_an_auth_table_in_secrets_means_sign_in_is_configured(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    assert not load_settings({}, secrets).sign_in_configured  # no file
    secrets.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\nclient_id = "id"\n')
    assert load_settings({}, secrets).sign_in_configured
    secrets.write_text("[auth]\n")  # an empty table configures nothing
    assert not load_settings({}, secrets).sign_in_configured
