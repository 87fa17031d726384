"""``Playlist1.json`` and ``YourLibrary.json`` (FORMATS.md §6), built from what the person
actually played so playlist statistics have something to say: items added over the years (with
or without ``addedDate`` per era), local files ``spotify:local:…``, an empty playlist."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote_plus

import numpy as np

from etl.synth.columns import Lookups
from etl.synth.history import History
from etl.synth.names import Namer
from etl.synth.plays import EPISODE, TRACK


def _played(h: History) -> tuple[np.ndarray, np.ndarray]:
    """Tracks played, and their play counts."""
    counts = np.bincount(h.item[h.kind == TRACK], minlength=len(h.catalog.track_names))
    played = np.flatnonzero(counts)
    return played, counts[played]


def _some_tracks(rng, h: History, n: int) -> np.ndarray:
    """Mostly tracks the person plays (by play count), some never played."""
    played, counts = _played(h)
    liked = rng.choice(played, size=n, p=counts / counts.sum())
    other = rng.integers(0, len(h.catalog.track_names), n)
    return np.where(rng.random(n) < 0.8, liked, other)


def local_uri(namer: Namer, rng) -> str:
    """``spotify:local:<artist>:<album>:<title>:<seconds>``, URL-encoded; artist/album may be ''."""
    artist = namer.artist() if rng.random() < 0.7 else ""
    album = namer.title() if artist and rng.random() < 0.7 else ""
    parts = (artist, album, namer.title(), str(int(rng.integers(60, 600))))
    return "spotify:local:" + ":".join(quote_plus(p) for p in parts)


def _item(keys, lk: Lookups, kind: str, ref, added: str) -> dict:
    value = {
        "track": None,
        "episode": None,
        "audiobook": None,
        "localTrack": None,
        "addedDate": added,
    }
    if kind == "track":
        value["track"] = {
            "trackName": lk.track[ref],
            "artistName": lk.artist[ref],
            "albumName": lk.album[ref],
            "trackUri": lk.track_uri[ref],
        }
    elif kind == "episode":
        value["episode"] = {
            "episodeName": lk.episode[ref],
            "showName": lk.show[ref],
            "episodeUri": lk.episode_uri[ref],
        }
    else:
        value["localTrack"] = {"uri": ref}
    return {k: value[k] for k in keys}


def _dates(rng, h: History, n: int) -> list[str]:
    first, last = int(h.ts[0]) // 86_400, int(h.ts[-1]) // 86_400
    days = np.sort(rng.integers(first, last + 1, n))
    return [str(dt.date(1970, 1, 1) + dt.timedelta(days=int(d))) for d in days]


def _playlist(rng, namer: Namer, h: History, lk: Lookups, size: int, local: bool) -> dict:
    kinds = rng.choice(3, size=size, p=[0.982, 0.003, 0.015])
    if local and size:
        kinds[-1] = 2  # at least one local file somewhere
    tracks = _some_tracks(rng, h, size).tolist()
    episodes = rng.integers(0, len(h.catalog.episode_names), size).tolist()
    dates = _dates(rng, h, size)
    items = []
    for i, k in enumerate(kinds.tolist()):
        ref = tracks[i] if k == 0 else episodes[i] if k == 1 else local_uri(namer, rng)
        items.append(_item(h.era.item_keys, lk, ("track", "episode", "local")[k], ref, dates[i]))
    modified = dates[-1] if dates else _dates(rng, h, 1)[0]
    return {
        "name": namer.playlist(),
        "lastModifiedDate": modified,
        "items": items,
        "description": None if rng.random() < 0.85 else f"{namer.title()} vibes",
        "numberOfFollowers": int(rng.choice([0, 0, 0, 1, 2, 5])),
    }


def playlists(rng, namer: Namer, h: History, lk: Lookups) -> dict:
    count = int(np.clip(len(h) // 20_000, 4, 40))
    top = int(np.clip(len(h) // 100, 10, 300))
    sizes = rng.integers(5, top + 1, count)
    sizes[1] = 0  # someone always has an empty playlist
    return {
        "playlists": [_playlist(rng, namer, h, lk, int(n), i == 0) for i, n in enumerate(sizes)]
    }


def _saved(lk: Lookups, t: int) -> dict:
    return {
        "artist": lk.artist[t],
        "album": lk.album[t],
        "track": lk.track[t],
        "uri": lk.track_uri[t],
    }


def your_library(rng, namer: Namer, h: History, lk: Lookups) -> dict:
    cat = h.catalog
    liked = np.unique(_some_tracks(rng, h, int(np.clip(len(h) // 500, 10, 2000)))).tolist()
    albums = np.unique(cat.track_album[_some_tracks(rng, h, 40)]).tolist()
    played_eps = h.item[h.kind == EPISODE]
    shows = np.unique(cat.episode_show[played_eps]).tolist()  # every show, as Spotify lists
    artists = np.unique(cat.track_artist[_some_tracks(rng, h, 60)]).tolist()
    return {
        "tracks": [_saved(lk, t) for t in liked],
        "albums": [
            {
                "artist": cat.artist_names[cat.album_artist[a]],
                "album": cat.album_names[a],
                "uri": cat.album_uris[a],
            }
            for a in albums
        ],
        "shows": [
            {
                "name": cat.show_names[s],
                "publisher": cat.show_publishers[s],
                "uri": cat.show_uris[s],
            }
            for s in shows
        ],
        "episodes": [
            {"name": lk.episode[e], "show": lk.show[e], "uri": lk.episode_uri[e]}
            for e in np.unique(played_eps)[:3].tolist()
        ],
        "bannedTracks": [_saved(lk, t) for t in rng.integers(0, len(cat.track_names), 2).tolist()],
        "artists": [{"name": cat.artist_names[a], "uri": cat.artist_uris[a]} for a in artists],
        "bannedArtists": [],
        "other": [local_uri(namer, rng)],
    }
