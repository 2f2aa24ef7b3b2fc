"""The words of the illustrated world and what each one looks like.

Plain tuples and dicts, so a lesson can print the whole vocabulary to a learner ("these are the only
words this model knows"), and so the renderer, the caption writer, the tokenizer and the vision
reader all agree on one list.
"""

#: Everything that can be drawn. The four shapes are one family: the old world, kept as subjects.
ANIMALS: tuple[str, ...] = ("cat", "dog", "bird")
SUBJECTS: tuple[str, ...] = ("cat", "dog", "bird", "fish", "house", "tree", "flower", "car", "boat",
                             "circle", "square", "triangle", "star")
SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "star")

#: Subject colours (sRGB), chosen to stay apart from each other and from every scene.
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (214, 40, 40),
    "orange": (243, 139, 28),
    "yellow": (246, 212, 40),
    "green": (58, 158, 58),
    "blue": (40, 92, 212),
    "purple": (132, 60, 182),
    "pink": (242, 132, 184),
    "brown": (128, 78, 40),
    "black": (34, 34, 38),
    "white": (244, 244, 240),
    "grey": (140, 140, 146),
}

#: What an animal can wear. "none" is a value like any other, so the reader can say "no hat".
ACCESSORIES: tuple[str, ...] = ("none", "top hat", "spacesuit", "scarf", "glasses", "crown")

#: Where the picture takes place.
SCENES: tuple[str, ...] = ("plain", "park", "beach", "night sky", "mars")

#: How the picture is drawn.
STYLES: tuple[str, ...] = ("flat", "watercolour", "pixel art", "pencil sketch")

#: Surface words that change the picture: fur drawn as tufts, or a highlight and a sparkle.
TEXTURES: tuple[str, ...] = ("plain", "fluffy", "shiny")
FLUFFY_SUBJECTS: frozenset[str] = frozenset(ANIMALS)
SHINY_SUBJECTS: frozenset[str] = frozenset({"fish", "car", "boat", *SHAPES})

SIZES: tuple[str, ...] = ("small", "large")
POSITIONS: tuple[str, ...] = ("left", "center", "right")

#: One subject; two subjects side by side ("a cat and a dog"); one above the other ("a bird above a house").
LAYOUTS: tuple[str, ...] = ("single", "and", "above")


def vocabulary_sentence() -> str:
    """Every word the local model knows, as one sentence for learners (the lesson and the studio show it)."""
    subjects = ", ".join(s for s in SUBJECTS if s not in SHAPES)
    return (f"The local model knows an illustrated world: {subjects}, and the shapes {', '.join(SHAPES)}; "
            f"the colours {', '.join(COLOURS)}; accessories for animals ("
            + ", ".join(a for a in ACCESSORIES if a != "none") + "); scenes (park, beach, night sky, Mars, plain); "
            "styles (flat illustration, watercolour, pixel art, pencil sketch); fluffy or shiny; small or large; "
            "left, centre or right; and two subjects with \"and\", \"above\" or \"below\". Plurals, spellings "
            "and a few synonyms (kitten, puppy, watercolor) are understood; other words are reported as unknown.")
