"""叙述模板 pages: the list of a report's editable parts for one area and the editor of one
part (preview with the data, save a revision, history, load an older revision).

Only holders of ``reports.templates`` (township and district officers): others get 403,
audited ``reports.templates_view`` DENIED; an area outside the user's scope or an unknown
part is 404. Saving goes through ``reports.actions.save_template`` (checked, versioned,
audited); the preview saves nothing and is audited like any generated report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhenwu.accounts.policy import has_perm, highest_area
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditOutcome
from zhenwu.lib.document import narrative
from zhenwu.registry.views_import import areas_for
from zhenwu.reports.actions import save_template
from zhenwu.reports.forms_templates import SAVE, TemplateAreaForm, TemplateEditForm
from zhenwu.reports.halfyear import half_year_report, require_report_access
from zhenwu.reports.halfyear_slots import REPORT
from zhenwu.reports.selectors import current_texts, history, latest_revision
from zhenwu.reports.slots import TITLE, slot_set
from zhenwu.reports.views_halfyear import report_blocks

GATE = Perm.EDIT_REPORT_TEMPLATES
DENIED_EVENT = "reports.templates_view"
LOAD_DEFAULT = "default"
# Areas whose wording may be set: a district's applies to all its townships.
EDITABLE_LEVELS = (AreaLevel.COUNTY, AreaLevel.TOWNSHIP)


def _require(user, data: dict) -> None:
    """403 without the permission; the refusal is audited."""
    if not has_perm(user, GATE):
        audit.record(
            DENIED_EVENT, actor=user, outcome=AuditOutcome.DENIED, data={"perm": GATE, **data}
        )
        raise PermissionDenied


def _editable_areas(user) -> list[Area]:
    return [a for a in areas_for(user, GATE) if a.level in EDITABLE_LEVELS]


def _default_area(user, areas: list[Area]) -> Area | None:
    """The user's highest township, else the widest area they may edit."""
    township = next((a for a in areas if a.level == AreaLevel.TOWNSHIP), None)
    return township or highest_area(user, GATE)


def _chosen_area(user, code: str | None) -> tuple[Area, list[Area]]:
    """The area named by ``code`` (404 outside scope), or the default one."""
    areas = _editable_areas(user)
    if code:
        area = next((a for a in areas if a.code == code), None)
    else:
        area = _default_area(user, areas)
    if area is None:
        raise Http404
    return area, areas


def _source(current, area: Area) -> str:
    """当前使用: the default, this area's revision or an ancestor's."""
    row = current.revision
    if row is None:
        return _("默认")
    if row.area_id == area.pk:
        return _("本级第%(revision)s版") % {"revision": row.revision}
    return _("上级（%(area)s）第%(revision)s版") % {"area": row.area.name, "revision": row.revision}


