from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from milestones.api.urls import router as milestones_router
from registry.api.urls import router as registry_router

admin.site.site_header = "重点项目管理系统 · 后台管理"
admin.site.site_title = "重点项目管理系统"
admin.site.index_title = "系统管理"

# One API root for every app's viewsets (SPEC §4.2).
api_router = DefaultRouter()
for router in (registry_router, milestones_router):
    api_router.registry.extend(router.registry)

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # A browser page: anonymous visitors go to the login page (the schema itself answers 403).
    # The split view serves its init script from a URL: the CSP forbids inline script.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path("api/", include((api_router.urls, "api"))),
    path("milestones/", include("milestones.urls")),
    path("", include("registry.urls")),
]

# No route serves MEDIA_ROOT, in any mode (SPEC §5): uploads are handed out only by views
# that check login and scope (registry.files.private_file_response).
