"""The ``fake_openai`` fixture: a fresh loopback stand-in for the image (and chat) endpoints, per test;
``vision_settings``: settings whose vision deployment is on that stand-in.

Registered once, in ``tests/conftest.py``, with ``pytest_plugins = ["tests.conftest_fake"]`` (kept apart
from ``devtools/fake_openai.py`` so tests can import that module's constants without pytest warning that a
plugin was imported early).
"""

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from devtools.fake_openai import API_VERSION, AZURE_KEY, VISION_DEPLOYMENT, FakeOpenAI
from genlab.settings import Settings


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A stand-in server on 127.0.0.1 (``.url``; ``.requests`` starts empty), stopped after the test."""
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def vision_settings(fake_openai: FakeOpenAI) -> Settings:
    """Settings for an Azure OpenAI multimodal chat deployment on the stand-in (key auth, classic route)."""
    return Settings(azure_endpoint=fake_openai.url, azure_api_key=SecretStr(AZURE_KEY),
                    azure_api_version=API_VERSION, azure_vision_deployment=VISION_DEPLOYMENT)
