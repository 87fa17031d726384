"""The only module that knows the lake's folder layout (DESIGN §3)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CLEAN_TABLES = ("streams", "playlist_items", "library_items", "search_queries", "_rejects")


@dataclass(frozen=True)
class Lake:
    root: Path

    # landing ---------------------------------------------------------------------------
    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def rejected(self) -> Path:
        return self.landing / "_rejected"

    @property
    def processed(self) -> Path:
        return self.landing / "_processed"

    # raw -------------------------------------------------------------------------------
    @property
    def raw(self) -> Path:
        return self.root / "raw"

    def raw_user(self, user: str) -> Path:
        return self.raw / f"user={user}"

    def raw_export(self, user: str, export_id: str) -> Path:
        return self.raw_user(user) / f"export={export_id}"

    def manifest(self, user: str, export_id: str) -> Path:
        return self.raw_export(user, export_id) / "_manifest.json"

    def raw_users(self) -> list[str]:
        return sorted(p.name.removeprefix("user=") for p in self.raw.glob("user=*") if p.is_dir())

    def raw_exports(self, user: str) -> list[str]:
        """Export ids of a user that are complete in raw (their manifest exists)."""
        root = self.raw_user(user)
        return sorted(
            p.name.removeprefix("export=")
            for p in root.glob("export=*")
            if (p / "_manifest.json").is_file()
        )

    # clean -----------------------------------------------------------------------------
    @property
    def clean(self) -> Path:
        return self.root / "clean"

    def clean_file(self, table: str, user: str) -> Path:
        return self.clean / table / f"user={user}" / "part-0.parquet"

    def staged_dir(self, user: str, export_id: str) -> Path:
        """Per-export parsed tables: a pure function of one raw export, merged into clean."""
        return self.clean / "_staged" / f"user={user}" / f"export={export_id}"

    def staged_file(self, table: str, user: str, export_id: str) -> Path:
        return self.staged_dir(user, export_id) / f"{table}.parquet"

    # curated ---------------------------------------------------------------------------
    @property
    def curated(self) -> Path:
        return self.root / "curated"

    def curated_file(self, table: str, user: str) -> Path:
        return self.curated / table / f"user={user}" / "part-0.parquet"

    def curated_users(self) -> list[str]:
        base = self.curated / "fact_streams"
        return sorted(p.name.removeprefix("user=") for p in base.glob("user=*") if p.is_dir())

    # warehouse -------------------------------------------------------------------------
    @property
    def warehouse_duckdb(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def tmp(self) -> Path:
        """Scratch space on the lake's own file system, so renames into place are atomic."""
        return self.root / ".tmp"
