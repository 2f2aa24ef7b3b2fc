"""Prove, once per process, that signing and trust really work together.

c2pa accepts misspelled settings without a word, so a typo in a trust key would quietly turn every
credential the app makes into "signer not on your trust list". Signing a tiny image and reading it
back as Trusted is the cheapest proof that the whole chain (CA, signer, Context) is right; the
viewer page shows the message when it is not.
"""

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image

import genlab
from genlab.provenance.inspect import inspect
from genlab.provenance.runtime import toolkit
from genlab.provenance.sign import sign


@dataclass(frozen=True)
class SelfTestResult:
    ok: bool
    message: str


def self_test(data_dir: Path, trust_anchors_file: Path | None = None) -> SelfTestResult:
    """Sign a 4x4 PNG and read it back; the result is cached per process, data directory and trust file.

    ``trust_anchors_file`` is the configured extra anchors (Settings.trust_anchors_file), so a
    problem reading it is reported here too.
    """
    return _self_test(Path(data_dir).resolve(), Path(trust_anchors_file).resolve() if trust_anchors_file else None)


@lru_cache(maxsize=4)
def _self_test(data_dir: Path, trust_anchors_file: Path | None) -> SelfTestResult:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, "PNG")
    try:
        signed = sign(buf.getvalue(), prompt="self-test", model_name="genlab self-test",
                      model_version=genlab.__version__, data_dir=data_dir)
    except Exception as exc:  # any failure here is reported on the page rather than crashing it
        return SelfTestResult(False, f"Content Credentials are not working: signing a test image failed "
                                     f"({type(exc).__name__}: {exc}). Check that {data_dir} is writable, "
                                     "or delete its provenance/demo-ca folder to create a new demo CA.")
    summary = inspect(signed, data_dir=data_dir, trust_anchors_file=trust_anchors_file)
    if summary.verdict != "trusted" or not summary.ai_generated:
        reasons = " ".join(f.sentence for f in summary.failures) or summary.headline
        return SelfTestResult(False, f"Content Credentials are misconfigured: a test image signed by the app "
                                     f"read back as '{summary.verdict_text}'. {reasons}")
    kit = toolkit(data_dir, trust_anchors_file)
    if kit.trust_problem:
        return SelfTestResult(False, "Signing works, but your extra trust anchors were not loaded. "
                                     + kit.trust_problem)
    extra = f" plus {kit.user_anchor_count} trust anchor(s) of your own" if kit.user_anchor_count else ""
    return SelfTestResult(True, "Content Credentials work: a test image signed by the app's demo CA reads "
                                f"back as Trusted (trust list: the demo CA{extra}).")
