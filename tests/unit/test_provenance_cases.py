"""Unusual Content Credentials, built with c2pa-python's own Builder (tests/fixtures/provenance_fixtures.py),
and the exact sentences the card shows for each: time-stamps from a real RFC 3161 authority on loopback,
certificates valid then and expired since, update manifests, CAWG X.509 identities, ingredients with their
own failures, pre-1.0 claims and hashes that name no algorithm.

Expected times and dates come from the fixtures (the token the TSA issued, the certificate it made), never
from the reader, so a sentence that misreports them fails.
"""

import io
import json
from collections.abc import Iterator
from pathlib import Path

import c2pa
import pytest

from genlab.provenance import ProvenanceSummary, ca, inspect, sign
from genlab.provenance.inspect import EXPIRED_TRUST_SENTENCE, NO_TIME_TEXT, UPDATE_TEXT, failure_sentence, when
from genlab.provenance.runtime import offline_context, toolkit
from tests.fixtures import provenance_fixtures as fx
from tests.fixtures import tsa
from tests.fixtures.tsa import TSA_NAME

STRANGER_TSA = "Stranger Time-Stamp Authority"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cases-data")
    toolkit(path)  # the demo CA exists before a TSA is certified by its root
    return path


@pytest.fixture(scope="module")
def trusted(data_dir: Path) -> Iterator[tsa.RunningTsa]:
    with tsa.serve(tsa.trusted_tsa(data_dir)) as running:
        yield running


@pytest.fixture(scope="module")
def stranger() -> Iterator[tsa.RunningTsa]:
    with tsa.serve(tsa.untrusted_tsa(STRANGER_TSA)) as running:
        yield running


def read(data: bytes, data_dir: Path) -> ProvenanceSummary:
    return inspect(data, data_dir=data_dir)


def reader_codes(data: bytes, data_dir: Path) -> dict[str, set[str]]:
    """c2pa-python's own Reader, for the codes behind each sentence."""
    with c2pa.Reader("image/png", io.BytesIO(data), context=toolkit(data_dir).context) as reader:
        results = json.loads(reader.json())["validation_results"]["activeManifest"]
    return {kind: {e["code"] for e in results.get(kind) or []} for kind in ("success", "informational", "failure")}


def valid_until(identity: ca.SigningIdentity) -> str:
    return when(identity.not_after)


# --- time-stamps -----------------------------------------------------------------------------------


def test_time_stamp_from_a_trusted_authority_dates_the_signature(data_dir: Path, trusted: tsa.RunningTsa) -> None:
    before = trusted.requests
    data = fx.time_stamped(data_dir, trusted.url)
    assert trusted.requests == before + 1  # the signer asked the TSA once
    stamped = trusted.issued[-1]
    summary = read(data, data_dir)
    assert trusted.requests == before + 1  # reading never calls it
    assert (summary.verdict, summary.verdict_text) == ("trusted", "Trusted")
    assert summary.signed_at == (f"{when(stamped)}, time-stamped by {TSA_NAME}, a time-stamp authority on your "
                                 "trust list")
    until = valid_until(toolkit(data_dir).identity)
    assert summary.certificate_text == (
        f"The certificate was valid when the signature was time-stamped ({when(stamped)}) and stays valid until "
        f"{until}; the trusted time-stamp keeps proving that it was signed in time after that.")
    assert {"timeStamp.validated", "timeStamp.trusted"} <= reader_codes(data, data_dir)["success"]


def test_time_stamp_from_an_untrusted_authority_is_its_claim(data_dir: Path, stranger: tsa.RunningTsa) -> None:
    data = fx.time_stamped(data_dir, stranger.url)
    stamped = stranger.issued[-1]
    summary = read(data, data_dir)
    assert summary.verdict == "trusted"  # the signer is still the app's; only the time is unvouched for
    assert summary.signed_at == (f"{when(stamped)}, time-stamped by {STRANGER_TSA}, a time-stamp authority that is "
                                 "not on your trust list, so this time is that authority's claim")
    until = valid_until(toolkit(data_dir).identity)
    assert summary.certificate_text == (
        f"The signing certificate is valid until {until}. With no trusted time-stamp it is checked against "
        "today's date, so these credentials will read as expired once the certificate expires.")
    assert failure_sentence("timeStamp.untrusted") in summary.notes
    assert "timeStamp.untrusted" in reader_codes(data, data_dir)["informational"]


