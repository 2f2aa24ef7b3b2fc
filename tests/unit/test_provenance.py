"""Content Credentials with the real c2pa-python on real files made here (no mocks).

One data directory (and so one demo CA) serves the module, as one would serve the app's process.
"""

import datetime as dt
import io
import json
import stat
import struct
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import c2pa
import numpy as np
import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image

from genlab.provenance import TAMPERS, ProvenanceSummary, ca, inspect, sample_images, self_test, sign, tamper
from genlab.provenance.inspect import NO_TIME_TEXT, STRIPPED_TEXT, UNTRUSTED_TEXT, failure_sentence, when
from genlab.provenance.runtime import THUMBNAIL_EDGE, toolkit

PROMPT = "a large red circle on the left, blue background"
MODEL = {"model_name": "toy-diffusion", "model_version": "0.3"}
TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def image(fmt: str = "PNG", size: tuple[int, int] = (32, 32), seed: int = 0) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, fmt)
    return buf.getvalue()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("provenance-data")


@pytest.fixture(scope="module")
def signed_png(data_dir: Path) -> bytes:
    return sign(image("PNG"), prompt=PROMPT, **MODEL, data_dir=data_dir)


@pytest.fixture(scope="module")
def signed_jpeg(data_dir: Path) -> bytes:
    return sign(image("JPEG"), prompt=PROMPT, **MODEL, data_dir=data_dir)


def read(data: bytes, data_dir: Path, **kwargs) -> ProvenanceSummary:
    return inspect(data, data_dir=data_dir, **kwargs)


def codes(summary: ProvenanceSummary) -> set[str]:
    return {f.code for f in summary.failures}


# --- signing ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_signed_image_reads_back_trusted_with_ai_source_prompt_and_agent(fmt: str, data_dir: Path) -> None:
    source = image(fmt)
    summary = read(sign(source, prompt=PROMPT, **MODEL, data_dir=data_dir), data_dir)
    assert (summary.verdict, summary.verdict_text) == ("trusted", "Trusted")
    assert summary.mime == f"image/{fmt.lower()}"
    assert summary.signer == ca.DEMO_ORG
    assert summary.signed_at == NO_TIME_TEXT  # signed offline, without a timestamp authority
    assert summary.ai_generated is True
    assert summary.description == PROMPT
    assert summary.software_agent == "toy-diffusion 0.3"
    assert summary.claim_generator.startswith("AI-901 Image Generation Lab")
    assert summary.actions == ("Created: made with a trained AI model (trained algorithmic media), "
                               "using toy-diffusion 0.3",)
    until = when(ca.demo_identity(data_dir).not_after)
    assert summary.certificate_text == (f"The signing certificate is valid until {until}. With no time-stamp it is "
                                        "checked against today's date, so these credentials will read as expired "
                                        "once the certificate expires.")
    assert "Not allowed: training generative AI models." in summary.do_not_train
    assert "Not allowed: data mining." in summary.do_not_train
    assert summary.failures == ()
    assert TRAINED in summary.raw_json
    assert "https://c2pa.org/crjson" in summary.cr_json
    assert ca.DEMO_ORG in summary.headline and "AI was used" in summary.headline


def test_both_training_mining_assertions_are_written(signed_png: bytes, data_dir: Path) -> None:
    store = json.loads(read(signed_png, data_dir).raw_json)
    labels = {a["label"] for a in store["manifests"][store["active_manifest"]]["assertions"]}
    assert {"cawg.training-mining", "c2pa.training-mining", "c2pa.actions.v2"} <= labels


def test_signing_never_reencodes_pixels(signed_png: bytes, signed_jpeg: bytes) -> None:
    png, jpeg = image("PNG"), image("JPEG")
    idat_at = png.index(b"IDAT") - 4
    assert png[idat_at:] in signed_png  # IDAT and IEND chunks copied byte for byte
    sos_at = jpeg.index(b"\xff\xda")
    assert jpeg[sos_at:] in signed_jpeg  # the whole entropy-coded scan copied byte for byte


def test_prompt_is_left_out_when_asked(data_dir: Path) -> None:
    signed = sign(image(), prompt="my secret prompt", include_prompt=False, **MODEL, data_dir=data_dir)
    summary = read(signed, data_dir)
    assert summary.verdict == "trusted" and summary.description is None
    assert b"my secret prompt" not in signed and "my secret prompt" not in summary.raw_json


