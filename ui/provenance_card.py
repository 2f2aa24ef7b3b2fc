"""The provenance card: a ``ProvenanceSummary`` shown with progressive disclosure.

Following the C2PA user-experience guidance and Content Credentials Verify, a learner sees four
levels, each one click deeper: a badge (icon and verdict words, never colour alone), a summary
(who signed, when, AI use, the prompt, do-not-train wishes), the detailed history (actions,
ingredient tree, failed checks) and the raw data for experts.

Everything a manifest says (signer, prompt, titles, codes) was written by whoever made the file,
so it is always shown as plain text: ``ui.text.escape`` neutralises Markdown, Streamlit directives and HTML.
"""


import numpy as np
import streamlit as st
from PIL import Image

from genlab.provenance import Failure, Identity, Ingredient, ProvenanceSummary
from genlab.provenance.formats import FORMAT_NAMES
from ui.images import decode
from ui.text import code_span, escape

VIEWER_PAGE = "app_pages/provenance_viewer.py"
#: The viewer's choice for an image sent from the studio ("Inspect the credentials").
STUDIO_IMAGE = "An image from the studio"
#: Only the image formats the viewer accepts: Pillow's other readers (EPS, for one) would hand a
#: hostile upload to external programs.
MAX_SHOWN_JSON = 200_000  # characters; longer raw data is still complete in the download

#: verdict -> (icon, badge colour). The words come from the summary; the colour only repeats them.
_STYLE = {
    "trusted": (":material/verified:", "green"),
    "valid_untrusted": (":material/gpp_maybe:", "orange"),
    "invalid": (":material/gpp_bad:", "red"),
    "none": (":material/hide_source:", "gray"),
    "unreadable": (":material/error:", "gray"),
}

_RELATIONSHIPS = {
    "parentOf": "Parent: the image this one was edited from",
    "componentOf": "Component: a part placed into this image",
    "inputTo": "Input to the AI tool (for example a reference image)",
}

#: Long URLs, codes and JSON wrap inside their box instead of widening the page.
WRAP_CSS = ("<style>.stMarkdown code, .stCode pre code {white-space: pre-wrap; overflow-wrap: anywhere;"
            " word-break: break-word;}</style>")


def verdict_badge(verdict: str, words: str) -> str:
    """A Markdown badge: icon plus words, coloured to match (the colour is never the only signal)."""
    icon, colour = _STYLE.get(verdict, _STYLE["unreadable"])
    return f":{colour}-badge[{icon} {escape(words)}]"


def ai_use(summary: ProvenanceSummary) -> str:
    """AI use in words. Never "not AI": missing or silent credentials prove nothing either way."""
    if summary.verdict == "none":
        return ("No Content Credentials; they may have been stripped. Without them there is no record "
                "either way, so this says nothing about whether AI was used.")
    if summary.verdict == "unreadable":
        return summary.ai_text
    claimed = ("Claimed by credentials that failed validation, so do not rely on it. "
               if summary.verdict == "invalid" else "")
    if summary.ai_generated:
        return f"{claimed}Made with AI: {summary.ai_text[:1].lower()}{summary.ai_text[1:]}"
    return f"{claimed}No AI use is recorded. {summary.ai_text}"


def training_wishes(wishes: tuple[str, ...]) -> str:
    """The engine's sentences ("Not allowed: data mining.") grouped by answer, so a list of four
    refusals reads as one sentence: "Not allowed for: training AI models; data mining." """
    groups: dict[str, list[str]] = {}
    for wish in wishes:
        answer, _, purpose = wish.partition(": ")
        if purpose:
            groups.setdefault(answer, []).append(purpose.rstrip("."))
        else:
            groups.setdefault(wish, [])
    return " ".join(f"{answer} for: {'; '.join(purposes)}." if purposes else answer
                    for answer, purposes in groups.items())


def preview(data: bytes, alt: str, width: int = 320) -> None:
    """The image itself, when Pillow can decode it; tiny images are enlarged with visible pixels."""
    image = decode(data)
    if image is None:
        st.markdown(":material/hide_image: No preview: this file cannot be drawn as a picture here.")
        return
    if max(image.size) < width:
        scale = width / max(image.size)
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                             Image.Resampling.NEAREST)
    st.image(np.asarray(image), alt=alt, width=width)


def render(summary: ProvenanceSummary, key: str) -> None:
    """The whole card; ``key`` tells apart the download buttons of two cards on one page."""
    st.html(WRAP_CSS)
    with st.container(border=True):
        _summary(summary)
    with st.expander("Detailed history", icon=":material/history:"):
        _history(summary)
    with st.expander("Raw data", icon=":material/data_object:"):
        _raw(summary, key)


def _summary(s: ProvenanceSummary) -> None:
    st.markdown(verdict_badge(s.verdict, s.verdict_text))
    if s.verdict == "unreadable":
        st.warning(escape(s.headline), icon=":material/error:")
    else:
        st.markdown(escape(s.headline))
    if s.update_text:
        st.markdown(f":material/update: {escape(s.update_text)}")
    rows = []
    if s.verdict in ("trusted", "valid_untrusted", "invalid"):
        rows.append(("Signed by", s.signer or "The certificate gives no signer name"))
        rows.append(("Signed at", s.signed_at or "No trusted time"))
    if s.claim_generator:
        rows.append(("App or device used", s.claim_generator))
    if s.certificate_text:
        rows.append(("Signing certificate", s.certificate_text))
    rows.append(("AI use", ai_use(s)))
    if s.description:
        rows.append(("Description (the prompt)", s.description))
    if s.do_not_train:
        rows.append(("Training and data mining", training_wishes(s.do_not_train)))
    if s.mime:
        rows.append(("File format", FORMAT_NAMES.get(s.mime, s.mime)))
    st.markdown("  \n".join(f"**{label}:** {escape(value)}" for label, value in rows))
    if s.identities:
        _identities(s.identities)


