"""The remote backends through the real openai SDK against the loopback stand-in, plus validation,
prices, error sentences, secret scrubbing and the "view code" panel."""

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import ClientAuthenticationError
from pydantic import SecretStr

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
from genlab.backends import BackendUnavailable, available_backends, get_backend, safety
from genlab.backends import local as local_module
from genlab.backends.code import code_samples
from genlab.backends.errors import REDACTED, Scrubber
from genlab.backends.limits import validate
from genlab.backends.prices import PRICES_AS_OF, actual, estimate
from genlab.backends.remote import AzureBackend, OpenAIBackend, RemoteBackend
from genlab.backends.types import ImageRequest
from genlab.settings import Settings

FLAVORS = ("azure-classic", "azure-v1", "openai")
PATHS = {"azure-classic": "/openai/deployments/img15/images/", "azure-v1": "/openai/v1/images/",
         "openai": "/v1/images/"}
SECRETS = (AZURE_KEY, OPENAI_KEY, ENTRA_TOKEN, BLOCKED_KEY)


def make(fake: FakeOpenAI, flavor: str, *, key: str | None = None, deployment: str = "img15",
         url: str | None = None, **kwargs: Any) -> RemoteBackend:
    """A backend of ``flavor`` pointed at the stand-in, failing fast (no retries, short timeout)."""
    kwargs = {"max_retries": 0, "timeout_s": 5.0, **kwargs}
    base = url or fake.url
    if flavor == "openai":
        return OpenAIBackend(key or OPENAI_KEY, "gpt-image-1.5", base_url=f"{base}/v1", **kwargs)
    if "token_provider" not in kwargs:
        kwargs["api_key"] = key or AZURE_KEY
    return AzureBackend(base, deployment, route=flavor.removeprefix("azure-"), **kwargs)


def no_secrets(*values: Any) -> bool:
    text = " ".join(json.dumps(v, default=repr) if not isinstance(v, str) else v for v in values)
    return not any(secret in text for secret in SECRETS)


# --- generate, edit, stream ------------------------------------------------------------------------------


@pytest.mark.parametrize("flavor", FLAVORS)
def test_generate_returns_the_original_bytes(fake_openai: FakeOpenAI, flavor: str) -> None:
    request = ImageRequest("a red fox", size="1536x1024", quality="low", n=2)
    result = make(fake_openai, flavor).generate(request)
    assert result.ok, result.error
    assert result.images == [fake_image("1536x1024", "png", f"a red fox#{i}") for i in range(2)]
    assert result.mime == "image/png" and result.request_id is not None
    assert result.request_id.startswith("req_fake_")
    assert result.usage is not None and result.usage["output_tokens"] == 800
    assert result.cost is not None and result.cost.basis == "actual" and result.cost.as_of == PRICES_AS_OF
    assert {"total", "network", "decode"} <= set(result.timings)
    seen = fake_openai.requests[-1]
    assert seen.path == PATHS[flavor] + "generations"
    assert seen.json == {"model": result.model, "prompt": "a red fox", "size": "1536x1024", "quality": "low",
                         "n": 2}
    if flavor == "azure-classic":
        assert seen.query == {"api-version": API_VERSION} and seen.headers["api-key"] == AZURE_KEY
    else:
        assert seen.query == {} and seen.headers["authorization"].startswith("Bearer ")


def test_unset_parameters_are_not_sent(fake_openai: FakeOpenAI) -> None:
    result = make(fake_openai, "azure-classic").generate(ImageRequest("a fox"))
    assert fake_openai.requests[-1].json == {"model": "img15", "prompt": "a fox", "n": 1}
    assert result.usage is not None and result.usage["output_tokens"] == 4160  # Azure's default: high


@pytest.mark.parametrize("flavor", FLAVORS)
def test_edit_sends_images_and_mask_as_multipart(fake_openai: FakeOpenAI, flavor: str) -> None:
    image, mask = png_bytes(64, 64), png_bytes(64, 64, transparent_box=(8, 8, 40, 40))
    backend = make(fake_openai, flavor)
    one = backend.edit(ImageRequest("put a hat on it", images=[image], mask=mask, quality="low"))
    assert one.ok, one.error
    seen = fake_openai.requests[-1]
    assert seen.path == PATHS[flavor] + "edits"
    assert [(f[0], f[1], f[2]) for f in seen.files] == [("image", "image_1.png", "image/png"),
                                                        ("mask", "mask.png", "image/png")]
    assert seen.files[0][3] == image and seen.files[1][3] == mask
    assert seen.fields["prompt"] == "put a hat on it" and seen.fields["quality"] == "low"
    two = backend.edit(ImageRequest("put a hat on it", images=[image, image]))
    assert two.ok and [f[0] for f in fake_openai.requests[-1].files] == ["image[]", "image[]"]
    assert two.usage is not None and two.usage["input_tokens_details"]["image_tokens"] == 646


