from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplansConfig(AppConfig):
    name = "zhenwu.workplans"
    label = "workplans"
    verbose_name = _("工作计划与指标")
