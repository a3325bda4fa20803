from rest_framework.routers import DefaultRouter

from portal.api import notices

router = DefaultRouter()
router.register("notices", notices.NoticeViewSet, basename="notice")
