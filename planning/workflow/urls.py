"""Progress, completion, review, extensions, withdrawal and plan editing."""

from django.urls import path

from . import plan_views, views

app_name = "workflow"

urlpatterns = [
    path("viec-cua-don-vi/", views.inbox, name="inbox"),
    path("cho-duyet/", views.review_queue, name="review_queue"),
    path("cho-duyet/duyet-nhieu/", views.accept_many, name="accept_many"),
    path("nhiem-vu/<int:pk>/tien-do/", views.report_progress, name="report_progress"),
    path("nhiem-vu/<int:pk>/tien-do/<int:note_pk>/tep/", views.progress_file, name="progress_file"),
    path("nhiem-vu/<int:pk>/tra-loi/", views.reply, name="reply"),
    path("nhiem-vu/<int:pk>/bao-cao-hoan-thanh/", views.submit_completion, name="submit"),
    path(
        "nhiem-vu/<int:pk>/hoan-thanh/<int:submission_pk>/duyet/",
        views.accept_completion,
        name="accept",
    ),
    path(
        "nhiem-vu/<int:pk>/hoan-thanh/<int:submission_pk>/tra-lai/",
        views.return_completion,
        name="return",
    ),
    path(
        "nhiem-vu/<int:pk>/hoan-thanh/<int:submission_pk>/tep/",
        views.evidence_download,
        name="evidence_download",
    ),
    path("nhiem-vu/<int:pk>/xac-nhan-hoan-thanh/", views.mark_done, name="mark_done"),
    path("nhiem-vu/<int:pk>/gia-han/", views.request_extension, name="extension_request"),
    path(
        "nhiem-vu/<int:pk>/gia-han/<int:request_pk>/quyet-dinh/",
        views.decide_extension,
        name="extension_decide",
    ),
    path("nhiem-vu/<int:pk>/rut/", views.withdraw_assignment, name="withdraw"),
    path("nhiem-vu/<int:pk>/doi-co-quan/", views.change_agency, name="change_agency"),
    path("ke-hoach/moi/", views.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("ke-hoach/<int:pk>/huy-bo/", views.plan_withdraw, name="plan_withdraw"),
    path("ke-hoach/<int:pk>/nhiem-vu/", plan_views.plan_tasks, name="plan_tasks"),
    path("ke-hoach/<int:pk>/nhiem-vu/them/", plan_views.task_add, name="task_add"),
    path("ke-hoach/<int:pk>/muc/them/", plan_views.section_add, name="section_add"),
    path("muc/<int:pk>/sua/", plan_views.section_edit, name="section_edit"),
    path("muc/<int:pk>/xoa/", plan_views.section_remove, name="section_remove"),
    path("nhiem-vu-goc/<int:pk>/sua/", plan_views.task_edit, name="task_edit"),
    path("nhiem-vu-goc/<int:pk>/thoi-han/", plan_views.task_due, name="task_due"),
    path("nhiem-vu-goc/<int:pk>/chu-tri/them/", plan_views.task_lead_add, name="task_lead_add"),
    path(
        "nhiem-vu-goc/<int:pk>/chu-tri/<int:assignment_pk>/rut/",
        plan_views.task_lead_remove,
        name="task_lead_remove",
    ),
    path("nhiem-vu-goc/<int:pk>/xoa/", plan_views.task_remove, name="task_remove"),
    path(
        "ke-hoach/<int:pk>/doi-co-quan-hang-loat/",
        plan_views.plan_bulk_agency,
        name="plan_bulk_agency",
    ),
]