@pytest.fixture(scope="module")
def expired(data_dir: Path, trusted: tsa.RunningTsa, stranger: tsa.RunningTsa,
            ) -> dict[str, tuple[bytes, ca.SigningIdentity, str | None]]:
    """Three files whose signing certificates lapse a second after signing: time-stamped by a trusted TSA,
    by an untrusted one, and not at all; read after they lapsed (one wait for all three)."""
    made = {}
    for case, server in (("trusted", trusted), ("untrusted", stranger), ("none", None)):
        data, who = fx.expired_since(data_dir, server.url if server else None)
        made[case] = (data, who, when(server.issued[-1]) if server else None)
    fx.wait_until_expired(*(who for _, who, _ in made.values()))
    return made


def test_expired_certificate_covered_by_a_trusted_time_stamp_stays_trusted(data_dir: Path, expired: dict) -> None:
    data, who, stamped = expired["trusted"]
    summary = read(data, data_dir)
    assert (summary.verdict, summary.failures) == ("trusted", ())
    assert summary.signed_at == f"{stamped}, time-stamped by {TSA_NAME}, a time-stamp authority on your trust list"
    assert summary.certificate_text == (
        f"Valid then, expired since: the certificate was valid when the signature was time-stamped ({stamped}) "
        f"and expired on {valid_until(who)}. The trusted time-stamp proves it was signed while the certificate "
        "was valid, so the expiry does not count against it.")
    assert "claimSignature.insideValidity" in reader_codes(data, data_dir)["success"]


def test_expired_certificate_with_an_untrusted_time_stamp_is_invalid(data_dir: Path, expired: dict) -> None:
    data, who, stamped = expired["untrusted"]
    summary = read(data, data_dir)
    assert (summary.verdict, summary.verdict_text) == ("invalid", "Invalid: the signing certificate has expired")
    assert summary.signed_at == (f"{stamped}, time-stamped by {STRANGER_TSA}, a time-stamp authority that is not "
                                 "on your trust list, so this time is that authority's claim")
    assert summary.certificate_text == (
        f"The signing certificate expired on {valid_until(who)}. The signature is time-stamped, but by "
        f"{STRANGER_TSA}, which is not on your trust list, so nothing you trust shows that the certificate was "
        "still valid when this was signed.")
    assert {"signingCredential.expired", "signingCredential.untrusted"} <= reader_codes(data, data_dir)["failure"]
    # c2pa-rs calls the expired chain untrusted although it leads to the demo root: the card says why
    untrusted = next(f for f in summary.failures if f.code == "signingCredential.untrusted")
    assert untrusted.sentence == EXPIRED_TRUST_SENTENCE


def test_expired_certificate_without_a_time_stamp_is_invalid(data_dir: Path, expired: dict) -> None:
    data, who, _ = expired["none"]
    summary = read(data, data_dir)
    assert (summary.verdict, summary.verdict_text) == ("invalid", "Invalid: the signing certificate has expired")
    assert summary.signed_at == NO_TIME_TEXT
    assert summary.certificate_text == (f"The signing certificate expired on {valid_until(who)}, and no trusted "
                                        "time-stamp shows that it was still valid when this was signed.")


# --- manifests, identities, ingredients -------------------------------------------------------------


def test_update_manifest_says_what_it_is(data_dir: Path) -> None:
    parent = sign(fx.png(), prompt="a red square", model_name="toy-diffusion", model_version="0.3",
                  data_dir=data_dir)
    summary = read(fx.update_manifest(parent, data_dir), data_dir)
    assert (summary.verdict, summary.update_text) == ("trusted", UPDATE_TEXT)
    assert summary.actions == ("Opened an existing image", "Edited its metadata")
    [ingredient] = summary.ingredients
    assert (ingredient.title, ingredient.relationship, ingredient.verdict) == ("parent.png", "parentOf", "trusted")
    assert summary.ai_generated is True and summary.description is None  # AI use is the parent's, read there
    assert read(parent, data_dir).update_text is None


