"""The caption grammar: scene -> words, and words -> the slots the model is conditioned on.

The local model does not read free text. A prompt is parsed into eight *slots* (layout, first
shape, colour, size, position, second shape, colour, background); each slot holds one word or
"unspecified". That parse is our text encoder's first half: it is what lets a ~1M-parameter model
learn prompt-following in hours on a CPU, and it lets us tell learners exactly which of their
words the model understood and which it could not use.
"""

import re
from dataclasses import dataclass, field

from genlab.toyworld.scene import Scene, Thing
from genlab.toyworld.vocab import (
    ALIASES,
    BACKGROUNDS,
    COLOURS,
    FILLER,
    LAYOUTS,
    POSITIONS,
    SHAPES,
    SIZES,
)

#: The slots, in the order the model sees them, with the words each slot can hold.
SLOTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("layout", LAYOUTS),
    ("shape", SHAPES),
    ("colour", tuple(COLOURS)),
    ("size", SIZES),
    ("position", POSITIONS),
    ("shape2", SHAPES),
    ("colour2", tuple(COLOURS)),
    ("background", tuple(BACKGROUNDS)),
)
SLOT_NAMES: tuple[str, ...] = tuple(name for name, _ in SLOTS)
NUM_SLOTS = len(SLOTS)

# Token ids: each slot owns a block [offset, offset + len(words)]; the first id of the block means
# "unspecified" for that slot. Keeping "unspecified" per slot (rather than one shared id) lets the
# model learn, e.g., "no colour given" separately from "no size given".
_OFFSETS: list[int] = []
_total = 0
for _name, _words in SLOTS:
    _OFFSETS.append(_total)
    _total += len(_words) + 1
VOCAB_SIZE: int = _total

_POSITION_PHRASE = {
    "center": "in the center",
    "left": "on the left",
    "right": "on the right",
    "top": "at the top",
    "bottom": "at the bottom",
}
_RELATIONS = {"above": "above", "below": "below", "under": "below", "beneath": "below",
              "over": "above"}
_KNOWN = (set(SHAPES) | set(COLOURS) | set(BACKGROUNDS) | set(SIZES) | set(POSITIONS)
          | {"shape", "two", "left", "right"} | set(_RELATIONS))


@dataclass
class ParsedPrompt:
    """What the model will be asked to draw, and what it could not understand.

    ``slots`` maps slot name to a word, or ``None`` when the prompt did not say.
    """

    text: str
    slots: dict[str, str | None]
    unknown_words: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when nothing in the prompt constrains the image (an unconditional sample)."""
        return all(v is None for v in self.slots.values())

    def token_ids(self) -> list[int]:
        """The model's input: one id per slot."""
        return slot_ids(self.slots)

    def understood(self) -> str:
        """The prompt as the model reads it, in words ("unspecified" where it did not say)."""
        return ", ".join(f"{k}: {v or 'unspecified'}" for k, v in self.slots.items())


def slot_ids(slots: dict[str, str | None]) -> list[int]:
    """Map slot words to token ids (``None`` -> that slot's "unspecified" id)."""
    ids = []
    for (name, words), offset in zip(SLOTS, _OFFSETS, strict=True):
        word = slots.get(name)
        ids.append(offset if word is None else offset + 1 + words.index(word))
    return ids


def unspecified_ids() -> list[int]:
    """The ids of the empty prompt; classifier-free guidance uses them as the unconditional input."""
    return list(_OFFSETS)


def scene_slots(scene: Scene) -> dict[str, str | None]:
    """Every slot filled from a scene (what a complete caption of it says)."""
    first = scene.main
    second = scene.things[1] if scene.layout == "above" else None
    return {
        "layout": scene.layout,
        "shape": first.shape,
        "colour": first.colour,
        "size": first.size if scene.layout == "single" else None,
        "position": scene.position if scene.layout == "single" else None,
        "shape2": second.shape if second else None,
        "colour2": second.colour if second else None,
        "background": scene.background,
    }


