"""What the admin's importer did: each batch of uploaded files, and each file in it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class ImportBatch(models.Model):
    """Files uploaded (or text pasted) together in the admin: previewed first, then imported."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "確認待ち"
        IMPORTING = "importing", "取り込み中"
        IMPORTED = "imported", "取り込み済み"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="利用者"
    )
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    created_at = models.DateTimeField("アップロード", auto_now_add=True)
    imported_at = models.DateTimeField("取り込み", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "インポート"

    def __str__(self) -> str:
        return f"#{self.pk} ({timezone.localtime(self.created_at):%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("admin:posts_importbatch_review", args=[self.pk])


class ImportFile(models.Model):
    """One file of a batch: what it would do when previewed, what it did when imported."""

    class Outcome(models.TextChoices):
        CREATED = "created", "新規"
        UPDATED = "updated", "更新"
        UNCHANGED = "unchanged", "変更なし"
        FAILED = "failed", "失敗"
        REFUSED = "refused", "拒否"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files", verbose_name="インポート")
    position = models.PositiveIntegerField("順番")
    name = models.CharField("ファイル名", max_length=255)
    size = models.PositiveBigIntegerField("サイズ", help_text="アップロードされたバイト数。")
    content_hash = models.CharField("テキストのハッシュ", max_length=64, blank=True, help_text="読み取ったテキストのSHA-256。")
    encoding = models.CharField("文字コード", max_length=20, blank=True)
    text = models.TextField("テキスト", blank=True, help_text="読み取ったテキスト。確認から取り込みまで保存します。")
    planned = models.CharField("予定", max_length=10, choices=Outcome.choices, help_text="確認画面で示した、取り込んだときの結果。")
    preview = models.JSONField("確認画面の内容", default=dict, blank=True, help_text="パーサーが読んだもの(確認画面に示したとおり)。")
    outcome = models.CharField("結果", max_length=10, choices=Outcome.choices, blank=True)
    error = models.TextField("拒否・失敗の理由", blank=True)
    warnings = models.JSONField("読み取りの注意", default=list, blank=True)
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_files", verbose_name="投稿"
    )

    class Meta:
        ordering = ["batch", "position"]
        constraints = [models.UniqueConstraint(fields=["batch", "position"], name="import_file_position")]
        verbose_name = verbose_name_plural = "インポートしたファイル"

    def __str__(self) -> str:
        return self.name
