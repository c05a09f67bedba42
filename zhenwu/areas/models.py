"""Area tree: province > city > county/district > township > village > group (行政区划)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.IntegerChoices):
    PROVINCE = 1, _("省")
    CITY = 2, _("市")
    COUNTY = 3, _("县/区")
    TOWNSHIP = 4, _("乡镇")
    VILLAGE = 5, _("村/社区")
    GROUP = 6, _("村民小组")


class Area(models.Model):
    """行政区划. ``path`` is the chain of codes from the root, e.g. ``/360000/360700/360704/``,
    so that a subtree is one indexed ``startswith`` query. Merged or renamed villages keep
    their old row with ``valid_to`` set; codes are unique per validity start."""

    code = models.CharField(_("区划代码"), max_length=20)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False)
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    is_demo_code = models.BooleanField(
        _("演示代码"), default=False, help_text=_("代码为演示用，非官方统计代码")
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="area_code_valid_from"),
        ]
        indexes = [models.Index(fields=["level", "path"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.code}/"
        super().save(*args, **kwargs)

    def is_within(self, other: "Area") -> bool:
        """True when self is ``other`` or lies below it."""
        return self.path.startswith(other.path)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1