@pytest.mark.parametrize("flavor", FLAVORS)
def test_partial_images_stream_to_the_callback(fake_openai: FakeOpenAI, flavor: str) -> None:
    partials: list[tuple[int, bytes]] = []
    result = make(fake_openai, flavor).generate(ImageRequest("a fox", partial_images=2),
                                                on_partial=lambda i, data: partials.append((i, data)))
    assert result.ok, result.error
    assert [i for i, _ in partials] == [0, 1]
    assert partials[0][1] == fake_image("1024x1024", "png", "a fox#partial0")
    assert result.images == [fake_image("1024x1024", "png", "a fox#0")]
    assert fake_openai.requests[-1].json["stream"] is True
    assert fake_openai.requests[-1].json["partial_images"] == 2
    assert "first_partial" in result.timings and result.cost is not None and result.cost.basis == "actual"


def test_edit_streams_too_and_usage_adds_up_over_images(fake_openai: FakeOpenAI) -> None:
    partials: list[int] = []
    result = make(fake_openai, "azure-classic").edit(
        ImageRequest("a hat", images=[png_bytes(64, 64)], partial_images=1, n=2, quality="low"),
        on_partial=lambda i, _: partials.append(i))
    assert result.ok and partials == [0] and len(result.images) == 2
    assert result.usage is not None and result.usage["output_tokens"] == 2 * 272


def test_a_stream_without_a_callback_still_returns_the_images(fake_openai: FakeOpenAI) -> None:
    result = make(fake_openai, "openai").generate(ImageRequest("a fox", partial_images=3))
    assert result.ok and len(result.images) == 1


@pytest.mark.parametrize("route", ["azure-classic", "azure-v1"])
def test_entra_id_tokens_go_as_bearer_and_are_asked_for_each_request(fake_openai: FakeOpenAI,
                                                                      route: str) -> None:
    calls: list[int] = []

    def provider() -> str:
        calls.append(1)
        return ENTRA_TOKEN

    backend = make(fake_openai, route, token_provider=provider)
    assert backend.generate(ImageRequest("a fox")).ok and backend.generate(ImageRequest("a fox")).ok
    assert fake_openai.requests[-1].headers["authorization"] == f"Bearer {ENTRA_TOKEN}"
    assert "api-key" not in fake_openai.requests[-1].headers and len(calls) >= 2


def test_a_retry_after_one_429_succeeds(fake_openai: FakeOpenAI) -> None:
    result = make(fake_openai, "azure-classic", max_retries=1).generate(ImageRequest("trigger:429once"))
    assert result.ok and len(fake_openai.requests) == 2 and result.requests == 2
    assert result.notes[0].startswith("The first try failed (Azure OpenAI asked to wait 0.1 seconds (429))")


# --- failures, each down to its sentence ------------------------------------------------------------------

CONTENT_PROMPT = ("Azure OpenAI's content filter blocked your prompt as violence (high). No image was made; "
                  "rephrase the prompt and try again.")
CONTENT_OUTPUT = ("Azure OpenAI's content filter blocked the generated image. Your prompt was accepted but "
                  "the picture was not; try again or change the prompt.")

FAILURES: list[tuple[str, str, str, int | None, str]] = [
    ("azure-classic", "trigger:content_filter_prompt", "content_filter", 400, CONTENT_PROMPT),
    ("azure-v1", "trigger:content_filter_output", "content_filter", 400, CONTENT_OUTPUT),
    ("azure-classic", "trigger:content_filter_plain", "content_filter", 400,
     "Azure OpenAI's content filter blocked your prompt. No image was made; rephrase the prompt and try "
     "again."),
    ("openai", "trigger:moderation_blocked", "content_filter", 400,
     "OpenAI's content filter blocked your prompt as violence. No image was made; rephrase the prompt and "
     "try again."),
    ("azure-classic", "trigger:invalid_value", "invalid_value", 400,
     "Azure OpenAI refused the value of size (400): Invalid value: '4096x4096'. Supported values are: "
     "'1024x1024', '1024x1536', '1536x1024', and 'auto'. Change it and try again."),
    ("azure-classic", "trigger:429", "rate_limit", 429,
     "Azure OpenAI is limiting how fast this key can make images (429). Wait 20 seconds and try again."),
    ("openai", "trigger:429", "rate_limit", 429,
     "OpenAI is limiting how fast this key can make images (429). Wait 20 seconds and try again."),
    ("azure-v1", "trigger:500", "server", 500,
     "Azure OpenAI had an internal error (500). It was not caused by your request; try again in a moment."),
]


