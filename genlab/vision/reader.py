"""Read a picture of the illustrated world back into its facts, with a confidence for each.

This is computer vision in miniature: an image goes in, understanding (text) comes out. The same
reader judges the generator: if it reads back what the prompt asked for, the picture follows the
prompt. It was trained on rendered pictures and on the same pictures after a trip through the
model's autoencoder, so it reads generated pictures as well as clean ones.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image

from genlab.world.attributes import ATTRIBUTES
from genlab.world.caption import caption_of
from genlab.world.scene import Scene, Subject

WEIGHTS = Path(__file__).resolve().parent / "weights"
READER_FILE = WEIGHTS / "reader.onnx"
CARD_FILE = WEIGHTS / "reader.json"
SIZE = 64

#: Facts that only mean something for some layouts.
_APPLIES = {"accessory": {"single"}, "texture": {"single"}, "size": {"single"}, "position": {"single"},
            "subject2": {"and", "above"}, "colour2": {"and", "above"}}


@dataclass
class Reading:
    """What the reader sees: a value and a confidence (0-1) for every fact that applies."""

    facts: dict[str, str | None]
    confidence: dict[str, float]

    @property
    def caption(self) -> str:
        """The reading as a plain caption."""
        f = self.facts
        first = Subject(f["subject"] or "circle", f["colour"] or "red", f.get("accessory") or "none",
                        f.get("texture") or "plain")
        subjects = (first,) if f["layout"] == "single" else (
            first, Subject(f["subject2"] or "circle", f["colour2"] or "red"))
        return caption_of(Scene(f["layout"] or "single", subjects, f["scene"] or "plain", f["style"] or "flat",
                                f.get("size") or "large", f.get("position") or "center"))

    def agrees_with(self, wanted: dict[str, str | None]) -> dict[str, bool]:
        """Per fact the prompt named: did the reader see that value?"""
        return {k: self.facts.get(k) == v for k, v in wanted.items() if v is not None}


@lru_cache(maxsize=1)
def _session() -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    # Spinning threads collapse when cores are shared; see genlab.diffusion.model.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(READER_FILE), options, providers=["CPUExecutionProvider"])


def reader_info() -> dict:
    """Accuracy and training facts shipped next to the reader's weights."""
    return json.loads(CARD_FILE.read_text()) if CARD_FILE.exists() else {}


def _prepare(image: np.ndarray) -> np.ndarray:
    if image.shape[:2] != (SIZE, SIZE) or image.ndim != 3 or image.shape[-1] != 3:
        image = np.asarray(Image.fromarray(image).convert("RGB").resize((SIZE, SIZE), Image.Resampling.BOX))
    return image.astype(np.float32).transpose(2, 0, 1)


def read_batch(images: list[np.ndarray]) -> list[Reading]:
    """Read many pictures at once (one network call)."""
    logits = _session().run(None, {"images": np.stack([_prepare(im) for im in images])})[0]
    readings = []
    for row in logits:
        facts: dict[str, str | None] = {}
        confidence: dict[str, float] = {}
        start = 0
        for name, values in ATTRIBUTES.items():
            part = row[start:start + len(values)]
            start += len(values)
            p = np.exp(part - part.max())
            p /= p.sum()
            facts[name] = values[int(p.argmax())]
            confidence[name] = float(p.max())
        for name, layouts in _APPLIES.items():
            if facts["layout"] not in layouts:
                facts[name] = None
                confidence.pop(name)
        readings.append(Reading(facts, confidence))
    return readings


def read(image: np.ndarray) -> Reading:
    """Read one picture (any size; it is scaled to the reader's 64x64)."""
    return read_batch([image])[0]
