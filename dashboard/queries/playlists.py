"""Questions of the Playlists page: every track's use, and what to remove (as of the export)."""

from __future__ import annotations

import pandas as pd

from dashboard.queries._base import cached, run


@cached
def playlists(user: str) -> pd.DataFrame:
    """The user's playlists from the latest export that has any."""
    return run(
        """select playlist_id, playlist_name, track_count, item_count, last_modified_date
           from curated.playlists where user_id = :user_id
           order by lower(playlist_name), playlist_id""",
        {"user_id": user},
    )


@cached
def playlist_tracks(user: str, playlist_id: str) -> pd.DataFrame:
    """One row per track position with its play rate, skip rate and last play."""
    return run(
        """select s.position, s.track_name, s.artist_name, s.added_date, s.days_in_playlist,
                  s.starts, s.streams, s.skips, s.skip_rate, s.play_rate_30d,
                  s.last_played_at, s.days_since_last_play, s.is_removal_candidate,
                  r.reason
           from curated.playlist_track_stats s
           left join curated.playlist_recommendations r
             on r.user_id = s.user_id and r.playlist_id = s.playlist_id
            and r.position = s.position
           where s.user_id = :user_id and s.playlist_id = :playlist_id
           order by s.position""",
        {"user_id": user, "playlist_id": playlist_id},
    )


@cached
def removal_candidates(user: str, playlist_id: str) -> pd.DataFrame:
    """The removal candidates of one playlist, each with its reason sentence."""
    return run(
        """select position, track_name, artist_name, play_rate_30d, skip_rate,
                  days_in_playlist, last_played_at, reason
           from curated.playlist_recommendations
           where user_id = :user_id and playlist_id = :playlist_id
           order by play_rate_30d, position""",
        {"user_id": user, "playlist_id": playlist_id},
    )
