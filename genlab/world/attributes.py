"""The facts a picture of the illustrated world is judged on, as classes a reader can predict.

One table serves the vision reader (its output heads), the prompt-adherence bench (which facts a
caption asked for) and the bias probe (how often each value is drawn). An attribute that does not
apply to a scene (the second subject of a single-subject picture, the position of two subjects) is
``None`` and is neither trained nor scored.
"""

from genlab.world.scene import Scene
from genlab.world.vocab import ACCESSORIES, COLOURS, LAYOUTS, POSITIONS, SCENES, SIZES, STYLES, SUBJECTS, TEXTURES

ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "layout": LAYOUTS,
    "subject": SUBJECTS,
    "colour": tuple(COLOURS),
    "accessory": ACCESSORIES,
    "texture": TEXTURES,
    "size": SIZES,
    "position": POSITIONS,
    "subject2": SUBJECTS,
    "colour2": tuple(COLOURS),
    "scene": SCENES,
    "style": STYLES,
}


def facts_of(scene: Scene) -> dict[str, str | None]:
    """Every attribute of a scene (``None`` where it does not apply)."""
    single = scene.layout == "single"
    second = scene.second
    return {
        "layout": scene.layout,
        "subject": scene.main.kind,
        "colour": scene.main.colour,
        "accessory": scene.main.accessory if single else None,
        "texture": scene.main.texture if single else None,
        "size": scene.size if single else None,
        "position": scene.position if single else None,
        "subject2": second.kind if second else None,
        "colour2": second.colour if second else None,
        "scene": scene.scene,
        "style": scene.style,
    }


def label_row(scene: Scene) -> list[int]:
    """Class index per attribute, -1 where it does not apply (the training loss ignores those)."""
    facts = facts_of(scene)
    return [-1 if facts[name] is None else values.index(facts[name]) for name, values in ATTRIBUTES.items()]
