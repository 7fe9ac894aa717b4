"""The benchmark behind `manage.py bench`: generate, import, measure, compare with baselines.

Everything is measured in one run on one machine, so that ratios hold even
when the machine is noisy: import speed and memory, storage, search and page
latency through the real views, `ILIKE` and grep over the same text, and a
load test with gunicorn and wrk.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psutil
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import Count
from django.test import Client

from posts.bench.corpus import query_words, write_corpus

ROOT = Path(settings.BASE_DIR)
DATABASE = "archive_bench"
REPEATS = 3

# The Debian tools some measurements need, and what is left out without them. `make bench` installs them;
# `make test`, which runs the benchmark at a tiny size, does not.
TOOLS = {"rg": "the ripgrep baseline", "wrk": "the load test"}


def missing_tools(path: str | None = None) -> dict[str, str]:
    """What the benchmark leaves out for want of a tool: {tool: why}."""
    return {
        tool: f"{what} is skipped: {tool} is not installed (make bench installs it)"
        for tool, what in TOOLS.items()
        if shutil.which(tool, path=path) is None
    }


def run(posts: int, seed: int, jobs: int, load_seconds: int, out: Path, database: str = DATABASE, log=print) -> dict:
    settings.DEBUG = False  # measured as in production: no query log, no debug pages
    settings.RATELIMIT_ENABLE = False  # one client asks for everything: the per-client limit would answer 429
    corpus = ROOT / "var" / "bench" / f"corpus-{seed}-{posts}"
    log(f"generating {posts} posts in {corpus}")
    raw_bytes = write_corpus(corpus, posts, seed, jobs=max(jobs, 1))
    log(f"creating a fresh database {database}")
    fresh_database(database)
    results = {
        "date": dt.date.today().isoformat(),
        "posts": posts,
        "seed": seed,
        "machine": machine(),
        "corpus_mb": round(raw_bytes / 1e6, 1),
    }
    log("importing")
    results["import"] = measure_import(corpus, posts, raw_bytes, jobs)
    log(f"  {results['import']}")
    settle()
    results["storage"] = measure_storage(raw_bytes)
    log(f"  {results['storage']}")
    # As in production: static files collected (whitenoise serves them from the manifest).
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=bench_env(), check=True)
    log("searching")
    words = query_words(seed)
    results["search"] = measure_search(words)
    results["pages"] = measure_pages()
    log("baselines: ILIKE and grep")
    results["skipped"] = missing_tools()
    for reason in results["skipped"].values():
        log(f"  {reason}")
    results["baselines"] = measure_baselines(words, corpus)
    results["ratios"] = ratios(results["search"], results["baselines"])
    if load_seconds and "wrk" not in results["skipped"]:
        log(f"load: gunicorn and wrk for {load_seconds} s")
        results["load"] = measure_load(words, load_seconds)
    write(results, out)
    return results


def measure_searches(seed: int, database: str = DATABASE, log=print) -> dict:
    """Search and page latency only, against the database an earlier run filled (nothing generated or imported).

    To compare two versions of the code on one noisy machine, run this from each checkout in turn, a few
    times over: the data stays the same, and each checkout's own code answers.
    """
    settings.DEBUG = False
    settings.RATELIMIT_ENABLE = False
    use_database(database)
    with connection.cursor() as cursor:  # a clear error, not a traceback, when no run filled it
        cursor.execute("SELECT count(*) FROM posts_post")
        posts = cursor.fetchone()[0]
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=bench_env(), check=True)
    log(f"searching {posts} posts in {database}")
    return {"posts": posts, "search": measure_search(query_words(seed)), "pages": measure_pages()}


# The database --------------------------------------------------------------------------------------------------------


def fresh_database(name: str) -> None:
    """Drop and create the bench database on the configured server, point this process at it, migrate."""
    connections.close_all()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    use_database(name)
    call_command("migrate", verbosity=0)


def use_database(name: str) -> None:
    """Point this process at `name`, without the web's statement_timeout: the benchmark's own work (VACUUM, the
    ILIKE baselines over all the text) takes longer than a request may, and the searches it times take less."""
    connections.close_all()
    for database in (settings.DATABASES["default"], connections["default"].settings_dict):
        database["NAME"] = name
        database.setdefault("OPTIONS", {})["options"] = "-c statement_timeout=0"


def bench_env(**extra) -> dict:
    """The environment of the processes the benchmark starts: its database (once `fresh_database` made it), DEBUG
    off as in production."""
    production = {"DJANGO_DEBUG": "false", "DJANGO_HTTPS": "false", "DJANGO_SECRET_KEY": settings.SECRET_KEY,
                  "DJANGO_RATELIMIT": "false"}  # the load test measures the archive, not the per-client limit
    return {**os.environ, **production, "DATABASE_NAME": settings.DATABASES["default"]["NAME"], **extra}


# Import ----------------------------------------------------------------------------------------------------------------


def measure_import(corpus: Path, posts: int, raw_bytes: int, jobs: int) -> dict:
    command = [sys.executable, "manage.py", "import_posts", str(corpus), "--jobs", str(jobs), "--format", "json"]
    # Output to a file, not a pipe: nobody reads a pipe while the import runs, and a full one would stall it.
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = psutil.Popen(command, cwd=ROOT, env=bench_env(), stdout=output, stderr=subprocess.DEVNULL)
        peak_main = peak_worker = 0
        while process.poll() is None:
            try:
                peak_main = max(peak_main, process.memory_info().rss)
                for child in process.children(recursive=True):
                    peak_worker = max(peak_worker, child.memory_info().rss)
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        output.seek(0)
        summary = json.loads(output.read().decode().strip().splitlines()[-1])["summary"]
    return {
        "jobs": jobs,
        "seconds": round(seconds, 1),
        "posts_per_s": round(posts / seconds, 1),
        "mb_per_s": round(raw_bytes / 1e6 / seconds, 2),
        "peak_rss_mb": round(peak_main / 2**20),
        "peak_worker_rss_mb": round(peak_worker / 2**20),
        "outcomes": summary,
    }


def settle() -> None:
    """What autovacuum would do soon after a big import: flush GIN pending lists, set statistics and visibility."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


