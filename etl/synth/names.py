"""Made-up names that look like a real library: Latin, accented, Vietnamese, CJK, Korean,
Cyrillic, emoji, ``feat.`` credits and remaster suffixes (FORMATS.md §3 "Non-ASCII text")."""

from __future__ import annotations

import random

import numpy as np

_SYLLABLES = (
    "la mo ri ka ne so ta vi lu den mar tor sel bri an el on ur qua zen fa ro mi ko sa "
    "ja lo be ni da ve ra to li no"
).split()
_WORDS = (
    "night love blue fire summer city dream heart light rain gold echo river ghost wild "
    "midnight paper velvet neon honey ocean shadow silver glass window highway coffee "
    "morning stranger island thunder garden letters mirror cherry static orbit "
    "lullaby satellite winter diamond wolves hollow northern stereo"
).split()
_ACCENTED = (
    "Été Liberté Cœur Mañana Corazón Straße Über Nuit Señorita Ça Fête Noël Àme Jalousie Déjà Ñu"
).split()
_NON_LATIN = (
    "Buồn Vui Yêu Em Người Đêm Nhớ Mưa Thương Phố 夜に駆ける 桜 東京 夢 月光 花火 海 星空 "
    "사랑 밤 별 하루 Звезда Ночь Кино Город Ελπίδα"
).split()
_EMOJI = ("🌙", "🔥", "✨", "💔", "🌊", "🎧", "☀️", "🖤", "🦋")
_FIRST = "Anna Léa Marco Jun Mai Noah Sofia Tomasz Aiko Lucas Ines Ravi Chloé Minh Olga Sam".split()
_LAST = "Moreau Kowalski Tanaka Nguyen Silva Becker Rossi Haddad Larsen Dubois Park Novak".split()
_BASE62 = np.frombuffer(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8
)


def base62_ids(rng: np.random.Generator, n: int, prefix: str = "", length: int = 22) -> list[str]:
    """``n`` random ids of 22 base62 characters, as in ``spotify:track:<id>``."""
    chars = _BASE62[rng.integers(0, 62, size=(n, length))]
    return [prefix + s.decode() for s in chars.view(f"S{length}").ravel()]


class Namer:
    """Names drawn from one seeded ``random.Random`` (fast for scalar draws)."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def _word(self) -> str:
        r = self.r
        if r.random() < 0.5:
            return r.choice(_WORDS).capitalize()
        return "".join(r.choice(_SYLLABLES) for _ in range(r.randint(2, 3))).capitalize()

    def _words(self, lo: int, hi: int) -> str:
        return " ".join(self._word() for _ in range(self.r.randint(lo, hi)))

    def artist(self) -> str:
        r, x = self.r, self.r.random()
        if x < 0.10:
            return f"The {r.choice(_WORDS).capitalize().removesuffix('s')}s"
        if x < 0.20:
            return r.choice(_WORDS) + r.choice(_SYLLABLES)  # lower-case, like "lofee"
        if x < 0.30:
            return " ".join(r.sample(_NON_LATIN, r.randint(1, 2)))
        if x < 0.36:
            return f"{self._word()} & {self._word()}"
        if x < 0.45:
            return f"{r.choice(_ACCENTED)} {self._word()}"
        return self._words(1, 2)

    def title(self) -> str:
        """A song or album title."""
        r, x = self.r, self.r.random()
        if x < 0.12:
            base = " ".join(r.sample(_NON_LATIN, r.randint(1, 2)))
        elif x < 0.22:
            base = f"{r.choice(_ACCENTED)} {self._word().lower()}"
        else:
            base = self._words(1, 4)
        if r.random() < 0.05:
            base = f"{base} {r.choice(_EMOJI)}"
        return base

    def track(self, other_artist: str) -> str:
        r, base, x = self.r, self.title(), self.r.random()
        if x < 0.10:
            return f"{base} (feat. {other_artist})"
        if x < 0.14:
            return f"{base} - Remastered {r.randint(1995, 2021)}"
        if x < 0.17:
            return f"{base} - Live"
        return base

    def person(self) -> str:
        return f"{self.r.choice(_FIRST)} {self.r.choice(_LAST)}"

    def show(self) -> str:
        r, w = self.r, self._words(1, 2)
        return r.choice(
            (
                f"The {w} Podcast",
                f"{w} Talks",
                f"Choses à Savoir {w}",
                f"Daily {w}",
                f"{w} & Friends",
                f"{w} 🎙️",
            )
        )

    def episode(self, number: int) -> str:
        r, w = self.r, self._words(2, 6)
        style = r.random()
        if style < 0.4:
            return f"#{number} - {w}"
        if style < 0.7:
            return f"Episode {number}: {w}"
        return f"{w}: {self._words(3, 9).lower()} ?"

    def playlist(self) -> str:
        r = self.r
        return r.choice(
            (
                self._words(1, 2),
                f"{self._word()} {r.choice(_EMOJI)}",
                f"{r.choice(_ACCENTED)} {r.randint(2015, 2025)}",
                self._word().lower(),
                f"  {self._word()} mix ",
            )
        )
