"""The export eras the generator can imitate (FORMATS.md §2, §4, §6, §7).

An era fixes everything that changed over the years at once: the folder layout, the extended
schema (E1–E3) and its key order, file names and pretty-printing, the account streaming files,
the playlist item keys, and the shapes of Inferences.json and Marquee.json.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

E1_KEYS = (
    "ts",
    "username",
    "platform",
    "ms_played",
    "conn_country",
    "ip_addr_decrypted",
    "user_agent_decrypted",
    "master_metadata_track_name",
    "master_metadata_album_artist_name",
    "master_metadata_album_album_name",
    "spotify_track_uri",
    "episode_name",
    "episode_show_name",
    "spotify_episode_uri",
    "reason_start",
    "reason_end",
    "shuffle",
    "skipped",
    "offline",
    "offline_timestamp",
    "incognito_mode",
)
# E2 drops username and the decrypted IP/user agent for ``ip_addr``; the rest is E1's, in order.
E2_KEYS = (
    "ts",
    "platform",
    "ms_played",
    "conn_country",
    "ip_addr",
    *E1_KEYS[E1_KEYS.index("master_metadata_track_name") :],
)
_AUDIOBOOK_KEYS = (
    "audiobook_title",
    "audiobook_uri",
    "audiobook_chapter_uri",
    "audiobook_chapter_title",
)
_AFTER_EPISODE = E2_KEYS.index("spotify_episode_uri") + 1
E3_KEYS = E2_KEYS[:_AFTER_EPISODE] + _AUDIOBOOK_KEYS + E2_KEYS[_AFTER_EPISODE:]
EXTENDED_KEYS = {"E1": E1_KEYS, "E2": E2_KEYS, "E3": E3_KEYS}

ACCOUNT_KEYS = {
    "music": ("endTime", "artistName", "trackName", "msPlayed"),
    "podcast": ("endTime", "podcastName", "episodeName", "msPlayed"),
    "audiobook": ("endTime", "audiobookName", "chapterName", "authorName", "msPlayed"),
}
ITEM_KEYS_NO_DATE = ("track", "episode", "localTrack")
ITEM_KEYS_DATED = ("track", "episode", "localTrack", "addedDate")
ITEM_KEYS_AUDIOBOOK = ("track", "episode", "audiobook", "localTrack", "addedDate")

MYDATA = "MyData"
SAD = "Spotify Account Data"
SESH = "Spotify Extended Streaming History"


@dataclass(frozen=True)
class Era:
    name: str
    schema: str  # E1 | E2 | E3
    layout: str  # endsong (minified, random order) | range (sorted parts) | peryear
    export_date: dt.date  # the day the export was made: the history ends just before it
    account_style: str  # legacy (StreamingHistoryN, podcasts mixed in) | split (_music_/_podcast_)
    item_keys: tuple[str, ...]
    inferences: str  # tags | inferences
    marquee: str | None  # None | object | list

    @property
    def extended_dir(self) -> str:
        return MYDATA if self.layout == "endsong" else SESH

    @property
    def account_dir(self) -> str:
        return MYDATA if self.account_style == "legacy" else SAD

    @property
    def extended_keys(self) -> tuple[str, ...]:
        return EXTENDED_KEYS[self.schema]

    @property
    def has_audiobooks(self) -> bool:
        return self.schema == "E3"


ERAS: dict[str, Era] = {
    era.name: era
    for era in (
        Era(
            "endsong-2022",
            "E1",
            "endsong",
            dt.date(2022, 5, 4),
            "legacy",
            ITEM_KEYS_NO_DATE,
            "tags",
            None,
        ),
        Era(
            "endsong-2023",
            "E1",
            "endsong",
            dt.date(2023, 4, 3),
            "legacy",
            ITEM_KEYS_DATED,
            "inferences",
            "object",
        ),
        Era(
            "range-2024",
            "E2",
            "range",
            dt.date(2024, 11, 25),
            "split",
            ITEM_KEYS_AUDIOBOOK,
            "inferences",
            "list",
        ),
        Era(
            "range-2025",
            "E3",
            "range",
            dt.date(2025, 11, 27),
            "split",
            ITEM_KEYS_AUDIOBOOK,
            "inferences",
            "list",
        ),
        Era(
            "peryear-2026",
            "E3",
            "peryear",
            dt.date(2026, 6, 3),
            "split",
            ITEM_KEYS_AUDIOBOOK,
            "inferences",
            "list",
        ),
    )
}
ERA_NAMES = tuple(ERAS)


def era_for(seed: int, name: str | None = None) -> Era:
    """The era named, or the one a seed picks (``seed % 5``, so seeds 0–4 cover every era)."""
    if name is None:
        return ERAS[ERA_NAMES[seed % len(ERA_NAMES)]]
    if name not in ERAS:
        raise ValueError(f"unknown era {name!r}: choose one of {', '.join(ERA_NAMES)}")
    return ERAS[name]
