"""The small world the local models know: a vocabulary, a caption grammar and a renderer.

The local text-to-image model is trained on images rendered here, and the vision reader learns to
read them back. Because every image comes from a known scene, we can measure exactly how well a
generated image follows its prompt, and show learners where a model's habits (biases) come from.
"""

from genlab.toyworld.caption import ParsedPrompt, caption_of, parse
from genlab.toyworld.render import render
from genlab.toyworld.sample import FREQUENCIES, held_out_captions, sample_scene
from genlab.toyworld.scene import Scene, Thing
from genlab.toyworld.vocab import (
    BACKGROUNDS,
    COLOURS,
    LAYOUTS,
    POSITIONS,
    SHAPES,
    SIZES,
)

__all__ = [
    "BACKGROUNDS",
    "COLOURS",
    "FREQUENCIES",
    "LAYOUTS",
    "POSITIONS",
    "SHAPES",
    "SIZES",
    "ParsedPrompt",
    "Scene",
    "Thing",
    "caption_of",
    "held_out_captions",
    "parse",
    "render",
    "sample_scene",
]
