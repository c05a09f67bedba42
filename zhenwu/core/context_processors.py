from django.conf import settings


def zhenwu(request):
    from zhenwu.accounts.policy import permissions_of

    user = getattr(request, "user", None)
    perms = permissions_of(user) if user is not None and user.is_authenticated else frozenset()
    return {"DEMO_MODE": settings.DEMO_MODE, "zperms": perms}
