"""The generation studio, driven through AppTest: the real local model, and the loopback stand-in as Azure
OpenAI and OpenAI for every way a service call can fail. Each failure is asserted down to the sentence shown.
"""

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from devtools.fake_openai import API_VERSION, AZURE_KEY, BLOCKED_KEY, OPENAI_KEY, FakeOpenAI
from genlab.provenance import inspect
from genlab.settings import get_settings
from tests.support.apptest import click, open_page, reload_settings

PAGE = "app_pages/studio.py"


# --- helpers ---------------------------------------------------------------------------------------------


def open_studio() -> AppTest:
    return open_page(PAGE)


def generate(at: AppTest, prompt: str) -> AppTest:
    at.text_area(key="studio_prompt").set_value(prompt)  # a form: the value goes with the submit
    return click(at, "Generate")


def nodes(at: AppTest, kind: str) -> list:
    """Every element of ``kind`` (also those AppTest has no list for), in page order."""
    def walk(node) -> Iterator:
        if getattr(node, "type", None) == kind:
            yield node
        children = getattr(node, "children", {}) or {}
        for key in sorted(children):
            yield from walk(children[key])
    return list(walk(at._tree))


def alts(at: AppTest) -> list[str]:
    return [img.alt for node in nodes(at, "image") for img in node.proto.imgs]


def shown(at: AppTest) -> str:
    """What a reader sees in text elements, with Markdown escapes, bold and code marks removed."""
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success")
             for e in getattr(at, kind)]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts).replace("**", "").replace("`", ""))


def unescape(text: str) -> str:
    """Markdown escapes removed: the characters a reader sees."""
    return re.sub(r"\\(.)", r"\1", text)


def errors(at: AppTest) -> list[str]:
    return [unescape(e.value) for e in at.error]


def result_images(at: AppTest) -> list[str]:
    return [a for a in alts(at) if a.startswith("AI-generated image for")]


def filter_table(at: AppTest):
    """The content filter's categories and severities (the price table is a table too)."""
    return next(t.value for t in at.table if t.value.index.name == "Category")


def png(size: tuple[int, int], transparent_box: tuple[int, int, int, int] | None = None) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 255))
    if transparent_box:
        image.paste((0, 0, 0, 0), transparent_box)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def sign_in(at: AppTest, name: str, pin: str = "2468") -> AppTest:
    at.sidebar.text_input[0].set_value(name)
    at.sidebar.text_input[1].set_value(pin)
    return click(at, "Start learning")


@pytest.fixture
def studio() -> AppTest:
    return open_studio()


# --- the local model ---------------------------------------------------------------------------------------


def test_local_generate_shows_the_image_with_alt_text_and_the_free_cost(studio: AppTest) -> None:
    assert [t.value for t in studio.title] == ["Generation studio"]
    text = shown(studio)
    assert "Active backend: the local model." in text and "No Azure OpenAI or OpenAI key was found" in text
    assert "How to add a key." in text and "AZURE_OPENAI_API_KEY" in text
    assert "**Cost before you press Generate:** Free, on your CPU." in [m.value for m in studio.markdown]
    generate(studio, "a large red circle on the left on a white background")
    assert result_images(studio) == ["AI-generated image for the prompt: a large red circle on the left on a white "
                                     "background"]
    text = shown(studio)
    assert "Cost: Free, on your CPU." in text
    assert "Content Credentials: trusted" in text
    downloads = nodes(studio, "download_button")
    assert [d.proto.label for d in downloads] == ["Download image 1"]
    run = studio.session_state["studio_runs"]["create"]
    data = Path(run.paths[0]).read_bytes()  # the original file: the model's own size, signed
    assert Image.open(io.BytesIO(data)).size == (64, 64)
    assert inspect(data, data_dir=get_settings().data_dir).verdict == "trusted"
    assert "Saved: no, for this visit only" in text  # no profile
    assert "images are not saved" in text


def test_progress_and_rough_previews_while_drawing(studio: AppTest) -> None:
    generate(studio, "a small green star")
    assert nodes(studio, "progress")[-1].proto.text.startswith("Finished in ")
    assert "Rough preview 3 of 3, still being drawn, for the prompt: a small green star" in alts(studio)
    studio.checkbox(key="studio_local_previews").set_value(False).run()
    generate(studio, "a small green star")
    assert not any(a.startswith("Rough preview") for a in alts(studio))


