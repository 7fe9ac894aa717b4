"""The admin: every model, the importer (importer.py) and the actions on posts and sources (actions.py)."""

from posts.admin import importer, sites  # noqa: F401 (registers the models)
