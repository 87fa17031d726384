"""The music, podcasts and audiobooks a synthetic person listens to, with Zipf popularity.

Tracks are stored album by album and albums artist by artist, so "play the album" is a run of
consecutive track indexes. Popularity: artists by a Zipf law over a random ranking, tracks
within an artist by a second, flatter one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.synth.names import Namer, base62_ids


@dataclass
class Catalog:
    artist_names: list[str]
    artist_uris: list[str]
    album_names: list[str]
    album_uris: list[str]
    album_artist: np.ndarray
    album_first: np.ndarray  # first track index of each album
    album_len: np.ndarray
    track_names: list[str]
    track_uris: list[str]
    track_album: np.ndarray
    track_ms: np.ndarray
    track_cum: np.ndarray  # cumulative popularity, for sampling
    track_has_video: np.ndarray
    show_names: list[str]
    show_publishers: list[str]
    show_uris: list[str]
    show_first: np.ndarray
    show_len: np.ndarray
    show_cum: np.ndarray
    show_is_video: np.ndarray
    episode_names: list[str]
    episode_uris: list[str]
    episode_show: np.ndarray
    episode_ms: np.ndarray
    book_titles: list[str]
    book_authors: list[str]
    book_uris: list[str]
    chapter_titles: list[str]
    chapter_uris: list[str]
    chapter_book: np.ndarray
    chapter_ms: np.ndarray
    book_first: np.ndarray
    book_len: np.ndarray

    @property
    def track_artist(self) -> np.ndarray:
        return self.album_artist[self.track_album]

    def sample_tracks(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.searchsorted(self.track_cum, rng.random(n) * self.track_cum[-1], side="right")

    def sample_shows(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.searchsorted(self.show_cum, rng.random(n) * self.show_cum[-1], side="right")


def _zipf(rng: np.random.Generator, n: int, s: float) -> np.ndarray:
    """Weights 1/rank**s over a random ranking of ``n`` items."""
    return 1.0 / (rng.permutation(n) + 1.0) ** s


def _pad(names: list[str], which: np.ndarray) -> None:
    """Leading or trailing whitespace on a few names, as Spotify ships them (FORMATS.md §3)."""
    for i in np.unique(which).tolist():
        names[i] = f" {names[i]}" if i % 3 == 0 else f"{names[i]} "


def _unique(make, n: int) -> list[str]:
    seen: set[str] = set()
    out = []
    for i in range(n):
        name = make()
        for _ in range(3):
            if name not in seen:
                break
            name = make()
        if name in seen:
            name = f"{name} {i}"
        seen.add(name)
        out.append(name)
    return out


def _album_sizes(rng: np.random.Generator, n_artists: int) -> tuple[np.ndarray, np.ndarray]:
    """(artist of each album, tracks in each album): singles, EPs and full albums."""
    per_artist = rng.choice([1, 2, 3, 4, 6], size=n_artists, p=[0.35, 0.25, 0.2, 0.12, 0.08])
    album_artist = np.repeat(np.arange(n_artists), per_artist)
    kind = rng.random(len(album_artist))
    sizes = np.where(
        kind < 0.4,
        1,
        np.where(kind < 0.6, rng.integers(3, 7, len(kind)), rng.integers(8, 15, len(kind))),
    )
    return album_artist, sizes


def _music(rng: np.random.Generator, namer: Namer, n_artists: int) -> dict:
    artists = _unique(namer.artist, n_artists)
    album_artist, sizes = _album_sizes(rng, n_artists)
    album_first = np.cumsum(sizes) - sizes
    track_album = np.repeat(np.arange(len(sizes)), sizes)
    n_tracks = len(track_album)
    albums = [namer.title() for _ in range(len(sizes))]
    track_artist = album_artist[track_album]
    others = rng.integers(0, n_artists, n_tracks).tolist()
    tracks = [namer.track(artists[o].strip()) for o in others]
    for a in np.flatnonzero(sizes == 1).tolist():
        albums[a] = tracks[album_first[a]]  # a single is named after its track
    weight = _zipf(rng, n_artists, 1.07)[track_artist] * _zipf(rng, n_tracks, 0.5)
    # Padded names among played ones, so even a small history shows the quirk.
    cum = np.cumsum(weight)
    padded = np.searchsorted(cum, rng.random(max(3, n_tracks // 500)) * cum[-1], side="right")
    _pad(tracks, padded)
    _pad(artists, track_artist[padded[:2]])
    ms = np.clip(rng.lognormal(np.log(205_000), 0.3, n_tracks), 35_000, 900_000).astype(np.int64)
    ms[rng.random(n_tracks) < 0.0005] = 7_272_124  # the odd two-hour track
    return {
        "artist_names": artists,
        "artist_uris": base62_ids(rng, n_artists, "spotify:artist:"),
        "album_names": albums,
        "album_uris": base62_ids(rng, len(sizes), "spotify:album:"),
        "album_artist": album_artist,
        "album_first": album_first,
        "album_len": sizes,
        "track_names": tracks,
        "track_uris": base62_ids(rng, n_tracks, "spotify:track:"),
        "track_album": track_album,
        "track_ms": ms,
        "track_cum": np.cumsum(weight),
        "track_has_video": rng.random(n_tracks) < 0.03,
    }


def _podcasts(rng: np.random.Generator, namer: Namer, n_shows: int, per_show: int) -> dict:
    shows = _unique(namer.show, n_shows)
    lens = rng.integers(max(2, per_show // 4), per_show + 2, n_shows)
    episode_show = np.repeat(np.arange(n_shows), lens)
    episodes = [namer.episode(int(k) + 1) for k in _positions(lens).tolist()]
    _pad(episodes, np.flatnonzero(rng.random(len(episodes)) < 0.01))
    return {
        "show_names": shows,
        "show_publishers": [namer.person() for _ in shows],
        "show_uris": base62_ids(rng, n_shows, "spotify:show:"),
        "show_first": np.cumsum(lens) - lens,
        "show_len": lens,
        "show_cum": np.cumsum(_zipf(rng, n_shows, 1.2)),
        "show_is_video": rng.random(n_shows) < 0.25,
        "episode_names": episodes,
        "episode_uris": base62_ids(rng, len(episodes), "spotify:episode:"),
        "episode_show": episode_show,
        "episode_ms": rng.integers(15 * 60_000, 120 * 60_000, len(episodes)),
    }


def _positions(lens: np.ndarray) -> np.ndarray:
    """0, 1, …, len-1 for each group, concatenated."""
    starts = np.repeat(np.cumsum(lens) - lens, lens)
    return np.arange(int(lens.sum())) - starts


def _audiobooks(rng: np.random.Generator, namer: Namer, n_books: int) -> dict:
    titles = [namer.title() for _ in range(n_books)]
    lens = rng.integers(8, 30, n_books)
    chapter_book = np.repeat(np.arange(n_books), lens)
    chapters = [f"Chapter {k + 1}" for k in _positions(lens).tolist()]
    return {
        "book_titles": titles,
        "book_authors": [namer.person() for _ in titles],
        "book_uris": base62_ids(rng, n_books, "spotify:audiobook:"),
        "chapter_titles": chapters,
        "chapter_uris": base62_ids(rng, len(chapters), "spotify:chapter:"),
        "chapter_book": chapter_book,
        "chapter_ms": rng.integers(8 * 60_000, 45 * 60_000, len(chapters)),
        "book_first": np.cumsum(lens) - lens,
        "book_len": lens,
    }


def build_catalog(rng: np.random.Generator, namer: Namer, plays: int) -> Catalog:
    """A catalog sized to the history: ~4,000 artists and ~45,000 tracks at 1M plays."""
    n_artists = int(np.clip(plays // 250, 60, 4000))
    n_shows = int(np.clip(plays // 25_000, 4, 40))
    parts = {
        **_music(rng, namer, n_artists),
        **_podcasts(rng, namer, n_shows, int(np.clip(plays // 2000, 6, 250))),
        **_audiobooks(rng, namer, 4),
    }
    return Catalog(**parts)
