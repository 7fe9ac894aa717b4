"""What the search needs in SQL.

- `Lexemes("runs")`: the tsvector of a passage's runs (posts/search/tokens.py), computed by the
  SQL function `posts_lexemes` (migration 0009). The GIN index is built on this
  expression, and the search filters on the same expression, so no vector is stored.
- `lexemes__matches=tsquery_text` (on a tsvector, here the `Lexemes` alias): a tsvector @@ a tsquery given as text, cast
  rather than re-parsed. The tsquery text comes from posts/search/tokens.py (quoted
  lexemes only), never from a reader directly; `to_tsquery` would re-tokenise
  it with a text search configuration, which has no notion of our bigrams and trigrams.
- `id__any=[...]`: `id = ANY(array)`, one parameter however many ids a search
  matched (`__in` writes each id into the SQL). On a foreign key too (`post__any=[...]`):
  `post__id__any` would join the posts' table to read an id the row already holds.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db.models import BigIntegerField, ForeignKey, Func, Lookup


class Lexemes(Func):
    function = "posts_lexemes"
    output_field = SearchVectorField()


@SearchVectorField.register_lookup
class Matches(Lookup):
    lookup_name = "matches"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ CAST({rhs} AS tsquery)", [*lhs_params, *rhs_params]


@BigIntegerField.register_lookup
@ForeignKey.register_lookup
class AnyOf(Lookup):
    """`id__any=ids`: ids (any iterable of integers; a set spares Django going through a list item by item)
    sent as one array literal, which psycopg need not take apart either."""

    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        return "{%s}" % ",".join(str(int(value)) for value in self.rhs)

    def get_db_prep_lookup(self, value, connection):
        return "%s", [value]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(CAST({rhs} AS bigint[]))", [*lhs_params, *rhs_params]
