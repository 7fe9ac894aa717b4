"""The index also holds a trigram for every three kana in a row, marked `~` (posts/search/tokens.py): kana
bigrams are in most passages, so a phrase written in kana had thousands of candidate passages to read.

The passages' runs stay as they are; only `posts_lexemes` and the index built on it change.
"""

import importlib

from django.db import migrations

PREVIOUS = importlib.import_module("posts.migrations.0007_passage_runs").LEXEMES

# The lexemes of `tokens.document_runs` output: each CJK run's bigrams (its last character alone), the
# trigrams of its stretches of kana marked with ~, each word (marked with _) whole. Only spaces separate
# runs. A stretch with its first character removed, or its first two, gives the pairs and triples that
# start there; what is left at a stretch's end is dropped (the last `regexp_replace` of `trigrams`).
# Twin of `tokens.lexemes`, which the tests compare it with.
LEXEMES = r"""
CREATE OR REPLACE FUNCTION posts_lexemes(runs text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_to_tsvector(array_remove(string_to_array(
        regexp_replace(cjk, '([^ ][^ ]?)', '\1 ', 'g') || ' ' ||
        regexp_replace(regexp_replace(cjk, '(^| )[^ ]', '\1', 'g'), '([^ ][^ ]?)', '\1 ', 'g') || ' ' ||
        regexp_replace(
            regexp_replace(kana, '([^ ]{3})', '~\1 ', 'g') || ' ' ||
            regexp_replace(kana1, '([^ ]{3})', '~\1 ', 'g') || ' ' ||
            regexp_replace(regexp_replace(kana1, '(^| )[^ ]', '\1', 'g'), '([^ ]{3})', '~\1 ', 'g'),
            '(^| )[^~ ][^ ]*', '\1', 'g') || ' ' ||
        translate(regexp_replace(runs, '(^| )[^_ ][^ ]*', '\1', 'g'), '_', ''),
        ' '), ''))
    FROM (SELECT cjk, kana, regexp_replace(kana, '(^| )[^ ]', '\1', 'g') AS kana1
          FROM (SELECT cjk, ' ' || regexp_replace(cjk, '[^\u3041-\u30fa\u30fc-\u30ff\u31f0-\u31ff ]+', ' ', 'g') || ' ' AS kana
                FROM (SELECT regexp_replace(runs, '_[^ ]*', '', 'g') AS cjk) AS words_removed) AS kana_only) AS shifted
$$
"""

REINDEX = "REINDEX INDEX passage_lexemes"


class Migration(migrations.Migration):
    dependencies = [("posts", "0008_post_order")]

    operations = [migrations.RunSQL([LEXEMES, REINDEX], [PREVIOUS, REINDEX])]
