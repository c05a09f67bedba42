from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="registry:household_list"), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("zhenwu.accounts.urls")),
    path("registry/", include("zhenwu.registry.urls")),
    path("monitoring/", include("zhenwu.monitoring.urls")),
    path("assistance/", include("zhenwu.assistance.urls")),
    path("projects/", include("zhenwu.projects.urls")),
    path("workplans/", include("zhenwu.workplans.urls")),
    path("reports/", include("zhenwu.reports.urls")),
    path("api/v1/", include("zhenwu.api.urls")),
    path("", include("zhenwu.core.urls")),
]
