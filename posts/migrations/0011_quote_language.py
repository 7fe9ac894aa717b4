"""Each quote keeps its original title's language (posts/ingest/languages.py), read here for the quotes
already stored."""

from django.db import migrations, models

from posts.ingest.languages import title_language


def read_languages(apps, schema_editor):
    Quote = apps.get_model("posts", "Quote")
    changed = []
    for quote in Quote.objects.only("id", "original_title").iterator(chunk_size=2000):
        quote.lang = title_language(quote.original_title)
        changed.append(quote)
        if len(changed) == 2000:
            Quote.objects.bulk_update(changed, ["lang"])
            changed = []
    Quote.objects.bulk_update(changed, ["lang"])


class Migration(migrations.Migration):
    dependencies = [("posts", "0010_han_variants")]

    operations = [
        migrations.AddField(
            model_name="quote",
            name="lang",
            field=models.CharField(
                choices=[("ja", "日本語"), ("en", "英語"), ("zh", "中国語"), ("other", "その他")],
                default="other",
                max_length=5,
                verbose_name="原題の言語",
            ),
        ),
        migrations.RunPython(read_languages, migrations.RunPython.noop),
    ]
