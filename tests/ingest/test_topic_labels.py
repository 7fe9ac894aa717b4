"""The starter topics against a reader: the posts of tests/fixtures/topics/ (and the seed), each with the topics a
reader gives it (labels.json; how they were labelled: the README there), imported through the one write path.
`pytest -s` prints the table that docs/topics.md records."""

import json
from pathlib import Path

import pytest

from posts.ingest.importing import import_text
from posts.models import Topic
from tests.conftest import ROOT

LABELLED = ROOT / "tests" / "fixtures" / "topics"
# The target is 0.9 for every topic; docs/topics.md names the posts that keep some topics below it, and why.
PRECISION_FLOOR, RECALL_FLOOR, OVERALL_PRECISION_FLOOR = 0.8, 0.9, 0.88

pytestmark = pytest.mark.django_db


def labelled_posts() -> dict[str, set[str]]:
    return {name: set(topics) for name, topics in json.loads((LABELLED / "labels.json").read_text()).items()}


def path_of(name: str) -> Path:
    return ROOT / name if "/" in name else LABELLED / name


@pytest.fixture
def tagged() -> dict[str, set[str]]:
    """The topics each labelled post gets when it is imported."""
    return {
        name: set(import_text(path_of(name).read_text(encoding="utf-8"), name=Path(name).name).post.topics.values_list("name", flat=True))
        for name in labelled_posts()
    }


def scores(expected: dict[str, set[str]], got: dict[str, set[str]], topic: str) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of one topic."""
    tp = sum(topic in got[name] and topic in expected[name] for name in expected)
    fp = sum(topic in got[name] and topic not in expected[name] for name in expected)
    fn = sum(topic not in got[name] and topic in expected[name] for name in expected)
    return tp, fp, fn


def test_taiwan_is_for_posts_about_taiwan_not_for_articles_that_name_it_in_passing(tagged):
    about = ["02_taiwan_drills.txt", "03_tsmc_chips.txt", "31_taiwan_recall.txt", "38_taiwan_arms.txt"]
    in_passing = [
        "seeds/000_89363e7e5bbeb1cc.txt",  # 4 times in 18,000 characters of quoted and reprinted articles
        "04_china_property.txt", "29_south_china_sea.txt", "33_pokrovsk.txt",  # once in the reprinted article
        "44_minimum_wage.txt",
    ]
    assert all("台湾" in tagged[name] for name in about)
    assert not any("台湾" in tagged[name] for name in in_passing)


def test_precision_and_recall_per_topic_on_the_labelled_posts(tagged):
    expected = labelled_posts()
    assert len(expected) >= 30 and set(Topic.objects.values_list("name", flat=True)) == set().union(*expected.values())
    rows, totals = [], [0, 0, 0]
    for topic in Topic.objects.order_by("id").values_list("name", flat=True):
        tp, fp, fn = scores(expected, tagged, topic)
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
        rows.append((topic, tp, fp, fn, tp / ((tp + fp) or 1), tp / ((tp + fn) or 1)))
    print("\n| topic | posts | tagged right | wrong | missed | precision | recall |\n|---|---|---|---|---|---|---|")
    for topic, tp, fp, fn, precision, recall in rows:
        print(f"| {topic} | {tp + fn} | {tp} | {fp} | {fn} | {precision:.2f} | {recall:.2f} |")
    tp, fp, fn = totals
    print(f"| all | {tp + fn} | {tp} | {fp} | {fn} | {tp / (tp + fp):.2f} | {tp / (tp + fn):.2f} |")
    for name in expected:
        if tagged[name] != expected[name]:
            print(f"{name}: +{'・'.join(sorted(tagged[name] - expected[name])) or '-'} "
                  f"missed {'・'.join(sorted(expected[name] - tagged[name])) or '-'}")

    assert all(precision >= PRECISION_FLOOR for *_, precision, _ in rows), rows
    assert all(recall >= RECALL_FLOOR for *_, recall in rows), rows
    assert tp / (tp + fp) >= OVERALL_PRECISION_FLOOR
