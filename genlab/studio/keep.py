"""Where a run's images go: the learner's gallery (with a profile) or the visit's scratch folder.

Files are written exactly as the backend returned them. Without a profile they go to
``<data_dir>/scratch/<visit>/`` (folders older than a day are removed on the way) and are not listed in
any history. Partial previews of a run whose final image did not come are always scratch files: they
are shown, labelled as partial, but they are not a result.
"""

import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from genlab.backends.gallery import Gallery
from genlab.backends.types import EXTENSIONS, ImageRequest, ImageResult

SCRATCH_DAYS = 1


class Keeper(Protocol):
    """Saves what a run produced; returns the files' paths and, when saved to a history, its id."""

    def keep(self, request: ImageRequest, result: ImageResult) -> tuple[list[Path], int | None]: ...

    def keep_partials(self, images: list[bytes]) -> list[Path]: ...


def owned_image(data_dir: Path, path: str | Path, learner_id: int | None, visit: str | None) -> Path | None:
    """``path`` when it is an image file this learner (their gallery) or this visit (its scratch folder)
    owns, else None: a page handed a path checks it here before reading it, so no other learner's file,
    and nothing outside the data folder, is ever opened."""
    try:
        file = Path(path).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    roots = []
    if learner_id is not None:
        roots.append(data_dir / "images" / str(learner_id))
    if visit:
        roots.append(data_dir / "scratch" / visit)
    for root in roots:
        if file.is_file() and file.is_relative_to(root.resolve()):
            return file
    return None


def scratch_folder(data_dir: Path, visit: str) -> Path:
    """This visit's folder for unsaved images; other visits' folders older than a day are removed."""
    root = data_dir / "scratch"
    cutoff = time.time() - SCRATCH_DAYS * 86_400
    if root.exists():
        for old in root.iterdir():
            if old.is_dir() and old.name != visit and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
    folder = root / visit
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(folder: Path, images: list[bytes], mime: str, label: str = "") -> list[Path]:
    token = uuid.uuid4().hex[:12]
    paths = []
    for i, data in enumerate(images, start=1):
        path = folder / f"{token}{label}-{i}.{EXTENSIONS.get(mime, 'bin')}"
        path.write_bytes(data)
        paths.append(path)
    return paths


def _partial_mime(data: bytes) -> str:
    from genlab.provenance.formats import sniff_mime

    return sniff_mime(data) or "image/png"


@dataclass
class ScratchKeeper:
    """Images of a visitor without a profile: kept for the visit only."""

    folder: Path

    def keep(self, request: ImageRequest, result: ImageResult) -> tuple[list[Path], int | None]:
        return _write(self.folder, result.images, result.mime), None

    def keep_partials(self, images: list[bytes]) -> list[Path]:
        return [p for data in images for p in _write(self.folder, [data], _partial_mime(data), "-partial")]


@dataclass
class GalleryKeeper:
    """Images of a learner with a profile: every sent request is a row in their history (failures too,
    which count towards the rate limit); partial previews go to the visit's scratch folder."""

    gallery: Gallery
    learner_id: int
    scratch: Path

    def keep(self, request: ImageRequest, result: ImageResult) -> tuple[list[Path], int | None]:
        saved = self.gallery.record(self.learner_id, request, result)
        if saved is None:
            return [], None
        return list(saved.paths), saved.id

    def keep_partials(self, images: list[bytes]) -> list[Path]:
        return ScratchKeeper(self.scratch).keep_partials(images)