@login_required
def template_list(request):
    user = request.user
    _require(user, {"report": REPORT})
    area, areas = _chosen_area(user, request.GET.get("area"))
    slots = slot_set(REPORT)
    form = TemplateAreaForm({"area": area.code}, areas=areas, initial_area=area)
    form.is_valid()
    texts = current_texts(slots, area)
    rows = [
        {"slot": slot, "current": texts[slot.key], "source": _source(texts[slot.key], area)}
        for slot in slots.slots
    ]
    return render(
        request,
        "reports/templates_list.html",
        {
            "form": form,
            "area": area,
            "is_township": area.level == AreaLevel.TOWNSHIP,
            "slot_set": slots,
            "rows": rows,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, slot):
    user = request.user
    _require(user, {"report": REPORT, "slot": str(slot)[:60]})
    area, areas = _chosen_area(user, request.GET.get("area"))
    slots = slot_set(REPORT)
    definition = slots.get(slot)
    if definition is None:
        raise Http404
    townships = _preview_townships(area, areas)
    current = current_texts(slots, area)[slot]
    preview = None
    if request.method == "POST":
        form = TemplateEditForm(request.POST, townships=townships)
        if form.is_valid() and request.POST.get("action") == SAVE:
            saved = _save(request, form, definition, area)
            if saved is not None:
                messages.success(
                    request, _("已保存第%(revision)s版。") % {"revision": saved.revision}
                )
                return redirect(_edit_url(slot, area))
        elif form.is_valid():
            preview = _preview(user, form, definition)
    else:
        initial = {
            "text": _loaded_text(request, definition, area, current),
            "base_revision": latest_revision(REPORT, slot, area),
        }
        form = TemplateEditForm(initial=initial, townships=townships)
    context = {
        "form": form,
        "area": area,
        "is_township": area.level == AreaLevel.TOWNSHIP,
        "slot": definition,
        "current": current,
        "source": _source(current, area),
        "placeholders": [(name, slots.labels.get(name, "")) for name in definition.names],
        "history": history(REPORT, slot, area),
        "preview": preview,
        "edit_url": _edit_url(slot, area),
    }
    return render(request, "reports/templates_edit.html", context)


def _edit_url(slot: str, area: Area) -> str:
    return reverse("reports:template_edit", args=[slot]) + f"?area={area.code}"


def _preview_townships(area: Area, areas: list[Area]) -> list[Area]:
    if area.level == AreaLevel.TOWNSHIP:
        return [area]
    return [a for a in areas if a.level == AreaLevel.TOWNSHIP and a.path.startswith(area.path)]


def _loaded_text(request, definition, area: Area, current) -> str:
    """The text the form opens with: ``?load=default``, ``?load=<revision id>`` (a revision
    that applies to this area, else 404) or the text in use. Loading saves nothing."""
    wanted = request.GET.get("load")
    if not wanted:
        return current.text
    if wanted == LOAD_DEFAULT:
        messages.info(request, _("已载入默认措辞，保存后生效。"))
        return definition.default
    row = next(
        (r for r in history(REPORT, definition.key, area) if str(r.public_id) == wanted), None
    )
    if row is None:
        raise Http404
    messages.info(
        request,
        _("已载入%(area)s第%(revision)s版，保存后生效。")
        % {"area": row.area.name, "revision": row.revision},
    )
    return row.text


def _save(request, form, definition, area: Area):
    """The saved revision, or None with the refusal shown in the form."""
    data = form.cleaned_data
    try:
        return save_template(
            request.user,
            report=REPORT,
            slot=definition.key,
            area=area,
            text=data["text"],
            base_revision=data["base_revision"],
            note=data["note"],
        )
    except DomainError as error:
        if error.code == "template_invalid":
            for message in narrative.check(data["text"], definition.names) or [error.message]:
                form.add_error("text", message)
        else:
            form.add_error(None, error.message)
        if error.code == "conflict":
            form.add_error(
                None,
                _("您输入的文字仍保留在下方；请先复制，再重新打开本页查看他人保存的版本后修改。"),
            )
        return None


def _preview(user, form, definition) -> dict | None:
    """The rendered blocks of this part, or None with the mistakes shown in the form.
    Nothing is saved; the report is audited like any other."""
    text = form.cleaned_data["text"].strip()
    errors = narrative.check(text, definition.names) if text else [_("模板内容不能为空。")]
    for message in errors:
        form.add_error("text", message)
    period = form.preview_period()
    township = form.preview_township()
    if errors or period is None or township is None:
        return None
    try:
        require_report_access(user, township)
    except DomainError as error:
        form.add_error(None, error.message)
        return None
    report = half_year_report(township, period, overrides={definition.key: text})
    with transaction.atomic():
        audit.record(
            "reports.generated",
            actor=user,
            obj=township,
            data={
                "report": REPORT,
                "area": township.code,
                "period": period.code,
                "as": "template_preview",
                "slot": definition.key,
            },
        )
    return {
        "report": report,
        "township": township,
        "title": report.title if definition.key == TITLE else "",
        "blocks": report_blocks(report, definition.key),
        "warnings": [w for w in report.warnings if w.startswith(f"{definition.title}：")],
    }
