"""The smaller account files (FORMATS.md §6): SearchQueries, Userdata, Inferences (two
shapes), Marquee (list or object), Follow, plus the non-JSON members an export carries."""

from __future__ import annotations

import datetime as dt

import numpy as np

from etl.synth.columns import Lookups
from etl.synth.history import History
from etl.synth.names import Namer
from etl.synth.plays import TRACK

_SEARCH_PLATFORMS = (
    "",
    "ANDROID",
    "ANDROID_ARM",
    "IPHONE",
    "IPHONE_ARM64",
    "WIN32_X86_64",
    "OSX_X86_64",
    "WEBPLAYER",
)
_SEARCH_P = (0.5, 0.2, 0.08, 0.08, 0.04, 0.05, 0.03, 0.02)
_INFERENCES = (
    "1P_Custom_Android_Mobile_Streamers",
    "1P_Custom_Christmas_Music_Listeners",
    "1P_Custom_In-Car Streamers",
    "2P_Podcast_Listeners_Comedy",
    "3P_Alcohol Consumers",
    "3P_Car Buyers [Advertiser-Specific]",
    "interest_music_festivals",
    "content_true_crime",
    "demographic_age_25_34",
    "[Test] - 3P_Coffee Lovers",
    "Fitness",
    "TEST_DONOTUSE_segment",
    "5f2a9c1e0b7d4e3a",
)
_TAG_KEYS = (
    "overall_spend_very_low",
    "overall_spend_low",
    "overall_spend_medium",
    "overall_trans_very_low",
    "event_tickets_spend_low",
    "travel_trans_medium",
)
SEGMENTS = (
    "Previously Active Listeners",
    "Light listeners",
    "Moderate listeners",
    "Super Listeners",
)
# Bytes that look like the PDF Spotify puts in every export; the lake keeps it as is.
README_PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
    b"%%EOF\n"
)


def _search_time(epoch_ms: int) -> str:
    t = dt.datetime.fromtimestamp(epoch_ms / 1000, dt.UTC)
    return f"{t:%Y-%m-%dT%H:%M:%S}.{epoch_ms % 1000:03d}Z[UTC]"


def _typing(rng, target: str, start_ms: int, platform: str, uris: list[str]) -> list[dict]:
    """A query typed in a few steps; the last step sometimes leads somewhere."""
    target = target.strip().lower() or "x"
    cuts = np.unique(np.linspace(min(2, len(target)), len(target), int(rng.integers(1, 5))))
    out, at = [], start_ms
    for i, cut in enumerate(cuts.astype(int).tolist()):
        at += int(rng.integers(400, 4_000))
        last = i == len(cuts) - 1
        out.append(
            {
                "platform": platform,
                "searchTime": _search_time(at),
                "searchQuery": target[:cut],
                "searchInteractionURIs": uris if last else [],
            }
        )
    return out


def search_queries(rng, h: History, lk: Lookups) -> list[dict]:
    count = int(np.clip(len(h) // 400, 3, 2000))
    played = h.item[h.kind == TRACK]
    tracks = played[rng.integers(0, len(played), count)].tolist()
    lo = max(int(h.ts[0]), h.window_start_s) * 1000
    starts = np.sort(rng.integers(lo, int(h.ts[-1]) * 1000, count)).tolist()
    platforms = rng.choice(len(_SEARCH_PLATFORMS), count, p=_SEARCH_P).tolist()
    out = []
    for t, at, p in zip(tracks, starts, platforms, strict=True):
        by_artist = rng.random() < 0.5
        u = rng.random()
        uris = [lk.track_uri[t]] if u < 0.45 else [""] if u < 0.46 else []
        out += _typing(
            rng, lk.artist[t] if by_artist else lk.track[t], at, _SEARCH_PLATFORMS[p], uris
        )
    return out


def userdata(rng, h: History, seed: int) -> dict:
    created = dt.date(1970, 1, 1) + dt.timedelta(days=int(h.ts[0]) // 86_400 - 30)
    return {
        "username": h.username,
        "email": f"synthetic.listener.{seed}@example.com",
        "country": h.home,
        "createdFromFacebook": False,
        "facebookUid": None,
        "birthdate": str(
            dt.date(
                int(rng.integers(1965, 2006)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
            )
        ),
        "gender": str(rng.choice(["female", "male"])),
        "postalCode": None,
        "mobileNumber": None,
        "mobileOperator": None,
        "mobileBrand": None,
        "creationTime": str(created),
    }


def inferences(rng, h: History) -> dict:
    if h.era.inferences == "tags":
        year = h.era.export_date.year
        quarters = [f"{year - 1}-{md}" for md in ("03-31", "06-30", "09-30", "12-31")]
        return {
            "tags": [
                {"yr_qtr": q, **{k: int(rng.integers(0, 3)) for k in _TAG_KEYS}} for q in quarters
            ]
        }
    picked = sorted(rng.choice(len(_INFERENCES), size=8, replace=False).tolist())
    return {"inferences": [_INFERENCES[i] for i in picked]}


def marquee(rng, h: History) -> dict | list | None:
    counts = np.bincount(h.catalog.track_artist[h.item[h.kind == TRACK]])
    top = np.argsort(-counts, kind="stable")[:12].tolist()
    names = [h.catalog.artist_names[a].strip() for a in top]
    if h.era.marquee == "object":
        return {"marqueeReachableAudience": names[:3]}
    if h.era.marquee == "list":
        return [{"artistName": a, "segment": SEGMENTS[int(rng.integers(0, 4))]} for a in names]
    return None


def follow(rng) -> dict:
    return {
        "followerCount": int(rng.integers(0, 30)),
        "followingUsersCount": int(rng.integers(0, 60)),
        "dismissingUsersCount": 0,
    }


def unknown_member(namer: Namer) -> dict:
    """A file the lake does not know: kept in raw, listed as unrecognised."""
    return {"conversations": [{"subject": f"{namer.title()}?", "status": "closed"}]}
