"""The admin importer's two steps: preview a batch of files, then import it through the one write path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from posts.ingest.dates import iso
from posts.ingest.decoding import RefusedFile, decode_post
from posts.ingest.importing import FAILED, UPDATED, import_or_fail, plan_text
from posts.ingest.previews import changes
from posts.ingest.sources import outlet_directory
from posts.ingest.uploads import RefusedUpload, Upload
from posts.models import ImportBatch, ImportFile, Source

ABANDONED_AFTER = dt.timedelta(days=7)


def preview_batch(user, uploads: Iterable[Upload]) -> ImportBatch:
    """Read, decode and parse each file; store what importing it would do. Nothing is imported.

    `uploads` is read one file at a time inside one transaction: a refused
    upload, raised midway, leaves no batch, and neither does an upload with
    nothing in it (RefusedUpload). Previews nobody confirmed for a week, and
    the texts they hold, are dropped, and so are empty ones earlier versions
    left. A batch being previewed is not committed yet, so no one else's
    clean-up can see it, let alone drop it.
    """
    ImportBatch.objects.filter(
        Q(created_at__lt=timezone.now() - ABANDONED_AFTER) | Q(files__isnull=True), status=ImportBatch.Status.PREVIEWED
    ).delete()
    outlets = outlet_directory()
    known = set(Source.objects.values_list("name", flat=True))
    seen: dict[tuple, str] = {}  # a post's identity -> the file of this batch that has it
    with transaction.atomic():
        batch = ImportBatch.objects.create(user=user)
        position = 0
        for position, upload in enumerate(uploads, start=1):
            record = ImportFile(batch=batch, position=position, name=upload.name[:255], size=upload.size)
            if upload.error:
                record.planned, record.error = ImportFile.Outcome.REFUSED, upload.error
            else:
                try:
                    text, record.encoding = decode_post(upload.data)
                except RefusedFile as refusal:
                    record.planned, record.error = ImportFile.Outcome.REFUSED, str(refusal)
                else:
                    plan = plan_text(text, outlets=outlets, name=upload.name)
                    record.text, record.content_hash = text, plan.digest
                    record.planned, record.error = plan.outcome, plan.refusal
                    record.warnings = [w.to_dict() for w in plan.parsed.warnings]
                    identity = (plan.key, plan.parsed.article.date)
                    record.preview = _summary(plan, known, duplicate_of=seen.get(identity))
                    seen.setdefault(identity, record.name)
            record.save()
        if not position:
            raise RefusedUpload("取り込むファイルがありません。")
    return batch


def import_batch(batch: ImportBatch) -> bool:
    """Import the files the preview accepted, each post in its own transaction; False if nothing was left.

    Files already done are skipped, so a confirm that was cut short (a timeout,
    a restart) finishes when confirmed again; two confirms at once import each
    post once, since the write path is idempotent, and the first record wins.
    """
    pending = batch.files.filter(outcome="").exclude(planned=ImportFile.Outcome.REFUSED).order_by("position")
    if batch.status == ImportBatch.Status.IMPORTED or not pending.exists():
        return False
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.IMPORTING)
    for record in pending:
        result = import_or_fail(record.text, name=record.name, encoding=record.encoding or "utf-8")
        kept_text = record.text if result.outcome == FAILED else ""  # a stored post keeps its own text
        ImportFile.objects.filter(pk=record.pk, outcome="").update(
            outcome=result.outcome, error=result.error, post=result.post, text=kept_text
        )
    batch.files.filter(planned=ImportFile.Outcome.REFUSED).update(outcome=ImportFile.Outcome.REFUSED)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.IMPORTED, imported_at=timezone.now())
    return True


def _summary(plan, known: set[str], duplicate_of: str | None) -> dict:
    parsed = plan.parsed
    return {
        "title": parsed.title,
        "article": {
            "date": iso(parsed.article.date),
            "outlet": parsed.article.outlet,
            "author": parsed.article.author,
            "new_outlet": bool(parsed.article.outlet) and parsed.article.outlet not in known,
        },
        "published_on": iso(parsed.published_on),
        "quotes": [
            {
                "date": iso(q.date),
                "outlet": q.outlet,
                "new_outlet": bool(q.outlet) and q.outlet not in known,
                "original_title": q.original_title,
                "title": q.title,
                "links": len(q.links),
            }
            for q in parsed.quotes
        ],
        "commentary_chars": len(parsed.commentary),
        "article_chars": len(parsed.article_body),
        "existing_post": plan.existing.pk if plan.existing else None,
        "kept_corrections": plan.existing.correction_lines() if plan.existing else [],
        "changes": changes(plan.existing, parsed) if plan.outcome == UPDATED else None,
        "duplicate_of": duplicate_of,
    }
