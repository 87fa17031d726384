# syntax=docker/dockerfile:1
# The Spotify Lake Dash app under gunicorn (docker-compose.yml service `dashboard`).
# Build context: the repository root.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SPOTIFY_LAKE_HOME=/opt/spotify-lake

# An unprivileged user in group 0, so compose may run it as any uid (AIRFLOW_UID) in group 0.
RUN useradd --uid 10001 --gid 0 --no-create-home --home-dir /opt/spotify-lake app \
 && mkdir -p /opt/spotify-lake/data_lake \
 && chown -R 10001:0 /opt/spotify-lake \
 && chmod -R g+rwX /opt/spotify-lake
WORKDIR /opt/spotify-lake

COPY --chown=10001:0 . .

# Editable: `spotify-lake db upgrade` reads the DDL in sql/ from this folder.
RUN pip install -e ".[dashboard]" \
 && pip check \
 && spotify-lake --version

USER 10001:0
EXPOSE 8050
CMD ["sh", "setup/dashboard/start.sh"]
