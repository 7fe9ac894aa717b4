"""The attack figures: what the worst requests cost a filled archive, and what its readers see meanwhile.

`manage.py bench --attacks-only` runs them against the database a benchmark run filled (bench/README.md):

- **Worst queries**: ten terms that nearly every passage holds (kana, kanji, Latin letters), sorted by
  relevance, through each form that searches (page, JSON, CSV, feed), in this process with the rate limit off:
  the database time and the status of each (200, or 503 once the search's budget is spent).
- **The home page under attack**: gunicorn as the Dockerfile runs it (its worker count; rate limit, budget and
  statement_timeout on), 8 clients from one address each sending 20 worst queries while one more client fetches
  the home page: the home page's p50 and p95, and what the attackers got.
- **The largest accepted post**: a post at every cap (POST_MAX_QUOTES, POST_MAX_LINKS, POST_MAX_LINES, and
  close to POST_FILE_MAX_BYTES), imported, then its public page and its admin page fetched; it is deleted after.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from posts.bench.benchmark import (
    ROOT,
    bench_env,
    free_port,
    machine,
    percentiles,
    timed_get,
    use_database,
    wait_for_port,
)

WORST_QUERIES = {
    "kana": "の に は を た が で て と し",
    "kanji": "人 日 本 国 大 中 年 出 会 事",
    "latin": "a e i o s t n r l c",
}
FORMS = {
    "page": "/?q={q}&sort=relevance",
    "json": "/posts.json?q={q}&sort=relevance",
    "csv": "/posts.csv?q={q}&sort=relevance",
    "feed": "/search/feed/?q={q}",
}
ATTACKERS, ATTACKS_EACH = 8, 20
GUNICORN_WORKERS = 3  # as the Dockerfile runs it


def measure(database: str, out: Path, log=print) -> dict:
    """Every attack figure against `database` (as a benchmark run left it); written to `out` as JSON."""
    settings.DEBUG = False
    use_database(database)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=bench_env(), check=True)
    from posts.models import Post

    posts = Post.objects.count()
    log("attacks: worst queries")
    worst = measure_worst_queries()
    log(f"  worst database time {worst['worst_db_ms']} ms ({worst['worst']})")
    log("attacks: the home page while 8 clients send worst queries")
    home = measure_home_under_attack()
    log(f"  {home}")
    log("attacks: the largest accepted post")
    largest = measure_largest_post()
    log(f"  {largest}")
    results = {"date": dt.date.today().isoformat(), "posts": posts, "machine": machine(), "worst_queries": worst,
               "home_under_attack": home, "largest_post": largest}
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{results['date']}-{posts}-attacks.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return results


def measure_worst_queries() -> dict:
    client = Client()
    found, worst = {}, (0.0, "")
    with override_settings(RATELIMIT_ENABLE=False):
        for name, query in WORST_QUERIES.items():
            for form, template in FORMS.items():
                runs = [timed_get(client, template.format(q=urllib.parse.quote(query))) for _ in range(3)]
                db = statistics.median(run[1] for run in runs)
                found[f"{name}/{form}"] = {
                    "db_ms": round(db, 1), "page_ms": round(statistics.median(run[0] for run in runs), 1),
                    "db_max_ms": round(max(run[1] for run in runs), 1), "statuses": sorted({run[2] for run in runs}),
                }
                worst = max(worst, (max(run[1] for run in runs), f"{name}/{form}"))
    return {"queries": WORST_QUERIES, "forms": FORMS, "results": found, "worst_db_ms": round(worst[0], 1),
            "worst": worst[1], "budget_ms": settings.SEARCH_BUDGET_MS}


def measure_home_under_attack() -> dict:
    port = free_port()
    env = bench_env(DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_CONN_MAX_AGE="60", DJANGO_RATELIMIT="true")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "archive.wsgi", "--workers", str(GUNICORN_WORKERS), "--timeout", "120",
         "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_port(port)
        for _ in range(5 * GUNICORN_WORKERS):  # warm every worker
            _fetch(base + "/")
        quiet = [_fetch(base + "/")[1] for _ in range(20)]  # the home page alone
        statuses: Counter = Counter()
        home: list[float] = []
        done = threading.Event()

        def attacker(n: int):
            urls = [base + template.format(q=urllib.parse.quote(query))
                    for query in WORST_QUERIES.values() for template in FORMS.values()]
            for i in range(ATTACKS_EACH):
                statuses[_fetch(urls[(n + i) % len(urls)])[0]] += 1

        def reader():
            while not done.is_set():
                home.append(_fetch(base + "/")[1])
                time.sleep(0.05)

        threads = [threading.Thread(target=attacker, args=(n,)) for n in range(ATTACKERS)]
        watcher = threading.Thread(target=reader)
        started = time.perf_counter()
        watcher.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        done.set()
        watcher.join()
        return {
            "workers": GUNICORN_WORKERS, "attackers": ATTACKERS, "attacks_each": ATTACKS_EACH,
            "seconds": round(time.perf_counter() - started, 1), "attack_statuses": dict(sorted(statuses.items())),
            "home_quiet_ms": percentiles(quiet), "home_ms": percentiles(home), "rate": settings.SEARCH_RATE,
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def _fetch(url: str) -> tuple[int, float]:
    """(status, ms) of one GET."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return status, (time.perf_counter() - started) * 1000


def largest_post() -> str:
    """A post at every cap: POST_MAX_QUOTES quotes with POST_MAX_LINKS links between them, POST_MAX_LINES lines,
    and close to POST_FILE_MAX_BYTES of text."""
    quotes, links, lines = settings.POST_MAX_QUOTES, settings.POST_MAX_LINKS, settings.POST_MAX_LINES
    head = ["『最大の投稿』(2025/8/4日経 記者)について", ""]
    body = []
    for n in range(quotes):
        body += [f"8/4Reuters<Headline {n}=見出し{n}>", "停戦交渉の本文。" * 20, ""]
        body += [f"https://example.org/2025/08/04/{n}/{k}" for k in range(links // quotes)] + [""]
    tail = ["論評。" * 50, "", "記事", ""]
    room = lines - len(head) - len(body) - len(tail) - 1
    left = settings.POST_FILE_MAX_BYTES * 9 // 10 - len("\n".join(head + body + tail).encode())
    sentence = "記事の本文、停戦交渉について。"  # 45 bytes
    article = [sentence * max(1, left // room // len(sentence.encode()))] * room
    return "\n".join(head + body + tail + article) + "\n"


def measure_largest_post() -> dict:
    from posts.ingest.importing import import_text
    from posts.models import Post

    text = largest_post()
    result = import_text(text, name="largest.txt")
    if result.post is None:
        return {"error": result.error}
    post = result.post
    admin = get_user_model().objects.create_superuser("bench-largest-post", password=None)
    try:
        client = Client()
        public = [timed_get(client, f"/posts/{post.pk}/") for _ in range(3)]
        client.force_login(admin)
        change = [timed_get(client, f"/admin/posts/post/{post.pk}/change/") for _ in range(3)]
        return {
            "bytes": len(text.encode()), "lines": text.count("\n"), "quotes": post.quotes.count(),
            "links": post.links.count(),
            "public_page_ms": round(statistics.median(run[0] for run in public), 1),
            "admin_page_ms": round(statistics.median(run[0] for run in change), 1),
            "statuses": sorted({run[2] for run in public + change}),
        }
    finally:
        admin.delete()
        Post.objects.filter(pk=post.pk).delete()
