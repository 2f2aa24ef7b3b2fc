"""The History tab: a learner's saved requests, with download, edit and delete."""

from pathlib import Path

import streamlit as st

from genlab.backends.gallery import Gallery
from genlab.studio import SERVICE
from ui import keys, state
from ui.provenance_card import escape
from ui.studio.results import (
    THUMB_PX,
    alt_text,
    choose_for_edit,
    display_copy,
    edit_hint,
    parameters_text,
    read_file,
    timings_text,
)

HISTORY_LIMIT = 20



# --- history ------------------------------------------------------------------------------------------------


def _ask_delete(generation_id: int) -> None:
    st.session_state[keys.STUDIO_CONFIRM_DELETE] = generation_id


def _cancel_delete() -> None:
    st.session_state.pop(keys.STUDIO_CONFIRM_DELETE, None)


def history_panel(gallery: Gallery | None) -> None:
    """The learner's saved images: prompt, settings, cost, time, request id, thumbnail, download, delete."""
    learner = state.current_learner()
    if learner is None or gallery is None:
        st.info("Your history needs a profile: choose one in the sidebar under **Your profile**. You can still "
                "make images without one, but they are not saved and are gone after this visit.",
                icon=":material/person:")
        return
    include_failed = st.toggle("Show failed requests too", key="studio_history_failed",
                               help="Failed requests are kept because they count towards the rate limit.")
    items = gallery.history(learner.id, limit=HISTORY_LIMIT, include_failed=include_failed)
    if not items:
        st.markdown("No saved images yet: make one on the Create tab.")
        return
    st.caption(f"Your {len(items)} most recent requests, newest first.")
    edit_hint("history")
    for item in items:
        with st.container(border=True):
            picture, words, actions = st.columns([1, 4, 2])
            with picture:
                data = read_file(str(item.paths[0])) if item.paths else None
                pixels = display_copy(data, THUMB_PX) if data is not None else None
                if pixels is not None:
                    st.image(pixels, width=THUMB_PX, output_format="PNG", alt=alt_text(item.prompt, 1, 1))
                else:
                    st.markdown("No image")
            with words:
                when = item.created_at.strftime("%Y-%m-%d %H:%M UTC")
                seed = item.parameters.get("seed")
                lines = [f"**#{item.id}** {escape(item.prompt) or '*(empty prompt)*'}",
                         f"{escape(item.model)} ({SERVICE[item.backend]}): {escape(parameters_text(item.parameters))}"
                         + (f", seed {seed}" if seed is not None else ""),
                         f"Cost: {escape(item.cost.label) if item.cost else 'none'}",
                         f"Time: {escape(timings_text(item.timings))}. Made {when}."]
                if item.request_id:
                    lines.append(f"Request id: `{item.request_id}`")
                if item.error_message:
                    lines.append(f"Failed: {escape(item.error_message)}")
                st.markdown("  \n".join(lines))
            with actions:
                for i, path in enumerate(item.paths, start=1):
                    st.download_button(f"Download image {i} of #{item.id}", data=lambda p=path: Path(p).read_bytes(),
                                       file_name=Path(path).name, mime=item.mime, key=f"studio_h{item.id}_dl{i}",
                                       on_click="ignore", icon=":material/download:")
                if item.paths:
                    st.button(f"Edit #{item.id}", key=f"studio_h{item.id}_edit", icon=":material/edit:",
                              on_click=choose_for_edit, args=(str(item.paths[0]), "history"))
                if st.session_state.get(keys.STUDIO_CONFIRM_DELETE) == item.id:
                    st.warning(f"Delete #{item.id} and its {len(item.paths)} file(s)? This cannot be undone.",
                               icon=":material/warning:")
                    if st.button("Yes, delete it", key=f"studio_h{item.id}_yes", type="primary"):
                        gallery.delete(learner.id, item.id)
                        _cancel_delete()
                        st.rerun()
                    st.button("Keep it", key=f"studio_h{item.id}_no", on_click=_cancel_delete)
                else:
                    st.button(f"Delete #{item.id}", key=f"studio_h{item.id}_del", icon=":material/delete:",
                              on_click=_ask_delete, args=(item.id,))

