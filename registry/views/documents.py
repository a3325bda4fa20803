"""入库材料 downloads: only through the project scope, under the uploaded file's name."""

from django.shortcuts import get_object_or_404

from registry.files import private_file_response
from registry.models import Document
from registry.scoping import scope_queryset
from registry.views.mixins import role_required


@role_required()
def document_download(request, pk):
    document = get_object_or_404(scope_queryset(request.user, Document.objects.all()), pk=pk)
    return private_file_response(document.file, document.original_name)
