"""The words of the toy world and what they look like.

Kept as plain tuples and dicts so the lesson pages can print the whole vocabulary to a learner
("these are the only words this model knows").
"""

SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "star", "heart", "diamond")

#: Object colours (sRGB). Chosen to stay distinct from each other and from every background.
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (220, 40, 40),
    "orange": (245, 140, 20),
    "yellow": (240, 220, 30),
    "green": (40, 170, 60),
    "blue": (40, 90, 225),
    "purple": (140, 60, 190),
    "pink": (245, 130, 200),
    "brown": (130, 80, 40),
}

BACKGROUNDS: dict[str, tuple[int, int, int]] = {
    "white": (250, 250, 250),
    "black": (15, 15, 15),
    "grey": (128, 128, 128),
}

SIZES: tuple[str, ...] = ("small", "large")

#: Where a single thing sits in the frame.
POSITIONS: tuple[str, ...] = ("center", "left", "right", "top", "bottom")

#: How many things and how they relate: one thing; two identical things side by side;
#: one thing above another.
LAYOUTS: tuple[str, ...] = ("single", "two", "above")

#: Words that carry no meaning for the model but are normal in a caption.
FILLER: frozenset[str] = frozenset(
    {"a", "an", "the", "one", "on", "in", "at", "of", "with", "and", "background", "picture",
     "image", "photo", "drawing", "side", "middle", "is", "sits", "placed", "shown", "colour",
     "color", "coloured", "colored"}
)

#: Plurals and spelling variants a learner is likely to type, mapped to the canonical word.
ALIASES: dict[str, str] = {
    "circles": "circle",
    "squares": "square",
    "triangles": "triangle",
    "stars": "star",
    "hearts": "heart",
    "diamonds": "diamond",
    "gray": "grey",
    "centre": "center",
    "centred": "center",
    "centered": "center",
    "big": "large",
    "tiny": "small",
    "top": "top",
    "upper": "top",
    "lower": "bottom",
    "shapes": "shape",
    "thing": "shape",
    "object": "shape",
}
