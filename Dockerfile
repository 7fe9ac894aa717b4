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

EXPOSE 8000
CMD ["gunicorn", "archive.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]