@pytest.mark.parametrize(("flavor", "prompt", "kind", "status", "sentence"), FAILURES,
                         ids=[f"{f[0]}-{f[1]}" for f in FAILURES])
def test_failures_become_sentences(fake_openai: FakeOpenAI, flavor: str, prompt: str, kind: str,
                                   status: int | None, sentence: str) -> None:
    result = make(fake_openai, flavor).generate(ImageRequest(prompt))
    assert result.error is not None and not result.images and result.cost is None
    assert (result.error.kind, result.error.status, result.error.message) == (kind, status, sentence)
    assert result.request_id is not None  # so a learner can quote it to support
    assert no_secrets(repr(result))


def test_content_filter_details_say_which_category_and_stage(fake_openai: FakeOpenAI) -> None:
    error = make(fake_openai, "azure-classic").generate(ImageRequest("trigger:content_filter_prompt")).error
    assert error is not None
    assert error.details["stage"] == "prompt" and error.details["categories"] == {"violence": "high"}
    assert error.details["content_filter_results"]["hate"] == {"filtered": False, "severity": "safe"}
    assert error.raw["inner_error"]["code"] == "ResponsibleAIPolicyViolation"
    moderated = make(fake_openai, "openai").generate(ImageRequest("trigger:moderation_blocked")).error
    assert moderated is not None and moderated.details["code"] == "moderation_blocked"


def test_an_output_block_in_the_middle_of_a_stream(fake_openai: FakeOpenAI) -> None:
    partials: list[int] = []
    result = make(fake_openai, "azure-classic").generate(
        ImageRequest("trigger:content_filter_output", partial_images=2),
        on_partial=lambda i, _: partials.append(i))
    assert partials == [0, 1] and not result.images
    assert result.error is not None and result.error.kind == "content_filter" and result.error.status is None
    assert result.error.message == CONTENT_OUTPUT and result.error.details["stage"] == "output"


def test_wrong_azure_key(fake_openai: FakeOpenAI) -> None:
    error = make(fake_openai, "azure-classic", key="wrong-key-9876543210").generate(ImageRequest("x")).error
    assert error is not None and (error.kind, error.status) == ("auth", 401)
    assert error.message == ("Azure OpenAI did not accept the key (401). Check that AZURE_OPENAI_API_KEY is "
                             "a key of the resource named in AZURE_OPENAI_ENDPOINT (Azure portal, your "
                             "resource, Keys and Endpoint).")


def test_wrong_openai_key_is_scrubbed_from_the_raw_body(fake_openai: FakeOpenAI) -> None:
    wrong = "sk-wrong-0123456789abcdefXYZW"
    error = make(fake_openai, "openai", key=wrong).generate(ImageRequest("x")).error
    assert error is not None and error.kind == "auth"
    assert error.message == ("OpenAI did not accept the key (401). Check OPENAI_API_KEY: copy a current key "
                             "from platform.openai.com, API keys.")
    # OpenAI quotes the start and end of a wrong key; neither part may reach the page.
    assert error.raw["message"].startswith(f"Incorrect API key provided: {REDACTED}.")
    assert "sk-wro" not in json.dumps(error.raw) and "XYZW" not in json.dumps(error.raw)


