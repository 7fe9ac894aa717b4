"""Search folds the traditional, simplified and Japanese old and new forms of a Han character into one
(posts/search/tokens.py, `fold`): every passage's runs are made again in that form.

The index is dropped first and built once at the end, which costs far less than updating it passage by
passage. Searches wait for this migration; its time on 10,000 posts is in docs/operations.md.
"""

import importlib

import django.contrib.postgres.indexes
from django.db import migrations

import posts.models.lookups

rebuild_passages = importlib.import_module("posts.migrations.0007_passage_runs").rebuild_passages


class Migration(migrations.Migration):
    dependencies = [("posts", "0009_trigram_lexemes")]

    operations = [
        migrations.RemoveIndex(model_name="passage", name="passage_lexemes"),
        migrations.RunPython(rebuild_passages, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="passage",
            index=django.contrib.postgres.indexes.GinIndex(posts.models.lookups.Lexemes("runs"), name="passage_lexemes"),
        ),
    ]