def test_sign_refuses_other_formats_and_wrong_declared_type(data_dir: Path) -> None:
    with pytest.raises(ValueError, match="PNG, JPEG"):
        sign(image("GIF"), prompt=PROMPT, **MODEL, data_dir=data_dir)
    with pytest.raises(ValueError, match="declared as image/jpeg"):
        sign(image("PNG"), mime="image/jpeg", prompt=PROMPT, **MODEL, data_dir=data_dir)


def test_thumbnail_settings_take_effect(data_dir: Path) -> None:
    """Proves the builder.thumbnail.long_edge key is spelled right: c2pa ignores misspelled keys."""
    small = image("PNG")
    assert read(sign(small, prompt=None, **MODEL, data_dir=data_dir), data_dir).thumbnail == small
    large = read(sign(image("PNG", (600, 400)), prompt=None, **MODEL, data_dir=data_dir), data_dir)
    with Image.open(io.BytesIO(large.thumbnail)) as thumb:
        assert max(thumb.size) == THUMBNAIL_EDGE


# --- edits and the ingredient tree -----------------------------------------------------------------

def test_edit_records_the_source_as_parent_ingredient(signed_png: bytes, data_dir: Path) -> None:
    edited = sign(image(seed=1), prompt="add a yellow square", **MODEL, parent=signed_png, data_dir=data_dir)
    summary = read(edited, data_dir)
    assert summary.verdict == "trusted"
    assert summary.actions == ("Opened an existing image", "Edited: a composite that includes content made "
                                                           "with a trained AI model, using toy-diffusion 0.3")
    [parent] = summary.ingredients
    assert (parent.relationship, parent.format, parent.verdict) == ("parentOf", "image/png", "trusted")
    assert parent.ai_generated is True
    assert parent.thumbnail == image()  # the parent's own claim thumbnail: the 32 px image itself

    twice = read(sign(image(seed=2), prompt="again", **MODEL, parent=edited, data_dir=data_dir), data_dir)
    [child] = twice.ingredients
    [grandchild] = child.children
    assert grandchild.verdict == "trusted" and grandchild.ai_generated is True


def test_unsigned_parent_is_an_ingredient_without_credentials(data_dir: Path) -> None:
    edited = sign(image(), prompt=None, **MODEL, parent=image("JPEG", seed=5), data_dir=data_dir)
    summary = read(edited, data_dir)
    [parent] = summary.ingredients
    assert parent.verdict == "none" and parent.format == "image/jpeg"
    assert parent.thumbnail is not None and parent.ai_generated is None


def test_damaged_credentials_are_invalid_and_an_edit_sets_them_aside(signed_png: bytes, data_dir: Path) -> None:
    at = signed_png.index(b"cbor", signed_png.index(b"c2pa.claim.v2")) + 4
    damaged = signed_png[:at] + b"\xff" * 8 + signed_png[at + 8:]  # garbage where the claim's CBOR starts
    summary = read(damaged, data_dir)
    assert (summary.verdict, summary.verdict_text) == ("unreadable", "Unreadable: its credentials could not be read")
    assert summary.failures == () and "nothing in them was checked or read" in summary.headline
    assert summary.signer is None and summary.ai_generated is None  # nothing claimed about what was not read

    edited = read(sign(image(seed=4), prompt=None, **MODEL, parent=damaged, data_dir=data_dir), data_dir)
    [parent] = edited.ingredients
    assert edited.verdict == "trusted" and parent.verdict == "none"
    assert parent.title == "source image.png (its damaged credentials were set aside)"


def test_ai_use_is_found_in_ingredients_when_the_active_manifest_only_says_opened(
        signed_png: bytes, data_dir: Path) -> None:
    """Like ChatGPT's files: the active manifest only says 'opened'; the AI source is in the parent."""
    manifest = {"claim_generator_info": [{"name": "re-saver", "version": "1"}],
                "assertions": [{"label": "c2pa.actions", "data": {"actions": [
                    {"action": "c2pa.opened", "parameters": {"ingredientIds": ["p"]}}]}}]}
    kit = toolkit(data_dir)
    out = io.BytesIO()
    with c2pa.Builder(manifest, kit.context) as builder:
        builder.add_ingredient({"title": "p.png", "relationship": "parentOf", "label": "p"}, "image/png",
                               io.BytesIO(signed_png))
        builder.sign(kit.signer, "image/png", io.BytesIO(image(seed=3)), out)
    summary = read(out.getvalue(), data_dir)
    assert summary.actions == ("Opened an existing image",)
    assert summary.ai_generated is True
    assert summary.software_agent == "toy-diffusion 0.3"


