"""A demo certificate authority, so the app can sign Content Credentials offline.

C2PA signatures need an X.509 chain, and c2pa-rs only accepts certificates with a particular shape
(v3, an end-entity with digitalSignature key usage, an e-mail-protection / document-signing EKU, an
Authority Key Identifier, not a CA). A learner's machine has no such certificate, so on first use we
create a small private PKI in ``<data_dir>/provenance/demo-ca/``: a root CA, which is the app's trust
anchor, and an end-entity certificate the local model signs with. Its ``O=`` name is what viewers
show as the signer. It is a *demo* CA: anyone who copies the data directory can sign as the app,
which is why the name says so.

Signing is offline, without a timestamp authority, so a credential turns invalid
(``signingCredential.expired``) once the end-entity certificate expires; it is therefore valid for
ten years. The helpers at the end make an *untrusted* CA (``samples.py`` signs the viewer's "unknown
CA" sample and the tamper lab's re-signed image with it) and a signer whose certificate is about to
expire (``tests/unit/test_provenance.py`` reads a credential after it lapses).
"""

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

DEMO_ORG = "AI-901 Image Generation Lab (demo CA)"
UNTRUSTED_ORG = "Unknown Studio (a CA you have not chosen to trust)"
CA_DIR_NAME = "demo-ca"

#: id-kp-documentSigning (RFC 9336); c2pa-rs accepts it beside e-mail protection.
_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
_ROOT_YEARS = 20
_SIGNER_YEARS = 10


@dataclass(frozen=True)
class SigningIdentity:
    """What a C2PA signer needs: the chain (end-entity first, root left out), its key, and the root.

    The root is kept beside the chain because it is what a verifier must trust; it is never sent
    inside the signed file, exactly as with a real CA.
    """

    chain_pem: bytes
    key_pem: bytes
    root_pem: bytes

    @property
    def not_after(self) -> dt.datetime:
        """When the signing certificate expires; without a timestamp, so do its credentials."""
        return x509.load_pem_x509_certificate(self.chain_pem).not_valid_after_utc


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)])


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _make_root(organisation: str, now: dt.datetime) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"{organisation} root", organisation)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365 * _ROOT_YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256()))
    return cert, key


def _make_signer(root: x509.Certificate, root_key: ec.EllipticCurvePrivateKey, organisation: str,
                 not_before: dt.datetime, not_after: dt.datetime,
                 ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """An end-entity certificate with exactly the extensions c2pa-rs's certificate profile demands."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name("Local image model signer", organisation))
            .issuer_name(root.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, _DOCUMENT_SIGNING]),
                           critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                           critical=False)
            .sign(root_key, hashes.SHA256()))
    return cert, key


def _new_identity(organisation: str) -> tuple[SigningIdentity, bytes]:
    """A fresh root and signer; returns the identity and the root's private key PEM."""
    now = dt.datetime.now(dt.UTC)
    root, root_key = _make_root(organisation, now)
    cert, key = _make_signer(root, root_key, organisation, now - dt.timedelta(hours=1),
                             now + dt.timedelta(days=365 * _SIGNER_YEARS))
    return SigningIdentity(_cert_pem(cert), _key_pem(key), _cert_pem(root)), _key_pem(root_key)


def _write(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _load(ca_dir: Path) -> SigningIdentity:
    return SigningIdentity(chain_pem=(ca_dir / "signer.pem").read_bytes(),
                           key_pem=(ca_dir / "signer.key").read_bytes(),
                           root_pem=(ca_dir / "root.pem").read_bytes())


def demo_identity(data_dir: Path) -> SigningIdentity:
    """The app's signing identity, created on first use under ``<data_dir>/provenance/demo-ca``.

    Two processes may start at once (several Streamlit replicas, or a test run beside the app).
    Each builds a complete CA in a private temporary folder and renames it into place; a rename
    onto an existing, non-empty folder fails, so exactly one CA wins and the loser reads it. No
    process can ever see a root from one run beside a signer from another.
    """
    base = Path(data_dir) / "provenance"
    ca_dir = base / CA_DIR_NAME
    if (ca_dir / "signer.key").exists():
        return _load(ca_dir)
    base.mkdir(parents=True, exist_ok=True)
    identity, root_key_pem = _new_identity(DEMO_ORG)
    tmp = Path(tempfile.mkdtemp(prefix=".demo-ca-", dir=base))
    try:
        _write(tmp / "root.pem", identity.root_pem, 0o644)
        _write(tmp / "root.key", root_key_pem, 0o600)
        _write(tmp / "signer.pem", identity.chain_pem, 0o644)
        _write(tmp / "signer.key", identity.key_pem, 0o600)
        os.rename(tmp, ca_dir)
    except OSError:
        if not (ca_dir / "signer.key").exists():
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return _load(ca_dir)


def untrusted_identity() -> SigningIdentity:
    """A signer from a CA the app does not trust: a well-formed credential that reads as "Valid"."""
    return _new_identity(UNTRUSTED_ORG)[0]


def expiring_identity(data_dir: Path, seconds: float = 2.0) -> SigningIdentity:
    """A signer certified by the app's own root whose certificate lapses ``seconds`` from now.

    c2pa refuses to sign with a certificate that has already expired, so an expired credential is
    made the way it happens in real life: sign while the certificate is valid, read after it lapses.
    Issued by the *trusted* root on purpose, so the only thing wrong afterwards is the date: every
    credential signed without a timestamp authority ends like this.
    """
    trusted = demo_identity(data_dir)
    root = x509.load_pem_x509_certificate(trusted.root_pem)
    root_key = serialization.load_pem_private_key((Path(data_dir) / "provenance" / CA_DIR_NAME / "root.key")
                                                  .read_bytes(), None)
    if not isinstance(root_key, ec.EllipticCurvePrivateKey):
        raise TypeError("The demo root key is not an EC key; delete the demo-ca folder to recreate it.")
    now = dt.datetime.now(dt.UTC)
    cert, key = _make_signer(root, root_key, DEMO_ORG, now - dt.timedelta(hours=1),
                             now + dt.timedelta(seconds=seconds))
    return SigningIdentity(_cert_pem(cert), _key_pem(key), trusted.root_pem)


def read_trust_anchors(path: Path | None) -> tuple[list[bytes], str | None]:
    """Certificates from a user's PEM bundle, and a sentence if the file could not be used.

    Each certificate is parsed here before c2pa sees it: c2pa silently accepts bad settings, so a
    broken bundle would otherwise fail quietly as "untrusted" with no explanation.
    """
    if path is None:
        return [], None
    try:
        certs = x509.load_pem_x509_certificates(Path(path).read_bytes())
    except OSError:
        return [], (f"The trust anchors file {Path(path).name} could not be read; "
                    "check the path in GENLAB_TRUST_ANCHORS.")
    except ValueError:
        return [], (f"The trust anchors file {Path(path).name} holds no readable PEM certificates; "
                    "it should contain one or more '-----BEGIN CERTIFICATE-----' blocks.")
    return [_cert_pem(c) for c in certs], None
