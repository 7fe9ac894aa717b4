"""Whose uploads an editor sees: their own, and a superuser everyone's.

An upload holds texts nobody has confirmed yet (and a file's text stays when
it fails), so other editors see neither its batch nor its files: not in the
lists, the change pages, the inline, the search, nor the importer's pages.
"""

from django.db.models import QuerySet


def sees(user, batch) -> bool:
    return user.is_superuser or batch.user_id == user.pk


def own_batches(user, batches: QuerySet) -> QuerySet:
    return batches if user.is_superuser else batches.filter(user=user)


def own_files(user, files: QuerySet) -> QuerySet:
    return files if user.is_superuser else files.filter(batch__user=user)
