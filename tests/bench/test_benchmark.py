"""The benchmark end to end at a tiny size: it runs, measures every figure and writes its results.

Benchmarks are not tests: these assert that the figures exist, never how good they are.
"""

import json
import os
import subprocess
import sys

import pytest

from posts.bench.benchmark import missing_tools
from posts.bench.corpus import generate_post, query_words
from posts.ingest.parser import parse_post
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

ENV = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}


def test_generated_posts_are_deterministic_and_read_as_posts():
    text = generate_post(7, seed=3)
    assert text == generate_post(7, seed=3) != generate_post(8, seed=3)
    post = parse_post(text)
    assert post.title and post.article.outlet and post.warnings == ()
    assert all(q.outlet and q.date and q.links for q in post.quotes)
    sizes = [len(generate_post(n, seed=3).encode()) for n in range(60)]
    assert 2_000 <= min(sizes) and max(sizes) <= 110_000
    assert 30_000 < sum(sizes) / len(sizes) < 70_000


def test_query_classes_come_from_the_corpus_vocabulary():
    words = query_words(0)
    assert set(words) == {"kanji", "common_2char", "rare_2char", "phrase_4plus", "english", "chinese"}
    assert all(len(group) == 5 for group in words.values())
    assert all(len(w) == 1 for w in words["kanji"]) and all(w.isascii() for w in words["english"])


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict:
    """One run of `manage.py bench` at 12 posts: its results, the markdown it wrote and what it logged."""
    out = tmp_path_factory.mktemp("results")
    done = subprocess.run(
        [sys.executable, "manage.py", "bench", "--posts", "12", "--jobs", "2", "--load-seconds", "2", "--out", str(out),
         "--database", "archive_bench_test"],  # not the real benchmark's database, which may be in use
        cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (result_file,) = out.glob("*-12.json")
    return {
        "results": json.loads(result_file.read_text()),
        "markdown": (out / result_file.name.replace(".json", ".md")).read_text(),
        "log": done.stderr,
    }


def test_the_benchmark_runs_end_to_end(run):
    results = run["results"]
    assert results["import"]["outcomes"] == {"created": 12, "updated": 0, "unchanged": 0, "failed": 0}
    assert results["import"]["posts_per_s"] > 0 and results["import"]["peak_rss_mb"] > 0
    assert results["storage"]["search_runs_mb"] > 0 and results["storage"]["search_index_mb"] > 0
    assert set(results["search"]) == {f"{c}/{v}" for c in query_words(0) for v in ("alone", "source", "source_post", "dates")}
    assert all(m["page_ms"]["n"] == 15 for m in results["search"].values())
    assert set(results["pages"]) == {"home", "post", "source", "sources", "quotes"}
    assert results["baselines"]["kanji"]["ilike_ms"]["p50"] > 0 and results["baselines"]["kanji"]["search_all_ids_ms"]["p50"] > 0
    assert results["ratios"]["kanji"]["ilike_vs_search_all_ids"] > 0
    assert "| posts/s" in run["markdown"]
    # What a missing tool leaves out is said in the log and the results, never silently.
    assert results["skipped"] == missing_tools()
    for reason in results["skipped"].values():
        assert reason in run["log"] and f"Skipped: {reason}." in run["markdown"]


def test_the_benchmark_says_what_it_skips_without_its_tools():
    assert missing_tools(path="/nonexistent") == {
        "rg": "the ripgrep baseline is skipped: rg is not installed (make bench installs it)",
        "wrk": "the load test is skipped: wrk is not installed (make bench installs it)",
    }


def test_the_ripgrep_baseline(run):
    if "rg" in run["results"]["skipped"]:
        pytest.skip(run["results"]["skipped"]["rg"])
    assert all(baseline["ripgrep_ms"]["p50"] > 0 for baseline in run["results"]["baselines"].values())


def test_the_load_test(run):
    if "wrk" in run["results"]["skipped"]:
        pytest.skip(run["results"]["skipped"]["wrk"])
    load = run["results"]["load"]
    assert load["requests_per_s"] > 0 and load["non_2xx"] == 0
    assert "Load: gunicorn" in run["markdown"]


def test_searches_only_measure_the_database_a_run_left(run):
    results = run["results"]
    # What comparing two checkouts runs from each.
    again = subprocess.run(
        [sys.executable, "manage.py", "bench", "--searches-only", "--database", "archive_bench_test", "--format", "json"],
        cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=900,
    )
    assert again.returncode == 0, again.stderr[-3000:]
    searched = json.loads(again.stdout)
    assert searched["posts"] == 12 and set(searched["search"]) == set(results["search"])
    assert all(m["page_ms"]["n"] == 15 for m in searched["search"].values()) and set(searched["pages"]) == set(results["pages"])
    missing = subprocess.run(
        [sys.executable, "manage.py", "bench", "--searches-only", "--database", "archive_bench_never_made"],
        cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120,
    )
    assert missing.returncode == 1 and "cannot read archive_bench_never_made" in missing.stderr
    assert "Traceback" not in missing.stderr