def test_entra_token_rejected_and_entra_sign_in_missing(fake_openai: FakeOpenAI) -> None:
    rejected = make(fake_openai, "azure-classic", token_provider=lambda: "stale-token-123456").generate(
        ImageRequest("x")).error
    assert rejected is not None and rejected.message == (
        "Azure OpenAI did not accept your Microsoft Entra ID token (401). Check that you are signed in to "
        "the right tenant ('az login') and that AZURE_OPENAI_ENDPOINT is the resource you have access to.")

    def not_signed_in() -> str:
        raise ClientAuthenticationError("DefaultAzureCredential failed to retrieve a token")

    sent = len(fake_openai.requests)
    missing = make(fake_openai, "azure-v1", token_provider=not_signed_in).generate(ImageRequest("x"))
    assert missing.error is not None and missing.error.kind == "auth" and len(fake_openai.requests) == sent
    assert missing.error.message == (
        "Could not get a Microsoft Entra ID token for Azure OpenAI. Sign in with 'az login' (or give this "
        "app a managed identity), or set AZURE_OPENAI_API_KEY instead.")


def test_blocked_account(fake_openai: FakeOpenAI) -> None:
    error = make(fake_openai, "azure-classic", key=BLOCKED_KEY).generate(ImageRequest("x")).error
    assert error is not None and (error.kind, error.status) == ("forbidden", 403)
    assert error.message == ("Azure OpenAI has blocked this account or resource (403), not because of this "
                             "prompt. Retrying will not help; ask whoever owns the account to check it in "
                             "the portal.")


@pytest.mark.parametrize("route", ["azure-classic", "azure-v1"])
def test_unknown_deployment_names_the_deployment(fake_openai: FakeOpenAI, route: str) -> None:
    error = make(fake_openai, route, deployment="gpt-image-15").generate(ImageRequest("x")).error
    assert error is not None and (error.kind, error.status) == ("not_found", 404)
    assert error.message == (
        "Azure OpenAI has no deployment named 'gpt-image-15' (404). Check AZURE_OPENAI_DEPLOYMENT: it must "
        "be the deployment name you chose in the Microsoft Foundry portal, which can differ from the model "
        "name (such as gpt-image-1.5).")


def test_unknown_api_version_and_unknown_openai_model(fake_openai: FakeOpenAI) -> None:
    error = make(fake_openai, "azure-classic", api_version="2001-01-01").generate(ImageRequest("x")).error
    assert error is not None and error.message == (
        "Azure OpenAI answered 'resource not found' (404) for deployment 'img15'. Check the deployment name "
        "(not the model name), AZURE_OPENAI_ENDPOINT and the api-version (2001-01-01).")
    backend = OpenAIBackend(OPENAI_KEY, "gpt-image-9", base_url=f"{fake_openai.url}/v1", max_retries=0)
    error = backend.generate(ImageRequest("x")).error
    assert error is not None and error.message == (
        "OpenAI has no image model called 'gpt-image-9' that this key can use (404). Check "
        "OPENAI_IMAGE_MODEL, for example gpt-image-1.5.")


def test_timeout(fake_openai: FakeOpenAI) -> None:
    result = make(fake_openai, "azure-classic", timeout_s=0.5).generate(ImageRequest("trigger:timeout"))
    assert result.error is not None and result.error.kind == "deadline"
    assert result.error.message == (
        "Azure OpenAI did not answer after 0.5 seconds, the time allowed for one click, "
        "so the app stopped waiting. It may still make the image and bill it. High-quality images can take "
        "minutes: choose a lower quality, or ask whoever runs the app to allow longer (GENLAB_REQUEST_TIMEOUT_S).")
    assert result.timings["total"] < 1.5 and result.billed == "maybe" and result.cost is None


def test_connection_refused(fake_openai: FakeOpenAI) -> None:
    url = fake_openai.refused_url
    result = make(fake_openai, "azure-v1", url=url, max_retries=1).generate(ImageRequest("x"))
    error = result.error
    host = url.removeprefix("http://")
    assert error is not None and error.kind == "connection" and error.message == (
        f"Could not connect to Azure OpenAI at {host}, so nothing was sent or billed. Check the endpoint "
        "(AZURE_OPENAI_ENDPOINT) and your network connection, then try again.")
    assert result.requests == 2 and result.billed == "no"  # refused is safe to try once more


def test_keys_echoed_by_a_proxy_are_scrubbed(fake_openai: FakeOpenAI) -> None:
    for backend in (make(fake_openai, "azure-classic"), make(fake_openai, "azure-v1"),
                    make(fake_openai, "azure-v1", token_provider=lambda: ENTRA_TOKEN)):
        result = backend.generate(ImageRequest("trigger:echo"))
        assert result.error is not None and result.error.status == 502
        assert AZURE_KEY in json.dumps(fake_openai.requests[-1].headers) or ENTRA_TOKEN in json.dumps(
            fake_openai.requests[-1].headers)  # the proxy really did echo a secret...
        assert no_secrets(result.error.raw, result.error.message, repr(result))  # ...and none survived
    assert result.error.raw["request_headers"]["authorization"] == REDACTED


