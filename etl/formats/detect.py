"""Which kind of export member a file is: by its basename first, by its JSON shape where the name
is unknown or misleading (FORMATS.md §2 and §8)."""

from __future__ import annotations

import re

#: kind -> what the reader does with it
STREAMING_KINDS = (
    "account_legacy",
    "account_music",
    "account_podcast",
    "account_audiobook",
    "extended_audio",
    "extended_video",
)
PARSED_KINDS = (*STREAMING_KINDS, "playlists", "library", "search_queries")

_NAME_RULES: tuple[tuple[str, str], ...] = (
    (r"StreamingHistory\d+\.json", "account_legacy"),
    (r"StreamingHistory_music_\d+\.json", "account_music"),
    (r"StreamingHistory_podcast_\d+\.json", "account_podcast"),
    (r"StreamingHistory_audiobook_\d+\.json", "account_audiobook"),
    (r"endsong(_\d+)?\.json", "extended_audio"),
    (r"endvideo(_\d+)?\.json", "extended_video"),
    (r"Streaming_History_Audio_[^/]*\.json", "extended_audio"),
    (r"Streaming_History_Video_[^/]*\.json", "extended_video"),
    (r"Playlist\d+\.json", "playlists"),
    (r"YourLibrary\.json", "library"),
    (r"SearchQueries\.json", "search_queries"),
    # Recognised and kept in raw, but not turned into clean tables (personal data, or nothing
    # the dashboards use). UserAddress.json is not even JSON (FORMATS.md §6).
    (r"Userdata\.json", "userdata"),
    (r"UserAddress\.json", "user_address"),
    (r"Inferences\.json", "inferences"),
    (r"Marquee\.json", "marquee"),
    (r"Follow\.json", "follow"),
    (r"Wrapped\d{4}\.json", "wrapped"),
    (r"PlaylistInABottle\.json", "playlist_in_a_bottle"),
    (r"Payments\.json", "payments"),
    (r"Identity\.json", "identity"),
    (r"Identifiers\.json", "identifiers"),
    (r"DuoNewFamily\.json|FamilyPlan\w*\.json", "family_plan"),
    (r"Read ?Me ?First.*\.pdf", "readme"),
)
_COMPILED = tuple((re.compile(f"^{pat}$", re.IGNORECASE), kind) for pat, kind in _NAME_RULES)


def kind_from_name(path: str) -> str | None:
    base = path.rsplit("/", 1)[-1]
    for pattern, kind in _COMPILED:
        if pattern.match(base):
            return kind
    return None


def kind_from_shape(doc: object, name_kind: str | None) -> str | None:
    """The member kind the parsed JSON ``doc`` looks like, or None."""
    if isinstance(doc, dict):
        if isinstance(doc.get("playlists"), list):
            return "playlists"
        if {"tracks", "artists"} <= doc.keys() or {"tracks", "albums"} <= doc.keys():
            return "library"
        return None
    if not isinstance(doc, list):
        return None
    first = next((r for r in doc if isinstance(r, dict)), None)
    if first is None:
        # An empty list (or one without objects) carries no shape: trust the name.
        return name_kind if name_kind in PARSED_KINDS else None
    keys = first.keys()
    if "ts" in keys and "ms_played" in keys:
        return name_kind if name_kind in ("extended_audio", "extended_video") else "extended_audio"
    if "endTime" in keys and "msPlayed" in keys:
        if "podcastName" in keys or "episodeName" in keys:
            return "account_podcast"
        if "audiobookName" in keys or "chapterName" in keys:
            return "account_audiobook"
        return "account_legacy" if name_kind in (None, "account_legacy") else "account_music"
    if "searchTime" in keys:
        return "search_queries"
    return None
