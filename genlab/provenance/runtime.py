"""The c2pa objects the app shares: one offline ``Context`` and one ``Signer`` per data directory.

Every Reader and Builder gets this explicit Context. c2pa-python 0.38.1 otherwise falls back to a
process-wide default that trusts nobody and *fetches remote manifests over the network*; and the
deprecated ``load_settings()`` is ignored. Settings keys are not validated by c2pa (a typo is
silently dropped), so each key below is one the reference measured, and the tests prove each one
has its effect (Trusted verdict, 256 px thumbnail, remote manifest not fetched).
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import c2pa

from genlab.provenance.ca import SigningIdentity, demo_identity, read_trust_anchors

#: Longest edge of the thumbnail c2pa embeds. The default (1024 px) costs ~50 ms and tens of KB.
THUMBNAIL_EDGE = 256


@dataclass(frozen=True)
class Toolkit:
    """What signing and inspecting need, created once per process per data directory."""

    data_dir: Path
    identity: SigningIdentity
    context: c2pa.Context
    signer: c2pa.Signer
    user_anchor_count: int
    trust_problem: str | None


#: Every c2pa-rs 0.91.3 setting that can make it resolve a host name or open a connection, switched off.
#: ``remote_manifest_fetch`` and ``ocsp_fetch`` are the documented switches; they do *not* cover a CAWG
#: identity assertion whose ``did:web`` issuer c2pa-rs resolves over HTTPS while validating, which any
#: uploaded file can name (blind SSRF). ``allowed_network_hosts: []`` is the allow-list every c2pa-rs
#: HTTP request passes through: empty means no host at all. Redirects, certificate-status (OCSP)
#: fetching while building and automatic time-stamp fetching are off too, and signers get no TSA URL:
#: the allow-list does not govern a signer's own ``ta_url``, which c2pa-rs POSTs to while signing (the test
#: fixtures sign through a loopback TSA under exactly this Context), so ``make_signer`` passes ``None``.
NETWORK_OFF = {
    "core": {"allowed_network_hosts": [], "allow_redirects": False},
    "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
    "builder": {"certificate_status_fetch": None, "auto_timestamp_assertion": {"enabled": False}},
}


def offline_settings(trust_pem: str) -> dict:
    """The settings of every Context here: trust these anchors, never touch the network.

    The one place a c2pa Context's settings are decided: ``offline_context`` builds every Reader and
    Builder Context from it, and the tests prove no connection is made (tests/unit/test_provenance_offline.py).
    """
    return {
        "trust": {"trust_anchors": trust_pem},
        "core": dict(NETWORK_OFF["core"]),
        "verify": {"verify_trust": True, **NETWORK_OFF["verify"]},
        "builder": {"thumbnail": {"enabled": True, "long_edge": THUMBNAIL_EDGE}, **NETWORK_OFF["builder"]},
    }


def offline_context(trust_pem: str) -> c2pa.Context:
    """The only way this app makes a c2pa Context: trusting ``trust_pem`` and with every network switch off."""
    return c2pa.Context.from_dict(offline_settings(trust_pem))


def make_signer(identity: SigningIdentity) -> c2pa.Signer:
    """An ES256 signer with no timestamp authority (``None``): signing must work offline."""
    info = c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, identity.chain_pem, identity.key_pem, None)
    return c2pa.Signer.from_info(info)


def toolkit(data_dir: Path, trust_anchors_file: Path | None = None) -> Toolkit:
    """The shared toolkit for ``data_dir`` (where the demo CA lives), trusting the demo CA and the
    anchors in ``trust_anchors_file`` (None: no extra anchors).

    Both come from the caller (the page passes ``Settings.data_dir`` and ``Settings.trust_anchors_file``):
    the engine reads no configuration of its own, so a test or a bench says exactly what it uses.
    """
    if data_dir is None:
        raise TypeError("toolkit() needs the data directory (Settings.data_dir); there is no default")
    return _toolkit(Path(data_dir).resolve(), Path(trust_anchors_file).resolve() if trust_anchors_file else None)


@lru_cache(maxsize=8)
def _toolkit(data_dir: Path, trust_file: Path | None) -> Toolkit:
    identity = demo_identity(data_dir)
    extra, problem = read_trust_anchors(trust_file)
    trust_pem = b"".join([identity.root_pem, *extra]).decode("ascii")
    context = offline_context(trust_pem)
    return Toolkit(data_dir, identity, context, make_signer(identity), len(extra), problem)
