""""View code": the Python and cURL that make the same request the studio is about to make.

Like the Microsoft Foundry images playground, the samples are prefilled from the current request and
settings (endpoint, deployment, api-version, every parameter the learner set), so a learner can copy
them into a notebook and get the same call. The key is never written into them: they read
``AZURE_OPENAI_API_KEY`` / ``OPENAI_API_KEY`` from the environment, as Microsoft's samples do, and any
configured secret that somehow appears (pasted into a prompt, say) is removed as a last guard.
"""

import json
import shlex
from dataclasses import dataclass
from typing import Any

from genlab.backends.errors import REDACTED
from genlab.backends.masks import CHANGE_BELOW
from genlab.backends.types import ENTRA_SCOPE, ImageRequest
from genlab.diffusion import RESOLUTION
from genlab.settings import Settings

PLACEHOLDER_ENDPOINT = "https://YOUR-RESOURCE.openai.azure.com"
PLACEHOLDER_DEPLOYMENT = "YOUR-DEPLOYMENT"
OPENAI_BASE_URL = "https://api.openai.com/v1"
OPENAI_CURL_AUTH = "Authorization: Bearer $OPENAI_API_KEY"
ENTRA_CURL_TOKEN = ("$(az account get-access-token --resource https://cognitiveservices.azure.com "
                    "--query accessToken -o tsv)")

_OPTIONAL = ("size", "quality", "output_format", "background")


@dataclass(frozen=True)
class CodeSample:
    """One tab of the code panel."""

    title: str
    language: str  # "python" or "bash", for syntax highlighting
    code: str