def caption_of(slots: dict[str, str | None]) -> str:
    """Write a natural caption for (possibly partial) slots: the inverse of :func:`parse`."""
    def noun(shape: str | None, colour: str | None, size: str | None, plural: bool) -> str:
        words = [w for w in (size, colour) if w]
        head = shape or "shape"
        return " ".join([*words, head + ("s" if plural else "")])

    layout = slots.get("layout")
    first = noun(slots.get("shape"), slots.get("colour"), slots.get("size"), layout == "two")
    if layout == "two":
        text = f"two {first}"
    elif layout == "above":
        second = noun(slots.get("shape2"), slots.get("colour2"), None, False)
        text = f"{_article(first)} {first} above {_article(second)} {second}"
    else:
        text = f"{_article(first)} {first}"
        if slots.get("position"):
            text += " " + _POSITION_PHRASE[slots["position"]]
    if slots.get("background"):
        text += f" on a {slots['background']} background"
    return text


def _article(phrase: str) -> str:
    return "an" if phrase[0] in "aeiou" else "a"


def parse(text: str) -> ParsedPrompt:
    """Read a prompt into slots, reporting every word the model does not know.

    The grammar is forgiving (plurals, "gray"/"grey", "centre", "below" as the mirror of "above"),
    but it never guesses: an unknown word is listed, never silently dropped.
    """
    words = [ALIASES.get(w, w) for w in re.findall(r"[a-z]+", text.lower())]
    slots: dict[str, str | None] = {name: None for name in SLOT_NAMES}
    unknown: list[str] = []
    notes: list[str] = []

    relation_at = next((i for i, w in enumerate(words) if w in _RELATIONS), None)
    groups = [words] if relation_at is None else [words[:relation_at], words[relation_at + 1:]]
    if relation_at is not None and _RELATIONS[words[relation_at]] == "below":
        groups.reverse()  # "a red circle below a blue star" == "a blue star above a red circle"

    things: list[dict[str, str | None]] = []
    for group in groups:
        thing: dict[str, str | None] = {"shape": None, "colour": None, "size": None}
        for w in group:
            if w in SHAPES or w == "shape":
                _put(thing, "shape", None if w == "shape" else w, notes)
            elif w in COLOURS:
                _put(thing, "colour", w, notes)
            elif w in SIZES:
                _put(thing, "size", w, notes)
            elif w in BACKGROUNDS:
                _put(slots, "background", w, notes)
            elif w in POSITIONS:
                _put(slots, "position", w, notes)
            elif w == "two":
                slots["layout"] = "two"
            elif w not in FILLER and w not in unknown:
                unknown.append(w)
        things.append(thing)

    if relation_at is not None:
        slots["layout"] = "above"
    mentions_thing = any(v for t in things for v in t.values()) or "shape" in words
    if slots["layout"] is None and (mentions_thing or slots["position"]):
        slots["layout"] = "single"

    first = things[0]
    slots["shape"], slots["colour"] = first["shape"], first["colour"]
    if slots["layout"] == "single":
        slots["size"] = first["size"]
    else:
        if first["size"] or slots["position"]:
            notes.append("With two things the model always draws them small and ignores size and "
                         "position words.")
        slots["size"] = slots["position"] = None
    if slots["layout"] == "above" and len(things) > 1:
        slots["shape2"], slots["colour2"] = things[1]["shape"], things[1]["colour"]
    return ParsedPrompt(text=text, slots=slots, unknown_words=unknown, notes=notes)


def _put(target: dict[str, str | None], key: str, value: str | None, notes: list[str]) -> None:
    if target.get(key) is not None and value is not None and target[key] != value:
        notes.append(f"The prompt names two values for {key} ({target[key]} and {value}); "
                     f"the model uses the first, {target[key]}.")
        return
    if value is not None:
        target[key] = value


def thing_of(slots: dict[str, str | None], second: bool = False) -> Thing:
    """The :class:`Thing` named by fully-specified slots (used when rendering a caption)."""
    suffix = "2" if second else ""
    return Thing(shape=slots[f"shape{suffix}"], colour=slots[f"colour{suffix}"],
                 size=slots.get("size") or "small")
