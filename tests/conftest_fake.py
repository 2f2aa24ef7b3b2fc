"""The ``fake_openai`` fixture: a fresh loopback stand-in for the image endpoints, per test.

Registered with ``pytest_plugins = ["tests.conftest_fake"]`` (kept apart from ``tests/fake_openai.py`` so
tests can import that module's constants without pytest warning that a plugin was imported early).
"""

from collections.abc import Iterator

import pytest

from tests.fake_openai import FakeOpenAI


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A stand-in server on 127.0.0.1 (``.url``; ``.requests`` starts empty), stopped after the test."""
    with FakeOpenAI() as server:
        yield server
