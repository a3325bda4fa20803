from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from assessments.api import urls as assessments_api
from core.views.health import healthz
from evaluations.api.urls import router as evaluations_router
from instructions.api.urls import router as instructions_router
from milestones.api.urls import router as milestones_router
from pipeline.api.urls import router as pipeline_router
from portal.api.urls import router as portal_router
from registry.api.urls import router as registry_router
from reports.api.urls import router as reports_router


class FaviconView(RedirectView):
    # Resolved per request: with the manifest storage the hashed name exists only after
    # collectstatic, not when the URL configuration is imported.
    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


admin.site.site_header = "重点项目管理系统 · 后台管理"
admin.site.site_title = "重点项目管理系统"
admin.site.index_title = "系统管理"

# One API root for every app's viewsets (SPEC §4.2).
api_router = DefaultRouter()
for router in (
    portal_router,
    registry_router,
    milestones_router,
    pipeline_router,
    assessments_api.router,
    evaluations_router,
    reports_router,
    instructions_router,
):
    api_router.registry.extend(router.registry)

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's views: old password checked, AUTH_PASSWORD_VALIDATORS applied, session kept.
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Browsers ask for /favicon.ico on pages that name no icon (admin, raw API answers).
    path(
        "favicon.ico",
        FaviconView.as_view(permanent=True),
        name="favicon",
    ),
    path("healthz/", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # A browser page: anonymous visitors go to the login page (the schema itself answers 403).
    # The split view serves its init script from a URL: the CSP forbids inline script.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path("api/", include(([*assessments_api.urlpatterns, *api_router.urls], "api"))),
    path("milestones/", include("milestones.urls")),
    path("pipeline/", include("pipeline.urls")),
    path("years/", include("milestones.urls_years")),
    path("assessments/", include("assessments.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("reports/bulletin/", include("reports.urls_bulletin")),
    path("reports/", include("reports.urls")),
    path("instructions/", include("instructions.urls")),
    # The portal: home, the ledger list and its export, the dashboard (still at
    # /assessments/dashboard/, so bookmarks keep working). No other app serves these paths.
    path("", include("portal.urls")),
    path("", include("registry.urls")),
]

# No route serves MEDIA_ROOT, in any mode (SPEC §5): uploads are handed out only by views
# that check login and scope (core.files.private_file_response).

# A refused query parameter (BadRequest) shows its Chinese message on the 400 page.
handler400 = "core.views.errors.bad_request"
