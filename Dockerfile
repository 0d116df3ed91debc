# Sightline's production image: gunicorn serving the app, with the front-end files from npm baked in.
# Built by docker-compose.yml (`docker compose up --build`); configuration comes from the environment.

# Leaflet and the plugins Folium uses, from the lock file, served by the app itself (no CDN). Not the dev
# dependencies: ESLint and axe-core serve `make lint` and the browser tests only.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FLASK_APP=webapp
WORKDIR /app

# GDAL's ogr2ogr writes the FlatGeobuf files of releases and downloads (webapp.opendata.file_formats).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gdal-bin \
    && rm -rf /var/lib/apt/lists/*

# Runtime dependencies only (pyproject's list), each pinned to the version in requirements.lock.
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > requirements.runtime \
    && pip install --no-cache-dir -c requirements.lock -r requirements.runtime \
    && rm requirements.runtime

COPY --from=assets /src/node_modules ./node_modules
COPY gunicorn.conf.py ./
COPY migrations ./migrations
COPY webapp ./webapp
# The real data the first `migrate` loads (data/SOURCES.md: licences and credits).
COPY data ./data
# The compiled catalogues are built from the committed .po files (Babel, a dependency of Flask-Babel).
RUN pybabel compile -d webapp/translations

# Never run as root; the uploads volume is mounted at /data/uploads and inherits this ownership when new.
RUN useradd --system --uid 10001 --home-dir /app sightline \
    && mkdir -p /data/uploads \
    && chown sightline /data/uploads
USER sightline

ENV UPLOAD_DIR=/data/uploads \
    BIND=0.0.0.0:8000
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "webapp:create_app()"]
