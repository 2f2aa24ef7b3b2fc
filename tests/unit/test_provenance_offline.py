"""Uploading any file never makes the app open a connection (c2pa-rs resolves did:web issuers and
fetches remote manifests unless told not to). A real listener on loopback counts connections; the
positive control proves that the same file under a networked Context *does* connect, so these tests
would fail without the app's offline settings."""

import io
import json
from collections.abc import Iterator
from pathlib import Path

import c2pa
import pytest

from genlab.provenance import inspect
from genlab.provenance.runtime import NETWORK_OFF, offline_settings, toolkit
from tests.fixtures import provenance_fixtures as fx
from tests.fixtures.network import HOST, Listener

pytestmark = pytest.mark.skipif(HOST is None, reason="no host name resolves to loopback in /etc/hosts")


@pytest.fixture
def listener() -> Iterator[Listener]:
    lis = Listener()
    yield lis
    lis.close()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("offline-data")


def networked_read(data: bytes, data_dir: Path) -> None:
    """The same reader with the network switches back at c2pa's defaults: the positive control."""
    settings = offline_settings(toolkit(data_dir).identity.root_pem.decode())
    settings["core"] = {key: value for key, value in settings["core"].items() if key not in NETWORK_OFF["core"]}
    settings["verify"]["remote_manifest_fetch"] = True
    try:
        with c2pa.Reader("image/png", io.BytesIO(data), context=c2pa.Context.from_dict(settings)) as reader:
            reader.json()
    except c2pa.C2paError:
        pass  # the listener answers nothing useful; what counts is that a connection was made


def test_did_web_identity_connects_under_default_settings(listener: Listener, data_dir: Path) -> None:
    hostile = fx.ica_identity(data_dir, HOST, listener.port)
    networked_read(hostile, data_dir)
    assert listener.settle(), "the positive control failed: c2pa-rs no longer resolves did:web here"


def test_engine_does_not_resolve_did_web_and_keeps_the_verdict(listener: Listener, data_dir: Path) -> None:
    hostile = fx.ica_identity(data_dir, HOST, listener.port)
    summary = inspect(hostile, data_dir=data_dir)
    assert listener.settle() == []
    assert summary.verdict == "trusted"  # the identity's failure is reported beside the verdict
    [identity] = summary.identities
    assert not identity.verified and identity.named == "Eve Example"
    assert "cawg.ica.did_unavailable" in {f.code for f in identity.failures}
    assert "identity service" in identity.credential and f"did:web:{HOST}" in identity.credential
    assert "identity claim" in summary.headline


def test_studio_edit_path_does_not_resolve_did_web_and_reads_trusted(listener: Listener, data_dir: Path) -> None:
    """The studio's edit signs with the upload as parent (LocalBackend._sign calls this ``sign``)."""
    hostile = fx.ica_identity(data_dir, HOST, listener.port)
    edited = fx.edit_of(hostile, data_dir)
    summary = inspect(edited, data_dir=data_dir)
    assert listener.settle() == []
    assert summary.verdict == "trusted" and summary.failures == ()
    [parent] = summary.ingredients
    assert parent.verdict == "trusted" and "identity claim in it was not verified" in parent.verdict_text
    assert "cawg.ica.did_unavailable" in {f.code for f in parent.failures}
    # c2pa-python's own Reader, with the same offline Context, agrees that the file is intact
    with c2pa.Reader("image/png", io.BytesIO(edited), context=toolkit(data_dir).context) as reader:
        assert json.loads(reader.json())["active_manifest"]


def test_remote_manifest_is_fetched_only_by_the_networked_control(listener: Listener, data_dir: Path) -> None:
    hostile = fx.remote_manifest(data_dir, f"http://{HOST}:{listener.port}/m.c2pa")
    summary = inspect(hostile, data_dir=data_dir)
    assert listener.settle() == []
    assert summary.verdict == "unreadable" and {f.code for f in summary.failures} == {"manifest.inaccessible"}
    networked_read(hostile, data_dir)
    assert listener.settle(), "the positive control failed: the remote manifest was not fetched"
