"""The Content Credentials viewer and the tamper lab, driven through AppTest against the real engine."""

import io
import re
from pathlib import Path

import pytest
import streamlit as st
from PIL import Image
from streamlit.testing.v1 import AppTest

from genlab.provenance import TAMPERS, sign
from genlab.provenance.inspect import UPDATE_TEXT, when
from genlab.settings import get_settings
from tests.fixtures import provenance_fixtures as fx
from tests.fixtures import tsa
from tests.fixtures.network import HOST, Listener
from tests.support.apptest import open_page
from ui.text import escape

VIEWER = "app_pages/provenance_viewer.py"
TAMPER_LAB = "app_pages/tamper_lab.py"

#: The verdict words a learner must see, written out here rather than read from the engine.
WORDS = {
    "trusted": "Trusted",
    "valid_untrusted": "Valid, but the signer is not on your trust list",
    "invalid": "Invalid:",
    "none": "No Content Credentials; they may have been stripped",
}
SAMPLE_VERDICTS = {"signed": "trusted", "edited": "trusted", "tampered": "invalid", "stripped": "none",
                   "untrusted": "valid_untrusted", "plain": "none"}


def plain(markdown: str) -> str:
    """What a reader sees of escaped Markdown: code spans' content as is, backslash escapes resolved."""
    parts = re.split(r"(?<!\\)(`+) (.*?) \1(?!`)", markdown)
    out = []
    for i in range(0, len(parts), 3):
        out.append(re.sub(r"\\(.)", r"\1", parts[i]))
        if i + 2 < len(parts):
            out.append(parts[i + 2])
    return "".join(out)


def shown(at: AppTest) -> str:
    """Every piece of Markdown-like text on the page, as a reader sees it."""
    return plain("\n".join(e.value for kind in ("markdown", "caption", "info", "warning", "error", "success")
                           for e in getattr(at, kind)))


def verdict_badges(at: AppTest) -> list[str]:
    """The verdict badges (icon and words) in page order, as a reader sees them."""
    return [plain(m.value) for m in at.markdown if re.match(r":\w+-badge\[:material/", m.value)]


def png(colour: tuple[int, int, int] = (20, 160, 60)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (24, 24), colour).save(buf, "PNG")
    return buf.getvalue()


def signed_png(prompt: str = "a green square") -> bytes:
    return sign(png(), prompt=prompt, model_name="test model", model_version="1",
                data_dir=Path(get_settings().data_dir))


def upload(at: AppTest, name: str, data: bytes, mime: str) -> AppTest:
    at.radio(key="pv_source").set_value("My own image").run()
    at.file_uploader(key="pv_upload").set_value((name, data, mime)).run()
    assert not at.exception
    return at


@pytest.fixture
def viewer() -> AppTest:
    return open_page(VIEWER)


def test_viewer_heading_self_test_and_explainer(viewer: AppTest) -> None:
    assert [t.value for t in viewer.title] == ["Content Credentials viewer"]
    text = shown(viewer)
    assert "What is C2PA?" in text and "Transparency" in text and "AI-901 1.1.5" in text
    assert "not proof of anything" in text
    assert "Content Credentials work" in text  # the start-up self-test passed and says so


@pytest.mark.parametrize(("key", "verdict"), SAMPLE_VERDICTS.items())
def test_viewer_shows_each_samples_verdict(viewer: AppTest, key: str, verdict: str) -> None:
    viewer.selectbox(key="pv_sample").set_value(key).run()
    assert not viewer.exception
    assert WORDS[verdict] in verdict_badges(viewer)[0]


def test_viewer_never_says_not_ai_for_missing_credentials(viewer: AppTest) -> None:
    viewer.selectbox(key="pv_sample").set_value("stripped").run()
    text = shown(viewer).lower()
    assert "not ai" not in text and "no content credentials; they may have been stripped" in text


def test_uploading_a_signed_png_shows_trusted(viewer: AppTest) -> None:
    at = upload(viewer, "mine.png", signed_png(), "image/png")
    text = shown(at)
    assert "Trusted" in text and "Made with AI" in text and "a green square" in text


def test_the_extension_is_not_trusted(viewer: AppTest) -> None:
    at = upload(viewer, "looks-like-a.txt", signed_png(), "text/plain")
    assert "Trusted" in shown(at)


@pytest.mark.parametrize(("name", "data", "mime", "sentence"), [
    ("notes.txt", b"just some text\n", "text/plain", "This is not an image the viewer can read"),
    ("cut.png", None, "image/png", "damaged"),
    ("empty.png", b"", "image/png", "The file is empty"),
])
def test_bad_uploads_get_the_engines_sentence(viewer: AppTest, name: str, data: bytes | None, mime: str,
                                              sentence: str) -> None:
    data = signed_png()[:300] if data is None else data
    at = upload(viewer, name, data, mime)
    assert sentence in shown(at)
    assert "Unreadable" in shown(at)
    at.radio(key="pv_source").set_value("A prepared sample").run()  # the page is still usable
    assert not at.exception and "Trusted" in shown(at)


def test_too_large_upload_is_refused_with_a_sentence(viewer: AppTest) -> None:
    limit = int(st.get_option("server.maxUploadSize"))  # the browser's uploader enforces it first
    at = upload(viewer, "huge.png", png() + b"\0" * ((limit + 1) * 2**20), "image/png")
    assert f"the viewer reads files up to {limit:.1f} MB" in shown(at)
    assert f"Files up to {limit} MB" in shown(at)


