"""Outlets as the database knows them: the spellings an import reads, and the sources it creates.

`posts/ingest/outlets.py` knows outlets without Django (the built-in list, how names and domains
are matched); this module joins it to the `Source` rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from posts.ingest.outlets import KNOWN_OUTLETS, Outlet, OutletDirectory
from posts.models import Source, unicode_slug


def outlet_directory() -> OutletDirectory:
    """Every spelling and domain the database and the built-in list know, database first."""
    stored = (Outlet(s.name, tuple(s.aliases), tuple(s.domains)) for s in Source.objects.all())
    return OutletDirectory([*stored, *KNOWN_OUTLETS])


def sources_for(spellings: Iterable[str]) -> dict[str, Source | None]:
    """The stored source each spelling means (a name, another spelling, a web domain); None where there is none."""
    spellings = list(dict.fromkeys(spellings))
    if not spellings:
        return {}
    directory = outlet_directory()
    names = {spelling: directory.find(spelling) for spelling in spellings}
    stored = Source.objects.in_bulk([name for name in names.values() if name], field_name="name")
    return {spelling: stored.get(name) for spelling, name in names.items()}


def sources_named(names: Iterable[str]) -> dict[str, Source]:
    """The sources with these names, each created (with built-in aliases if known) when new.

    Each creation commits on its own and in name order, so that imports that
    introduce the same outlets at once neither deadlock nor fail.
    """
    found = {source.name: source for source in Source.objects.filter(name__in=set(names))}
    for name in sorted(set(names) - set(found)):
        found[name] = _create(name)
    return found


def _create(name: str) -> Source:
    known = next((o for o in KNOWN_OUTLETS if o.name == name), Outlet(name))
    for slug in (unicode_slug(name), unicode_slug(name, hashed=True)):
        try:
            with transaction.atomic():
                return Source.objects.create(
                    name=name, slug=slug, aliases=list(known.aliases), domains=list(known.domains),
                    language=known.language, region=known.region, kind=known.kind,
                )
        except IntegrityError:
            # Another import created it at the same moment, or another name has the slug.
            source = Source.objects.filter(name=name).first()
            if source:
                return source
    raise IntegrityError(f"no free slug for the source {name!r}")