def _identities(identities: tuple[Identity, ...]) -> None:
    """CAWG identity assertions: shown beside the verdict, never changing it."""
    st.markdown("**Identity claims (CAWG)**: who the creator says they are. These do not change whether the "
                "image matches its credentials.")
    for ident in identities:
        if ident.verified:
            badge = verdict_badge("trusted", "Verified")
        elif ident.signature_valid:
            badge = verdict_badge("valid_untrusted", "Signature valid, signer unknown")
        else:
            badge = verdict_badge("valid_untrusted", "Not verified")
        lines = [f"{badge} **Named:** {escape(ident.named)}", f"**Credential:** {escape(ident.credential)}",
                 escape(ident.status_text)]
        lines += [f"- {escape(d)}" for d in ident.details]
        st.markdown("  \n".join(lines))
        _failures(ident.failures)


def _history(s: ProvenanceSummary) -> None:
    if s.verdict in ("none", "unreadable"):
        st.markdown("There is no recorded history: without readable Content Credentials nothing says how "
                    "this image was made or changed.")
        if s.failures:
            st.markdown("**Checks that failed**")
            _failures(s.failures)
        return
    st.markdown("**What was done to the image**")
    if s.actions:
        st.markdown("\n".join(f"- {escape(action)}" for action in s.actions))
    else:
        st.markdown("No actions are recorded.")
    if s.software_agent:
        st.markdown(f"**AI model or software:** {escape(s.software_agent)}")
    if s.thumbnail:
        st.markdown("**The thumbnail stored inside the credentials**")
        image = decode(s.thumbnail, 256)
        if image is not None:
            st.image(np.asarray(image), width=128, alt="Thumbnail stored inside the Content Credentials")
        else:
            st.markdown("It cannot be drawn here (its data may be damaged).")
    if s.ingredients:
        st.markdown("**Ingredients: the images this one was made from**")
        for node in s.ingredients:
            _ingredient(node)
    st.markdown("**Checks that failed**")
    if s.failures:
        _failures(s.failures)
    else:
        st.markdown("None: every check of this image's own claim passed.")
    if s.notes:
        st.markdown("**Notes from the checks**")
        _failures(s.notes)


def _ingredient(node: Ingredient) -> None:
    with st.container(border=True):
        picture, words = st.columns([1, 4])
        with picture:
            image = decode(node.thumbnail, 256) if node.thumbnail else None
            if image is not None:
                st.image(np.asarray(image), width=96, alt=f"Thumbnail of the ingredient {node.title}")
            else:
                st.markdown("No thumbnail")
        with words:
            st.markdown(f"**{escape(node.title)}**  \n"
                        + escape(_RELATIONSHIPS.get(node.relationship, f"Relationship: {node.relationship}"))
                        + (f"  \nFormat: {escape(FORMAT_NAMES.get(node.format, node.format))}" if node.format else ""))
            st.markdown(verdict_badge(node.verdict, node.verdict_text))
            if node.ai_generated:
                st.markdown("Made with AI: its credentials say AI was used to make it.")
            _failures(node.failures)
        if node.children:
            st.markdown("**Made from**")
            for child in node.children:
                _ingredient(child)


def _failures(failures: tuple[Failure, ...]) -> None:
    for failure in failures:
        st.markdown(f"- {escape(failure.sentence)}  \n  Status code: {code_span(failure.code)}")
        if failure.explanation:
            with st.popover("What c2pa-rs reported", icon=":material/info:"):
                st.code(failure.explanation, language=None, wrap_lines=True)


def _raw(s: ProvenanceSummary, key: str) -> None:
    exports = [(title, text, name, why) for title, text, name, why in (
        ("Manifest store", s.raw_json, "manifest.json",
         "What c2patool prints: every manifest, assertion and validation result, as the c2pa reader reports "
         "them."),
        ("crJSON", s.cr_json, "manifest.cr.json",
         "The same credentials in crJSON, the standard C2PA export that other tools read."),
    ) if text]
    if not exports:
        st.markdown("There is no manifest to show.")
    tabs = st.tabs([title for title, *_ in exports]) if exports else []
    for tab, (_, text, name, why) in zip(tabs, exports, strict=True):
        with tab:
            st.markdown(why)
            st.download_button(f"Download {name}", text, file_name=name, mime="application/json",
                               key=f"{key}-{name}", icon=":material/download:", on_click="ignore")
            shown = text if len(text) <= MAX_SHOWN_JSON else text[:MAX_SHOWN_JSON] + "\n… (cut here; download it all)"
            st.code(shown, language=None, wrap_lines=True)  # no highlighting: its light-theme colours fail AA
    if s.detail:
        st.markdown("**What the reader reported**")
        st.code(s.detail, language=None, wrap_lines=True)
