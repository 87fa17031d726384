"""A deterministic zip: fixed member timestamps and attributes, members in the order written.

The same members give the same bytes on every run and machine. The file is written under a
temporary name and renamed into place, so a crash never leaves a half-written export.
Compression runs in one background thread (zlib releases the GIL) while the caller builds the
next member; at most one member waits, so memory stays at about two members.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path


class ExportZip:
    """``with ExportZip(path, day) as z: z.add("MyData/Follow.json", data)``."""

    def __init__(self, out: Path, day: dt.date, level: int = 6) -> None:
        self.out = Path(out)
        self.tmp = self.out.with_name(f".{self.out.name}.{os.getpid()}.tmp")
        self.stamp = (day.year, day.month, day.day, 3, 0, 0)
        self.level = level
        self._zip: zipfile.ZipFile | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zip")
        self._pending: Future | None = None

    def __enter__(self) -> ExportZip:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._zip = zipfile.ZipFile(self.tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        return self

    def add(self, path: str, data: bytes) -> None:
        info = zipfile.ZipInfo(path, date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # unix, whatever the host
        info.external_attr = 0o100644 << 16
        self._wait()
        self._pending = self._pool.submit(self._zip.writestr, info, data, None, self.level)

    def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()  # re-raises a failed write here

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self._wait()
        finally:
            self._pool.shutdown()
            self._zip.close()
        if exc_type is None:
            os.replace(self.tmp, self.out)
        else:
            self.tmp.unlink(missing_ok=True)