def test_scrubber_removes_keys_tokens_and_header_values() -> None:
    scrub = Scrubber([AZURE_KEY, None, "short"])
    body = {"message": f"bad key {AZURE_KEY}; Authorization: Bearer abc.def-ghi", "api-key": "anything",
            "nested": [{"note": "api_key=hunter2hunter2"}, "sk-proj-abcdef123456 was used"], "n": 3}
    assert scrub(body) == {"message": f"bad key {REDACTED}; Authorization: {REDACTED}", "api-key": REDACTED,
                           "nested": [{"note": f"api_key={REDACTED}"}, f"{REDACTED} was used"], "n": 3}
    assert AZURE_KEY not in repr(scrub) and scrub.text("short words stay") == "short words stay"


def test_validation_refusals_send_nothing(fake_openai: FakeOpenAI) -> None:
    result = make(fake_openai, "azure-classic").generate(ImageRequest("", output_format="webp", seed=3))
    assert result.error is not None and result.error.kind == "validation" and fake_openai.requests == []
    assert result.error.details["refusals"] == [
        "Type a prompt: the service needs a description of the image to make.",
        "Azure OpenAI does not support WEBP output; choose png or jpeg.",
        "GPT image models have no seed, so the same prompt gives a different image each time; clear the "
        "seed, or use the local model to see how a seed makes results repeatable.",
    ]
    assert result.error.message == " ".join(result.error.details["refusals"])


def test_generate_and_edit_must_match_the_request(fake_openai: FakeOpenAI) -> None:
    backend = make(fake_openai, "openai")
    error = backend.edit(ImageRequest("a hat")).error
    assert error is not None
    assert error.message == "Add the image to edit (PNG, JPEG or WEBP) before choosing Edit."
    error = backend.generate(ImageRequest("a hat", images=[png_bytes(8, 8)])).error
    assert error is not None and error.message == (
        "This request has an image to edit; choose Edit, or remove the image to make a new picture.")


# --- validation -------------------------------------------------------------------------------------------

