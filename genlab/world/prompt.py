"""What a prompt asks for, in the world's facts: the judge's half of the text, not the model's.

The model reads word ids with its own learned encoder. To check a picture against a prompt (the
round trip, the adherence bench, the lesson's verdicts) we also need the prompt's facts in plain
terms: which subject, which colour, which accessory, scene and style. This reader is deliberately
simple and literal: a colour or texture belongs to the next subject named, an accessory to the
last one, and anything it cannot place is reported, never guessed.
"""

from dataclasses import dataclass, field

from genlab.world.tokenizer import tokenize, words_of
from genlab.world.vocab import COLOURS, SUBJECTS

_ACCESSORY_WORDS = {"tophat": "top hat", "hat": "top hat", "spacesuit": "spacesuit", "scarf": "scarf",
                    "glasses": "glasses", "crown": "crown"}
_SCENE_WORDS = {"park": "park", "grass": "park", "beach": "beach", "sea": "beach", "night": "night sky",
                "stars": "night sky", "mars": "mars", "plain": "plain", "blank": "plain"}
_STYLE_WORDS = {"watercolour": "watercolour", "pixel": "pixel art", "pencil": "pencil sketch",
                "sketch": "pencil sketch", "flat": "flat", "illustration": "flat", "cartoon": "flat"}
_POSITION_WORDS = {"left": "left", "right": "right", "center": "center"}
_TEXTURE_WORDS = {"fluffy", "shiny"}
_SIZE_WORDS = {"small", "large"}
_ABOVE, _BELOW, _AND = {"above", "over"}, {"below", "under"}, {"and", "beside", "next"}


@dataclass
class PromptFacts:
    """The facts a prompt names (``None`` where it leaves the choice to the model), and its loose ends."""

    text: str
    facts: dict[str, str | None]
    unknown_words: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def asked(self) -> dict[str, str]:
        """Only the facts the prompt actually names."""
        return {k: v for k, v in self.facts.items() if v is not None}


def read_prompt(text: str) -> PromptFacts:
    """Read a prompt's facts literally, with every unknown or ambiguous word reported."""
    words = words_of(text)
    tokens = tokenize(text)
    notes: list[str] = []
    subjects: list[dict[str, str | None]] = []
    pending: dict[str, str | None] = {"colour": None, "texture": None, "size": None}
    facts: dict[str, str | None] = {"layout": None, "scene": None, "style": None, "position": None}
    relation: str | None = None

    def put(key: str, value: str) -> None:
        if facts[key] is not None and facts[key] != value:
            notes.append(f"The prompt names two {key}s ({facts[key]} and {value}); the first one counts here.")
            return
        facts[key] = value

    for i, w in enumerate(words):
        if w in SUBJECTS:
            subjects.append({"subject": w, "accessory": None, **pending})
            pending = {"colour": None, "texture": None, "size": None}
        elif w in COLOURS:
            if pending["colour"] and pending["colour"] != w:
                notes.append(f"Two colours ({pending['colour']} and {w}) come before one subject; "
                             f"the model may mix them.")
            pending["colour"] = w
        elif w in _TEXTURE_WORDS:
            pending["texture"] = w
        elif w in _SIZE_WORDS:
            following = words[i + 1] if i + 1 < len(words) else ""
            if following not in {"tophat", "hat", "crown"}:   # "a tiny top hat" is the hat's size
                pending["size"] = w
        elif w in _ACCESSORY_WORDS:
            if subjects:
                subjects[-1]["accessory"] = _ACCESSORY_WORDS[w]
            else:
                notes.append(f"“{w}” comes before any subject, so it is not clear who wears it.")
        elif w in _SCENE_WORDS:
            put("scene", _SCENE_WORDS[w])
        elif w in _STYLE_WORDS:
            put("style", _STYLE_WORDS[w])
        elif w in _POSITION_WORDS:
            put("position", _POSITION_WORDS[w])
        elif w in _ABOVE | _BELOW | _AND and len(subjects) == 1 and relation is None:
            relation = "below" if w in _BELOW else "above" if w in _ABOVE else "and"
    if any(pending.values()):
        notes.append("Some describing words (" + ", ".join(v for v in pending.values() if v)
                     + ") are not followed by a subject the model knows, so they describe nothing.")

    if len(subjects) > 2:
        notes.append("The model draws at most two subjects; only the first two count.")
    if relation == "below" and len(subjects) >= 2:
        subjects[0], subjects[1] = subjects[1], subjects[0]
    first = subjects[0] if subjects else {}
    second = subjects[1] if len(subjects) > 1 else {}
    if second:
        facts["layout"] = "above" if relation in ("above", "below") else "and"
        if facts["position"]:
            notes.append("With two subjects the model places them itself; the position word is not used.")
            facts["position"] = None
    elif first:
        facts["layout"] = "single"
    out: dict[str, str | None] = {
        "layout": facts["layout"],
        "subject": first.get("subject"),
        "colour": first.get("colour"),
        "accessory": first.get("accessory"),
        "texture": first.get("texture"),
        "size": first.get("size") if not second else None,
        "position": facts["position"],
        "subject2": second.get("subject"),
        "colour2": second.get("colour"),
        "scene": facts["scene"],
        "style": facts["style"],
    }
    if second and (first.get("accessory") or second.get("accessory")):
        notes.append("In two-subject pictures the model was never shown accessories, so it may leave them out.")
    return PromptFacts(text, out, tokens.unknown_words, notes)
