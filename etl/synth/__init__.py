"""Synthetic Spotify "Download your data" exports for demos, tests and benchmarks.

``generate_export(out, plays, kind, seed)`` writes a zip that looks like the real thing
(FORMATS.md): Zipf popularity, sessions with a daily rhythm, skips, podcasts, audiobooks,
videos, duplicates, placeholders, playlists and every era's file names and spellings.
"""

from etl.synth.eras import ERA_NAMES
from etl.synth.export import KINDS, generate_export

__all__ = ["ERA_NAMES", "KINDS", "generate_export"]