def test_camera_source_is_not_reported_as_ai(data_dir: Path) -> None:
    manifest = {"claim_generator_info": [{"name": "camera app", "version": "1"}],
                "assertions": [{"label": "c2pa.actions", "data": {"actions": [{
                    "action": "c2pa.created",
                    "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"}]}}]}
    kit = toolkit(data_dir)
    out = io.BytesIO()
    with c2pa.Builder(manifest, kit.context) as builder:
        builder.sign(kit.signer, "image/png", io.BytesIO(image()), out)
    summary = read(out.getvalue(), data_dir)
    assert summary.ai_generated is False
    assert summary.actions == ("Created: captured with a digital camera or sensor (digital capture)",)
    assert "not proof" in summary.ai_text


# --- tampering, trust, expiry ----------------------------------------------------------------------

EXPECTED_FAILURE = {"pixel": "assertion.dataHash.mismatch", "crop": "assertion.dataHash.mismatch",
                    "thumbnail": "assertion.hashedURI.mismatch",
                    "resign_untrusted": "signingCredential.untrusted"}


@pytest.mark.parametrize("fmt", ["png", "jpeg"])
@pytest.mark.parametrize("kind", list(TAMPERS))
def test_each_tamper_gives_its_verdict_and_sentence(kind: str, fmt: str, request: pytest.FixtureRequest,
                                                     data_dir: Path) -> None:
    signed = request.getfixturevalue(f"signed_{fmt}")
    tampered = tamper(kind, signed, data_dir=data_dir)
    with Image.open(io.BytesIO(tampered)) as im:
        im.load()  # still a valid image file
    summary = read(tampered, data_dir)
    assert summary.verdict == TAMPERS[kind].expected
    assert "Transparency" in TAMPERS[kind].explanation
    if kind == "resave":
        assert summary.verdict_text == STRIPPED_TEXT and "does not mean a person made it" in summary.headline
        assert summary.ai_generated is None
        return
    code = EXPECTED_FAILURE[kind]
    assert code in codes(summary)
    assert failure_sentence(code) in summary.failures
    if kind in ("pixel", "crop"):
        assert summary.verdict_text == "Invalid: the image data changed after it was signed"
    if kind == "thumbnail":
        assert summary.verdict_text == "Invalid: part of its credentials was altered"


def test_pixel_tamper_changes_exactly_one_png_pixel(signed_png: bytes, data_dir: Path) -> None:
    tampered = tamper("pixel", signed_png, data_dir=data_dir)
    with Image.open(io.BytesIO(signed_png)) as a, Image.open(io.BytesIO(tampered)) as b:
        diff = np.asarray(a).astype(int) - np.asarray(b).astype(int)
    assert np.count_nonzero(diff.any(axis=2)) == 1


def test_tamper_rejects_unknown_kinds_and_unsigned_images(data_dir: Path) -> None:
    with pytest.raises(ValueError, match="Unknown tamper"):
        tamper("blur", image(), data_dir=data_dir)
    with pytest.raises(ValueError, match="sign it first"):
        tamper("thumbnail", image(), data_dir=data_dir)


def test_untrusted_ca_reads_valid_but_untrusted(data_dir: Path) -> None:
    stranger = ca.untrusted_identity()
    summary = read(sign(image(), prompt=PROMPT, **MODEL, signer=stranger, data_dir=data_dir), data_dir)
    assert (summary.verdict, summary.verdict_text) == ("valid_untrusted", UNTRUSTED_TEXT)
    assert summary.failures == (failure_sentence("signingCredential.untrusted"),)
    assert summary.ai_generated is True  # the claim is still shown, as a claim


