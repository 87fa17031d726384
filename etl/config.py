"""Settings from the environment, read once per process (or per explicit ``load()``)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

USER_RE = re.compile(r"^[a-z0-9_-]{1,64}$")
DEFAULT_MAX_EXPORT_BYTES = 8 * 1024**3


class ConfigError(ValueError):
    """A setting is invalid; the message names the variable and what to do."""


def check_user(user: str) -> str:
    if not USER_RE.match(user or ""):
        raise ConfigError(
            f"invalid user id {user!r}: use 1-64 characters from a-z, 0-9, '_' and '-'"
        )
    return user


def _zone(name: str, var: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{var}={name!r} is not an IANA time zone (e.g. Europe/Berlin)") from exc
    return name


def parse_country_zones(text: str) -> dict[str, str]:
    """``"US=America/New_York,DE=Europe/Berlin"`` → ``{"US": …, "DE": …}``."""
    zones: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, sep, zone = part.partition("=")
        if not sep or len(code.strip()) != 2:
            raise ConfigError(
                f"SPOTIFY_LAKE_COUNTRY_TIMEZONES: {part!r} is not CC=Zone/Name "
                "(e.g. US=America/New_York)"
            )
        zones[code.strip().upper()] = _zone(zone.strip(), "SPOTIFY_LAKE_COUNTRY_TIMEZONES")
    return zones


@dataclass(frozen=True)
class Settings:
    lake_root: Path
    default_user: str = "me"
    timezone: str = "UTC"
    country_timezones: dict[str, str] = field(default_factory=dict)
    database_url: str | None = None
    max_export_bytes: int = DEFAULT_MAX_EXPORT_BYTES
    gooddata_host: str | None = None
    gooddata_token: str | None = None
    #: Host header for GoodData CE when it is reached by another name (container to container).
    gooddata_header_host: str | None = None

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def load(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    max_bytes = env.get("SPOTIFY_LAKE_MAX_EXPORT_BYTES", str(DEFAULT_MAX_EXPORT_BYTES))
    if not max_bytes.isdigit():
        raise ConfigError(f"SPOTIFY_LAKE_MAX_EXPORT_BYTES={max_bytes!r} must be a byte count")
    return Settings(
        lake_root=Path(env.get("SPOTIFY_LAKE_ROOT") or "data_lake").resolve(),
        default_user=check_user(env.get("SPOTIFY_LAKE_USER") or "me"),
        timezone=_zone(env.get("SPOTIFY_LAKE_TIMEZONE") or "UTC", "SPOTIFY_LAKE_TIMEZONE"),
        country_timezones=parse_country_zones(env.get("SPOTIFY_LAKE_COUNTRY_TIMEZONES", "")),
        database_url=env.get("DATABASE_URL") or None,
        max_export_bytes=int(max_bytes),
        gooddata_host=env.get("GOODDATA_HOST") or None,
        gooddata_token=env.get("GOODDATA_TOKEN") or None,
        gooddata_header_host=env.get("GOODDATA_HEADER_HOST") or None,
    )
