"""Uploads are seen only by their uploader and superusers, on every admin page that shows them.

Two editors with the same permissions (import, and view and delete batches and
their files): neither finds the other's upload in a list, a search, a change,
history or delete page, or the importer's review page.
"""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from posts.models import ImportBatch, ImportFile

pytestmark = pytest.mark.django_db

PERMISSIONS = ["add_post", "view_post", "view_importbatch", "delete_importbatch", "view_importfile",
               "delete_importfile"]


def editor(name: str) -> User:
    user = User.objects.create_user(name, password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=PERMISSIONS))
    return user


def upload_of(user: User, secret: str) -> ImportFile:
    """An unconfirmed upload, as the importer's preview leaves it."""
    batch = ImportBatch.objects.create(user=user)
    return ImportFile.objects.create(batch=batch, position=1, name=f"{secret}.txt", size=10, planned="created",
                                     text=f"{secret}の未確認の本文")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def uploads():
    alice, bob = editor("alice"), editor("bob")
    return client_for(alice), upload_of(alice, "アリス"), client_for(bob), upload_of(bob, "ボブ")


def page(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_the_lists_and_the_search_show_only_ones_own_uploads(uploads):
    alice, alices, bob, bobs = uploads
    for client, own, other in [(alice, alices, bobs), (bob, bobs, alices)]:
        status, batches = page(client, "/admin/posts/importbatch/")
        assert status == 200
        assert f"/admin/posts/importbatch/{own.batch_id}/change/" in batches
        assert f"/admin/posts/importbatch/{other.batch_id}/change/" not in batches
        status, files = page(client, "/admin/posts/importfile/")
        assert status == 200 and own.name in files and other.name not in files
        assert other.name not in page(client, f"/admin/posts/importfile/?q={other.name[:2]}")[1]
        assert own.name in page(client, f"/admin/posts/importfile/?q={own.name[:2]}")[1]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/posts/importbatch/{batch}/change/",
        "/admin/posts/importbatch/{batch}/history/",
        "/admin/posts/importbatch/{batch}/delete/",
        "/admin/posts/importfile/{file}/change/",
        "/admin/posts/importfile/{file}/history/",
        "/admin/posts/importbatch/{batch}/review/",
    ],
)
def test_no_page_of_another_editors_upload_opens(uploads, url):
    alice, alices, bob, bobs = uploads
    own, other = (url.format(batch=f.batch_id, file=f.pk) for f in (bobs, alices))
    assert page(bob, own)[0] == 200
    status, shown = page(bob, other)
    assert status in (302, 403, 404) and "アリス" not in shown
    assert ImportBatch.objects.count() == 2


def test_a_batchs_page_lists_only_its_own_files(uploads):
    alice, alices, bob, bobs = uploads
    status, shown = page(bob, f"/admin/posts/importbatch/{bobs.batch_id}/change/")
    assert status == 200 and "ボブ.txt" in shown and "アリス" not in shown


def test_superusers_see_every_upload(uploads):
    alice, alices, bob, bobs = uploads
    root = client_for(User.objects.create_superuser("root", password="x"))
    files = page(root, "/admin/posts/importfile/")[1]
    assert "アリス.txt" in files and "ボブ.txt" in files
    for upload in (alices, bobs):
        assert page(root, f"/admin/posts/importfile/{upload.pk}/change/")[0] == 200
        assert page(root, f"/admin/posts/importbatch/{upload.batch_id}/review/")[0] == 200