def test_user_trust_anchor_file_makes_that_ca_trusted(data_dir: Path, tmp_path: Path) -> None:
    stranger = ca.untrusted_identity()
    signed = sign(image(), prompt=PROMPT, **MODEL, signer=stranger, data_dir=data_dir)
    bundle = tmp_path / "anchors.pem"
    bundle.write_bytes(stranger.root_pem)
    assert read(signed, data_dir, trust_anchors_file=bundle).verdict == "trusted"
    assert read(signed, data_dir).verdict == "valid_untrusted"
    # The app's own root stays trusted beside the user's anchors.
    own = sign(image(), prompt=PROMPT, **MODEL, data_dir=data_dir)
    assert read(own, data_dir, trust_anchors_file=bundle).verdict == "trusted"


def test_unusable_trust_anchor_file_is_explained(tmp_path: Path) -> None:
    bad = tmp_path / "anchors.pem"
    bad.write_text("not a certificate")
    certs, problem = ca.read_trust_anchors(bad)
    assert certs == [] and "no readable PEM certificates" in problem
    assert "could not be read" in ca.read_trust_anchors(tmp_path / "missing.pem")[1]


def test_expired_certificate_without_timestamp_is_invalid(data_dir: Path) -> None:
    """c2pa will not sign with an expired certificate, so sign just before it lapses, then read after."""
    short_lived = ca.expiring_identity(data_dir, seconds=1)
    signed = sign(image(), prompt=PROMPT, **MODEL, signer=short_lived, data_dir=data_dir)
    time.sleep(max(0.0, (short_lived.not_after - dt.datetime.now(dt.UTC)).total_seconds()) + 1.05)
    summary = read(signed, data_dir)
    assert summary.verdict == "invalid"
    assert summary.verdict_text == "Invalid: the signing certificate has expired"
    assert failure_sentence("signingCredential.expired") in summary.failures
    assert "no trusted time-stamp" in failure_sentence("signingCredential.expired").sentence
    assert summary.certificate_text == (f"The signing certificate expired on {when(short_lived.not_after)}, and no "
                                        "trusted time-stamp shows that it was still valid when this was signed.")


def test_remote_manifest_is_not_fetched(data_dir: Path) -> None:
    """Proves verify.remote_manifest_fetch=False took effect: c2pa says it *must* fetch, not "could not"."""
    kit = toolkit(data_dir)
    manifest = {"claim_generator_info": [{"name": "cloud app", "version": "1"}],
                "assertions": [{"label": "c2pa.actions", "data": {"actions": [
                    {"action": "c2pa.created", "digitalSourceType": TRAINED}]}}]}
    out = io.BytesIO()
    with c2pa.Builder(manifest, kit.context) as builder:
        builder.set_no_embed()
        builder.set_remote_url("http://127.0.0.1:9/manifest.c2pa")
        builder.sign(kit.signer, "image/png", io.BytesIO(image()), out)
    start = time.perf_counter()
    summary = read(out.getvalue(), data_dir)
    assert time.perf_counter() - start < 1
    assert summary.verdict == "unreadable"
    assert "stored online at http://127.0.0.1:9/manifest.c2pa" in summary.headline
    assert codes(summary) == {"manifest.inaccessible"}
    assert "must fetch" in summary.detail


def test_failure_sentences_cover_unknown_codes() -> None:
    assert "claimSignature.mismatch" in failure_sentence("claimSignature.mismatch").code
    assert "signature" in failure_sentence("claimSignature.mismatch").sentence
    generic = failure_sentence("assertion.madeUp.code", "box too small.")
    assert "assertion.madeUp.code" in generic.sentence and "box too small" in generic.sentence
    offline = failure_sentence("cawg.ica.did_unavailable").sentence
    assert "did not fetch it" in offline and "Do not rely" not in offline  # not the same as a forgery
    assert "forged" in failure_sentence("cawg.ica.signature_mismatch").sentence


# --- the demo CA -----------------------------------------------------------------------------------

def test_demo_ca_has_the_extensions_c2pa_requires_and_private_keys(data_dir: Path) -> None:
    identity = ca.demo_identity(data_dir)
    ee = x509.load_pem_x509_certificate(identity.chain_pem)
    assert ee.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ca.DEMO_ORG
    assert ee.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert ee.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    eku = ee.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in eku
    assert ee.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    ca_dir = data_dir / "provenance" / "demo-ca"
    for key in ("root.key", "signer.key"):
        assert stat.S_IMODE((ca_dir / key).stat().st_mode) == 0o600
    assert ca.demo_identity(data_dir) == identity  # idempotent


