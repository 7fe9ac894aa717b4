# The web image: gunicorn serving the archive, static files through whitenoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY archive ./archive
COPY posts ./posts
RUN pip install --no-cache-dir .

COPY . .
# collectstatic needs settings, not a database or the real secret.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input

RUN useradd --create-home archive
USER archive

# gunicorn.conf.py binds loopback, which nothing outside a container reaches: here it listens on the container's own
# network, and whoever runs the image decides who reaches that: compose publishes it on the host's 127.0.0.1 only,
# for a TLS proxy on the host. Do not publish it on every interface (`-p 8000:8000`).
ENV GUNICORN_BIND=0.0.0.0:8000
EXPOSE 8000
CMD ["gunicorn", "archive.wsgi", "--config", "gunicorn.conf.py", "--access-logfile", "-"]
