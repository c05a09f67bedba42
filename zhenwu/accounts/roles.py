"""Roles and what they may do. One table; every check reads it (via accounts.policy)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_OFFICER = "district_officer", _("区县乡村振兴局干部")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇干部")
    VILLAGE_CADRE = "village_cadre", _("村干部")
    DEPARTMENT_CLERK = "department_clerk", _("部门数据员")
    AUDITOR = "auditor", _("审计管理员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")


class Perm:
    """Permission codes. Strings, so that templates and the API can name them."""

    VIEW_REGISTRY = "registry.view"
    EDIT_REGISTRY = "registry.edit"
    VIEW_SENSITIVE = "registry.view_sensitive"  # health, disability, income details
    VIEW_BANK = "registry.view_bank"
    REVEAL_IDENTITY = "registry.reveal"  # full ID number / phone with a typed reason
    IMPORT_REGISTRY = "registry.import"
    EXPORT_REGISTRY = "registry.export"
    MANAGE_USERS = "accounts.manage_users"  # create users and grant roles in own subtree
    MANAGE_TOKENS = "accounts.manage_tokens"
    VIEW_AUDIT = "audit.view"
    UPLOAD_DEPARTMENT_DATA = "department.upload"
    # Monitoring (防返贫动态监测)
    VIEW_MONITORING = "monitoring.view"
    MANAGE_CLUES = "monitoring.clues"  # enter, dismiss, open a case
    SCREEN_HOUSEHOLDS = "monitoring.screening"  # monthly rounds and visits
    CASE_VILLAGE_STEPS = "monitoring.case_village"  # application, verification, review, notice
    CASE_TOWNSHIP_REVIEW = "monitoring.case_township"  # 乡镇审核
    CASE_DISTRICT_APPROVAL = "monitoring.case_district"  # 县级审定
    MANAGE_PROBLEMS = "monitoring.problems"
    RUN_RULES = "monitoring.run_rules"
    EDIT_PARAMETERS = "monitoring.parameters"
    MONTHLY_ANALYSIS = "monitoring.analysis"
    # Assistance ledgers (帮扶台账)
    VIEW_ASSISTANCE = "assistance.view"
    EDIT_ASSISTANCE = "assistance.edit"  # helpers, plans, measures, attendance, applications
    MANAGE_LOANS = "assistance.loans"
    PREPARE_PAYMENTS = "assistance.prepare_payments"  # build batches, verify applications
    APPROVE_PAYMENTS = "assistance.approve_payments"  # approve, export, mark paid
    EDIT_ASSISTANCE_SETTINGS = "assistance.settings"
    # Projects, funds, industry; work plans and indicators
    VIEW_PROJECTS = "projects.view"
    EDIT_PROJECTS = "projects.edit"  # projects, funding, milestones, targets, assets, industry
    APPROVE_PROJECTS = "projects.approve"  # lifecycle approvals, over-budget overrides
    VIEW_PLANS = "workplans.view"
    EDIT_PLANS = "workplans.edit"  # plans, tasks, targets
    ENTER_MEASUREMENTS = "workplans.measure"  # progress updates and indicator values
    # Reports (报告)
    EDIT_REPORT_TEMPLATES = "reports.templates"  # the narrative templates of written reports


_MONITORING_FIELD = {
    Perm.VIEW_MONITORING,
    Perm.MANAGE_CLUES,
    Perm.SCREEN_HOUSEHOLDS,
    Perm.CASE_VILLAGE_STEPS,
    Perm.MANAGE_PROBLEMS,
}
_MONITORING_TOWNSHIP = _MONITORING_FIELD | {
    Perm.CASE_TOWNSHIP_REVIEW,
    Perm.RUN_RULES,
    Perm.MONTHLY_ANALYSIS,
}
_ASSISTANCE_FIELD = {Perm.VIEW_ASSISTANCE, Perm.EDIT_ASSISTANCE}
_ASSISTANCE_TOWNSHIP = _ASSISTANCE_FIELD | {
    Perm.MANAGE_LOANS,
    Perm.PREPARE_PAYMENTS,
    Perm.APPROVE_PAYMENTS,
}
_PLANNING_FIELD = {Perm.VIEW_PROJECTS, Perm.VIEW_PLANS, Perm.ENTER_MEASUREMENTS}
_PLANNING_TOWNSHIP = _PLANNING_FIELD | {
    Perm.EDIT_PROJECTS,
    Perm.EDIT_PLANS,
    Perm.EDIT_REPORT_TEMPLATES,
}
_OFFICER = {
    Perm.VIEW_REGISTRY,
    Perm.EDIT_REGISTRY,
    Perm.VIEW_SENSITIVE,
    Perm.VIEW_BANK,
    Perm.REVEAL_IDENTITY,
    Perm.IMPORT_REGISTRY,
    Perm.EXPORT_REGISTRY,
    Perm.MANAGE_USERS,
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.DISTRICT_OFFICER: frozenset(
        _OFFICER
        | _MONITORING_TOWNSHIP
        | _ASSISTANCE_TOWNSHIP
        | _PLANNING_TOWNSHIP
        | {
            Perm.CASE_DISTRICT_APPROVAL,
            Perm.EDIT_PARAMETERS,
            Perm.EDIT_ASSISTANCE_SETTINGS,
            Perm.APPROVE_PROJECTS,
        }
    ),
    Role.TOWNSHIP_OFFICER: frozenset(
        _OFFICER | _MONITORING_TOWNSHIP | _ASSISTANCE_TOWNSHIP | _PLANNING_TOWNSHIP
    ),
    # Cadres collect health and income on home visits but never see bank accounts,
    # import or export whole ledgers, or reveal full ID numbers.
    Role.VILLAGE_CADRE: frozenset(
        {Perm.VIEW_REGISTRY, Perm.EDIT_REGISTRY, Perm.VIEW_SENSITIVE}
        | _MONITORING_FIELD
        | _ASSISTANCE_FIELD
        | _PLANNING_FIELD
    ),
    Role.DEPARTMENT_CLERK: frozenset({Perm.UPLOAD_DEPARTMENT_DATA}),
    # 三权分立: none of the three administrators reads household data.
    Role.AUDITOR: frozenset({Perm.VIEW_AUDIT}),
    Role.SYSTEM_ADMIN: frozenset({Perm.MANAGE_USERS, Perm.MANAGE_TOKENS}),
    Role.SECURITY_ADMIN: frozenset({Perm.MANAGE_USERS}),
}

# Separation of duties: no account may hold two of these.
ADMIN_TRIAD = frozenset({Role.AUDITOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN})

# Rank for bounded delegation: a manager grants only roles of rank <= their own.
ROLE_RANK = {
    Role.DISTRICT_OFFICER: 40,
    Role.TOWNSHIP_OFFICER: 30,
    Role.VILLAGE_CADRE: 20,
    Role.DEPARTMENT_CLERK: 10,
}

# Roles that township/district officers may grant. The administrator triad is created only
# by the `zhenwu createuser` command on the server.
DELEGABLE_ROLES = frozenset(ROLE_RANK)