def test_unknown_words_are_noted(studio: AppTest) -> None:
    generate(studio, "a purple unicorn")
    notes = [unescape(i.value) for i in studio.info]
    assert "The model does not know these words and could not use them: unicorn." in notes


def test_local_content_filter_sentence(studio: AppTest) -> None:
    generate(studio, "a bloody knife")
    assert errors(studio)[0].startswith("The local model's content filter blocked your prompt as violence (medium)")
    assert studio.text_area(key="studio_prompt").value == "a bloody knife"  # the prompt is kept
    assert result_images(studio) == []


def test_example_prompt_fills_the_prompt_box(studio: AppTest) -> None:
    studio.selectbox(key="studio_example").set_value("A cat on Mars (the REST example's)").run()
    assert studio.text_area(key="studio_prompt").value == "A cat in a spacesuit walking on the surface of Mars"


def test_several_images_appear_in_a_grid(studio: AppTest) -> None:
    studio.number_input(key="studio_local_n").set_value(3).run()
    studio.number_input(key="studio_local_seed").set_value(11).run()
    generate(studio, "a small blue star")
    assert result_images(studio) == [f"AI-generated image for the prompt: a small blue star (image {i} of 3)"
                                     for i in (1, 2, 3)]
    assert len(nodes(studio, "download_button")) == 3
    assert "Seed: 11" in shown(studio)


def test_edit_with_a_region_mask(studio: AppTest) -> None:
    generate(studio, "a large red circle on the left on a white background")
    source = studio.session_state["studio_runs"]["create"].paths[0]
    click(studio, "Edit this image")
    assert studio.selectbox(key="studio_edit_source").value == source
    assert "Image chosen for editing" in shown(studio)
    studio.radio(key="studio_edit_area").set_value("right half").run()
    assert "The image to edit with the area to change (right half) painted magenta" in alts(studio)
    studio.text_input(key="studio_edit_prompt").set_value("a large yellow star on the right")
    click(studio, "Make the edit")
    assert "AI-generated image for the prompt: a large yellow star on the right" in result_images(studio)
    run = studio.session_state["studio_runs"]["edit"]
    assert run.operation == "edit" and run.error is None
    summary = inspect(Path(run.paths[0]).read_bytes(), data_dir=get_settings().data_dir)
    assert summary.ingredients, "the edit is signed with the source image as its ingredient"


def test_an_uploaded_mask_of_the_wrong_size_is_refused_before_any_call(studio: AppTest) -> None:
    generate(studio, "a large red circle")
    studio.radio(key="studio_edit_area").set_value("upload a PNG mask").run()
    studio.file_uploader(key="studio_edit_mask").set_value(("mask.png", png((10, 10), (0, 0, 5, 10)),
                                                            "image/png")).run()
    sentence = "The mask is 10x10 but the image is 64x64; they must be the same size."
    assert sentence in [w.value for w in studio.warning]
    click(studio, "Make the edit")
    assert sentence in errors(studio)
    assert "edit" not in studio.session_state["studio_runs"] or \
        studio.session_state["studio_runs"]["edit"].error.kind == "validation"


def test_the_free_local_model_is_not_rate_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENLAB_RATE_LIMIT_PER_MINUTE", "1")  # the paid limit, at its lowest
    reload_settings()
    at = open_studio()
    for prompt in ("a red circle", "a blue star", "a green heart"):
        generate(at, prompt)
        assert errors(at) == []
        assert result_images(at) == [f"AI-generated image for the prompt: {prompt}"]
    assert "limit" not in shown(at)


def test_image_to_edit_names_the_image_shown(studio: AppTest) -> None:
    studio.radio(key="studio_cmp_mode").set_value("The settings").run()  # two results with the same prompt
    click(studio, "Run both")
    first, second = studio.session_state["studio_runs"]["compare"]
    edit_buttons = [b for b in studio.button if b.label == "Edit this image"]
    edit_buttons[-1].click().run()  # the second picture's button
    box = studio.selectbox(key="studio_edit_source")
    assert box.value == second.paths[0]
    assert box.options[box.index] == "Compare B: a small blue star at the top on a black background"
    assert len(set(box.options)) == len(box.options)  # every label names one image
    studio.radio(key="studio_edit_area").set_value("left half").run()
    assert ("The image to edit: Compare B: a small blue star at the top on a black background"
            in alts(studio))
    assert first.paths[0] in [p for p in studio.session_state["studio_runs"]["compare"][0].paths]