# Storage ----------------------------------------------------------------------------------------------------------------


def measure_storage(raw_bytes: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 'posts_%'
            """
        )
        tables = {name: {"table_mb": round(t / 1e6, 1), "indexes_mb": round(i / 1e6, 1)} for name, t, i in cursor.fetchall()}
        cursor.execute(
            "SELECT pg_table_size('posts_passage'), pg_indexes_size('posts_passage'), pg_relation_size('passage_lexemes'),"
            " coalesce(sum(pg_column_size(runs)), 0) FROM posts_passage"
        )
        table, indexes, gin, runs = cursor.fetchone()
    return {
        "raw_text_mb": round(raw_bytes / 1e6, 1),
        # The search's own storage: the passages (their runs, row overhead, TOAST) and every index on them.
        "search_runs_mb": round(runs / 1e6, 1),
        "search_table_mb": round(table / 1e6, 1),
        "search_index_mb": round(gin / 1e6, 1),
        "search_indexes_mb": round(indexes / 1e6, 1),
        "search_storage_per_raw": round((table + indexes) / raw_bytes, 2),
        "tables": tables,
    }


# Search and pages, through the real views ------------------------------------------------------------------------------------


@contextmanager
def database_timer():
    """Sum the time spent in the database by what runs inside."""
    spent = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - started

    with connection.execute_wrapper(timed):
        yield spent


def timed_get(client: Client, url: str) -> tuple[float, float, int]:
    """(page ms, database ms, status) of one GET through the views."""
    with database_timer() as spent:
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        page = time.perf_counter() - started
    return page * 1000, spent[0] * 1000, response.status_code


def percentiles(values: list[float]) -> dict:
    if len(values) < 2:
        value = round(values[0], 1) if values else None
        return {"p50": value, "p95": value, "p99": value, "n": len(values)}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(statistics.median(values), 1), "p95": round(cuts[94], 1), "p99": round(cuts[98], 1), "n": len(values)}


def search_variants() -> dict[str, str]:
    """Each query alone; with the most quoted outlet, in its own text (`source`) and in the whole posts (`scope=post`,
    what `source` did before searches in an outlet were exact); and with a three-year date range."""
    from posts.models import Source

    busiest = Source.objects.annotate(n=Count("quotes")).order_by("-n").values_list("slug", flat=True).first() or ""
    return {
        "alone": "",
        "source": f"&source={urllib.parse.quote(busiest)}",
        "source_post": f"&source={urllib.parse.quote(busiest)}&scope=post",
        "dates": "&date_from=2019-01-01&date_to=2021-12-31",
    }


def measure_search(words: dict[str, list[str]]) -> dict:
    client = Client()
    client.get("/?q=warm", HTTP_HOST="127.0.0.1")
    found = {}
    for cls, terms in words.items():
        for variant, extra in search_variants().items():
            pages, dbs = [], []
            for _ in range(REPEATS):
                for term in terms:
                    page, db, status = timed_get(client, f"/?q={urllib.parse.quote(term)}{extra}")
                    assert status == 200, (term, status)
                    pages.append(page)
                    dbs.append(db)
            found[f"{cls}/{variant}"] = {"page_ms": percentiles(pages), "db_ms": percentiles(dbs)}
    return found


def measure_pages() -> dict:
    from posts.models import Post, Source

    client = Client()
    posts = list(Post.objects.order_by("?").values_list("id", flat=True)[:10])
    sources = list(Source.objects.order_by("?").values_list("slug", flat=True)[:5])
    urls = {
        "home": ["/"] * 10,
        "post": [f"/posts/{pk}/" for pk in posts],
        "source": [f"/sources/{urllib.parse.quote(slug)}/" for slug in sources] * 2,
        "sources": ["/sources/"] * 10,
        "quotes": ["/quotes/"] * 10,
    }
    found = {}
    for name, paths in urls.items():
        pages, dbs = [], []
        for path in paths * REPEATS:
            page, db, status = timed_get(client, path)
            assert status == 200, (path, status)
            pages.append(page)
            dbs.append(db)
        found[name] = {"page_ms": percentiles(pages), "db_ms": percentiles(dbs)}
    return found


# Baselines -------------------------------------------------------------------------------------------------------------------------


def measure_baselines(words: dict[str, list[str]], corpus: Path) -> dict:
    """ILIKE, grep and ripgrep each find every post with the term; so does `all_ids`, the search's own like-for-like
    figure (every matching post's id, phrases checked in every candidate), beside the page figures."""
    from posts.models import Post
    from posts.search.matching import search
    from posts.search.query import parse_query

    found = {}
    rg = shutil.which("rg")
    for cls, terms in words.items():
        ilike, grep, ripgrep, all_ids = [], [], [], []
        for term in terms:
            started = time.perf_counter()
            list(search(Post.objects.all(), parse_query(term)).values_list("id", flat=True))
            all_ids.append((time.perf_counter() - started) * 1000)
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute("SELECT count(*) FROM posts_post WHERE raw_text ILIKE %s", [f"%{term}%"])
                cursor.fetchone()
                ilike.append((time.perf_counter() - started) * 1000)
            grep.append(_time_command(["grep", "-rlF", "--", term, str(corpus)]))
            if rg:
                ripgrep.append(_time_command([rg, "-l", "-F", "--", term, str(corpus)]))
        found[cls] = {"ilike_ms": percentiles(ilike), "grep_ms": percentiles(grep), "search_all_ids_ms": percentiles(all_ids)}
        if ripgrep:
            found[cls]["ripgrep_ms"] = percentiles(ripgrep)
    return found


def _time_command(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - started) * 1000


def ratios(search: dict, baselines: dict) -> dict:
    """How many times faster the search is than each baseline: medians of the same query class."""
    found = {}
    for cls, base in baselines.items():
        db = search[f"{cls}/alone"]["db_ms"]["p50"] or 0.001
        page = search[f"{cls}/alone"]["page_ms"]["p50"] or 0.001
        ids = base["search_all_ids_ms"]["p50"] or 0.001
        found[cls] = {
            "ilike_vs_search_all_ids": round(base["ilike_ms"]["p50"] / ids, 1),
            "grep_vs_search_all_ids": round(base["grep_ms"]["p50"] / ids, 1),
            "ilike_vs_search_db": round(base["ilike_ms"]["p50"] / db, 1),
            "grep_vs_search_db": round(base["grep_ms"]["p50"] / db, 1),
            "grep_vs_search_page": round(base["grep_ms"]["p50"] / page, 1),
        }
    return found


# Load --------------------------------------------------------------------------------------------------------------------------------


WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter * 7919) %% #paths + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"non_2xx\\": %%d, \\"socket_errors\\": %%d, \\"p50_us\\": %%d, \\"p95_us\\": %%d, \\"p99_us\\": %%d}\\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def load_paths(words: dict[str, list[str]]) -> list[str]:
    """70% searches, 20% filtered lists, 10% post pages."""
    from posts.models import Post, Source, Topic

    terms = [term for group in words.values() for term in group]
    searches = [f"/?q={urllib.parse.quote(t)}" for t in terms]
    sources = [f"/?source={urllib.parse.quote(s)}" for s in Source.objects.values_list("slug", flat=True)[:20]]
    topics = [f"/?topic={urllib.parse.quote(t)}" for t in Topic.objects.values_list("slug", flat=True)]
    years = [f"/?date_from={y}-01-01&date_to={y}-12-31" for y in range(2016, 2026)]
    lists = sources + topics + years
    posts = [f"/posts/{pk}/" for pk in Post.objects.order_by("?").values_list("id", flat=True)[:50]]
    mix = []
    for n in range(100):
        pool = searches if n < 70 else lists if n < 90 else posts
        mix.append(pool[n % len(pool)])
    return mix


def measure_load(words: dict[str, list[str]], seconds: int) -> dict:
    wrk = shutil.which("wrk")
    workers = 2 * (os.cpu_count() or 1) + 1
    port = free_port()
    env = bench_env(DJANGO_ALLOWED_HOSTS="127.0.0.1",
                    DJANGO_CONN_MAX_AGE="60")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "archive.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        paths = load_paths(words)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths)})
        for path in set(paths):  # warm every worker's caches a little
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60).read()
            except OSError:
                pass  # the load test counts failures itself
        done = subprocess.run(
            [wrk, "-t2", "-c16", f"-d{seconds}s", "-s", script.name, f"http://127.0.0.1:{port}/"],
            capture_output=True, text=True, timeout=seconds + 120,
        )
        line = next(l for l in done.stdout.splitlines() if l.startswith("RESULT "))
        raw = json.loads(line.removeprefix("RESULT "))
        return {
            "workers": workers,
            "connections": 16,
            "seconds": seconds,
            "requests_per_s": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
            "p50_ms": round(raw["p50_us"] / 1000, 1),
            "p95_ms": round(raw["p95_us"] / 1000, 1),
            "p99_ms": round(raw["p99_us"] / 1000, 1),
            "non_2xx": raw["non_2xx"],
            "socket_errors": raw["socket_errors"],
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


# Output ---------------------------------------------------------------------------------------------------------------------------------


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30),
        "python": platform.python_version(),
        "system": platform.platform(),
        "postgresql": _server_version(),
    }


