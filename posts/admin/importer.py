"""The admin's import page: upload files, a zip or pasted text; preview; confirm; see what happened.

Every step calls posts.ingest.batches, which calls the one write path (posts.ingest.importing).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from posts.admin.owners import sees
from posts.ingest.batches import import_batch, preview_batch
from posts.ingest.decoding import size_text
from posts.ingest.upload_handlers import LimitedUploadHandler
from posts.ingest.uploads import Limits, RefusedUpload, read_uploads
from posts.models import ImportBatch, ImportFile

PERMISSION = "posts.add_post"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [file for file in files if file]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label="ファイル",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".txt,.zip,text/plain,application/zip"}),
        help_text="投稿のテキストファイル(.txt、複数可)か、それをまとめた .zip を1つ。",
    )
    text = forms.CharField(
        label="または投稿のテキストを貼り付け",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("files") and not (data.get("text") or "").strip():
            raise forms.ValidationError("ファイルを選ぶか、テキストを貼り付けてください。")
        return data


def urls(model_admin) -> list:
    site = model_admin.admin_site
    return [
        path("new/", site.admin_view(new_import), name="posts_importbatch_new"),
        path("<int:batch_id>/review/", site.admin_view(review), name="posts_importbatch_review"),
    ]


@csrf_exempt  # checked by csrf_protect below, once the upload handlers are in place
def new_import(request):
    # Nothing of the request is read for someone who may not import, or past the size of a whole batch.
    _require_permission(request)
    if int(request.META.get("CONTENT_LENGTH") or 0) > settings.IMPORT_MAX_REQUEST_BYTES:
        return _form_page(request, ImportForm(), f"送信が大きすぎます: 一度に{size_text(settings.IMPORT_MAX_REQUEST_BYTES)}までです。", 413)
    # Files are streamed to temporary files and stop being stored past their size limit.
    request.upload_handlers = [LimitedUploadHandler(request)]
    try:
        request.POST, request.FILES  # noqa: B018 - read now, so that Django's own limits become messages
    except RequestDataTooBig:
        return _form_page(request, ImportForm(), f"貼り付けたテキストが大きすぎます: {size_text(settings.POST_FILE_MAX_BYTES)}までです。", 413)
    except TooManyFilesSent:
        return _form_page(request, ImportForm(), f"ファイルが多すぎます: 一度に{settings.IMPORT_MAX_FILES}件までです。", 413)
    return _new_import(request)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _new_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        limits = Limits(settings.POST_FILE_MAX_BYTES, settings.IMPORT_MAX_FILES, settings.IMPORT_ZIP_MAX_BYTES)
        try:
            batch = preview_batch(request.user, read_uploads(form.cleaned_data["files"], form.cleaned_data["text"], limits))
        except RefusedUpload as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("admin:posts_importbatch_review", batch.pk)
    return _form_page(request, form)


def _form_page(request, form: ImportForm, error: str = "", status: int = 200):
    return TemplateResponse(
        request,
        "admin/posts/import_form.html",
        _context(
            request,
            "投稿のインポート",
            form=form,
            error=error,
            file_limit=size_text(settings.POST_FILE_MAX_BYTES),
            max_files=settings.IMPORT_MAX_FILES,
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def review(request, batch_id: int):
    """The preview of a batch with its confirm button; once imported, what each file did."""
    _require_permission(request)
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    if not sees(request.user, batch):
        raise PermissionDenied
    if request.method == "POST":
        if import_batch(batch):
            failed = batch.files.filter(outcome=ImportFile.Outcome.FAILED).count()
            if failed:
                messages.error(request, f"取り込みました。{failed}件は失敗しました(理由は各ファイルに)。")
            else:
                messages.success(request, "取り込みました。")
        else:
            messages.warning(request, "このバッチはすでに取り込まれています。")
        return redirect("admin:posts_importbatch_review", batch.pk)
    files = list(batch.files.select_related("post"))
    accepted = [f for f in files if f.planned != ImportFile.Outcome.REFUSED]
    title = "インポートの確認" if batch.status == ImportBatch.Status.PREVIEWED else "インポートの結果"
    return TemplateResponse(
        request,
        "admin/posts/import_review.html",
        _context(request, title, batch=batch, files=files, accepted=accepted, Status=ImportBatch.Status),
    )


def _require_permission(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _context(request, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, "opts": ImportBatch._meta, **extra}
