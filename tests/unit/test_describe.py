"""Describing an image with an Azure OpenAI multimodal deployment: the real openai SDK against the stand-in."""

import base64
import io
import json
from typing import Any

import azure.identity
import pytest
from PIL import Image, ImageDraw
from pydantic import SecretStr

from devtools.fake_openai import API_VERSION, AZURE_KEY, ENTRA_TOKEN, VISION_DEPLOYMENT, FakeOpenAI
from genlab.settings import Settings
from genlab.vision.describe import DEFAULT_PROMPT, describe_image, vision_configured


def red_circle() -> bytes:
    picture = Image.new("RGB", (256, 256), (255, 255, 255))
    ImageDraw.Draw(picture).ellipse((88, 88, 168, 168), fill=(200, 30, 30))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def with_(settings: Settings, **changes: Any) -> Settings:
    return settings.model_copy(update=changes)


def test_the_image_goes_as_a_data_url_and_the_sentence_comes_back(fake_openai: FakeOpenAI,
                                                                  vision_settings: Settings) -> None:
    png = red_circle()
    description = describe_image(png, vision_settings)
    assert description.error is None
    assert description.text == "A small red circle in the centre on a white background."
    assert description.request_id == "req_fake_000001" and description.elapsed_s > 0
    assert description.usage is not None and description.usage["total_tokens"] > description.usage["prompt_tokens"]
    seen = fake_openai.requests[-1]
    assert seen.path == f"/openai/deployments/{VISION_DEPLOYMENT}/chat/completions"
    assert seen.query == {"api-version": API_VERSION} and seen.headers["api-key"] == AZURE_KEY
    assert seen.json is not None and seen.json["model"] == VISION_DEPLOYMENT
    [message] = seen.json["messages"]
    text, image = message["content"]
    assert message["role"] == "user" and text == {"type": "text", "text": DEFAULT_PROMPT}
    head, data = image["image_url"]["url"].split(",", 1)
    assert image["type"] == "image_url" and head == "data:image/png;base64" and base64.b64decode(data) == png


def test_a_wrong_key_gets_the_azure_401_sentence(fake_openai: FakeOpenAI, vision_settings: Settings) -> None:
    wrong = "wrong-key-abcdef123456"
    description = describe_image(red_circle(), with_(vision_settings, azure_api_key=SecretStr(wrong)))
    assert description.text is None and description.error is not None
    assert description.error.kind == "auth" and description.error.status == 401
    assert description.error.message == (
        "Azure OpenAI did not accept the key (401). Check that AZURE_OPENAI_API_KEY is a key of the resource "
        "named in AZURE_OPENAI_ENDPOINT (Azure portal, your resource, Keys and Endpoint).")
    assert wrong not in json.dumps([description.error.message, description.error.raw, repr(description)])


def test_an_unknown_deployment_names_the_vision_setting(fake_openai: FakeOpenAI, vision_settings: Settings) -> None:
    description = describe_image(red_circle(), with_(vision_settings, azure_vision_deployment="gpt-4o-typo"))
    assert description.error is not None and description.error.kind == "not_found"
    assert description.error.message == (
        "Azure OpenAI has no deployment named 'gpt-4o-typo' (404). Check AZURE_OPENAI_VISION_DEPLOYMENT: it "
        "must be the name you gave a multimodal chat deployment (such as gpt-4o) in the Microsoft Foundry "
        "portal, which can differ from the model name.")
    assert description.request_id is not None


def test_an_image_deployment_cannot_describe(fake_openai: FakeOpenAI, vision_settings: Settings) -> None:
    description = describe_image(red_circle(), with_(vision_settings, azure_vision_deployment="img15"))
    assert description.error is not None and description.error.kind == "bad_request"
    assert "The chatCompletion operation does not work with the specified model, gpt-image-1.5" in (
        description.error.message)


def test_the_content_filter_says_which_category(fake_openai: FakeOpenAI, vision_settings: Settings) -> None:
    description = describe_image(red_circle(), vision_settings, prompt="Describe it. trigger:content_filter_prompt")
    error = description.error
    assert error is not None and error.kind == "content_filter" and error.status == 400
    assert error.message == ("Azure OpenAI's content filter blocked your prompt as violence (high). No "
                             "description was made; try another image or instruction.")
    assert error.details["categories"] == {"violence": "high"} and error.details["stage"] == "prompt"


def test_a_timeout_is_a_sentence(vision_settings: Settings) -> None:
    description = describe_image(red_circle(), vision_settings, prompt="trigger:timeout", timeout_s=0.3)
    assert description.error is not None and description.error.kind == "timeout"
    assert description.error.message == "Azure OpenAI did not describe the image within 0.3 seconds. Try again " \
                                        "in a moment."


def test_entra_id_tokens_are_used_when_asked_for(fake_openai: FakeOpenAI, vision_settings: Settings,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(azure.identity, "get_bearer_token_provider", lambda credential, scope: lambda: ENTRA_TOKEN)
    settings = with_(vision_settings, azure_api_key=None, azure_use_entra_id=True)
    assert describe_image(red_circle(), settings).error is None
    headers = fake_openai.requests[-1].headers
    assert headers["authorization"] == f"Bearer {ENTRA_TOKEN}" and "api-key" not in headers


def test_nothing_is_sent_without_configuration_or_an_image(fake_openai: FakeOpenAI,
                                                           vision_settings: Settings) -> None:
    unset = describe_image(red_circle(), with_(vision_settings, azure_vision_deployment=None))
    assert unset.error is not None and unset.error.kind == "unavailable"
    assert "AZURE_OPENAI_VISION_DEPLOYMENT" in unset.error.message
    garbage = describe_image(b"not an image at all", vision_settings)
    assert garbage.error is not None and garbage.error.kind == "validation"
    assert fake_openai.requests == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, True),
    ({"azure_vision_deployment": None}, False),
    ({"azure_endpoint": None}, False),
    ({"azure_api_key": None}, False),
    ({"azure_api_key": None, "azure_use_entra_id": True}, True),
])
def test_vision_configured(changes: dict[str, Any], expected: bool) -> None:
    settings = Settings(azure_endpoint="https://res.openai.azure.com", azure_api_key=SecretStr(AZURE_KEY),
                        azure_vision_deployment="gpt-4o")
    assert vision_configured(with_(settings, **changes)) is expected
