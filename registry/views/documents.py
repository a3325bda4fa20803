"""入库材料: uploaded on the project page by those who enter its data, downloaded only through
the project scope, under the uploaded file's name."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.files import private_file_response
from registry.documents import document_add
from registry.forms import DocumentUploadForm
from registry.models import Document
from registry.roles import DOCUMENT_EDITORS
from registry.scoping import scope_queryset, visible_projects
from registry.views.mixins import role_required


@role_required()
def document_download(request, pk):
    document = get_object_or_404(scope_queryset(request.user, Document.objects.all()), pk=pk)
    return private_file_response(document.file, document.original_name)


@require_POST
@role_required(*DOCUMENT_EDITORS)
def document_upload(request, pk):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    back = reverse("registry:project_detail", args=[pk]) + "#documents"
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(back)
    try:
        document = document_add(
            project=project,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"入库材料“{document.title}”已上传")
    return redirect(back)
