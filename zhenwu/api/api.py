"""The API root (接口): ``/api/v1/``, OpenAPI document at ``openapi.json``, docs at ``docs``.

Every operation needs a caller: an integration's token (``Authorization: Bearer zw_...``)
or the UI's login session (CSRF-protected for unsafe methods). Each app adds its router.
"""

from ninja import NinjaAPI, Swagger

from zhenwu.api import errors
from zhenwu.api.auth import SessionAuth, TokenAuth, docs_access
from zhenwu.assistance.api_jobs import router as jobs_router
from zhenwu.assistance.api_loans import router as loans_router
from zhenwu.assistance.api_plans import router as plans_router
from zhenwu.monitoring.api_cases import router as cases_router
from zhenwu.monitoring.api_clues import router as clues_router
from zhenwu.monitoring.api_department import router as department_router
from zhenwu.monitoring.api_screening import router as screening_router
from zhenwu.projects.api_industry import router as industry_router
from zhenwu.projects.api_projects import router as projects_router
from zhenwu.registry.api import router as registry_router
from zhenwu.workplans.api_indicators import router as indicators_router
from zhenwu.workplans.api_plans import router as workplans_router

DESCRIPTION = """镇务（Zhenwu）接口。数据范围与界面相同：调用者只能看到其任职区域内的记录；
范围外的记录与不存在的记录一样返回 404。身份证号只写不读（输出 `id_masked`），
电话脱敏；健康、残疾、收入和银行账号仅对具有相应权限的用户输出。
错误统一为 `{"code": ..., "message": ...}`。"""

api = NinjaAPI(
    title="Zhenwu API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    # No validator badge: Swagger UI would fetch it from validator.swagger.io (no internet).
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_decorator=docs_access,
)
errors.install(api)
api.add_router("/", registry_router)
api.add_router("/", clues_router)
api.add_router("/", department_router)
api.add_router("/", screening_router)
api.add_router("/", cases_router)
api.add_router("/", plans_router)
api.add_router("/", jobs_router)
api.add_router("/", loans_router)
api.add_router("/", indicators_router)
api.add_router("/", workplans_router)
api.add_router("/", projects_router)
api.add_router("/", industry_router)
