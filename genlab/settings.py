"""Configuration, read once from the environment and ``.streamlit/secrets.toml``.

Secrets (API keys, the instructor passcode, a database password) are held as
:class:`pydantic.SecretStr`, whose ``str()`` and ``repr()`` print ``**********``. So a secret cannot
leak through a log line, an f-string, an exception message or a page that shows the settings: to
use one, code must call ``.get_secret_value()`` on purpose, at the single place that needs it.
"""

import os
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from genlab.errors import LearnerError

ROOT = Path(__file__).resolve().parent.parent
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"

#: Environment variable -> settings field. Names follow the Azure OpenAI / OpenAI SDK conventions,
#: so a learner's existing shell setup just works.
ENV_VARS: dict[str, str] = {
    "AZURE_OPENAI_ENDPOINT": "azure_endpoint",
    "AZURE_OPENAI_API_KEY": "azure_api_key",
    "AZURE_OPENAI_DEPLOYMENT": "azure_deployment",
    "AZURE_OPENAI_API_VERSION": "azure_api_version",
    "AZURE_OPENAI_USE_ENTRA_ID": "azure_use_entra_id",
    "AZURE_OPENAI_VISION_DEPLOYMENT": "azure_vision_deployment",
    "OPENAI_API_KEY": "openai_api_key",
    "OPENAI_BASE_URL": "openai_base_url",
    "OPENAI_IMAGE_MODEL": "openai_model",
    "DATABASE_URL": "database_url",
    "GENLAB_DATA_DIR": "data_dir",
    "GENLAB_INSTRUCTOR_PASSCODE": "instructor_passcode",
    "GENLAB_DAILY_BUDGET_USD": "daily_budget_usd",
    "GENLAB_RATE_LIMIT_PER_MINUTE": "rate_limit_per_minute",
    "GENLAB_SIGN_PROMPT": "sign_prompt",
    "GENLAB_TRUST_ANCHORS": "trust_anchors_file",
    "AZURE_OPENAI_ROUTE": "azure_route",
    "GENLAB_REQUEST_TIMEOUT_S": "request_deadline_s",
    "GENLAB_REQUEST_MAX_RETRIES": "request_retries",
    "GENLAB_SECRET_KEY": "secret_key",
    "GENLAB_REQUIRE_SIGN_IN": "require_sign_in",
    "GENLAB_PUBLIC_URL": "public_url",
}


class SettingsError(LearnerError, ValueError):
    """Configuration that cannot be used; the message names the setting, never its value."""


class Settings(BaseModel):
    """Everything the app can be configured with. Defaults are the offline, no-key setup."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    azure_endpoint: str | None = None
    azure_api_key: SecretStr | None = None
    azure_deployment: str | None = None
    azure_api_version: str = "2025-04-01-preview"
    azure_use_entra_id: bool = False
    azure_vision_deployment: str | None = None
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-image-1.5"
    database_url: SecretStr | None = None
    data_dir: Path = ROOT / "data"
    instructor_passcode: SecretStr | None = None
    daily_budget_usd: float = Field(default=2.0, ge=0)
    rate_limit_per_minute: int = Field(default=6, ge=1)
    sign_prompt: bool = True
    trust_anchors_file: Path | None = None
    #: "classic" (``/openai/deployments/{name}/...?api-version=``) or "v1" (``/openai/v1/``).
    azure_route: Literal["classic", "v1"] = "classic"
    #: Seconds one Generate click may take in all: connecting, every read, any retry, the whole stream.
    request_deadline_s: float = Field(default=120.0, gt=0, le=3600)
    #: Automatic retries of failures that cannot have made an image (connection refused, an empty 502/503).
    request_retries: int = Field(default=1, ge=0, le=1)
    #: Signs the instructor's host token; without it the key is derived from the instructor passcode.
    secret_key: SecretStr | None = None
    #: Shared deployments: only single sign-on (``[auth]`` in secrets.toml) opens a profile.
    require_sign_in: bool = False
    #: Single sign-on is set up: secrets.toml has an ``[auth]`` table (Streamlit's ``st.login`` reads it).
    sign_in_configured: bool = False
    #: The address learners' devices use to reach the app (join link and QR code), e.g. https://lab.example.edu
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")

    @property
    def azure_configured(self) -> bool:
        """Azure is usable when it has an endpoint, a deployment and a way to authenticate."""
        return bool(self.azure_endpoint and self.azure_deployment
                    and (self.azure_api_key or self.azure_use_entra_id))

    @property
    def openai_configured(self) -> bool:
        return self.openai_api_key is not None

    @property
    def sqlalchemy_url(self) -> str:
        """The database to use: ``DATABASE_URL`` if given, else a SQLite file in the data directory."""
        if self.database_url is not None:
            url = self.database_url.get_secret_value()
            if url.startswith("postgres://"):  # Heroku-style URLs; SQLAlchemy wants the full name
                url = "postgresql://" + url.removeprefix("postgres://")
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
            return url
        return f"sqlite:///{self.data_dir / 'genlab.sqlite3'}"

    def describe_database(self) -> str:
        """The database for display: scheme, host and name, never the user or password."""
        url = self.sqlalchemy_url
        if url.startswith("sqlite"):
            return f"SQLite file {url.removeprefix('sqlite:///')}"
        parts = urlsplit(url)
        host = parts.hostname or "local socket"
        port = f":{parts.port}" if parts.port else ""
        return urlunsplit((parts.scheme.split("+")[0], f"{host}{port}", parts.path, "", ""))


def _from_secrets(path: Path) -> dict[str, Any]:
    """Flat values from secrets.toml; its ``[azure_openai]`` / ``[openai]`` tables are accepted too."""
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        # Report only the position: a parser message may quote the offending line, which can hold a key.
        found = re.search(r"at line (\d+)", str(exc))
        where = f" near line {found.group(1)}" if found else ""
        raise SettingsError(f"{path.name} could not be read{where}: check its TOML syntax.") from None
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "auth" and isinstance(value, dict):
            values["sign_in_configured"] = bool(value)
        elif isinstance(value, dict) and key in ("azure_openai", "openai"):
            prefix = "azure_" if key == "azure_openai" else "openai_"
            values.update({prefix + k: v for k, v in value.items()})
        elif key.upper() in ENV_VARS:
            values[ENV_VARS[key.upper()]] = value
        elif not isinstance(value, dict):
            values[key] = value
    return values


def load_settings(environ: dict[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> Settings:
    """Build settings from secrets.toml, then environment variables (which win)."""
    env = os.environ if environ is None else environ
    values = _from_secrets(secrets_file)
    values.update({field: env[var] for var, field in ENV_VARS.items() if env.get(var)})
    try:
        return Settings(**values)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in err["loc"]) for err in exc.errors())
        raise SettingsError(f"These settings have values that cannot be used: {fields}. "
                            "Check their spelling and type in the environment or secrets.toml.") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once; restart the app after changing them)."""
    return load_settings(secrets_file=SECRETS_FILE)  # looked up now, so a test can point it elsewhere