def _literal(value: Any) -> str:
    """A Python literal for a parameter value (JSON strings are valid Python strings, and read well)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _ext(request: ImageRequest) -> str:
    return {"jpeg": "jpg"}.get(request.output_format or "png", request.output_format or "png")


def _input_names(request: ImageRequest) -> list[str]:
    return ["image.png"] if len(request.images) == 1 else [f"image_{i}.png" for i in
                                                            range(1, len(request.images) + 1)]


def _sdk_arguments(request: ImageRequest, model: str, model_comment: str) -> list[str]:
    args = [f"model={_literal(model)},{model_comment}"]
    if request.is_edit:
        opened = [f'open("{name}", "rb")' for name in _input_names(request)]
        args.append(f"image={opened[0]}," if len(opened) == 1 else f"image=[{', '.join(opened)}],")
        if request.mask is not None:
            args.append('mask=open("mask.png", "rb"),  # transparent pixels mark the area to change')
    args.append(f"prompt={_literal(request.prompt)},")
    args += [f"{k}={_literal(getattr(request, k))}," for k in _OPTIONAL if getattr(request, k) is not None]
    args.append(f"n={request.n},")
    if request.partial_images:
        args += [f"partial_images={request.partial_images},", "stream=True,"]
    return args


def _python(imports: list[str], client: list[str], request: ImageRequest, model: str,
            model_comment: str = "") -> str:
    method = "edit" if request.is_edit else "generate"
    ext = _ext(request)
    lines = ["import base64", *imports, "", *client, "",
             f"result = client.images.{method}(",
             *(f"    {a}" for a in _sdk_arguments(request, model, model_comment)), ")"]
    if request.partial_images:
        lines += ["done = 0",
                  "for event in result:  # partial images first, then each finished image",
                  '    if event.type.endswith("partial_image"):',
                  f'        name = f"partial_{{event.partial_image_index}}.{ext}"',
                  "    else:",
                  "        done += 1",
                  f'        name = f"image_{{done}}.{ext}"',
                  '    with open(name, "wb") as f:',
                  "        f.write(base64.b64decode(event.b64_json))"]
    else:
        lines += ["for i, image in enumerate(result.data, start=1):",
                  f'    with open(f"image_{{i}}.{ext}", "wb") as f:',
                  "        # The original bytes, not re-encoded: they keep their Content Credentials.",
                  "        f.write(base64.b64decode(image.b64_json))"]
    return "\n".join(lines) + "\n"


def _curl(url: str, auth_header: str, request: ImageRequest, model: str | None) -> str:
    """cURL for a JSON generate, or a multipart edit (``--form-string``, so a prompt starting with @
    is sent as text, not read as a file)."""
    params: dict[str, Any] = {"model": model} if model else {}
    params["prompt"] = request.prompt
    params.update({k: getattr(request, k) for k in _OPTIONAL if getattr(request, k) is not None})
    params["n"] = request.n
    if request.partial_images:
        params.update(partial_images=request.partial_images, stream=True)
    lines = [f"curl -sS{' -N' if request.partial_images else ''} -X POST \"{url}\"", f'-H "{auth_header}"']
    if request.is_edit:
        names = _input_names(request)
        field = "image" if len(names) == 1 else "image[]"
        lines += [f"-F {shlex.quote(f'{field}=@{name}')}" for name in names]
        if request.mask is not None:
            lines.append(f"-F {shlex.quote('mask=@mask.png')}")
        lines += [f"--form-string {shlex.quote(f'{k}={_form(v)}')}" for k, v in params.items()]
    else:
        lines += ['-H "Content-Type: application/json"',
                  f"-d {shlex.quote(json.dumps(params, ensure_ascii=False))}"]
    ext = _ext(request)
    if request.partial_images:
        return ("# Prints server-sent events: each 'data:' line is JSON holding a b64_json image.\n"
                + " \\\n  ".join(lines) + "\n")
    if request.n == 1:
        lines.append(f"| jq -r '.data[0].b64_json' | base64 --decode > image.{ext}")
    else:
        lines.append("| jq -r '.data[].b64_json' | { i=0; while read -r b64; do i=$((i+1)); "
                     f"printf '%s' \"$b64\" | base64 --decode > \"image_$i.{ext}\"; done; }}")
    return " \\\n  ".join(lines) + "\n"


def _form(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _azure(request: ImageRequest, settings: Settings) -> list[CodeSample]:
    endpoint = (settings.azure_endpoint or PLACEHOLDER_ENDPOINT).rstrip("/")
    deployment = settings.azure_deployment or PLACEHOLDER_DEPLOYMENT
    version = settings.azure_api_version
    op = "edits" if request.is_edit else "generations"
    comment = "  # your deployment name, which may differ from the model name"
    if settings.azure_use_entra_id:
        imports = ["", "from azure.identity import DefaultAzureCredential, get_bearer_token_provider"]
        provider = [f'token_provider = get_bearer_token_provider(DefaultAzureCredential(), "{ENTRA_SCOPE}")']
        classic_auth, v1_auth = "azure_ad_token_provider=token_provider,", "api_key=token_provider,"
        header = f"Authorization: Bearer {ENTRA_CURL_TOKEN}"
        v1_header = header
    else:
        imports, provider = ["import os", ""], []
        classic_auth = v1_auth = 'api_key=os.environ["AZURE_OPENAI_API_KEY"],'
        header, v1_header = "api-key: $AZURE_OPENAI_API_KEY", "Authorization: Bearer $AZURE_OPENAI_API_KEY"
    classic_client = [*provider, "client = AzureOpenAI(", f"    azure_endpoint={_literal(endpoint)},",
                      f"    {classic_auth}", f"    api_version={_literal(version)},", ")"]
    v1_client = [*provider, "client = OpenAI(", f"    base_url={_literal(endpoint + '/openai/v1/')},",
                 f"    {v1_auth}", ")"]
    classic = _python([*imports, "from openai import AzureOpenAI"], classic_client, request, deployment,
                      comment)
    v1 = _python([*imports, "from openai import OpenAI"], v1_client, request, deployment, comment)
    used = " (the route this app uses)"
    pairs = {
        "classic": [CodeSample("Python: AzureOpenAI (classic, api-version)", "python", classic),
                    CodeSample("cURL: Azure classic", "bash", _curl(
                        f"{endpoint}/openai/deployments/{deployment}/images/{op}?api-version={version}", header,
                        request, None))],
        "v1": [CodeSample("Python: OpenAI client on the Azure v1 endpoint", "python", v1),
               CodeSample("cURL: Azure v1", "bash", _curl(f"{endpoint}/openai/v1/images/{op}", v1_header, request,
                                                          deployment))],
    }
    # The route in AZURE_OPENAI_ROUTE first, and named as the one in use; the other follows for comparison.
    first = settings.azure_route
    other = "v1" if first == "classic" else "classic"
    mine = [CodeSample(s.title + used, s.language, s.code) for s in pairs[first]]
    return [mine[0], pairs[other][0], mine[1], pairs[other][1]]


def _openai(request: ImageRequest, settings: Settings) -> list[CodeSample]:
    base = (settings.openai_base_url or OPENAI_BASE_URL).rstrip("/")
    client = ["client = OpenAI(", '    api_key=os.environ["OPENAI_API_KEY"],']
    if settings.openai_base_url:
        client.append(f"    base_url={_literal(settings.openai_base_url)},")
    op = "edits" if request.is_edit else "generations"
    return [
        CodeSample("Python: OpenAI", "python", _python(["import os", "", "from openai import OpenAI"],
                                                       [*client, ")"], request, settings.openai_model)),
        CodeSample("cURL: OpenAI", "bash", _curl(f"{base}/images/{op}", OPENAI_CURL_AUTH, request,
                                                 settings.openai_model)),
    ]


def _local(request: ImageRequest) -> list[CodeSample]:
    imports = ["import numpy as np", "from PIL import Image", "", "from genlab.diffusion import pipeline"]
    seed = str(request.seed) if request.seed is not None else "secrets.randbelow(2**31)"
    if request.seed is None:
        imports[:0] = ["import secrets", ""]
    args = [f"seed={seed},"]
    if request.steps is not None:
        args.append(f"num_inference_steps={request.steps},")
    if request.guidance is not None:
        args.append(f"guidance_scale={request.guidance!r},")
    args.append(f"n={request.n},")
    if request.is_edit:
        side = f"({RESOLUTION}, {RESOLUTION})"
        body = [f'image = np.asarray(Image.open("image.png").convert("RGB").resize({side}, '
                "Image.Resampling.BOX))",
                f'alpha = Image.open("mask.png").convert("RGBA").getchannel("A").resize({side}, '
                "Image.Resampling.BOX)",
                f"mask = np.asarray(alpha) < {CHANGE_BELOW}  # True where transparent: the area to re-imagine",
                "out = pipeline.inpaint(", "    image,", "    mask,"]
    else:
        imports.remove("import numpy as np")
        body = ["out = pipeline.generate("]
    body += [f"    {_literal(request.prompt)},", *(f"    {a}" for a in args), ")",
             "for i, pixels in enumerate(out.images, start=1):",
             f'    Image.fromarray(pixels).save(f"image_{{i}}.png")  # {RESOLUTION}x{RESOLUTION}: its own size',
             'print("Words the model did not know:", out.tokens.unknown_words)']
    return [CodeSample("Python: the local model", "python", "\n".join([*imports, "", *body]) + "\n")]


def code_samples(request: ImageRequest, settings: Settings, backend: str) -> list[CodeSample]:
    """The samples for ``backend`` ("azure", "openai" or "local"), prefilled, with no secret in them."""
    if backend == "azure":
        samples = _azure(request, settings)
    elif backend == "openai":
        samples = _openai(request, settings)
    else:
        samples = _local(request)
    secrets = [s.get_secret_value() for s in (settings.azure_api_key, settings.openai_api_key) if s]
    return [CodeSample(s.title, s.language, _without(s.code, secrets)) for s in samples]


def _without(code: str, secrets: list[str]) -> str:
    for secret in secrets:
        code = code.replace(secret, REDACTED)
    return code
