"""Upload sizes, counted and written the way Streamlit's upload box counts and writes them.

The upload box (``st.file_uploader``) measures in units of 1,048,576 bytes and labels them "MB", both
in its "Limit ... per file" line and beside each file. Every limit the app states, checks or passes
to an upload box comes from here, so the label, the box and the error message never disagree.
"""

#: Bytes in the "MB" the upload box shows.
MB = 2**20
#: The vision lesson's reader decodes the picture in memory; 5 MB is plenty for a 1024 px image.
VISION_UPLOAD_MB = 5


def size_text(n_bytes: int) -> str:
    """A file size as the upload box writes it beside the file (one decimal, in MB)."""
    return f"{n_bytes / MB:.1f} MB"


def too_big(n_bytes: int, limit_mb: int) -> bool:
    return n_bytes > limit_mb * MB
