"""Each quote keeps its original title's BCP 47 tag for `lang` (posts/ingest/languages.py: zh-Hant, zh-Hans, ko, …),
read here for the quotes already stored; a title of Han only from an outlet that writes in Japanese is now
Japanese, so `lang` is read again too."""

from django.db import migrations, models

from posts.ingest.languages import title_language, title_tag


def read_tags(apps, schema_editor):
    Quote = apps.get_model("posts", "Quote")
    changed = []
    quotes = Quote.objects.select_related("source").only("id", "original_title", "source__language")
    for quote in quotes.iterator(chunk_size=2000):
        outlet_language = quote.source.language if quote.source else ""
        quote.lang = title_language(quote.original_title, outlet_language)
        quote.title_lang = title_tag(quote.original_title, outlet_language)
        changed.append(quote)
        if len(changed) == 2000:
            Quote.objects.bulk_update(changed, ["lang", "title_lang"])
            changed = []
    Quote.objects.bulk_update(changed, ["lang", "title_lang"])


class Migration(migrations.Migration):
    dependencies = [("posts", "0015_post_identity")]

    operations = [
        migrations.AddField(
            model_name="quote",
            name="title_lang",
            field=models.CharField(
                blank=True,
                help_text="ページの lang 属性に入る BCP 47 のタグ(en、zh-Hant など)。取り込みのときに原題の文字から読みます。",
                max_length=16,
                verbose_name="原題の言語タグ",
            ),
        ),
        migrations.RunPython(read_tags, migrations.RunPython.noop),
    ]
