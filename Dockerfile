# Production image: one image for web (gunicorn), Celery worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=govplatform.settings.prod
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-zenhei gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --system --uid 1001 govplatform && mkdir -p /app/var/media && chown -R govplatform /app/var
USER govplatform
EXPOSE 8000
# Dual stack: bind IPv6 and IPv4.
CMD ["gunicorn", "govplatform.wsgi", "--bind", "0.0.0.0:8000", "--bind", "[::]:8000", "--workers", "4", "--timeout", "60", "--access-logfile", "-"]