IMAGE = png_bytes(64, 64)
MASK = png_bytes(64, 64, transparent_box=(0, 0, 16, 16))
SMALL_MASK = png_bytes(32, 32, transparent_box=(0, 0, 4, 4))
OPAQUE_RGBA = png_bytes(64, 64, transparent_box=(0, 0, 0, 0))  # has alpha, but no transparent pixel
CASES: list[tuple[str, str, ImageRequest, list[str]]] = [
    ("azure", "img15", ImageRequest("a fox", size="1024x1024", quality="low", n=10, output_format="jpeg"),
     []),
    ("openai", "gpt-image-1.5", ImageRequest("a fox", size="auto", quality="auto", output_format="webp",
                                             background="transparent", partial_images=3), []),
    ("azure", "img15", ImageRequest("a fox", size="auto"),
     ["Azure OpenAI cannot make auto images with img15; choose 1024x1024, 1536x1024 or 1024x1536."]),
    ("azure", "img15", ImageRequest("a fox", quality="hd", n=11),
     ["'hd' is not a quality Azure OpenAI offers for img15; choose low, medium or high.",
      "Ask for between 1 and 10 images at a time (you asked for 11)."]),
    ("openai", "gpt-image-1.5", ImageRequest("a fox", output_format="gif"),
     ["OpenAI cannot return gif images; choose png, jpeg or webp."]),
    ("openai", "gpt-image-1.5", ImageRequest("a fox", output_format="jpeg", background="transparent"),
     ["A transparent background needs png or webp output, because jpeg has no transparency; change the "
      "format or the background."]),
    ("azure", "img15", ImageRequest("a fox", output_format="jpeg", background="transparent"),
     ["A transparent background needs png output, because jpeg has no transparency; change the format or the "
      "background."]),
    ("openai", "gpt-image-1.5", ImageRequest("x" * 32_001),
     ["The prompt is 32,001 characters long and the limit is 32,000; shorten it."]),
    ("openai", "gpt-image-1.5", ImageRequest("a fox", steps=20, partial_images=4),
     ["Ask for between 0 and 3 partial images.",
      "Steps and guidance are settings of the local diffusion model; GPT image models do not expose them, so "
      "clear them for this backend."]),
    ("openai", "gpt-image-1", ImageRequest("a fox"),
     ["OpenAI shut down gpt-image-1 on October 23, 2026; choose gpt-image-1.5 or gpt-image-1-mini instead."]),
    ("azure", "img15", ImageRequest("a hat", images=[IMAGE], mask=MASK), []),
    ("azure", "img15", ImageRequest("a hat", mask=MASK),
     ["A mask needs an image to edit; add the image first."]),
    ("azure", "img15", ImageRequest("a hat", images=[b"not an image"]),
     ["The image could not be read as a picture; it may be damaged, so open and save it again, or choose "
      "another file."]),
    ("azure", "img15", ImageRequest("a hat", images=[IMAGE] * 17),
     ["Azure OpenAI edits at most 16 images at a time; you gave 17."]),
    ("azure", "img15", ImageRequest("a hat", images=[IMAGE], mask=SMALL_MASK),
     ["The mask is 32x32 but the image is 64x64; they must be the same size."]),
    ("azure", "img15", ImageRequest("a hat", images=[IMAGE], mask=png_bytes(64, 64)),
     ["The mask has no transparency: make the area to change fully transparent and save it as a PNG with an "
      "alpha channel."]),
    ("azure", "img15", ImageRequest("a hat", images=[IMAGE], mask=OPAQUE_RGBA),
     ["The mask has no fully transparent pixels, so nothing would change; erase the area to re-imagine (make "
      "it transparent) and try again."]),
    ("local", "local", ImageRequest("a red circle", seed=1, steps=10, guidance=3.0, n=8), []),
    ("local", "local", ImageRequest("", size="1024x1024", quality="high", background="opaque", n=9),
     ["The local model only makes 64x64 images (the page enlarges them for display); leave the size at "
      "64x64.",
      "The local model has no quality setting; use steps and guidance instead.",
      "Ask for between 1 and 8 images at a time (you asked for 9).",
      "The local model has no background setting; describe the background in the prompt instead (for example "
      "'on a blue background')."]),
    ("local", "local", ImageRequest("a circle", steps=0, guidance=25.0, seed=-1),
     ["Choose between 1 and 100 steps (you chose 0).",
      "Choose a guidance scale between 0 and 20 (you chose 25).",
      "The seed must be a whole number between 0 and 4,294,967,295."]),
]


@pytest.mark.parametrize(("backend", "model", "request_", "expected"), CASES)
def test_validate(backend: str, model: str, request_: ImageRequest, expected: list[str]) -> None:
    assert validate(request_, backend, model) == expected


def test_input_format_and_size_limits() -> None:
    import io

    from PIL import Image

    webp = io.BytesIO()
    Image.new("RGB", (8, 8)).save(webp, format="WEBP")
    request = ImageRequest("a hat", images=[webp.getvalue()])
    assert validate(request, "azure", "img15") == [
        "The image is a WEBP file; Azure OpenAI accepts PNG or JPEG, so convert it first."]
    assert validate(request, "openai", "gpt-image-1.5") == []
    big = IMAGE + b"\0" * (50 * 1024 * 1024)  # trailing bytes: still a readable PNG, but over the limit
    assert validate(ImageRequest("a hat", images=[big]), "openai", "gpt-image-1.5") == [
        "The image is 50.0 MB; each image must be under 50 MB."]


# --- prices -----------------------------------------------------------------------------------------------


