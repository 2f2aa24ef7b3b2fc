"""Content Credentials (C2PA): sign what the local model makes, and explain what any image carries.

``sign`` embeds a signed manifest (AI source type, model, prompt, do-not-train) using a demo CA made
on first use; ``inspect`` turns any upload into a plain-language ``ProvenanceSummary`` and never
raises; ``tamper`` and ``TAMPERS`` drive the tamper lab; ``sample_images`` feeds the viewer;
``self_test`` proves signing and trust agree. No streamlit here: pages only render the results.
"""

from genlab.provenance.formats import ProvenanceError
from genlab.provenance.inspect import Failure, Identity, Ingredient, ProvenanceSummary, inspect
from genlab.provenance.samples import TAMPERS, Sample, Tamper, sample_images, tamper
from genlab.provenance.selftest import SelfTestResult, self_test
from genlab.provenance.sign import sign

__all__ = ["TAMPERS", "Failure", "Identity", "Ingredient", "ProvenanceError", "ProvenanceSummary", "Sample",
           "SelfTestResult", "Tamper", "inspect", "sample_images", "self_test", "sign", "tamper"]
