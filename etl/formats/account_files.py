"""Readers for the account-data files that are not streaming history: playlists, library and
search queries (FORMATS.md §6). Each takes the parsed JSON and returns rows for one clean table
plus rejects; a wrong top-level shape raises ``MemberError``."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

import pyarrow as pa

from etl import schemas
from etl.formats.jsonfile import MemberError
from etl.formats.records import Reject, scrub


def stable_id(*parts: object) -> str:
    """16 hex chars of sha256 over the parts: stable across runs, machines and versions."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None


def _playlist_item(item: dict) -> dict:
    track, episode = item.get("track") or {}, item.get("episode") or {}
    audiobook, local = item.get("audiobook") or {}, item.get("localTrack") or {}
    item_type = (
        "track"
        if track
        else "episode"
        if episode
        else "audiobook"
        if audiobook
        else "local"
        if local
        else None
    )
    return {
        "item_type": item_type,
        "track_name": _text(track.get("trackName")),
        "artist_name": _text(track.get("artistName")),
        "album_name": _text(track.get("albumName")),
        "track_uri": _text(track.get("trackUri")),
        "episode_name": _text(episode.get("episodeName")),
        "show_name": _text(episode.get("showName")),
        "episode_uri": _text(episode.get("episodeUri")),
        "audiobook_name": _text(audiobook.get("audiobookName") or audiobook.get("name")),
        "audiobook_uri": _text(audiobook.get("audiobookUri") or audiobook.get("uri")),
        "local_uri": _text(local.get("uri")),
        "added_date": _date(item.get("addedDate")),
    }


def read_playlists(doc: object, *, user: str, export_id: str) -> tuple[pa.Table, list[Reject]]:
    if not isinstance(doc, dict) or not isinstance(doc.get("playlists"), list):
        raise MemberError('expected an object with a "playlists" list (a Spotify PlaylistN.json)')
    rows, rejects, seen = [], [], {}
    for p_index, playlist in enumerate(doc["playlists"]):
        if not isinstance(playlist, dict) or not isinstance(playlist.get("items", []), list):
            rejects.append(
                Reject(p_index, "playlist is not an object with an items list", scrub(playlist))
            )
            continue
        name = _text(playlist.get("name")) or "(untitled)"
        seen[name] = seen.get(name, -1) + 1  # same-named playlists stay apart
        head = {
            "user_id": user,
            "export_id": export_id,
            "playlist_id": stable_id(user, name, seen[name]),
            "playlist_name": name,
            "playlist_description": _text(playlist.get("description")),
            "last_modified_date": _date(playlist.get("lastModifiedDate")),
            "follower_count": playlist.get("numberOfFollowers")
            if isinstance(playlist.get("numberOfFollowers"), int)
            else None,
        }
        for position, item in enumerate(playlist.get("items") or []):
            entry = _playlist_item(item) if isinstance(item, dict) else {"item_type": None}
            if entry["item_type"] is None:
                rejects.append(
                    Reject(p_index, f"playlist {name!r} item {position} is empty", scrub(item))
                )
                continue
            rows.append({**head, "position": position, **entry})
    return pa.Table.from_pylist(rows, schema=schemas.PLAYLIST_ITEMS), rejects


_LIBRARY_LISTS = {
    "tracks": ("track", "track", "artist", "album", None, None),
    "bannedTracks": ("banned_track", "track", "artist", "album", None, None),
    "albums": ("album", "album", "artist", "album", None, None),
    "shows": ("show", "name", None, None, None, "publisher"),
    "episodes": ("episode", "name", None, None, "show", None),
    "artists": ("artist", "name", None, None, None, None),
    "bannedArtists": ("banned_artist", "name", None, None, None, None),
}


def _library_rows(doc: dict, user: str, export_id: str) -> Iterable[dict]:
    for key, (item_type, name_k, artist_k, album_k, show_k, pub_k) in _LIBRARY_LISTS.items():
        for entry in doc.get(key) or []:
            if isinstance(entry, dict):
                yield {
                    "user_id": user,
                    "export_id": export_id,
                    "item_type": item_type,
                    "name": _text(entry.get(name_k)),
                    "artist_name": _text(entry.get(artist_k)) if artist_k else None,
                    "album_name": _text(entry.get(album_k)) if album_k else None,
                    "show_name": _text(entry.get(show_k)) if show_k else None,
                    "publisher": _text(entry.get(pub_k)) if pub_k else None,
                    "uri": _text(entry.get("uri")),
                }
    for uri in doc.get("other") or []:
        if isinstance(uri, str):
            yield {"user_id": user, "export_id": export_id, "item_type": "other", "uri": uri}


def read_library(doc: object, *, user: str, export_id: str) -> tuple[pa.Table, list[Reject]]:
    if not isinstance(doc, dict):
        raise MemberError("expected an object with tracks/albums/shows lists (YourLibrary.json)")
    rows = list(_library_rows(doc, user, export_id))
    return pa.Table.from_pylist(rows, schema=schemas.LIBRARY_ITEMS), []


def library_show_names(table: pa.Table) -> list[str]:
    """Shows a person follows or saved episodes of: in legacy history, their plays are podcasts."""
    names = set()
    for row in table.select(["item_type", "name", "show_name"]).to_pylist():
        if row["item_type"] == "show" and row["name"]:
            names.add(row["name"])
        if row["item_type"] == "episode" and row["show_name"]:
            names.add(row["show_name"])
    return sorted(names)


def _search_time(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    text = value.split("[", 1)[0].replace("Z", "+00:00")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def read_search_queries(doc: object, *, user: str, export_id: str) -> tuple[pa.Table, list[Reject]]:
    if not isinstance(doc, list):
        raise MemberError("expected a list of searches (SearchQueries.json)")
    rows, rejects = [], []
    for i, entry in enumerate(doc):
        when = _search_time(entry.get("searchTime")) if isinstance(entry, dict) else None
        if when is None:
            rejects.append(Reject(i, "searchTime is missing or not a timestamp", scrub(entry)))
            continue
        query = entry.get("searchQuery") if isinstance(entry.get("searchQuery"), str) else ""
        uris = [u for u in entry.get("searchInteractionURIs") or [] if isinstance(u, str) and u]
        rows.append(
            {
                "search_id": stable_id(user, when.isoformat(), query, _text(entry.get("platform"))),
                "user_id": user,
                "export_id": export_id,
                "searched_at": when,
                "platform": _text(entry.get("platform")),
                "query": query,
                "interaction_uris": uris,
            }
        )
    return pa.Table.from_pylist(rows, schema=schemas.SEARCH_QUERIES), rejects
