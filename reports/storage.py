"""Where generated files live: the PDF cache and finished batch exports.

Both go through Django's storage API, so workers on several machines share them once
STORAGES["reports"] and STORAGES["exports"] name a shared backend (for example an S3 bucket
with django-storages). Without them, folders on local disk (PLANPROFIL_REPORT_CACHE and
PLANPROFIL_EXPORT_DIR), written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class AtomicFileSystemStorage(FileSystemStorage):
    """Writes each file under a name unique to the writer, then renames it into place: a
    reader never sees half a file, and two writers of the same name never share a temporary
    file. The last complete write wins, which is right for content-addressed files."""

    def _save(self, name: str, content: Any) -> str:
        full_path = Path(self.path(name))
        full_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=full_path.parent, prefix=f".{full_path.name}.")
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in content.chunks():
                    handle.write(chunk)
            Path(tmp).replace(full_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return name

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return name  # same name, same content: replace rather than invent a new name


def _storage(alias: str, location: str) -> Storage:
    if alias in settings.STORAGES:
        return storages.create_storage(settings.STORAGES[alias])
    return AtomicFileSystemStorage(location=location)


def report_storage() -> Storage:
    return _storage("reports", settings.PLANPROFIL_REPORT_CACHE)


def export_storage() -> Storage:
    return _storage("exports", settings.PLANPROFIL_EXPORT_DIR)