def test_edit_has_its_own_steps_guidance_and_seed(studio: AppTest) -> None:
    studio.number_input(key="studio_local_steps").set_value(8).run()
    studio.number_input(key="studio_local_guidance").set_value(1.0).run()
    studio.number_input(key="studio_local_seed").set_value(11).run()
    generate(studio, "a large red circle")
    assert studio.session_state["studio_runs"]["create"].parameters["steps"] == 8
    click(studio, "Edit this image")
    studio.radio(key="studio_edit_area").set_value("centre").run()
    studio.number_input(key="studio_edit_steps").set_value(12)
    studio.number_input(key="studio_edit_guidance").set_value(5.5)
    studio.number_input(key="studio_edit_seed").set_value(99)
    click(studio, "Make the edit")
    run = studio.session_state["studio_runs"]["edit"]
    assert run.error is None and run.operation == "edit"
    assert (run.parameters["steps"], run.parameters["guidance"], run.seed) == (12, 5.5, 99)
    assert "Settings: size 64x64, 1 image, steps 12, guidance 5.5" in shown(studio)


def test_inspect_the_credentials_opens_the_viewer_on_that_image(studio: AppTest) -> None:
    generate(studio, "two green triangles")
    path = studio.session_state["studio_runs"]["create"].paths[0]
    click(studio, "Inspect the credentials")
    assert [t.value for t in studio.title] == ["Content Credentials viewer"]
    assert studio.radio(key="pv_source").value == "An image from the studio"
    text = shown(studio)
    assert "From the studio: AI-generated image for the prompt: two green triangles" in text
    assert "AI-generated image for the prompt: two green triangles" in alts(studio)
    expected = inspect(Path(path).read_bytes(), data_dir=get_settings().data_dir)
    assert expected.verdict == "trusted" and "two green triangles" in text  # the prompt is signed into it
    studio.radio(key="pv_source").set_value("A prepared sample").run()
    assert "From the studio" not in shown(studio)


def test_the_viewer_opens_only_this_learners_or_this_visits_images(studio: AppTest, tmp_path: Path) -> None:
    elsewhere = tmp_path / "someone-elses.png"
    elsewhere.write_bytes(png((8, 8)))
    studio.session_state["pv_studio_image"] = {"path": str(elsewhere), "label": "not yours"}
    studio.switch_page("app_pages/provenance_viewer.py").run()
    assert not studio.exception
    assert studio.radio(key="pv_source").options == ["A prepared sample", "My own image"]
    assert "The image sent from the studio is no longer there" in shown(studio)
    assert "not yours" not in shown(studio)


def test_history_lists_and_deletes_with_confirmation(studio: AppTest) -> None:
    assert "Your history needs a profile" in shown(studio)
    sign_in(studio, "Ada")
    generate(studio, "a purple square")
    assert "Saved: in your history" in shown(studio)
    run = studio.session_state["studio_runs"]["create"]
    gid = run.generation_id
    text = shown(studio)
    assert f"#{gid} a purple square" in text and "Cost: Free, on your CPU." in text
    assert "AI-generated image for the prompt: a purple square" in alts(studio)
    assert f"Download image 1 of #{gid}" in [d.proto.label for d in nodes(studio, "download_button")]
    click(studio, f"Edit #{gid}")
    assert studio.selectbox(key="studio_edit_source").value == run.paths[0]
    assert "Image chosen for editing" in shown(studio)
    click(studio, f"Delete #{gid}")
    assert f"Delete #{gid} and its 1 file(s)? This cannot be undone." in [w.value for w in studio.warning]
    click(studio, "Keep it")
    assert Path(run.paths[0]).exists()
    click(studio, f"Delete #{gid}")
    click(studio, "Yes, delete it")
    assert "No saved images yet" in shown(studio)
    assert not Path(run.paths[0]).exists()


def test_comparison_runs_two_prompts_with_the_same_seed(studio: AppTest) -> None:
    click(studio, "Run both")
    a, b = studio.session_state["studio_runs"]["compare"]
    assert a.seed == b.seed == 7
    assert {"AI-generated image for the prompt: a large green triangle in the centre",
            "AI-generated image for the prompt: a large green heart in the centre"} <= set(alts(studio))
    assert "A: a large green triangle in the centre" in shown(studio)


def test_comparison_of_two_settings(studio: AppTest) -> None:
    studio.radio(key="studio_cmp_mode").set_value("The settings").run()
    click(studio, "Run both")
    a, b = studio.session_state["studio_runs"]["compare"]
    assert (a.parameters["guidance"], b.parameters["guidance"]) == (1.0, 7.0)
    assert "A: guidance 1, 20 steps" in shown(studio)


