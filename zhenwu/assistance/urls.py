from django.urls import include, path

app_name = "assistance"
# Each ledger has its own URL module (one owner each).
urlpatterns = [
    path("", include("zhenwu.assistance.urls_plans")),
    path("", include("zhenwu.assistance.urls_payments")),
    path("", include("zhenwu.assistance.urls_jobs")),
    path("", include("zhenwu.assistance.urls_loans")),
    path("", include("zhenwu.assistance.urls_transport")),
    path("", include("zhenwu.assistance.urls_relocation")),
    path("", include("zhenwu.assistance.urls_stats")),
]
