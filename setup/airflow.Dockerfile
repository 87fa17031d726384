# syntax=docker/dockerfile:1
# Airflow for Spotify Lake: the official image, extended with this project (docker-compose.yml
# builds it for every airflow-* service and the GoodData provisioner). Build context: repo root.
ARG AIRFLOW_VERSION=3.3.2
FROM apache/airflow:${AIRFLOW_VERSION}-python3.11

ARG AIRFLOW_VERSION
ENV SPOTIFY_LAKE_HOME=/opt/spotify-lake \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The project lives in its own folder (not in AIRFLOW_HOME) so dags/, sql/ and setup/ keep the
# repository layout; group 0 may write, as the image runs with any uid in group 0.
USER root
RUN mkdir -p "${SPOTIFY_LAKE_HOME}/data_lake" /opt/airflow/auth \
 && chown -R airflow:0 "${SPOTIFY_LAKE_HOME}" /opt/airflow/auth \
 && chmod -R g+rwX "${SPOTIFY_LAKE_HOME}" /opt/airflow/auth
USER airflow
WORKDIR ${SPOTIFY_LAKE_HOME}

COPY --chown=airflow:0 . .

# The image's documented way to add packages: name "apache-airflow==<version>" in the same pip
# command so pip can never up- or downgrade Airflow (the constraints file pinned Airflow's own
# install; our extras pin the rest). No `pip check`: the image ships providers we do not use,
# whose pins may disagree with ours without affecting Spotify Lake. Editable, so sql/, dags/ and
# the GoodData layout are read from this folder, where they are in the repository.
RUN pip install "apache-airflow==${AIRFLOW_VERSION}" -e ".[airflow,gooddata]" \
 && spotify-lake --version
