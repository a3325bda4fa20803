"""API tokens that stop working with their account: refused while the account is locked
out after wrong passwords (core.lockout) or once it is deactivated."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

MSG_INACTIVE = "账号已停用，API 令牌不可用"
MSG_LOCKED = "登录失败次数过多，账号已暂时锁定，API 令牌暂不可用，请30分钟后再试或联系系统管理员"


def account_locked(request, user) -> bool:
    """Is `user` locked out for this request's address (or everywhere, past the ceiling)?"""
    if not getattr(settings, "AXES_ENABLED", True):
        return False
    http_request = getattr(request, "_request", request)
    return AxesProxyHandler.is_locked(http_request, {"username": user.get_username()})


class AccountTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and account_locked(request, result[0]):
            raise AuthenticationFailed(MSG_LOCKED)
        return result

    def authenticate_credentials(self, key):
        # DRF's own, with the refusals in Chinese.
        model = self.get_model()
        token = model.objects.select_related("user").filter(key=key).first()
        if token is None:
            raise AuthenticationFailed("API 令牌无效")
        if not token.user.is_active:
            raise AuthenticationFailed(MSG_INACTIVE)
        return token.user, token
