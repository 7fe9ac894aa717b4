"""The importer's preview of an update (更新): what changes in the stored post, part by part and quote by quote."""

import re

import pytest

from posts.ingest.importing import import_file
from posts.models import ImportBatch
from tests.admin.test_importer import confirm, importer, named, upload  # noqa: F401 - importer is a fixture
from tests.conftest import INSERTED_QUOTE, SEED, edited_seed, small_post

pytestmark = pytest.mark.django_db

def test_an_update_shows_the_changed_text_of_each_part_and_quote(importer):  # noqa: F811
    post = import_file(SEED).post
    status, preview = upload(importer, [named("seed.txt", edited_seed(
        ("横山氏の記事では", "横山氏の記事(改)では"),
        ("\n\n8/4The Gateway Pundit<", f"\n\n{INSERTED_QUOTE}8/4The Gateway Pundit<"),
        ("ラトクリフ氏によれば、", "ラトクリフ氏によると、"),
    ).encode()), named("new.txt", small_post(title="新しい投稿").encode())])

    assert 'class="plan-updated"' in preview and 'class="plan-created"' in preview
    assert f"既存の投稿 #{post.pk} との違い" in preview and preview.count("との違い") == 1  # a new post has none
    assert "<h4>論評</h4>" in preview and "横山氏の記事<ins>(改)</ins>では" in preview
    assert re.search(r"<strong>追加</strong> 引用1「挿入された見出し」\(2025-08-03、Reuters\)", preview)
    assert re.search(r"<strong>変更</strong> 引用2\(これまでの引用1\)「CIA長官.*?」: 本文", preview)
    assert "ラトクリフ氏によ<del>れば</del>、" in preview and "ラトクリフ氏によ<ins>ると</ins>、" in preview
    assert "文字省略" in preview  # the long paragraph around the change is cut

    page = confirm(importer, ImportBatch.objects.get())
    assert f"既存の投稿 #{post.pk} との違い" in page  # still there to look back at


def test_the_changed_text_is_escaped(importer):  # noqa: F811
    import_file(SEED)
    hostile = "<img src=x onerror=alert(1)>"
    status, preview = upload(importer, [named("seed.txt", edited_seed(("横山氏の記事では", f"横山氏の記事{hostile}では")).encode())])
    assert "<ins>&lt;img src=x onerror=alert(1)&gt;</ins>" in preview
    assert hostile not in preview


def test_an_update_that_changes_no_stored_part_says_so(importer):  # noqa: F811
    post = import_file(SEED).post
    status, preview = upload(importer, [named("seed.txt", SEED.read_bytes() + b"\n\n")])
    assert 'class="plan-updated"' in preview
    assert f"既存の投稿 #{post.pk} との違い" in preview
    assert "題名・日付・本文・引用は変わりません" in preview