def _server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def write(results: dict, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"{results['date']}-{results['posts']}"
    stem.with_suffix(".json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(results))
    return stem.with_suffix(".json"), stem.with_suffix(".md")


def markdown(r: dict) -> str:
    imp, st = r["import"], r["storage"]
    lines = [
        f"## Benchmark: {r['posts']:,} posts ({r['corpus_mb']} MB), {r['date']}",
        "",
        f"Machine: {r['machine']['cpus']} CPUs, {r['machine']['memory_gb']} GB, Python {r['machine']['python']}, "
        f"PostgreSQL {r['machine']['postgresql']}.",
        "",
        "| import | value |",
        "|---|---|",
        f"| posts/s ({imp['jobs']} processes) | {imp['posts_per_s']} |",
        f"| MB/s | {imp['mb_per_s']} |",
        f"| peak RSS: command / each worker | {imp['peak_rss_mb']} MB / {imp['peak_worker_rss_mb']} MB |",
        f"| storage: raw text / search table (runs) / its indexes (GIN) | {st['raw_text_mb']} / {st['search_table_mb']} "
        f"({st['search_runs_mb']}) / {st['search_indexes_mb']} ({st['search_index_mb']}) MB |",
        f"| search table + indexes per raw text | {st['search_storage_per_raw']}× |",
        "",
        *latency_table(r),
    ]
    lines += ["", "Baselines find every post with the term; so does \"all ids\" (`posts.search.matching.search`: every match, phrases "
              "checked in every candidate). A search page does more (facets, snippets) but stops at 1,000 matches.",
              "", "| baseline (median ms) | ILIKE | grep | ripgrep | search: all ids | search: page db | ILIKE ÷ all ids "
              "| grep ÷ all ids | ILIKE ÷ page db | grep ÷ page db | grep ÷ page |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for cls, b in r["baselines"].items():
        ratio = r["ratios"][cls]
        rg = b.get("ripgrep_ms", {}).get("p50", "—")
        lines.append(
            f"| {cls} | {b['ilike_ms']['p50']} | {b['grep_ms']['p50']} | {rg} | {b['search_all_ids_ms']['p50']} | "
            f"{r['search'][cls + '/alone']['db_ms']['p50']} | {ratio['ilike_vs_search_all_ids']}× | {ratio['grep_vs_search_all_ids']}× | "
            f"{ratio['ilike_vs_search_db']}× | {ratio['grep_vs_search_db']}× | {ratio['grep_vs_search_page']}× |"
        )
    if r.get("skipped"):
        lines += ["", *(f"Skipped: {reason}." for reason in r["skipped"].values())]
    if "load" in r and "error" not in r["load"]:
        ld = r["load"]
        lines += ["", f"Load: gunicorn {ld['workers']} workers, wrk {ld['connections']} connections for {ld['seconds']} s "
                  f"(70% searches, 20% filtered lists, 10% posts): {ld['requests_per_s']} requests/s, "
                  f"p50 {ld['p50_ms']} ms, p95 {ld['p95_ms']} ms, p99 {ld['p99_ms']} ms, "
                  f"{ld['non_2xx']} non-2xx, {ld['socket_errors']} socket errors."]
    return "\n".join(lines) + "\n"


def latency_table(r: dict) -> list[str]:
    """The search and page latency table of a run's results (or of `measure_searches`), as markdown lines."""
    lines = ["| search (ms) | page p50 | page p95 | page p99 | db p50 | db p95 | db p99 |", "|---|---|---|---|---|---|---|"]
    for name, m in [*r["search"].items(), *((f"page: {name}", m) for name, m in r["pages"].items())]:
        p, d = m["page_ms"], m["db_ms"]
        lines.append(f"| {name} | {p['p50']} | {p['p95']} | {p['p99']} | {d['p50']} | {d['p95']} | {d['p99']} |")
    return lines
