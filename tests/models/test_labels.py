"""Every table and field has a Japanese name (the admin's labels, column heads and filter titles come from them)."""

import re

from django.apps import apps

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_every_table_and_field_has_a_japanese_name_help_and_choices():
    models = [model for model in apps.get_app_config("posts").get_models() if not model._meta.auto_created]
    assert {m.__name__ for m in models} >= {"Post", "Quote", "Link", "Source", "Topic", "Revision", "Passage",
                                            "ImportBatch", "ImportFile"}
    english = []
    for model in models:
        english += [f"{model.__name__}: {name!r}" for name in (model._meta.verbose_name, model._meta.verbose_name_plural)
                    if not JAPANESE.search(str(name))]
        for field in model._meta.get_fields():
            if not (field.concrete or field.many_to_many) or field.auto_created:  # reverse relations; the id (ID)
                continue
            texts = [field.verbose_name, *([field.help_text] if field.help_text else []), *dict(field.flatchoices).values()]
            english += [f"{model.__name__}.{field.name}: {text!r}" for text in texts if not JAPANESE.search(str(text))]
    assert english == []
