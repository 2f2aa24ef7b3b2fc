"""The odd behaviours of the loopback stand-in (``devtools/fake_openai.py``), each with what a learner must be
told: the sentence (``{s}`` stands for the service), the error kind, how many requests the server sees,
whether the request was billed and whether anything is charged. Shared by the engine's tests and the page's.
"""

from dataclasses import dataclass

SERVICE = {"azure-classic": "Azure OpenAI", "azure-v1": "Azure OpenAI", "openai": "OpenAI"}
ROUTES = tuple(SERVICE)
#: The click deadline the cases are written for (``GENLAB_REQUEST_TIMEOUT_S`` in the page's tests).
DEADLINE_S = 1.5
MAYBE = "It may have been billed: the request was sent, and no usage came back to say."
BILLED = "The service reported usage, so it was billed."
STREAM_KEPT = " The 2 rough previews that arrived are shown, labelled as partial."


@dataclass(frozen=True)
class Case:
    """One odd behaviour: the sentence (``{s}`` is the service), the kind, requests seen, billing."""

    trigger: str
    kind: str
    sentence: str
    requests: int = 1
    billed: str = "maybe"
    partial_images: int = 0
    charged: bool = False
    retry_after_s: float | None = None


def _deadline(how: str, kept: str = "") -> str:
    return (f"{{s}} {how} after 1.5 seconds, the time allowed for one click, so the app stopped waiting. It may "
            f"still make the image and bill it.{kept} High-quality images can take minutes: choose a lower "
            "quality, or ask whoever runs the app to allow longer (GENLAB_REQUEST_TIMEOUT_S).")


CASES = [
    Case("trigger:silent", "deadline", _deadline("did not answer")),
    Case("trigger:trickle", "deadline", _deadline("started answering but had not finished")),
    Case("trigger:html200", "html_answer", "{s} answered with a web page (HTML) instead of images. A proxy, a "
         "Wi-Fi sign-in page or a wrong endpoint answered in its place: open a web page to check the network, "
         f"then check the endpoint setting and try again. {MAYBE}"),
    Case("trigger:wrong_type", "wrong_content_type", "{s} answered with 'application/octet-stream' content "
         "instead of JSON, so it could not be read as images. Something between this app and the service may be "
         f"rewriting answers; try again, and check the endpoint setting. {MAYBE}"),
    Case("trigger:not_json", "unreadable_answer", "{s} answered with text that is not valid JSON (it may have "
         f"been cut short), so no image could be read. Try again. {MAYBE}"),
    Case("trigger:bad_base64", "bad_image", "{s} answered, but its image was not valid base64, so nothing can "
         f"be shown. Try again. {MAYBE}"),
    Case("trigger:truncated_png", "bad_image", "{s} answered, but its image was not a complete image (its bytes "
         f"do not decode), so nothing can be shown. Try again. {BILLED}", billed="yes", charged=True),
    Case("trigger:not_image", "bad_image", "{s} answered, but its image was not a complete image (its bytes do "
         f"not decode), so nothing can be shown. Try again. {MAYBE}"),
    Case("trigger:empty_data", "no_images", "{s} answered 'OK' with an empty list of images. Nothing was made; "
         f"try again, perhaps with a different prompt. {MAYBE}"),
    Case("trigger:null_data", "no_images", "{s} answered 'OK' but its answer had no images in it (no 'data'). "
         f"Nothing was made; try again. {MAYBE}"),
    Case("trigger:missing_data", "no_images", "{s} answered 'OK' but its answer had no images in it (no "
         f"'data'). Nothing was made; try again. {MAYBE}"),
    Case("trigger:null_entries", "bad_image", "{s} answered, but its image was empty (null), so nothing can be "
         f"shown. Try again. {MAYBE}"),
    Case("trigger:huge", "too_big", "{s} sent more than 25 MB, far more than 1 image can take, so the app "
         "stopped reading. Something between this app and the service may be misbehaving; try again later. "
         f"{MAYBE}"),
    Case("trigger:stream_cut", "stream_cut", "The stream from {s} stopped in the middle of a message after 2 "
         f"previews, so the finished image never arrived.{STREAM_KEPT} Try again, or turn off partial previews. "
         f"{MAYBE}", partial_images=2),
    Case("trigger:stream_incomplete", "stream_incomplete", f"{{s}}'s stream ended without the finished image."
         f"{STREAM_KEPT} Try again, or turn off partial previews. {MAYBE}", partial_images=2),
    Case("trigger:stream_reset", "stream_dropped", "The connection to {s} dropped while the image was being "
         f"streamed after 2 previews, before the finished image arrived.{STREAM_KEPT} Try again; this was not a "
         f"wrong endpoint, since the service had started answering. {MAYBE}", partial_images=2),
    Case("trigger:stream_error", "stream", "{s} stopped the image stream with an error: The server had an error "
         "while processing your request. The finished image did not arrive; it may have been billed, because the "
         f"request reached the service.{STREAM_KEPT} Try again, or turn off partial previews.", partial_images=2),
    Case("trigger:429long", "rate_limit", "{s} is limiting how fast this key can make images (429). Wait 90 "
         "seconds and try again.", billed="no", retry_after_s=90.0),
    Case("trigger:502empty", "server", "A gateway in front of {s} failed (502) without saying why, so the request "
         "did not reach the service and was not billed. Try again in a moment.", requests=2, billed="no"),
]
QUOTA = {
    "azure": "Azure OpenAI says this resource's quota is used up (429): this is about the subscription's quota or "
             "billing, not speed, so waiting a minute will not help. Nothing was billed for this request. Whoever "
             "owns the resource can check its quota in the Azure AI Foundry portal.",
    "openai": "OpenAI says this account has no credit left or has reached its spending limit (429, "
              "insufficient_quota): this is billing, not speed, so waiting will not help. Nothing was billed for "
              "this request. Whoever owns the account can add credit or raise the limit on platform.openai.com, "
              "Settings, Billing.",
}
FORBIDDEN = {
    "azure": "Azure OpenAI refused the request (403): this key is not allowed to use deployment 'img15' (a "
             "permission problem, not a wrong key). It said: Principal does not have access to API/Operation. Ask "
             "the owner of the resource for the 'Cognitive Services OpenAI User' role (Azure portal, the resource, "
             "Access control (IAM)).",
    "openai": "OpenAI refused the request (403): this key's organization or project is not allowed to use "
              "'gpt-image-1.5' (a permission problem, not a wrong key). It said: Your organization must be "
              "verified to use the model `gpt-image-1.5`. Please go to: "
              "https://platform.openai.com/settings/organization/general and click on Verify Organization. Check "
              "the organization's verification and the project's model access on platform.openai.com.",
}