def test_estimate_and_actual_are_labelled_with_the_price_table_date() -> None:
    cheap = estimate(ImageRequest("a" * 4, size="1024x1024", quality="low", n=2), "gpt-image-1.5")
    assert cheap.usd == pytest.approx(2 * 0.009 + 1 * 5 / 1e6) and cheap.basis == "estimate"
    assert cheap.label == ("About $0.0180 (estimate; OpenAI list prices gathered 2026-11-22; Azure may "
                           "differ).")
    # Azure's default quality is high; "auto" is priced as the dearest size.
    assert estimate(ImageRequest("a"), "img15", "azure").usd == pytest.approx(0.133 + 5 / 4e6)
    assert estimate(ImageRequest("a", size="auto"), "gpt-image-1-mini", "openai").usd == pytest.approx(
        0.052 + 2 / 4e6)
    mini = estimate(ImageRequest("a", quality="low"), "img-mini", "azure")
    assert mini.usd == pytest.approx(0.005 + 2 / 4e6)
    guessed = estimate(ImageRequest("a", quality="low", size="1024x1024"), "my-images", "azure")
    assert guessed.usd == pytest.approx(0.011 + 5 / 4e6)
    assert "'my-images' is priced as gpt-image-1, the dearest, as its name does not say" in guessed.label
    assert "plus the input images" in estimate(ImageRequest("a", images=[IMAGE]), "gpt-image-1.5").label
    free = estimate(ImageRequest("a"), "genlab-toy-diffusion", "local")
    assert (free.usd, free.basis, free.label) == (0.0, "free", "Free, on your CPU.")

    usage = {"input_tokens": 40, "input_tokens_details": {"text_tokens": 10, "image_tokens": 30},
             "output_tokens": 4160, "total_tokens": 4200}
    cost = actual(usage, "gpt-image-1.5")
    assert cost is not None and cost.usd == pytest.approx((10 * 5 + 30 * 8 + 4160 * 32) / 1e6)
    assert cost.label == ("$0.1334 for 40 input and 4,160 output tokens (OpenAI list prices gathered "
                          "2026-11-22; Azure may differ).")
    assert actual(None, "gpt-image-1.5") is None


# --- view code --------------------------------------------------------------------------------------------

KEYED = Settings(azure_endpoint="https://res.openai.azure.com/", azure_api_key=SecretStr(AZURE_KEY),
                 azure_deployment="img15", openai_api_key=SecretStr(OPENAI_KEY))
CODE_REQUESTS = [
    ImageRequest('a "red" fox\'s den', size="1024x1024", quality="low"),
    ImageRequest("a fox", n=3, output_format="jpeg"),
    ImageRequest("@a fox", partial_images=2),
    ImageRequest("put a hat on it", images=[IMAGE], mask=MASK),
    ImageRequest("merge them", images=[IMAGE, IMAGE], quality="medium"),
    ImageRequest(f"leaked {AZURE_KEY} and {OPENAI_KEY}"),
]


@pytest.mark.parametrize("entra", [False, True])
@pytest.mark.parametrize("request_", CODE_REQUESTS)
@pytest.mark.parametrize("backend", ["azure", "openai", "local"])
def test_code_panel_is_valid_and_never_holds_a_key(backend: str, request_: ImageRequest, entra: bool) -> None:
    settings = KEYED.model_copy(update={"azure_use_entra_id": entra})
    samples = code_samples(request_, settings, backend)
    assert samples
    for sample in samples:
        assert no_secrets(sample.code), sample.title
        if sample.language == "python":
            compile(sample.code, sample.title, "exec")
        else:
            subprocess.run(["bash", "-n"], input=sample.code, text=True, check=True)


def test_azure_code_is_prefilled_from_settings() -> None:
    classic, v1, curl, curl_v1 = code_samples(ImageRequest("a fox", quality="low"), KEYED, "azure")
    assert 'azure_endpoint="https://res.openai.azure.com"' in classic.code
    assert 'api_key=os.environ["AZURE_OPENAI_API_KEY"]' in classic.code
    assert f'api_version="{KEYED.azure_api_version}"' in classic.code and 'model="img15"' in classic.code
    assert 'base_url="https://res.openai.azure.com/openai/v1/"' in v1.code
    assert (f'"https://res.openai.azure.com/openai/deployments/img15/images/generations?api-version='
            f'{KEYED.azure_api_version}"') in curl.code
    assert '-H "api-key: $AZURE_OPENAI_API_KEY"' in curl.code
    assert '-H "Authorization: Bearer $AZURE_OPENAI_API_KEY"' in curl_v1.code
    assert '"model": "img15"' in curl_v1.code
    entra_settings = KEYED.model_copy(update={"azure_use_entra_id": True})
    entra = code_samples(ImageRequest("a fox"), entra_settings, "azure")
    assert "azure_ad_token_provider=token_provider" in entra[0].code
    assert "api_key=token_provider" in entra[1].code
    assert "az account get-access-token" in entra[2].code