def test_view_code_for_the_local_model(studio: AppTest) -> None:
    generate(studio, "two green triangles")
    code = "\n".join(c.value for c in studio.code)
    assert "pipeline.generate(" in code and '"two green triangles"' in code
    assert "AzureOpenAI(" in code and 'os.environ["AZURE_OPENAI_API_KEY"]' in code


# --- the stand-in as Azure OpenAI and OpenAI ------------------------------------------------------------------


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(slow_s=3.0) as server:
        yield server


def configure(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    """Point the app at the stand-in, with a short timeout and no retries so failures come quickly."""
    env = {"GENLAB_REQUEST_TIMEOUT_S": "1", "GENLAB_REQUEST_MAX_RETRIES": "0", **env}
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    reload_settings()


def azure(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI, *, endpoint: str | None = None,
          key: str = AZURE_KEY, deployment: str = "img15") -> AppTest:
    configure(monkeypatch, AZURE_OPENAI_ENDPOINT=endpoint or fake.url, AZURE_OPENAI_API_KEY=key,
              AZURE_OPENAI_DEPLOYMENT=deployment, AZURE_OPENAI_API_VERSION=API_VERSION)
    at = open_studio()
    at.radio(key="studio_backend").set_value("azure").run()
    assert "Active backend: Azure OpenAI." in shown(at)
    return at


def raw_error(at: AppTest) -> str:
    """The scrubbed raw body in the "Raw error" expander (the only code block that holds JSON)."""
    return "\n".join(c.value for c in at.code if c.value.lstrip().startswith(("{", "[")))


def test_azure_streaming_shows_partial_images(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI) -> None:
    at = azure(monkeypatch, fake)
    at.selectbox(key="studio_azure_partial").set_value(2).run()
    generate(at, "a lighthouse at dawn")
    assert str(fake.requests[-1].params.get("stream")).lower() == "true"
    assert "Rough preview 2 of 2, still being drawn, for the prompt: a lighthouse at dawn" in alts(at)
    assert result_images(at) == ["AI-generated image for the prompt: a lighthouse at dawn"]
    assert "2 previews" in shown(at)


def test_azure_generate_success(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI) -> None:
    at = azure(monkeypatch, fake)
    assert at.radio(key="studio_backend").options == ["Local model (free, offline)", "Azure OpenAI"]
    text = shown(at)
    assert re.search(r"Cost before you press Generate: About \$0\.009\d \(estimate; OpenAI list prices", text)
    assert "Azure may differ" in text
    prompt = "Professional product photo of a smartwatch on a white background"
    generate(at, prompt)
    assert result_images(at) == [f"AI-generated image for the prompt: {prompt}"]
    text = shown(at)
    assert re.search(r"Cost: \$0\.0\d+ for [\d,]+ input and 272 output tokens", text)
    assert "Request id: req_fake_" in text
    assert fake.requests[-1].query.get("api-version") == API_VERSION


def test_view_code_never_contains_the_key(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI) -> None:
    at = azure(monkeypatch, fake)
    code = "\n".join(c.value for c in at.code)
    assert "AzureOpenAI(" in code and "api-version" in code and "/openai/v1/" in code and "curl" in code
    assert AZURE_KEY not in code and 'os.environ["AZURE_OPENAI_API_KEY"]' in code


def test_validation_refusal_is_a_sentence_and_nothing_is_sent(monkeypatch: pytest.MonkeyPatch,
                                                              fake: FakeOpenAI) -> None:
    at = azure(monkeypatch, fake)
    at.selectbox(key="studio_azure_format").set_value("jpeg").run()
    at.selectbox(key="studio_azure_background").set_value("transparent").run()
    sentence = ("A transparent background needs png output, because jpeg has no transparency; change the format "
                "or the background.")
    assert f"Before you press Generate: {sentence}" in [w.value for w in at.warning]
    sent = len(fake.requests)
    generate(at, "a logo")
    assert errors(at) == [sentence]
    assert len(fake.requests) == sent


FAILURES = {
    "trigger:content_filter_prompt": (
        "Azure OpenAI's content filter blocked your prompt as violence (high). No image was made; rephrase the "
        "prompt and try again."),
    "trigger:content_filter_output": (
        "Azure OpenAI's content filter blocked the generated image. Your prompt was accepted but the picture was "
        "not; try again or change the prompt."),
    "trigger:invalid_value": (
        "Azure OpenAI refused the value of size (400): Invalid value: '4096x4096'. Supported values are: "
        "'1024x1024', '1024x1536', '1536x1024', and 'auto'. Change it and try again."),
    "trigger:429": "Azure OpenAI is limiting how fast this key can make images (429). Wait 20 seconds and try again.",
    "trigger:500": ("Azure OpenAI had an internal error (500). It was not caused by your request; try again in a "
                    "moment."),
    "trigger:timeout": ("Azure OpenAI did not answer after 1 second, the time allowed for one click, so the app "
                        "stopped waiting. It may still make the image and bill it. High-quality images can take "
                        "minutes: choose a lower quality, or ask whoever runs the app to allow longer "
                        "(GENLAB_REQUEST_TIMEOUT_S)."),
}


@pytest.mark.parametrize("trigger", list(FAILURES))
def test_azure_failures_show_their_sentence(trigger: str, monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI) -> None:
    at = azure(monkeypatch, fake)
    prompt = f"a red fox {trigger}"
    generate(at, prompt)
    assert errors(at) == [FAILURES[trigger]]
    assert at.text_area(key="studio_prompt").value == prompt  # never lost after an error
    assert at.selectbox(key="studio_azure_quality").value == "low"
    assert "Your prompt and settings are kept" in shown(at)
    assert result_images(at) == []
    if trigger == "trigger:content_filter_prompt":
        table = filter_table(at)
        assert table.loc["violence"].tolist() == ["high", "yes"]
        assert table.loc["hate"].tolist() == ["safe", "no"]
        assert "ResponsibleAIPolicyViolation" in raw_error(at)
    if trigger == "trigger:429":
        assert "Wait: about 20 seconds before the next request." in shown(at)
    if trigger != "trigger:timeout":
        assert raw_error(at), "the scrubbed raw body is one click away"
    assert AZURE_KEY not in raw_error(at)


def test_wrong_key_401(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI) -> None:
    at = azure(monkeypatch, fake, key="wrong-key-0000000000")
    generate(at, "a red fox")
    assert errors(at) == ["Azure OpenAI did not accept the key (401). Check that AZURE_OPENAI_API_KEY is a key of the "
                          "resource named in AZURE_OPENAI_ENDPOINT (Azure portal, your resource, Keys and Endpoint)."]
    assert "wrong-key-0000000000" not in raw_error(at)


def test_blocked_key_403(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI) -> None:
    at = azure(monkeypatch, fake, key=BLOCKED_KEY)
    generate(at, "a red fox")
    assert errors(at) == ["Azure OpenAI has blocked this account or resource (403), not because of this prompt. "
                          "Retrying will not help; ask whoever owns the account to check it in the portal."]


def test_unknown_deployment_404(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI) -> None:
    at = azure(monkeypatch, fake, deployment="no-such-deployment")
    generate(at, "a red fox")
    assert errors(at) == ["Azure OpenAI has no deployment named 'no-such-deployment' (404). Check "
                          "AZURE_OPENAI_DEPLOYMENT: it must be the deployment name you chose in the Microsoft Foundry "
                          "portal, which can differ from the model name (such as gpt-image-1.5)."]


def test_connection_refused(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI) -> None:
    refused = fake.refused_url
    at = azure(monkeypatch, fake, endpoint=refused)
    generate(at, "a red fox")
    host = refused.removeprefix("http://")
    assert errors(at) == [f"Could not connect to Azure OpenAI at {host}, so nothing was sent or billed. Check the "
                          "endpoint (AZURE_OPENAI_ENDPOINT) and your network connection, then try again."]
    assert "There is no raw answer" in shown(at)


def test_openai_moderation_blocked(monkeypatch: pytest.MonkeyPatch, fake: FakeOpenAI) -> None:
    configure(monkeypatch, OPENAI_API_KEY=OPENAI_KEY, OPENAI_BASE_URL=f"{fake.url}/v1")
    at = open_studio()
    at.radio(key="studio_backend").set_value("openai").run()
    assert "Active backend: OpenAI." in shown(at)
    generate(at, "a red fox trigger:moderation_blocked")
    assert errors(at) == ["OpenAI's content filter blocked your prompt as violence. No image was made; rephrase "
                          "the prompt and try again."]
    table = filter_table(at)
    assert table.loc["violence"].tolist() == ["not given", "yes"]
    assert "moderation_blocked" in raw_error(at) and OPENAI_KEY not in raw_error(at)
