"""The photo wall of a project: everyone who may see the project sees its site photos."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from milestones.models import ReportPhoto
from milestones.photo_wall import project_photo_wall, thumbnail
from registry.scoping import scope_queryset, visible_projects
from registry.views.mixins import role_required


@require_safe
@role_required()
def project_photos(request, pk):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    months = project_photo_wall(project)
    return render(
        request,
        "milestones/photo_wall.html",
        {"project": project, "months": months, "count": sum(len(m.photos) for m in months)},
    )


@require_safe
@role_required()
def photo_thumbnail(request, pk):
    """A small JPEG of a photo in scope, made by us from our own re-encoded file: shown
    inline (an <img>), unlike uploads handed out as attachments."""
    qs = scope_queryset(request.user, ReportPhoto.objects.all(), project_field="report__project")
    return thumbnail_response(get_object_or_404(qs, pk=pk))


def thumbnail_response(photo):
    """The photo's thumbnail as an inline JPEG (for a photo the caller may show)."""
    handle = thumbnail(photo)
    if handle is None:
        raise Http404("图片不存在")
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
