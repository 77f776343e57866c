# CivicHack production image: Django served by gunicorn, static files by whitenoise.
# The same image runs the web, Celery worker and Celery beat services (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Unprivileged user that owns the application directory and runs every process.
RUN groupadd --system app \
    && useradd --system --gid app --create-home --home-dir /home/app app \
    && chown app:app /app

COPY --chown=app:app . .

# Runtime dependencies only (no [dev] extra), exactly as uv.lock pins them, hashes checked.
# The uv version matches UV_VERSION in the Makefile.
RUN pip install --no-cache-dir uv==0.13.9 \
    && uv export --locked --no-dev --no-emit-project --format requirements-txt -o /tmp/requirements.txt \
    && pip install --no-cache-dir --require-hashes -r /tmp/requirements.txt \
    && pip uninstall --yes uv && rm /tmp/requirements.txt

USER app

# Production settings store static files with whitenoise's manifest storage, so collect them
# the same way. The values are dummies for this build step only (collectstatic connects to
# neither the database nor the broker); the real ones come from the runtime environment.
# media/ is the mount point of the uploads volume: owned by app, so a new volume is writable.
RUN DJANGO_ENV=production \
    SECRET_KEY=build-only-collectstatic-not-a-secret \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build:build@localhost:5432/build \
    CELERY_BROKER_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
    && mkdir -p media

EXPOSE 8000

CMD ["gunicorn", "hackathon.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
