"""Text someone else wrote (a manifest's signer, a nickname, a model's name), shown as exactly those characters.

Streamlit renders Markdown, its own directives (``:red[...]``, ``:material/icon:``), LaTeX and links;
:func:`escape` turns any text into Markdown that displays it literally. Use it for every string a page
did not write itself, on every screen (the projector included).
"""

import re

# Every ASCII character that Markdown, GitHub-flavoured Markdown, Streamlit's directives
# (:red[...]) or LaTeX ($...$) could act on. A backslash before ASCII punctuation always means
# "this character, literally"; raw HTML is never rendered by st.markdown.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^@%\"'])")
# Some features work on the text *after* escapes are resolved: link detection (https://, www.,
# a@b.com) and Streamlit's :material/icon: and :emoji: codes. Text with any of those patterns is shown
# word by word as an inline code span instead, which nothing inside can activate, so a copied URL or code is exactly
# the characters in the file: no invisible characters are ever inserted (wrapping is done with CSS).
_ACTIVE = re.compile(r"https?://|www\.|\S@\S|:[\w/+-]+:", re.IGNORECASE)
#: A clock time ("13:44:07,") cannot start a link, an icon or an emoji code (minutes are 00-59, never a
#: shortcode), so it is shown as ordinary text rather than as code.
_CLOCK = re.compile(r"\(?\d{1,2}:\d{2}(:\d{2})?\)?[.,;]?")


def escape(text: object) -> str:
    """``text`` as Markdown that displays exactly those characters: no links, images, HTML,
    directives, icons or formulas. Line breaks become spaces, so nothing can start a heading or a list."""
    words = str(text).split()
    return " ".join(code_span(w) if _ACTIVE.search(w) and not _CLOCK.fullmatch(w) else _SPECIAL.sub(r"\\\1", w)
                    for w in words)


def code_span(text: object) -> str:
    """``text`` as a Markdown inline code span, which nothing inside can close early or format."""
    flat = " ".join(str(text).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", flat)), default=0) + 1)
    return f"{fence} {flat} {fence}"