def run_sample(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    exec(compile(code, "sample", "exec"), {"__name__": "sample"})


@pytest.mark.parametrize("which", [0, 1])
def test_the_azure_python_samples_really_work(fake_openai: FakeOpenAI, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch, which: int) -> None:
    settings = Settings(azure_endpoint=fake_openai.url, azure_deployment="img15",
                        azure_api_key=SecretStr(AZURE_KEY))
    request = ImageRequest("a fox", size="1024x1536", quality="low", n=2)
    run_sample(code_samples(request, settings, "azure")[which].code, tmp_path, monkeypatch,
               {"AZURE_OPENAI_API_KEY": AZURE_KEY})
    assert (tmp_path / "image_2.png").read_bytes() == fake_image("1024x1536", "png", "a fox#1")


def test_the_openai_streaming_sample_really_works(fake_openai: FakeOpenAI, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(openai_api_key=SecretStr(OPENAI_KEY), openai_base_url=f"{fake_openai.url}/v1")
    request = ImageRequest("a fox", partial_images=1)
    run_sample(code_samples(request, settings, "openai")[0].code, tmp_path, monkeypatch,
               {"OPENAI_API_KEY": OPENAI_KEY})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["image_1.png", "partial_0.png"]


# --- choosing a backend -----------------------------------------------------------------------------------


def test_get_backend_and_availability(tmp_path: Path) -> None:
    offline = Settings(data_dir=tmp_path)
    menu = available_backends(offline)
    assert list(menu) == ["local", "azure", "openai"] and not menu["azure"] and not menu["openai"]
    assert menu["azure"].reason == (
        "Azure OpenAI is not configured: set AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_DEPLOYMENT and "
        "AZURE_OPENAI_API_KEY (or AZURE_OPENAI_USE_ENTRA_ID=true) to use it.")
    with pytest.raises(BackendUnavailable, match="set OPENAI_API_KEY"):
        get_backend("openai", offline)
    with pytest.raises(BackendUnavailable, match="There is no backend called 'dall-e'"):
        get_backend("dall-e", offline)
    azure = get_backend("azure", KEYED, azure_route="v1", timeout_s=9)
    assert isinstance(azure, AzureBackend) and azure.route == "v1" and azure.model == "img15"
    assert isinstance(get_backend("openai", KEYED), OpenAIBackend)
    assert available_backends(KEYED)["azure"].reason == "Azure OpenAI deployment 'img15' is configured."


def test_entra_settings_build_a_token_provider() -> None:
    settings = Settings(azure_endpoint="https://res.openai.azure.com", azure_deployment="img15",
                        azure_use_entra_id=True)
    backend = get_backend("azure", settings)
    assert isinstance(backend, AzureBackend)
    assert backend.client._azure_ad_token_provider is not None  # type: ignore[attr-defined]


# --- the local backend's parts that need no model ----------------------------------------------------------


def test_the_local_word_list_rates_like_azure() -> None:
    rating = safety.rate("A KNIFE fight, then a massacre")
    assert rating.severities == {"hate": "safe", "sexual": "safe", "violence": "high", "self_harm": "safe"}
    assert rating.matched == {"violence": ["knife", "fight", "massacre"]}
    assert rating.content_filter_results()["violence"] == {"filtered": True, "severity": "high"}
    assert rating.content_filter_results()["hate"] == {"filtered": False, "severity": "safe"}
    assert safety.check("a red circle on a blue background") == (None, [])
    blocked, notes = safety.check("I want to hurt myself")
    assert blocked is not None and notes == [] and blocked.details["categories"] == {"self_harm": "medium"}
    assert blocked.message == ("The local model's content filter blocked your prompt as self-harm (medium). "
                               "No image was made; rephrase the prompt and try again.")


def test_local_backend_without_the_model_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_module, "_pipeline", lambda: None)
    backend = local_module.LocalBackend()
    assert not backend.available() and backend.available().reason == local_module.UNAVAILABLE
    result = backend.generate(ImageRequest("a red circle"))
    assert result.error is not None and result.error.kind == "unavailable" and result.cost is None
    assert result.error.message == (
        "The local model is not installed in this copy of the app (genlab.diffusion.pipeline could not be "
        "loaded), so use Azure OpenAI or OpenAI, or ask whoever runs the app to check the installation.")


def test_one_service_name_map_for_the_engine_and_the_studio() -> None:
    from genlab import studio
    from genlab.backends.limits import SERVICE_NAMES, service_name

    assert studio.SERVICE is SERVICE_NAMES and set(studio.LABELS) == set(SERVICE_NAMES)
    assert service_name("local") == "the local model" and service_name("local", start=True) == "The local model"
    assert service_name("azure", start=True) == "Azure OpenAI"
