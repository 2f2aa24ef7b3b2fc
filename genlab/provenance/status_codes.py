"""What each C2PA and CAWG validation status code means, in a sentence a learner can act on.

The list of codes is data (``c2pa_status_codes.txt``, with where it came from); the sentences below
are written from the meaning the C2PA specification (section "Validation status codes") and the CAWG
identity assertion specification give each code. c2pa-rs's own ``explanation`` for an entry stays
with it, for the expert who wants it. ``scope`` says what a failure is about, which is what decides
whether it can make the image's verdict Invalid:

- ``claim``: the signed claim itself or the file it binds (hashes, signature, structure);
- ``trust``: who vouches for the signer (never makes the claim Invalid by itself);
- ``time``: time-stamps and certificate validity at signing time;
- ``ingredient``: an ingredient's own credentials, reported on that ingredient;
- ``identity``: a CAWG identity assertion, reported beside the verdict.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Scope = Literal["claim", "trust", "time", "ingredient", "identity"]
CODE_LIST = Path(__file__).with_name("c2pa_status_codes.txt")


@dataclass(frozen=True)
class CodeMeaning:
    """``short`` completes "Invalid: ..."; ``sentence`` stands alone."""

    scope: Scope
    short: str
    sentence: str


def listed_codes() -> list[str]:
    """Every code in the data file, in its order."""
    lines = CODE_LIST.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _m(scope: Scope, short: str, sentence: str) -> CodeMeaning:
    return CodeMeaning(scope, short, sentence)


MEANINGS: dict[str, CodeMeaning] = {
    # --- success ---
    "claimSignature.validated": _m("claim", "the claim signature is valid",
        "The digital signature over the claim is valid: the claim has not changed since it was signed."),
    "claimSignature.insideValidity": _m("time", "signed while the certificate was valid",
        "The claim was signed while the signing certificate was valid."),
    "signingCredential.trusted": _m("trust", "the signer is on your trust list",
        "The signing certificate leads to a certificate on your trust list."),
    "signingCredential.ocsp.notRevoked": _m("trust", "the certificate was not revoked",
        "The certificate authority's revocation (OCSP) answer stored in the file says the signing certificate "
        "had not been revoked."),
    "timeStamp.validated": _m("time", "the time-stamp is valid",
        "A time-stamp authority's time-stamp is present, well-formed and matches the signature: it proves when "
        "the claim was signed."),
    "timeStamp.trusted": _m("time", "the time-stamp authority is trusted",
        "The time-stamp authority that dated the signature is on your trust list."),
    "assertion.hashedURI.match": _m("claim", "an assertion matches its hash",
        "An assertion (a statement in the credentials) still matches the hash the signed claim records for it."),
    "assertion.dataHash.match": _m("claim", "the image data matches",
        "The image data still matches the hash recorded when it was signed."),
    "assertion.dataHash.additionalExclusionsPresent": _m("claim", "the hash skips extra byte ranges",
        "The data hash leaves out more byte ranges of the file than the manifest itself, so those bytes could "
        "change without the hash noticing."),
    "assertion.bmffHash.match": _m("claim", "the media data matches",
        "The media (BMFF: MP4, HEIF, AVIF) data still matches the hash recorded when it was signed."),
    "assertion.bmffHash.additionalExclusionsPresent": _m("claim", "the hash skips extra boxes",
        "The BMFF hash leaves out more parts of the file than the manifest itself, so those parts could change "
        "without the hash noticing."),
    "assertion.boxesHash.match": _m("claim", "the file's boxes match",
        "The file's parts (boxes or chunks) still match the general box hash recorded when it was signed."),
    "assertion.boxesHash.additionalExclusionsPresent": _m("claim", "the hash skips extra boxes",
        "The box hash leaves out more parts of the file than the manifest itself, so those parts could change "
        "without the hash noticing."),
    "assertion.collectionHash.match": _m("claim", "every file of the collection matches",
        "Every file in the signed collection still matches its recorded hash."),
    "assertion.accessible": _m("claim", "a remote assertion was reachable",
        "An assertion stored outside the file was reachable when the credentials were checked."),
    "ingredient.manifest.validated": _m("ingredient", "an ingredient's manifest matches",
        "An ingredient's credentials still match the hash its parent recorded for them."),
    "ingredient.claimSignature.validated": _m("ingredient", "an ingredient's signature matches",
        "An ingredient's claim signature still matches the hash its parent recorded for it."),
    # --- informational ---
    "signingCredential.ocsp.skipped": _m("trust", "revocation was not checked online",
        "Whether the signing certificate was revoked was not checked online: this viewer never connects to "
        "the network."),
    "signingCredential.ocsp.inaccessible": _m("trust", "the revocation service did not answer",
        "An online revocation (OCSP) check was attempted but got no answer."),
    "timeStamp.mismatch": _m("time", "the time-stamp does not match the claim",
        "The time-stamp does not match the claim it should date: the claim or the time-stamp changed after "
        "time-stamping, so it proves nothing about when this claim was signed."),
    "timeStamp.malformed": _m("time", "the time-stamp is malformed",
        "The time-stamp is present but malformed, so it cannot show when the claim was signed."),
    "timeStamp.outsideValidity": _m("time", "the time-stamp is outside a certificate's validity",
        "The time-stamp falls outside the validity period of the signing certificate or of the time-stamp "
        "authority's certificate."),
    "timeStamp.untrusted": _m("time", "the time-stamp authority is not trusted",
        "The time-stamp is intact, but the authority that made it is not on your trust list, so its time is "
        "the authority's claim."),
    "manifest.unknownProvenance": _m("claim", "the manifest cannot be interpreted",
        "The manifest cannot be interpreted by this version of the C2PA library."),
    "manifest.unreferenced": _m("claim", "a manifest is not referenced",
        "The file holds a manifest that no ingredient refers to."),
    "ingredient.unknownProvenance": _m("ingredient", "an ingredient has no readable manifest",
        "An ingredient has no credentials, or credentials this version of the library cannot interpret."),
    "algorithm.deprecated": _m("claim", "a deprecated algorithm was used",
        "The credentials use an algorithm the C2PA specification has deprecated; it still works but is weaker "
        "than current choices."),
    "timeOfSigning.insideValidity": _m("time", "the signing time is inside the certificate's validity",
        "The signing time the signer claims lies within the certificate's validity and before any trusted "
        "time-stamp."),
    # --- failure: the claim and its bindings ---
    "claim.malformed": _m("claim", "the claim is malformed",
        "The claim (the signed summary of the credentials) is malformed and cannot be read."),
    "claim.missing": _m("claim", "the claim is missing",
        "The manifest has no claim, or a referenced claim cannot be found."),
    "claim.multiple": _m("claim", "there is more than one claim",
        "The manifest holds more than one claim, which the specification forbids."),
    "claim.hardBindings.missing": _m("claim", "nothing ties the credentials to this file",
        "The claim has no hard binding (no hash of the file's data), so nothing ties these credentials to "
        "this particular file."),
    "assertion.multipleHardBindings": _m("claim", "there is more than one hard binding",
        "The claim has more than one hard binding (hash of the file's data), which the specification forbids."),
    "claim.required.missing": _m("claim", "the claim lacks a required field",
        "A field the specification requires is missing from the claim."),
    "claim.cbor.invalid": _m("claim", "the claim's encoding is invalid",
        "The claim's CBOR encoding is invalid, so it cannot be read."),
    "ingredient.hashedURI.mismatch": _m("ingredient", "an ingredient's claim changed",
        "An ingredient's claim no longer matches the hash its parent recorded for it."),
    "claimSignature.missing": _m("claim", "the signature is missing",
        "The claim signature cannot be found in the manifest."),
    "claimSignature.mismatch": _m("claim", "the signature does not match",
        "The digital signature does not match the claim it covers: the credentials were altered after signing, "
        "or the signature itself is damaged."),
    "claimSignature.outsideValidity": _m("time", "signed outside the certificate's validity",
        "The claim was signed at a time when the signing certificate was not valid."),
    "manifest.inaccessible": _m("claim", "its credentials are stored online",
        "The credentials are stored online (a remote manifest) and this viewer works offline, so it did not "
        "fetch them."),
    "manifest.multipleParents": _m("claim", "more than one parent is recorded",
        "The manifest records more than one parent ingredient, which the specification forbids."),
    "manifest.update.invalid": _m("claim", "the update manifest makes changes it may not",
        "This is an update manifest (one that may only add information), but it contains a hard binding or "
        "actions, which an update manifest may not."),
    "manifest.update.wrongParents": _m("claim", "the update manifest has the wrong parents",
        "This is an update manifest, but it does not have exactly one parent ingredient."),
    "manifest.timestamp.invalid": _m("claim", "the time-stamp manifest holds other assertions",
        "This is a time-stamp manifest, but it holds assertions other than its ingredient."),
    "manifest.timestamp.wrongParents": _m("claim", "the time-stamp manifest has the wrong parents",
        "This is a time-stamp manifest, but it does not have exactly one parent ingredient."),
    "manifest.compressed.invalid": _m("claim", "the compressed manifest is invalid",
        "The manifest is compressed, and the compressed data is invalid."),
    "signingCredential.untrusted": _m("trust", "the signer is not on your trust list",
        "The signing certificate does not lead to any certificate on your trust list, so nothing you trust "
        "vouches for who signed."),
    "signingCredential.invalid": _m("claim", "the signing certificate is not acceptable",
        "The signing certificate does not meet the C2PA rules for signing certificates (its version, key "
        "usage or extended key usage)."),
    "signingCredential.ocsp.revoked": _m("claim", "the signing certificate was revoked",
        "The certificate authority revoked the signing certificate, so its signatures are no longer accepted."),
    "signingCredential.ocsp.unknown": _m("trust", "the revocation status is unknown",
        "The revocation (OCSP) answer does not know the signing certificate."),
    "signingCredential.expired": _m("time", "the signing certificate has expired",
        "The signing certificate has expired, and no trusted time-stamp proves it was still valid when the "
        "claim was signed."),
    "assertion.hashedURI.mismatch": _m("claim", "part of its credentials was altered",
        "A part of the credentials (such as the thumbnail or the list of actions) was altered after signing, "
        "so its hash no longer matches the signed claim."),
    "assertion.missing": _m("claim", "an assertion is missing",
        "An assertion the claim lists is missing from the manifest."),
    "assertion.undeclared": _m("claim", "an assertion was added",
        "The manifest holds an assertion that the claim does not list: it was added after signing."),
    "assertion.inaccessible": _m("claim", "a remote assertion was not reachable",
        "An assertion stored outside the file could not be reached."),
    "assertion.notRedacted": _m("claim", "a redacted assertion is still present",
        "An assertion the claim declares redacted (removed) is still present."),
    "assertion.selfRedacted": _m("claim", "a claim redacted its own assertion",
        "The claim declares one of its own assertions redacted, which the specification forbids."),
    "assertion.required.missing": _m("claim", "an assertion lacks a required field",
        "An assertion is missing a field the specification requires."),
    "assertion.json.invalid": _m("claim", "an assertion's JSON is invalid",
        "An assertion's JSON is not valid, so it cannot be read."),
    "assertion.cbor.invalid": _m("claim", "an assertion's encoding is invalid",
        "An assertion's CBOR encoding is not valid, so it cannot be read."),
    "assertion.action.ingredientMismatch": _m("claim", "an action's ingredient is missing",
        "An action that needs an ingredient (such as opening or placing an image) has none, or names one "
        "that cannot be found."),
    "assertion.action.redacted": _m("claim", "an actions assertion was redacted",
        "An actions assertion was redacted, which the specification forbids."),
    "assertion.action.malformed": _m("claim", "an actions assertion is malformed",
        "An actions assertion (the list of what was done to the image) is malformed."),
    "assertion.action.redactionMismatch": _m("claim", "a redaction action does not match",
        "An action says something was redacted, but the redaction it refers to cannot be found."),
    "assertion.action.softBindingMissing": _m("claim", "a watermark action has no watermark record",
        "An action says a watermark or fingerprint was added, but no soft-binding assertion records it."),
    "assertion.dataHash.mismatch": _m("claim", "the image data changed after it was signed",
        "The image data no longer matches the hash recorded when it was signed: its pixels (or other bytes) "
        "changed after signing."),
    "assertion.dataHash.malformed": _m("claim", "the data hash is malformed",
        "The data hash assertion (the hash of the file's bytes) is malformed."),
    "assertion.dataHash.redacted": _m("claim", "the data hash was redacted",
        "The data hash assertion was redacted, so nothing ties the credentials to the file."),
    "assertion.hardBinding.redacted": _m("claim", "the hard binding was redacted",
        "The hard binding (the hash of the file's data) was redacted, so nothing ties the credentials to the "
        "file."),
    "assertion.bmffHash.mismatch": _m("claim", "the media data changed after it was signed",
        "The media data no longer matches the hash recorded when it was signed."),
    "assertion.bmffHash.malformed": _m("claim", "the media hash is malformed",
        "The BMFF hash assertion (the hash of an MP4, HEIF or AVIF file's data) is malformed."),
    "assertion.boxesHash.mismatch": _m("claim", "the file's parts changed after signing",
        "A part (box or chunk) of the file no longer matches the hash recorded when it was signed."),
    "assertion.boxesHash.unknownBox": _m("claim", "the file has an unexpected part",
        "The file's parts (boxes or chunks) are not the ones, or not in the order, the box hash recorded."),
    "assertion.boxesHash.malformed": _m("claim", "the box hash is malformed",
        "The general box hash assertion is malformed."),
    "assertion.cloud-data.hardBinding": _m("claim", "a hard binding is stored remotely",
        "A hard binding (hash of the file's data) is stored in a cloud-data assertion, which the "
        "specification forbids."),
    "assertion.cloud-data.actions": _m("claim", "an update manifest stores actions remotely",
        "An update manifest refers to an actions assertion stored in the cloud, which the specification "
        "forbids."),
    "assertion.cloud-data.malformed": _m("claim", "a cloud-data assertion is malformed",
        "A cloud-data assertion (a pointer to an assertion stored online) is incomplete."),
    "assertion.collectionHash.mismatch": _m("claim", "a file of the collection changed",
        "A file in the signed collection no longer matches its recorded hash."),
    "assertion.collectionHash.incorrectFileCount": _m("claim", "a file of the collection is missing",
        "A file listed in the collection hash is missing from the collection."),
    "assertion.collectionHash.invalidURI": _m("claim", "a collection path is unsafe",
        "A path in the collection hash contains '.' or '..', which the specification forbids."),
    "assertion.collectionHash.malformed": _m("claim", "the collection hash is malformed",
        "The collection hash assertion is incomplete."),
    "assertion.multiAssetHash.malformed": _m("claim", "the multi-asset hash is malformed",
        "The multi-asset hash assertion is malformed."),
    "assertion.multiAssetHash.missingPart": _m("claim", "a part of the asset is missing",
        "A required part of the multi-part asset cannot be found."),
    "assertion.ingredient.malformed": _m("claim", "an ingredient record is malformed",
        "An ingredient assertion (the record of an image this one was made from) is incomplete."),
    "assertion.metadata.disallowed": _m("claim", "the metadata holds a field it may not",
        "The metadata assertion contains a field the specification does not allow."),
    "assertion.outsideManifest": _m("claim", "an assertion lies outside its manifest",
        "The claim lists an assertion that is not in its own manifest."),
    "assertion.external-reference.malformed": _m("claim", "an external reference is malformed",
        "An external-reference assertion (a pointer to data elsewhere) is malformed."),
    "assertion.timestamp.malformed": _m("claim", "the time-stamp assertion is malformed",
        "The time-stamp assertion is malformed."),
    "algorithm.unsupported": _m("claim", "an algorithm is missing or unsupported",
        "A hash or signature algorithm is missing or not one the C2PA specification allows, so that part "
        "cannot be checked."),
    "general.error": _m("claim", "an error occurred while checking",
        "An error the specification has no specific code for occurred while checking the credentials."),
    "ingredient.manifest.missing": _m("ingredient", "an ingredient's credentials are missing",
        "The credentials of an ingredient they refer to are missing from the file."),
    "ingredient.manifest.mismatch": _m("ingredient", "an ingredient's credentials changed",
        "An ingredient's credentials no longer match the hash its parent recorded for them."),
    "ingredient.claimSignature.missing": _m("ingredient", "an ingredient's signature is missing",
        "The claim signature of an ingredient cannot be found."),
    "ingredient.claimSignature.mismatch": _m("ingredient", "an ingredient's signature changed",
        "An ingredient's claim signature no longer matches the hash its parent recorded for it."),
    "hashedURI.missing": _m("claim", "referenced data is missing",
        "Data that the credentials point to (with a hash) cannot be found."),
    "hashedURI.mismatch": _m("claim", "referenced data changed",
        "Data that the credentials point to no longer matches its recorded hash."),
    "com.adobe.prerelease": _m("claim", "it uses a pre-release C2PA format",
        "The credentials use a pre-release (pre-1.0) C2PA format that current verifiers no longer read."),
    # --- CAWG identity assertions ---
    "cawg.identity.well-formed": _m("identity", "the identity assertion is well-formed",
        "The identity assertion is well-formed."),
    "cawg.identity.assertion.duplicate": _m("identity", "an identity assertion is listed twice",
        "An identity assertion lists the same assertion more than once among those it signs."),
    "cawg.identity.assertion.mismatch": _m("identity", "an identity covers assertions that are not there",
        "The identity assertion signs assertions that are not in this manifest."),
    "cawg.identity.hard_binding_missing": _m("identity", "the identity is not bound to this file",
        "The identity assertion does not sign the file's hard binding, so it is not tied to this file."),
    "cawg.identity.pad.invalid": _m("identity", "the identity assertion's padding is invalid",
        "The identity assertion's padding holds something other than zeros."),
    "cawg.identity.sig_type.unknown": _m("identity", "the identity credential type is unknown",
        "The identity assertion uses a kind of credential this library does not know, so it cannot be checked."),
    "cawg.ica.credential_valid": _m("identity", "the identity credential is valid",
        "The identity claims aggregation credential (identities verified by an identity service) is valid."),
    "cawg.ica.did_unavailable": _m("identity", "the identity issuer's key was not fetched",
        "The identity service that vouches for these identities publishes its key online (a did:web "
        "document); this viewer works offline and did not fetch it, so the identity was not verified. That "
        "alone does not mean anything is wrong."),
    "cawg.ica.invalid_alg": _m("identity", "the identity signature algorithm is not supported",
        "The identity credential's signature uses an algorithm that is missing or not supported."),
    "cawg.ica.invalid_content_type": _m("identity", "the identity credential has the wrong content type",
        "The identity credential's signature does not declare the content type of a verifiable credential."),
    "cawg.ica.invalid_cose_sign1": _m("identity", "the identity signature is malformed",
        "The identity credential's signature (COSE) is malformed."),
    "cawg.ica.invalid_did_document": _m("identity", "the identity issuer's key document is invalid",
        "The identity service's key document (DID document) is invalid."),
    "cawg.ica.invalid_issuer": _m("identity", "the identity issuer is not supported",
        "The identity credential names its issuer in a way (a DID method) this library does not support."),
    "cawg.ica.invalid_verifiable_credential": _m("identity", "the identity credential is malformed",
        "The identity credential is not a well-formed verifiable credential."),
    "cawg.ica.signature_mismatch": _m("identity", "the identity signature does not match",
        "The identity credential's signature does not match its content: it was altered or forged."),
    "cawg.ica.signer_payload.mismatch": _m("identity", "the identity credential covers other content",
        "The identity credential signs a different set of assertions than the identity assertion lists."),
    "cawg.ica.time_stamp.invalid": _m("identity", "the identity time-stamp is invalid",
        "The identity credential's time-stamp is invalid."),
    "cawg.ica.time_stamp.validated": _m("identity", "the identity time-stamp is valid",
        "The identity credential's time-stamp is valid."),
    "cawg.ica.untrusted_issuer": _m("identity", "the identity issuer is not on your trust list",
        "The identity service that issued this credential is not one you trust, so the identities are its "
        "claim."),
    "cawg.ica.valid_from.invalid": _m("identity", "the identity credential is not yet valid",
        "The identity credential's start of validity is in the future or after its time-stamp."),
    "cawg.ica.valid_from.missing": _m("identity", "the identity credential has no start date",
        "The identity credential does not say from when it is valid, which the specification requires."),
    "cawg.ica.valid_until.invalid": _m("identity", "the identity credential has expired",
        "The identity credential's validity ended before now or before its time-stamp."),
    "cawg.x509.signature.validated": _m("identity", "the identity signature is valid",
        "The identity assertion's X.509 signature is valid."),
    "cawg.x509.signature.mismatch": _m("identity", "the identity signature does not match",
        "The identity assertion's X.509 signature does not match: it was altered or forged."),
    "cawg.x509.signature.outside_validity": _m("identity", "the identity was signed outside its certificate's validity",
        "The identity assertion was signed when its certificate was not valid."),
    "cawg.x509.credential.invalid": _m("identity", "the identity certificate is not acceptable",
        "The identity assertion's certificate does not meet the rules for identity certificates."),
    "cawg.x509.credential.untrusted": _m("identity", "the identity certificate is not trusted for identities",
        "The identity assertion's signature is valid, but its certificate does not lead to one trusted for "
        "identity claims, so the name is the signer's claim."),
    "cawg.x509.credential.trusted": _m("identity", "the identity certificate is trusted",
        "The identity assertion's certificate leads to one on your identity trust list."),
    "cawg.x509.algorithm.unsupported": _m("identity", "the identity signature algorithm is not supported",
        "The identity assertion's signature uses an algorithm that is not supported."),
}


def meaning(code: str) -> CodeMeaning | None:
    return MEANINGS.get(code)


def scope_of(code: str) -> Scope:
    """A code missing from the table is judged by its family; an unknown non-CAWG failure counts against
    the claim, since nothing says it is harmless."""
    if code in MEANINGS:
        return MEANINGS[code].scope
    if code.startswith("cawg."):
        return "identity"
    if code.startswith("ingredient."):
        return "ingredient"
    return "claim"
