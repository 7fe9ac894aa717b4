"""The importer's preview step (posts/ingest/batches.py): a batch is stored whole, or not at all."""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection

from posts.ingest.batches import preview_batch
from posts.ingest.uploads import RefusedUpload, Upload
from posts.models import ImportBatch
from tests.conftest import small_post


def post_upload(title: str) -> Upload:
    data = small_post(title=title).encode()
    return Upload(f"{title}.txt", len(data), data)


def refused_after(*uploads: Upload, wait=lambda: None):
    """The files, then the refusal a zip's reader raises midway (after `wait`)."""
    yield from uploads
    wait()
    raise RefusedUpload("posts.zip: 中のファイルが多すぎます(フォルダーも数えて400件までです)。")


@pytest.mark.django_db
def test_an_upload_refused_midway_leaves_no_batch():
    user = User.objects.create_user("editor")
    with pytest.raises(RefusedUpload):
        preview_batch(user, refused_after(post_upload("一"), post_upload("二")))
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_an_upload_with_nothing_in_it_leaves_no_batch():
    with pytest.raises(RefusedUpload, match="^取り込むファイルがありません。$"):
        preview_batch(User.objects.create_user("editor"), iter(()))
    assert ImportBatch.objects.count() == 0


def in_thread(work) -> threading.Thread:
    def run():
        try:
            work()
        finally:
            connection.close()  # each thread has its own connection

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_two_uploads_refused_at_once_leave_no_batch():
    """Both batches are written, uncommitted, when both refusals come; neither stays."""
    user = User.objects.create_user("editor")
    both_read = threading.Barrier(2, timeout=30)
    refusals = []

    def refused_preview():
        try:
            preview_batch(user, refused_after(post_upload("一"), wait=both_read.wait))
        except RefusedUpload as refusal:
            refusals.append(str(refusal))

    for thread in [in_thread(refused_preview), in_thread(refused_preview)]:
        thread.join(timeout=60)
    assert len(refusals) == 2
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_preview_in_progress_is_not_dropped_by_anothers_clean_up():
    """The clean-up of empty batches runs while another batch exists but has no file yet: it cannot see it."""
    user = User.objects.create_user("editor")
    started, other_done = threading.Event(), threading.Event()
    batches = {}

    def slow_uploads():
        started.set()  # the batch row is written, not yet its file
        assert other_done.wait(timeout=30)
        yield post_upload("遅い")

    def slow():
        batches["slow"] = preview_batch(user, slow_uploads())

    def quick():
        assert started.wait(timeout=30)
        try:
            batches["quick"] = preview_batch(user, [post_upload("速い")])
        finally:
            other_done.set()

    for thread in [in_thread(slow), in_thread(quick)]:
        thread.join(timeout=60)
    assert sorted(ImportBatch.objects.values_list("files__name", flat=True)) == sorted(["遅い.txt", "速い.txt"])
    assert {batches["slow"].pk, batches["quick"].pk} == set(ImportBatch.objects.values_list("pk", flat=True))
