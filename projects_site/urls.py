from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from assessments.views import home, ledger
from registry import urls as registry_urls

admin.site.site_header = "重点项目管理系统 · 后台管理"
admin.site.site_title = "重点项目管理系统"
admin.site.index_title = "系统管理"

# registry cannot import assessments, yet its home page and ledger list show judgements.
# Both stay under registry's URL names (registry:home, registry:project_list) but are served by
# assessments views listed first: resolving takes the first match, and the shadowed
# registry pattern of the list has the same path, so reversing gives the same URL.
registry_patterns = [
    path("", home.home, name="home"),
    path("projects/", ledger.AssessedProjectListView.as_view(), name="project_list"),
    *registry_urls.urlpatterns,
]

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("milestones/", include("milestones.urls")),
    path("assessments/", include("assessments.urls")),
    path("", include((registry_patterns, "registry"))),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
