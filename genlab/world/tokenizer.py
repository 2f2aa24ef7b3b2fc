"""Text in, token ids out: the first half of the text encoder.

A word-level tokenizer over the world's vocabulary. It folds case, plurals, spellings and synonyms
onto one word ("Kittens" and "cat", "watercolor" and "watercolour"), keeps every other known word as
it is, and reports each word it does not know instead of dropping it silently. What the words *mean*
together (which noun the colour belongs to, who wears the hat) is left to the learned Transformer
that reads these ids: that is the second half.
"""

import re
from dataclasses import dataclass, field

MAX_TOKENS = 24
PAD, UNK = 0, 1

#: Folded onto one word before look-up.
CANONICAL: dict[str, str] = {
    "cats": "cat", "kitten": "cat", "kittens": "cat", "kitty": "cat", "kitties": "cat",
    "dogs": "dog", "puppy": "dog", "puppies": "dog", "doggy": "dog", "doggie": "dog",
    "birds": "bird", "fishes": "fish", "houses": "house", "cottage": "house", "cottages": "house",
    "home": "house", "trees": "tree", "flowers": "flower", "cars": "car", "automobile": "car",
    "boats": "boat", "sailboat": "boat", "sailboats": "boat", "ship": "boat", "circles": "circle",
    "squares": "square", "triangles": "triangle", "stars": "star",
    "color": "colour", "colored": "coloured", "watercolor": "watercolour", "watercolors": "watercolour",
    "watercolours": "watercolour", "gray": "grey", "centre": "center", "middle": "center",
    "hats": "hat", "spacesuits": "spacesuit", "scarves": "scarf", "scarfs": "scarf",
    "spectacles": "glasses", "eyeglasses": "glasses", "crowns": "crown", "big": "large", "little": "small",
    "tiny": "small", "furry": "fluffy", "fuzzy": "fluffy", "glossy": "shiny", "sparkly": "shiny",
    "martian": "mars", "starry": "stars", "sketched": "sketch", "drawn": "drawing", "pixelated": "pixel",
    "painted": "painting", "illustrated": "illustration",
}
#: Two words read as one.
PAIRS: dict[tuple[str, str], str] = {("space", "suit"): "spacesuit", ("top", "hat"): "tophat",
                                     ("8", "bit"): "pixel", ("red", "planet"): "mars"}

#: Every word the model knows, after folding. Ids follow this order (after PAD and UNK).
VOCABULARY: tuple[str, ...] = (
    # subjects and colours
    "cat", "dog", "bird", "fish", "house", "tree", "flower", "car", "boat", "circle", "square",
    "triangle", "star", "shape", "red", "orange", "yellow", "green", "blue", "purple", "pink", "brown",
    "black", "white", "grey", "colour", "coloured",
    # accessories, textures, sizes, positions
    "tophat", "hat", "spacesuit", "scarf", "striped", "glasses", "crown", "golden", "fluffy", "shiny",
    "small", "large", "left", "right", "center", "side", "two",
    # scenes and styles
    "plain", "background", "blank", "park", "grass", "beach", "sea", "night", "sky", "stars", "mars",
    "surface", "planet", "flat", "illustration", "drawing", "cartoon", "style", "watercolour", "painting",
    "picture", "pixel", "art", "pencil", "sketch",
    # relations, verbs and the little words of a caption
    "and", "next", "beside", "above", "over", "below", "under", "sitting", "standing", "walking",
    "playing", "running", "resting", "flying", "together", "wearing", "with", "a", "an", "the", "of",
    "in", "on", "at", "by", "to", "is", "one", "its", "their", "cosy", "cozy", "image", "photo",
)
_IDS: dict[str, int] = {w: i + 2 for i, w in enumerate(VOCABULARY)}
VOCAB_SIZE = len(VOCABULARY) + 2


@dataclass
class Tokens:
    """A prompt as the model reads it."""

    text: str
    words: list[str]                       # the folded words, one per id (unknown ones as typed)
    ids: list[int]                         # padded to MAX_TOKENS
    unknown_words: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def is_empty(self) -> bool:
        """True when no word of the prompt is known (the model draws from its prior)."""
        return all(i in (PAD, UNK) for i in self.ids)


def words_of(text: str) -> list[str]:
    """Lower-case words of ``text``, folded onto the vocabulary (pairs joined, synonyms mapped)."""
    raw = re.findall(r"[a-z0-9]+", text.lower())
    out: list[str] = []
    i = 0
    while i < len(raw):
        pair = PAIRS.get((raw[i], raw[i + 1])) if i + 1 < len(raw) else None
        if pair:
            out.append(pair)
            i += 2
            continue
        out.append(CANONICAL.get(raw[i], raw[i]))
        i += 1
    return out


def tokenize(text: str) -> Tokens:
    """Token ids of a prompt, with every word the model does not know listed."""
    words = words_of(text)
    unknown = list(dict.fromkeys(w for w in words if w not in _IDS))
    ids = [_IDS.get(w, UNK) for w in words]
    truncated = len(ids) > MAX_TOKENS
    ids = ids[:MAX_TOKENS] + [PAD] * max(0, MAX_TOKENS - len(ids))
    return Tokens(text=text, words=words[:MAX_TOKENS], ids=ids, unknown_words=unknown, truncated=truncated)


def empty_ids() -> list[int]:
    """The ids of the empty prompt: classifier-free guidance's unconditional input."""
    return [PAD] * MAX_TOKENS
