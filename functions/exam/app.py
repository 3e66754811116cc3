"""Exam: attempts (applicant), question bank and settings, announcements, rejections, liaisons (HQ)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from nazer import jalali
from nazer.access import Access, route
from nazer.auth import HQ_ADMIN, Caller
from nazer.http import (
    create_app,
    current_caller,
    header,
    json_response,
    resolve,
)
from nazer.idempotency import run_once
from nazer.logic import announcements, exam, exam_admin, liaisons
from nazer.models.exam import (
    AnnouncementIn,
    AnnouncementResults,
    AttemptStarted,
    AttemptView,
    ExamSettingsBody,
    LiaisonIn,
    LiaisonList,
    LiaisonOut,
    QuestionAdminOut,
    QuestionIn,
    QuestionPage,
    RejectionIn,
    RejectionOut,
    SubmissionIn,
    SubmissionResult,
)
from nazer.observability import logger, metrics, tracer

router = Router()


def _reply(model: type, status: int = 200, description: str = "OK") -> dict[int, Any]:
    """The documented success reply of a route (its JSON shape in the OpenAPI document)."""
    return {status: {"description": description, "content": {"application/json": {"model": model}}}}


def _hq() -> Caller:
    caller = current_caller(app)
    caller.require_group(HQ_ADMIN)
    return caller


def _dump(model: Any) -> dict[str, Any]:
    dumped: dict[str, Any] = model.model_dump(by_alias=True, mode="json")
    return dumped


def _idempotency_key() -> str | None:
    return header(app, "Idempotency-Key")


# ---------------------------------------------------------------- applicant


@route(
    router,
    "POST",
    "/exam/attempts",
    Access.SIGNED_IN,
    summary="Start an exam attempt",
    tags=["exam"],
    responses=_reply(AttemptStarted, 201, "The attempt: questions with shuffled choices, never the key"),
)
def post_attempt() -> Response[str]:
    caller = current_caller(app)
    reply = run_once(
        "exam.start",
        caller.sub,
        _idempotency_key(),
        {},
        lambda: {"status": 201, "body": _dump(exam.start_attempt(caller.sub, jalali.now_utc()))},
    )
    headers = {"Location": f"/exam/attempts/{reply['body']['attemptId']}"}
    return json_response(reply["status"], reply["body"], headers)


@route(
    router,
    "POST",
    "/exam/attempts/{attemptId}/submission",
    Access.SIGNED_IN,
    summary="Submit an attempt's answers",
    tags=["exam"],
    responses=_reply(SubmissionResult),
)
def post_submission(attemptId: str, body: SubmissionIn) -> Response[str]:  # noqa: N803 - the contract's name
    caller = current_caller(app)
    reply = run_once(
        f"exam.submit.{attemptId}",
        caller.sub,
        _idempotency_key(),
        _dump(body),
        lambda: {
            "status": 200,
            "body": _dump(exam.submit_attempt(caller.sub, attemptId, body.answers, jalali.now_utc())),
        },
    )
    return json_response(reply["status"], reply["body"])


@route(
    router,
    "GET",
    "/exam/attempts/{attemptId}",
    Access.SIGNED_IN,
    summary="One of the caller's attempts",
    tags=["exam"],
    responses=_reply(AttemptView),
)
def get_attempt(attemptId: str) -> Response[str]:  # noqa: N803
    caller = current_caller(app)
    view: AttemptView = exam.view_attempt(caller.sub, attemptId, jalali.now_utc())
    return json_response(200, _dump(view))


# ---------------------------------------------------------------- HQ: question bank and settings


@route(
    router,
    "GET",
    "/admin/questions",
    Access.HQ,
    summary="The question bank (with the key)",
    tags=["exam admin"],
    responses=_reply(QuestionPage),
)
def list_questions(
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    active: Annotated[bool | None, Query()] = None,
    category: Annotated[str | None, Query(max_length=50)] = None,
) -> Response[str]:
    _hq()
    page: QuestionPage = exam_admin.list_questions(limit, cursor, active, category)
    return json_response(200, _dump(page))


@route(
    router,
    "POST",
    "/admin/questions",
    Access.HQ,
    summary="Add a question",
    tags=["exam admin"],
    responses=_reply(QuestionAdminOut, 201),
)
def post_question(body: QuestionIn) -> Response[str]:
    caller = _hq()
    reply = run_once(
        "exam.question.create",
        caller.sub,
        _idempotency_key(),
        _dump(body),
        lambda: {"status": 201, "body": _dump(exam_admin.create_question(body, jalali.now_utc()))},
    )
    return json_response(reply["status"], reply["body"])


@route(
    router,
    "GET",
    "/admin/questions/{questionId}",
    Access.HQ,
    summary="One question (with the key)",
    tags=["exam admin"],
    responses=_reply(QuestionAdminOut),
)
def get_question(questionId: str) -> Response[str]:  # noqa: N803
    _hq()
    return json_response(200, _dump(exam_admin.get_question(questionId)))


@route(
    router,
    "PUT",
    "/admin/questions/{questionId}",
    Access.HQ,
    summary="Replace a question",
    tags=["exam admin"],
    responses=_reply(QuestionAdminOut),
)
def put_question(questionId: str, body: QuestionIn) -> Response[str]:  # noqa: N803
    _hq()
    return json_response(200, _dump(exam_admin.replace_question(questionId, body, jalali.now_utc())))


@route(
    router,
    "DELETE",
    "/admin/questions/{questionId}",
    Access.HQ,
    summary="Remove a question from the bank",
    tags=["exam admin"],
    responses={204: {"description": "Removed", "content": {}}},
)
def delete_question(questionId: str) -> Response[str]:  # noqa: N803
    _hq()
    exam_admin.delete_question(questionId)
    return Response(status_code=204, body="")


@route(
    router,
    "GET",
    "/admin/exam-settings",
    Access.HQ,
    summary="Exam settings",
    tags=["exam admin"],
    responses=_reply(ExamSettingsBody),
)
def get_settings() -> Response[str]:
    _hq()
    return json_response(200, _dump(exam_admin.get_settings()))


@route(
    router,
    "PUT",
    "/admin/exam-settings",
    Access.HQ,
    summary="Replace the exam settings",
    tags=["exam admin"],
    responses=_reply(ExamSettingsBody),
)
def put_settings(body: ExamSettingsBody) -> Response[str]:
    caller = _hq()
    return json_response(200, _dump(exam_admin.put_settings(body, jalali.now_utc(), caller.sub)))


# ---------------------------------------------------------------- HQ: review, announcement, liaisons


@route(
    router,
    "POST",
    "/admin/announcements",
    Access.HQ,
    summary="Announce passed applicants to their province",
    tags=["exam admin"],
    responses=_reply(AnnouncementResults),
)
def post_announcement(body: AnnouncementIn) -> Response[str]:
    caller = _hq()
    reply = run_once(
        "exam.announce",
        caller.sub,
        _idempotency_key(),
        _dump(body),
        lambda: {
            "status": 200,
            "body": _dump(announcements.announce(body.province_code, body.application_ids, jalali.now_utc())),
        },
    )
    return json_response(reply["status"], reply["body"])


@route(
    router,
    "POST",
    "/admin/applications/{applicationId}/rejection",
    Access.HQ,
    summary="Reject an application",
    tags=["exam admin"],
    responses=_reply(RejectionOut),
)
def post_rejection(applicationId: str, body: RejectionIn) -> Response[str]:  # noqa: N803
    caller = _hq()
    reply = run_once(
        f"exam.reject.{applicationId}",
        caller.sub,
        _idempotency_key(),
        _dump(body),
        lambda: {
            "status": 200,
            "body": _dump(announcements.reject(applicationId, body.reason, jalali.now_utc(), caller.sub)),
        },
    )
    return json_response(reply["status"], reply["body"])


@route(
    router,
    "GET",
    "/admin/liaisons",
    Access.HQ,
    summary="Every directorate's liaison",
    tags=["exam admin"],
    responses=_reply(LiaisonList),
)
def get_liaisons() -> Response[str]:
    _hq()
    listing: LiaisonList = liaisons.list_liaisons()
    return json_response(200, _dump(listing))


@route(
    router,
    "PUT",
    "/admin/provinces/{provinceCode}/liaison",
    Access.HQ,
    summary="Name a directorate's liaison",
    tags=["exam admin"],
    responses=_reply(LiaisonOut),
)
def put_liaison(provinceCode: str, body: LiaisonIn) -> Response[str]:  # noqa: N803
    caller = _hq()
    saved: LiaisonOut = liaisons.put_liaison(provinceCode, body, jalali.now_utc(), caller.sub)
    return json_response(200, _dump(saved))


app = create_app()
app.include_router(router)


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
