"""Four imports of the same batch at once — two `import_posts` commands and two admin confirms through a real
gunicorn — on real PostgreSQL: each post stored once, no file fails."""

import re
import subprocess
import threading
import time

import pytest
from django.contrib.auth.models import Permission, User

from posts.models import ImportBatch, ImportFile, Link, Post, Quote
from tests.conftest import database_url, manage_py, small_post, write_post
from tests.servers import Browser, gunicorn

FILES = 40


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_commands_and_two_admin_confirms_of_the_same_batch_at_once(tmp_path):
    for n in range(FILES):
        text = small_post(title=f"同時{n}").replace("Reuters<", f"Fresh Outlet {n % 4}<")
        write_post(tmp_path, f"{n:02d}.txt", text)
    user = User.objects.create_user("admin2", password="a long enough password", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_post", "view_post"]))

    with gunicorn(workers=2) as (base, _):
        browsers = [Browser(base), Browser(base)]
        reviews = []
        for browser in browsers:  # two uploads of the same files: two previews, nothing imported yet
            assert browser.log_in("admin2", "a long enough password") == 200
            # In reverse order: the admins import from the end while the commands import from the start.
            files = sorted(tmp_path.glob("*.txt"), reverse=True)
            status, page = browser.upload("/admin/posts/importbatch/new/", "files", files, text="")
            assert status == 200
            reviews.append(re.fullmatch(rf"{base}(/admin/posts/importbatch/\d+/review/)", browser.url).group(1))
        assert Post.objects.count() == 0

        start = threading.Barrier(4)
        outcomes, errors = {}, []

        def confirm(n):
            from django.db import connection

            try:
                start.wait()
                deadline = time.monotonic() + 60
                while not Post.objects.exists() and time.monotonic() < deadline:  # until the commands are writing
                    time.sleep(0.01)
                outcomes[f"admin{n}"] = browsers[n].post(reviews[n], {})
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                connection.close()

        def command(n):
            try:
                start.wait()
                run = manage_py("import_posts", str(tmp_path), database_url=database_url(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
                out, err = run.communicate(timeout=300)
                outcomes[f"command{n}"] = (run.returncode, out.strip().splitlines()[-1], err)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=confirm, args=(n,)) for n in range(2)]
        threads += [threading.Thread(target=command, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    for n in range(2):
        assert outcomes[f"admin{n}"][0] == 200, outcomes[f"admin{n}"][1][:500]
        code, summary, err = outcomes[f"command{n}"]
        assert code == 0 and summary.endswith("/ 0 failed"), (summary, err)
    assert Post.objects.count() == FILES
    assert Quote.objects.count() == FILES and Link.objects.count() == FILES
    assert ImportBatch.objects.filter(status=ImportBatch.Status.IMPORTED).count() == 2
    assert set(ImportFile.objects.values_list("outcome", flat=True)) <= {"created", "unchanged"}
    created = ImportFile.objects.filter(outcome="created").count() + sum(
        int(outcomes[f"command{n}"][1].split(" created")[0]) for n in range(2)
    )
    assert created == FILES  # each post made exactly once, by whichever got there first
    by_admin = ImportFile.objects.filter(outcome="created").count()
    print(f"\n4 imports of {FILES} files at once: {FILES - by_admin} posts created by the commands, {by_admin} by the admin")