def test_raw_data_is_one_click_away(viewer: AppTest) -> None:
    raw = next(e for e in viewer.expander if e.label == "Raw data")
    assert any('"active_manifest"' in c.value for c in raw.code)  # the reader's JSON
    assert any('"@context"' in c.value for c in raw.code)  # crJSON
    history = next(e for e in viewer.expander if e.label == "Detailed history")
    assert any("made with a trained AI model" in plain(m.value) for m in history.markdown)


def test_failures_show_sentence_and_code(viewer: AppTest) -> None:
    viewer.selectbox(key="pv_sample").set_value("tampered").run()
    history = next(e for e in viewer.expander if e.label == "Detailed history")
    assert any("Status code: ` assertion.dataHash.mismatch `" in m.value for m in history.markdown)
    assert any("changed after signing" in plain(m.value) for m in history.markdown)


def test_edited_sample_shows_its_ingredient(viewer: AppTest) -> None:
    viewer.selectbox(key="pv_sample").set_value("edited").run()
    history = next(e for e in viewer.expander if e.label == "Detailed history")
    text = " ".join(plain(m.value) for m in history.markdown)
    assert "source image.png" in text and "Parent: the image this one was edited from" in text


def test_manifest_text_is_shown_as_plain_text(viewer: AppTest) -> None:
    hostile = "**bold** [link](https://evil.example) <b>x</b> :red[red] $x$ www.evil.example a@b.com :material/home:"
    at = upload(viewer, "hostile.png", signed_png(hostile), "image/png")
    raw = "\n".join(m.value for m in at.markdown)
    outside_code = re.sub(r"(?<!\\)(`+) .*? \1(?!`)", "", raw)  # a code span shows its text, never acts on it
    for active in ("[link](https", "https://", "www.", "a@b.com", "<b>", ":red[", ":material/home:", "**bold**"):
        assert active not in outside_code
    assert escape(hostile) in raw
    assert hostile in shown(at)


def test_escape_keeps_every_character_and_line_breaks_flatten() -> None:
    text = "a\\b `c` *d* _e_ [f](g) #h <i> ~j~ $k$ :l: |m| !n https://o.p q@r.s\nnew line"
    assert plain(escape(text)) == text.replace("\n", " ")
    assert "\n" not in escape(text)
    invisible = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
    assert not invisible & set(escape(text))  # a copied URL or code is exactly the file's characters
    assert "`https://o.p`" in escape(text).replace(" ", "") or "https://o.p" in escape(text)
    clock = "valid until 3 December 2036, 13:44:07 UTC (at 09:05)."
    assert plain(escape(clock)) == clock and "`" not in escape(clock)  # a time is text, not code


@pytest.fixture
def lab() -> AppTest:
    return open_page(TAMPER_LAB)


def test_tamper_lab_starts_trusted(lab: AppTest) -> None:
    assert [t.value for t in lab.title] == ["Tamper lab"]
    assert "Transparency" in shown(lab)
    assert WORDS["trusted"] in verdict_badges(lab)[0]


@pytest.mark.parametrize("kind", TAMPERS)
def test_tamper_lab_shows_the_expected_verdict(lab: AppTest, kind: str) -> None:
    lab.radio(key="tl_kind").set_value(kind).run()
    assert not lab.exception
    before, after = verdict_badges(lab)  # the signed image has no ingredients, so one badge per card
    assert WORDS["trusted"] in before
    assert WORDS[TAMPERS[kind].expected] in after
    assert TAMPERS[kind].explanation in shown(lab)


@pytest.mark.skipif(HOST is None, reason="no host name resolves to loopback in /etc/hosts")
def test_viewer_page_does_not_resolve_did_web(viewer: AppTest) -> None:
    """A did:web identity issuer naming a loopback host: the page must not connect, and says so."""
    listener = Listener()
    try:
        hostile = fx.ica_identity(Path(get_settings().data_dir), HOST, listener.port)
        at = upload(viewer, "identity.png", hostile, "image/png")
        assert listener.settle() == []
    finally:
        listener.close()
    text = shown(at)
    assert "Trusted" in text and "Identity claims (CAWG)" in text and "Not verified" in text
    assert "Eve Example" in text and "did not fetch it" in text
    assert not {"\u200b", "\u2060"} & set("\n".join(m.value for m in at.markdown))


def test_viewer_shows_time_stamp_authority_and_certificate_validity(viewer: AppTest) -> None:
    data_dir = Path(get_settings().data_dir)
    with tsa.serve(tsa.trusted_tsa(data_dir)) as authority:
        data = fx.time_stamped(data_dir, authority.url)
        stamped = when(authority.issued[-1])
    text = shown(upload(viewer, "stamped.png", data, "image/png"))
    assert (f"**Signed at:** {stamped}, time-stamped by {tsa.TSA_NAME}, a time-stamp authority on your trust list"
            in text)
    assert (f"**Signing certificate:** The certificate was valid when the signature was time-stamped ({stamped})"
            in text)


def test_viewer_names_an_update_manifest(viewer: AppTest) -> None:
    data_dir = Path(get_settings().data_dir)
    text = shown(upload(viewer, "update.png", fx.update_manifest(signed_png(), data_dir), "image/png"))
    assert UPDATE_TEXT in text and "Trusted" in text


@pytest.mark.parametrize("make", [fx.prerelease, fx.no_hash_algorithm])
def test_unreadable_credentials_show_no_fields_they_did_not_read(viewer: AppTest, make) -> None:
    text = shown(upload(viewer, "old.png", make(Path(get_settings().data_dir)), "image/png"))
    assert "Unreadable" in text and "**AI use:** Unknown: the credentials could not be read." in text
    for unread in ("Signed by", "Signed at", "No signer name", "No AI use", "App or device used",
                   "Signing certificate"):
        assert unread not in text
