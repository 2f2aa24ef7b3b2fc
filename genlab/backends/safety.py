"""The local model's content filter: a small, documented word list, so the safety lesson works offline.

Azure OpenAI rates every prompt in four harm categories (hate, sexual, violence, self-harm) at four
severities (safe, low, medium, high) and, by default, blocks medium and high. This filter imitates
that *shape* with a plain word list, so learners can read exactly why a prompt was blocked, and
compare with a real classifier, which weighs context instead of matching words:

- a word list misses harmful prompts phrased in other words (false negatives), and
- it blocks harmless ones that happen to use a listed word, such as "a toy water gun at a summer
  party" (false positives), and flags "a knife on a cutting board" as low.

The local model's world has no people, weapons or gore, so nothing here changes what it can draw;
the filter exists to show where a filter sits in the flow and what its answer looks like. Its
answer is the same :class:`BackendError` (kind ``content_filter``) that Azure's filter produces.
"""

import re
from dataclasses import dataclass, field

from genlab.backends.errors import content_filter_error
from genlab.backends.types import BackendError

SEVERITIES: tuple[str, ...] = ("safe", "low", "medium", "high")

#: Severities at or above this one are blocked; lower ones are allowed and reported (Azure's default).
BLOCK_AT = "medium"

#: category -> severity -> words or phrases (matched as whole words, case-insensitively).
WORD_LIST: dict[str, dict[str, tuple[str, ...]]] = {
    "hate": {
        "low": ("hateful", "slur"),
        "medium": ("inferior race", "subhuman"),
        "high": ("ethnic cleansing", "exterminate them"),
    },
    "sexual": {
        "low": ("lingerie", "sexy"),
        "medium": ("nude", "naked"),
        "high": ("pornographic", "explicit sex"),
    },
    "violence": {
        "low": ("fight", "knife", "weapon"),
        "medium": ("bloody", "gun", "stabbing"),
        "high": ("gore", "massacre", "murder"),
    },
    "self_harm": {
        "low": ("self-harm awareness",),
        "medium": ("hurt myself", "cutting myself"),
        "high": ("kill myself", "suicide"),
    },
}

_PATTERNS: dict[tuple[str, str], re.Pattern[str]] = {
    (category, severity): re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
    for category, levels in WORD_LIST.items()
    for severity, words in levels.items()
}


@dataclass
class Rating:
    """The filter's verdict on one prompt, in Azure's ``content_filter_results`` shape."""

    severities: dict[str, str]
    matched: dict[str, list[str]] = field(default_factory=dict)

    @property
    def blocked(self) -> dict[str, str]:
        """The categories at or above :data:`BLOCK_AT`, with their severity."""
        cut = SEVERITIES.index(BLOCK_AT)
        return {c: s for c, s in self.severities.items() if SEVERITIES.index(s) >= cut}

    @property
    def flagged_low(self) -> dict[str, str]:
        """Categories rated low: allowed, but worth telling the learner about."""
        return {c: s for c, s in self.severities.items() if s == "low"}

    def content_filter_results(self) -> dict[str, dict[str, object]]:
        blocked = self.blocked
        return {c: {"filtered": c in blocked, "severity": s} for c, s in self.severities.items()}


def rate(prompt: str) -> Rating:
    """Each category's highest severity found in ``prompt`` ("safe" when no listed word appears)."""
    severities = dict.fromkeys(WORD_LIST, "safe")
    matched: dict[str, list[str]] = {}
    for (category, severity), pattern in _PATTERNS.items():
        words = [m.group(1).lower() for m in pattern.finditer(prompt)]
        if words:
            if SEVERITIES.index(severity) > SEVERITIES.index(severities[category]):
                severities[category] = severity
            matched.setdefault(category, []).extend(words)
    return Rating(severities, matched)


def check(prompt: str) -> tuple[BackendError | None, list[str]]:
    """The block (if any) and the notes for allowed low-severity matches."""
    rating = rate(prompt)
    if rating.blocked:
        return content_filter_error(
            "The local model", "prompt", rating.blocked,
            details={"content_filter_results": rating.content_filter_results(), "matched": rating.matched,
                     "blocks_at": BLOCK_AT},
        ), []
    notes = [f"The content filter rated your prompt {category.replace('_', '-')} (low), which it allows; "
             f"it blocks {BLOCK_AT} and high." for category in rating.flagged_low]
    return None, notes