def test_cawg_x509_identity_with_a_valid_signature_and_an_unknown_certificate(data_dir: Path) -> None:
    person = ca.untrusted_identity()
    data = fx.cawg_x509_identity(data_dir, person)
    summary = read(data, data_dir)
    assert summary.verdict == "trusted" and summary.failures == ()  # identity results never flip the verdict
    [identity] = summary.identities
    assert identity.named == f"Local image model signer ({ca.UNTRUSTED_ORG})"
    assert identity.credential == "an X.509 certificate (cawg.x509.cose)"
    assert (identity.verified, identity.signature_valid) == (False, True)
    assert identity.status_text == ("Signature valid, signer unknown: the identity is signed as it says, but the "
                                    "identity check found no trusted certificate behind it, so the name is the "
                                    "signer's claim.")
    assert identity.failures == (failure_sentence("cawg.x509.credential.untrusted"),)
    codes = reader_codes(data, data_dir)
    assert "cawg.x509.signature.validated" in codes["success"]
    assert "cawg.x509.credential.untrusted" in codes["failure"]
    assert summary.headline.endswith("An identity claim in them was not verified; see the identity section.")


def test_ingredient_with_an_unknown_signer_is_reported_on_the_ingredient(data_dir: Path) -> None:
    summary = read(fx.untrusted_parent_edit(data_dir), data_dir)
    assert (summary.verdict, summary.failures) == ("trusted", ())
    [parent] = summary.ingredients
    assert (parent.verdict, parent.verdict_text) == ("valid_untrusted",
                                                     "Valid, but the signer is not on your trust list")
    assert parent.failures == (failure_sentence("signingCredential.untrusted"),)
    assert "An ingredient has problems" not in summary.headline  # an unknown signer is not a problem of its own


def test_ingredient_with_changed_pixels_is_invalid_on_its_own(data_dir: Path) -> None:
    summary = read(fx.tampered_parent_edit(data_dir), data_dir)
    assert (summary.verdict, summary.failures) == ("trusted", ())
    [parent] = summary.ingredients
    assert (parent.verdict, parent.verdict_text) == ("invalid", "Invalid: the image data changed after it was signed")
    assert parent.failures == (failure_sentence("assertion.dataHash.mismatch"),)
    assert summary.headline.endswith("An ingredient has problems of its own; see the ingredient list.")


# --- credentials that cannot be read claim nothing --------------------------------------------------


@pytest.mark.parametrize(("make", "verdict_text", "code"), [
    (fx.prerelease, "Unreadable: it uses pre-1.0 C2PA", "com.adobe.prerelease"),
    (fx.no_hash_algorithm, "Unreadable: the hash algorithm is missing", "algorithm.unsupported"),
])
def test_unreadable_credentials_claim_nothing_they_did_not_read(data_dir: Path, make, verdict_text: str,
                                                               code: str) -> None:
    data = make(data_dir)
    with pytest.raises(c2pa.C2paError):  # c2pa-python's Reader refuses the file too
        c2pa.Reader("image/png", io.BytesIO(data), context=toolkit(data_dir).context)
    summary = read(data, data_dir)
    assert (summary.verdict, summary.verdict_text) == ("unreadable", verdict_text)
    assert [f.code for f in summary.failures] == [code]
    assert (summary.signer, summary.signed_at, summary.certificate_text, summary.claim_generator) == (None,) * 4
    assert (summary.ai_generated, summary.actions, summary.identities, summary.ingredients) == (None, (), (), ())
    assert summary.ai_text == "Unknown: the credentials could not be read."
    assert summary.mime == "image/png"


# --- the app's own signature, with and without the demo root ----------------------------------------


def test_own_images_read_trusted_with_the_demo_root_and_unknown_signer_without(data_dir: Path,
                                                                               tmp_path: Path) -> None:
    own = sign(fx.png(), prompt="a red square", model_name="toy-diffusion", model_version="0.3", data_dir=data_dir)
    assert read(own, data_dir).verdict == "trusted"
    elsewhere = read(own, tmp_path)  # another data directory: another demo CA, this root not on its list
    assert (elsewhere.verdict, elsewhere.failures) == ("valid_untrusted",
                                                       (failure_sentence("signingCredential.untrusted"),))
    root = toolkit(data_dir).identity.root_pem.decode()
    other_root = toolkit(tmp_path).identity.root_pem.decode()
    for anchors, state in ((root, "Trusted"), (other_root, "Valid")):
        with c2pa.Reader("image/png", io.BytesIO(own), context=offline_context(anchors)) as reader:
            assert json.loads(reader.json())["validation_state"] == state