def test_demo_ca_creation_is_safe_when_racing(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        identities = set(pool.map(lambda _: ca.demo_identity(tmp_path), range(8)))
    assert len(identities) == 1
    assert [p.name for p in (tmp_path / "provenance").iterdir()] == ["demo-ca"]  # no temporary folders left


# --- self-test and samples -------------------------------------------------------------------------

def test_self_test_passes(data_dir: Path) -> None:
    result = self_test(data_dir)
    assert result.ok and "Trusted" in result.message


def test_sample_images_show_every_verdict(data_dir: Path) -> None:
    samples = {s.key: s for s in sample_images(data_dir)}
    verdicts = {key: read(s.data, data_dir).verdict for key, s in samples.items()}
    assert verdicts == {"signed": "trusted", "edited": "trusted", "tampered": "invalid", "stripped": "none",
                        "untrusted": "valid_untrusted", "plain": "none"}
    assert read(samples["edited"].data, data_dir).ingredients[0].relationship == "parentOf"
    again = {s.key: s.data for s in sample_images(data_dir)}
    assert again == {key: s.data for key, s in samples.items()}  # read back from the cache, not rebuilt


# --- formats ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "mime"), [
    ("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif"),
    ("TIFF", "image/tiff"), ("AVIF", "image/avif")])
def test_mime_is_sniffed_from_bytes(fmt: str, mime: str, data_dir: Path) -> None:
    summary = read(image(fmt, (16, 16)), data_dir)
    assert (summary.mime, summary.verdict) == (mime, "none")


def test_damaged_png_header_is_unreadable(data_dir: Path) -> None:
    png = bytearray(image())
    png[16:24] = struct.pack(">II", 0, 0)  # zero width and height in IHDR
    summary = read(bytes(png), data_dir)
    assert summary.verdict == "unreadable" and "header is damaged" in summary.headline


# --- an independent verifier -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def encypher(tmp_path_factory: pytest.TempPathFactory):
    ec = pytest.importorskip("encypher_c2pa", reason="encypher-c2pa (requirements-dev.txt) is not installed")
    # It saves a telemetry preference in the user's config folder even with telemetry=False.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ENCYPHER_C2PA_CONFIG_DIR", str(tmp_path_factory.mktemp("encypher-config")))
        yield ec


@pytest.mark.parametrize("case", ["signed_png", "signed_jpeg", "edited", "untrusted", *TAMPERS])
def test_independent_verifier_agrees_on_integrity_and_trust(case: str, encypher, signed_png: bytes,
                                                            data_dir: Path) -> None:
    """encypher-c2pa shares no code with c2pa-rs; both must agree on what changed and who is trusted."""
    if case == "signed_jpeg":
        data, mime = sign(image("JPEG"), prompt=PROMPT, **MODEL, data_dir=data_dir), "image/jpeg"
    elif case == "edited":
        data = sign(image(seed=1), prompt=None, **MODEL, parent=signed_png, data_dir=data_dir)
        mime = "image/png"
    elif case == "untrusted":
        data = sign(image(), prompt=None, **MODEL, signer=ca.untrusted_identity(), data_dir=data_dir)
        mime = "image/png"
    elif case in TAMPERS:
        data, mime = tamper(case, signed_png, data_dir=data_dir), "image/png"
    else:
        data, mime = signed_png, "image/png"
    ours = read(data, data_dir)
    theirs = encypher.verify(data, mime, trust_pem=ca.demo_identity(data_dir).root_pem.decode(),
                             no_default_trust=True, telemetry=False, online=False)
    if ours.verdict == "none":
        assert theirs["present"] is False
        return
    intact = ours.verdict in ("trusted", "valid_untrusted")
    assert (theirs["integrity"] == "valid") == intact
    if intact:
        assert (theirs["trust"]["status"] == "valid_for_supplied_material") == (ours.verdict == "trusted")
    integrity_codes = {"assertion.dataHash.mismatch", "assertion.hashedURI.mismatch",
                       "claimSignature.mismatch"}
    their_failures = {f["code"] for f in theirs["validation_results"]["failure"]}
    assert their_failures & integrity_codes == codes(ours) & integrity_codes
