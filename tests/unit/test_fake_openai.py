"""The stand-in speaks the protocol the real SDK expects: routes, auth, multipart, SSE, error shapes.

These drive the raw ``openai`` SDK (no genlab code), so a failure here is the fake's, not ours.
"""

import base64

import openai
import pytest

from devtools.fake_openai import (
    API_VERSION,
    AZURE_KEY,
    BLOCKED_KEY,
    ENTRA_TOKEN,
    OPENAI_KEY,
    FakeOpenAI,
    fake_image,
    png_bytes,
)


def azure(fake: FakeOpenAI, **kwargs) -> openai.AzureOpenAI:
    kwargs.setdefault("api_key", AZURE_KEY)
    return openai.AzureOpenAI(azure_endpoint=fake.url, api_version=kwargs.pop("api_version", API_VERSION),
                              max_retries=0, **kwargs)


def test_classic_route_carries_deployment_api_version_and_key(fake_openai: FakeOpenAI) -> None:
    client = azure(fake_openai)
    response = client.images.generate(model="img15", prompt="a fox", size="1536x1024", quality="low")
    seen = fake_openai.requests[-1]
    assert seen.path == "/openai/deployments/img15/images/generations"
    assert seen.query == {"api-version": API_VERSION} and seen.headers["api-key"] == AZURE_KEY
    assert base64.b64decode(response.data[0].b64_json) == fake_image("1536x1024", "png", "a fox#0")
    assert response.usage.output_tokens == 400 and response.size == "1536x1024"
    assert response.data[0].model_extra["content_filter_results"]["violence"]["severity"] == "safe"


def test_v1_and_openai_routes_use_bearer_and_the_model_field(fake_openai: FakeOpenAI) -> None:
    v1 = openai.OpenAI(base_url=f"{fake_openai.url}/openai/v1/", api_key=lambda: ENTRA_TOKEN, max_retries=0)
    v1.images.generate(model="img-mini", prompt="a fox")
    assert fake_openai.requests[-1].path == "/openai/v1/images/generations"
    assert fake_openai.requests[-1].headers["authorization"] == f"Bearer {ENTRA_TOKEN}"
    plain = openai.OpenAI(base_url=f"{fake_openai.url}/v1", api_key=OPENAI_KEY, max_retries=0)
    plain.images.generate(model="gpt-image-1.5", prompt="a fox")
    assert fake_openai.requests[-1].path == "/v1/images/generations"
    assert fake_openai.requests[-1].json["model"] == "gpt-image-1.5"


def test_multipart_edit_is_parsed(fake_openai: FakeOpenAI) -> None:
    image, mask = png_bytes(64, 64), png_bytes(64, 64, transparent_box=(0, 0, 32, 32))
    azure(fake_openai).images.edit(model="img15", prompt="a hat", image=[("a.png", image, "image/png"),
                                                                        ("b.png", image, "image/png")],
                                   mask=("mask.png", mask, "image/png"))
    seen = fake_openai.requests[-1]
    assert [(name, filename) for name, filename, _, _ in seen.files] == [
        ("image[]", "a.png"), ("image[]", "b.png"), ("mask", "mask.png")]
    assert seen.files[2][3] == mask and seen.fields["prompt"] == "a hat"


def test_mask_of_another_size_is_refused(fake_openai: FakeOpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as err:
        azure(fake_openai).images.edit(model="img15", prompt="a hat", image=("a.png", png_bytes(64, 64)),
                                       mask=("m.png", png_bytes(32, 32, transparent_box=(0, 0, 8, 8))))
    assert err.value.param == "mask"


def test_stream_sends_partial_then_completed_events(fake_openai: FakeOpenAI) -> None:
    stream = azure(fake_openai).images.generate(model="img15", prompt="a fox", partial_images=2, stream=True)
    events = list(stream)
    assert [e.type for e in events] == ["image_generation.partial_image"] * 2 + ["image_generation.completed"]
    assert [e.partial_image_index for e in events[:2]] == [0, 1]
    assert events[-1].usage.output_tokens == 4160  # Azure's default quality is high


@pytest.mark.parametrize(("prompt", "exception", "code"), [
    ("trigger:content_filter_prompt", openai.BadRequestError, "content_policy_violation"),
    ("trigger:content_filter_output", openai.BadRequestError, "contentFilter"),
    ("trigger:moderation_blocked", openai.BadRequestError, "moderation_blocked"),
    ("trigger:invalid_value", openai.BadRequestError, "invalid_value"),
    ("trigger:429", openai.RateLimitError, "429"),
    ("trigger:500", openai.InternalServerError, "InternalServerError"),
])
def test_triggers_raise_the_sdk_exception_for_their_status(fake_openai: FakeOpenAI, prompt: str,
                                                           exception: type, code: str) -> None:
    with pytest.raises(exception) as err:
        azure(fake_openai).images.generate(model="img15", prompt=prompt)
    assert err.value.code == code


def test_credentials_and_names_fail_like_the_service(fake_openai: FakeOpenAI) -> None:
    with pytest.raises(openai.AuthenticationError):
        azure(fake_openai, api_key="not-the-key").images.generate(model="img15", prompt="x")
    with pytest.raises(openai.PermissionDeniedError):
        azure(fake_openai, api_key=BLOCKED_KEY).images.generate(model="img15", prompt="x")
    with pytest.raises(openai.NotFoundError) as err:
        azure(fake_openai).images.generate(model="nope", prompt="x")
    assert err.value.code == "DeploymentNotFound"
    with pytest.raises(openai.NotFoundError) as err:
        azure(fake_openai, api_version="2001-01-01").images.generate(model="img15", prompt="x")
    assert err.value.code == "404"


def test_a_closed_port_refuses_the_connection(fake_openai: FakeOpenAI) -> None:
    client = openai.AzureOpenAI(azure_endpoint=fake_openai.refused_url, api_key=AZURE_KEY,
                                api_version=API_VERSION, max_retries=0)
    with pytest.raises(openai.APIConnectionError) as err:
        client.images.generate(model="img15", prompt="x")
    assert not isinstance(err.value, openai.APITimeoutError)
