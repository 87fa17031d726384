"""Questions of the Anomalies page: unusual days and new obsessions, with their explanations."""

from __future__ import annotations

import pandas as pd

from dashboard.filters import Filters
from dashboard.queries._base import cached, run

_COLUMNS = """anomaly_id, local_date, kind, subject_type, subject_name, minutes_played,
              baseline_minutes, robust_z, plays_7d, rate_ratio, explanation"""


@cached
def day_anomalies(f: Filters) -> pd.DataFrame:
    """Unusually high or low days (computed on all listening, so content does not apply)."""
    return run(
        f"""select {_COLUMNS} from curated.anomalies
            where user_id = :user_id and local_date between :start_date and :end_date
              and subject_id is null
            order by local_date, anomaly_id""",
        f.params(),
    )


@cached
def obsessions(f: Filters) -> pd.DataFrame:
    """New-obsession events (an artist or track at several times its usual rate)."""
    return run(
        f"""select {_COLUMNS} from curated.anomalies
            where user_id = :user_id and local_date between :start_date and :end_date
              and subject_id is not null and :content in ('all', 'music')
            order by local_date, anomaly_id""",
        f.params(),
    )
