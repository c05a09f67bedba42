"""The monitoring start page: what needs attention in the user's area, and where to go."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from zhenwu.accounts.policy import has_perm
from zhenwu.accounts.roles import Perm
from zhenwu.monitoring.choices import ClueStatus, ProblemStatus
from zhenwu.monitoring.models import OPEN_CASE_STATUSES
from zhenwu.monitoring.selectors import (
    overdue_cases,
    visible_cases,
    visible_clues,
    visible_problems,
)


@login_required
def monitoring_home(request):
    user = request.user
    if not has_perm(user, Perm.VIEW_MONITORING):
        raise PermissionDenied
    today = timezone.localdate()
    counts = {
        "open_clues": visible_clues(user)
        .filter(status__in=[ClueStatus.NEW, ClueStatus.VERIFYING])
        .count(),
        "open_cases": visible_cases(user).filter(status__in=OPEN_CASE_STATUSES).count(),
        "overdue_cases": overdue_cases(user, today=today).count(),
        "open_problems": visible_problems(user)
        .exclude(status__in=[ProblemStatus.FIXED, ProblemStatus.VERIFIED])
        .count(),
    }
    return render(request, "monitoring/home.html", {"counts": counts, "today": today})
