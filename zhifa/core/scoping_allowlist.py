"""Queries of access-controlled models that legitimately run without ``restrict()``.

Read by the scoping lint (``zhifa/core/scoping_lint.py``, run by
``zhifa/core/tests/test_scoping_lint.py``). A key is ``"path"`` (a whole module: a system job),
``"path::Class"`` or ``"path::function"`` / ``"path::Class.method"``; the value says why the
query may ignore the user's scope. An entry that no longer matches any query fails the test, so
the list stays as short as the code allows. Add an entry only with a reason a reviewer can
check; otherwise reach the rows through ``Model.objects.restrict(user, action)``.
"""

# Reasons shared by several entries.
SYSTEM_JOB = "system job run by an operator or the test set-up, not on behalf of a signed-in user"
WRITE_PATH = ("service function (the write path): its caller fetched the object through restrict(); the query "
              "re-reads that object by primary key (under select_for_update) or rows that belong to it")
IMPORT_SPEC = ("Excel import: codes and keys must be unique in the whole table, not only within the importer's "
               "scope; every imported row is checked against the importer's scope before it is saved")
SCOPING_LAYER = "part of a model's scope or public filter itself (the scoping layer builds its sub-queries here)"
REPORT = ("a report or document over the agencies its caller selected through restrict() (or the built-in "
          "templates every agency shares)")
RECOUNT = ("recounts provisional deadlines of every row after an administrator enters a year's holidays "
           "(a system job over the whole table, run after the calendar changes)")
REREAD = "re-reads by primary key an object the same view has just fetched through restrict()/get_in_scope()"

ALLOWED: dict[str, str] = {
    # --- system jobs: demo and synthetic data, test set-up, management commands ---
    "zhifa/core/demo.py": SYSTEM_JOB,
    "zhifa/cases/demo.py": SYSTEM_JOB,
    "zhifa/parties/demo.py": SYSTEM_JOB,
    "zhifa/people/demo.py": SYSTEM_JOB,
    "zhifa/portal/demo.py": SYSTEM_JOB,
    "zhifa/publicity/demo.py": SYSTEM_JOB,
    "zhifa/review/demo.py": SYSTEM_JOB,
    "zhifa/statistics/demo.py": SYSTEM_JOB,
    "zhifa/catalog/synthetic.py": SYSTEM_JOB,
    "zhifa/parties/synthetic.py": SYSTEM_JOB,
    "zhifa/people/synthetic.py": SYSTEM_JOB,
    "zhifa/core/testing.py": SYSTEM_JOB,
    "zhifa/workdays/testing.py": SYSTEM_JOB,
    "zhifa/core/management/commands/generate_synthetic.py": SYSTEM_JOB,
    "zhifa/core/management/commands/load_demo.py": SYSTEM_JOB,
    "zhifa/core/audit.py": "the audit trail writer: appends ChangeLog rows for every actor; it never answers a user",
    "zhifa/workdays/services.py": ("the working-day calendar is national reference data that every deadline "
                                   "computation reads; changes are checked by the calendar's own capability"),
    "zhifa/workdays/dashboard.py::calendar_alerts": "reads which calendar years are complete (national data)",
    "zhifa/workdays/views.py::YearListView.get_context_data": "reads which calendar years are complete (national data)",
    "zhifa/statistics/services.py": ("statistics generation: aggregates over the agencies or regions its caller "
                                     "selected through restrict(), or over all of them in the yearly job"),
    # --- the scoping layer ---
    "zhifa/catalog/models.py::CatalogScopedModel.scope_q": SCOPING_LAYER,
    "zhifa/people/models.py::Officer.public_q": SCOPING_LAYER,
    "zhifa/parties/models.py::visible_regions": SCOPING_LAYER,
    "zhifa/cases/models.py::Case.scope_q": SCOPING_LAYER,
    "zhifa/cases/models.py::Case._party_name": ("Case.save reads the name of the party the case links to, to keep "
                                                "the case's own search text (no row is returned to a user)"),
    "zhifa/cases/signals.py::party_saved": ("a party's rename rewrites the search text of the cases linked to "
                                            "that party (a denormalised column, no row is returned to a user)"),
    "zhifa/catalog/models.py::ItemQuerySet.with_current_version": "a sub-query correlated to rows already restricted",
    "zhifa/catalog/models.py::Delegation.clean": "model validation: the delegation's own item and agency rows",
    "zhifa/catalog/filters.py::ItemFilterSet.filter_delegated_to": "a sub-query on the queryset being filtered, "
                                                                     "which the list restricted",
    "zhifa/portal/filters.py": "public portal filters: narrow a queryset that is already .public()",
    "zhifa/portal/forms.py::_changeable_agencies": "agencies on or below the user's own node (tree_path prefix)",
    "zhifa/people/forms.py::users_in_reach": "accounts on or below the user's own node (tree_path prefix)",
    # --- Excel imports ---
    "zhifa/catalog/excel.py": IMPORT_SPEC,
    "zhifa/orgs/excel.py": IMPORT_SPEC,
    "zhifa/parties/excel.py": IMPORT_SPEC,
    "zhifa/people/excel.py": IMPORT_SPEC,
    # --- views and API re-reading what they fetched through restrict() ---
    "zhifa/publicity/api/views.py::PublicationViewSet._out": REREAD,
    "zhifa/review/api/views.py::ReviewViewSet._out": REREAD,
    "zhifa/review/api/views.py::ReviewViewSet.assign": ("the chosen reviewer is checked by "
                                                        "services.assign_reviewer (eligible_reviewers)"),
    "zhifa/review/forms.py::AssignForm.__init__": "choices are services.eligible_reviewers() of the scoped case",
    "zhifa/review/forms.py::DiscussionForm.__init__": "choices are the case agency's own heads",
    "zhifa/review/views.py::CatalogListView.get_context_data": "counts per agency of rows the page lists "
                                                              "through restrict()",
    "zhifa/catalog/views.py::BenchmarkDetailView.get_extra_context": "the tiers of the benchmark the detail view "
                                                                      "fetched through restrict()",
    # --- services: the write path ---
    "zhifa/cases/services/evidence.py::add_evidence": WRITE_PATH,
    "zhifa/cases/services/common.py::officer_of": WRITE_PATH,
    "zhifa/cases/services/transitions.py::perform_transition": WRITE_PATH,
    "zhifa/cases/services/fines.py::record_payment": WRITE_PATH,
    "zhifa/cases/services/fines.py::record_other_execution": WRITE_PATH,
    "zhifa/cases/services/remedies.py::record_remedy": WRITE_PATH,
    "zhifa/cases/services/discretion.py::set_discretion": WRITE_PATH,
    "zhifa/cases/services/opening.py::record_violation_period": WRITE_PATH,
    "zhifa/cases/services/payment_plans.py::approve_payment_plan": WRITE_PATH,
    "zhifa/cases/services/common.py::recount_provisional_deadlines": RECOUNT,
    # 行政强制 (coercive measures and enforcement)
    "zhifa/cases/coercion/services.py::start_measure": WRITE_PATH,
    "zhifa/cases/coercion/services.py::perform_measure": WRITE_PATH,
    "zhifa/cases/coercion/services.py::start_enforcement": WRITE_PATH,
    "zhifa/cases/coercion/services.py::perform_enforcement": WRITE_PATH,
    "zhifa/cases/coercion/services.py::recount_provisional_expiries": RECOUNT,
    "zhifa/cases/coercion/forms.py::_case_officers": ("the officers assigned to the case the view fetched through "
                                                       "restrict() (the choices of who carried out a measure)"),
    "zhifa/review/services.py::recount_provisional_deadlines": RECOUNT,
    "zhifa/cases/apps.py::CasesConfig.ready.case_stream_path": (
        "the organisation path stored on an access-log row of a case record (the scope the auditor reads it in)"),
    # --- sign-in and the three administrators (accounts) ---
    "zhifa/accounts/management/commands/admin_account.py": SYSTEM_JOB,
    "zhifa/accounts/services.py::_user_by_name": (
        "sign-in: the account is found by the name typed, before anyone is signed in (lock-out counts it)"),
    "zhifa/accounts/api/serializers.py::UserSerializer.update": REREAD,
    "zhifa/accounts/views.py::UserEditView.save_form": REREAD,
    "zhifa/people/models.py::Officer.check_id_number_free": (
        "one roster entry per identity number in the whole table (blind-index uniqueness), not only in the "
        "editor's scope; answers only whether the number is taken"),
    # --- the audit chain and checkpoints: every row, for the auditor's verification ---
    "zhifa/records/audit_chain.py": ("the audit-trail chain seals and verifies every ChangeLog row; it answers "
                                     "only through the auditor's verify views, which are scoped"),
    "zhifa/records/checkpoints.py::check_heads": ("a signed checkpoint covers the heads of every chain in the "
                                                  "deployment; verification compares them all"),
    "zhifa/records/services.py::log_access": "appends the access-log row of a read the caller was allowed",
    "zhifa/records/testing.py": SYSTEM_JOB,
    "zhifa/catalog/services.py::revise_item": WRITE_PATH,
    "zhifa/documents/services.py::activate_template": WRITE_PATH,
    "zhifa/documents/services.py::deactivate_template": WRITE_PATH,
    "zhifa/documents/services.py::resolve_template": REPORT,
    "zhifa/documents/services.py::upload_template": WRITE_PATH,
    "zhifa/parties/services.py::add_credit_rating": WRITE_PATH,
    "zhifa/parties/services.py::apply_newest_rating": WRITE_PATH,
    "zhifa/parties/services.py::find_registered": WRITE_PATH,
    "zhifa/parties/services.py::log_full_export": WRITE_PATH,
    "zhifa/people/services.py::_as_officer": WRITE_PATH,
    "zhifa/people/services.py::_locked": WRITE_PATH,
    "zhifa/people/services.py::issue_certificate": WRITE_PATH,
    "zhifa/people/services.py::township_staffing": REPORT,
    "zhifa/people/services.py::training_compliance": REPORT,
    "zhifa/people/services.py::training_totals": REPORT,
    "zhifa/portal/services.py::duty_rows": REPORT,
    "zhifa/portal/services.py::law_rows": REPORT,
    "zhifa/portal/services.py::save_guide": WRITE_PATH,
    "zhifa/publicity/services.py::_locked": WRITE_PATH,
    "zhifa/publicity/services.py::on_remedy_result": WRITE_PATH,
    "zhifa/publicity/services.py::open_for_case": WRITE_PATH,
    "zhifa/publicity/services.py::recompute_provisional_deadlines": WRITE_PATH,
    "zhifa/publicity/services.py::register_decision": WRITE_PATH,
    "zhifa/review/services.py::record_converted_opinion_pdf": ("the conversion job (no user) links the PDF it just "
                                                               "stored to the review of the same case and DOCX"),
    "zhifa/review/services.py::_lock_case": WRITE_PATH,
    "zhifa/review/services.py::_matches": WRITE_PATH,
    "zhifa/review/services.py::_new_round": WRITE_PATH,
    "zhifa/review/services.py::answer_findings": WRITE_PATH,
    "zhifa/review/services.py::assign_reviewer": WRITE_PATH,
    "zhifa/review/services.py::deadline_days": WRITE_PATH,
    "zhifa/review/services.py::eligible_reviewers": WRITE_PATH,
    "zhifa/review/services.py::flag_major": WRITE_PATH,
    "zhifa/review/services.py::install_standard_catalog": SYSTEM_JOB,
    "zhifa/review/services.py::officer_of": WRITE_PATH,
    "zhifa/review/services.py::record_collective_discussion": WRITE_PATH,
    "zhifa/review/services.py::record_opinion": WRITE_PATH,
    "zhifa/review/services.py::resubmit": WRITE_PATH,
    "zhifa/review/services.py::reviewer_refusals": WRITE_PATH,
    "zhifa/review/services.py::withdraw": WRITE_PATH,
    # --- supervision: problem models, alerts and actions (zhifa/supervision) ---
    "zhifa/supervision/problems/checks.py": ("problem-model checks: the scheduled (or post-write) evaluation "
                                             "over the part of the tree it is given, on behalf of no user"),
    "zhifa/supervision/problems/__init__.py": SYSTEM_JOB,
    "zhifa/supervision/alerts/services.py::reconcile": SYSTEM_JOB,
    "zhifa/supervision/alerts/services.py::_handled": SYSTEM_JOB,
    "zhifa/supervision/alerts/services.py::remind_and_escalate": SYSTEM_JOB,
    "zhifa/supervision/alerts/services.py::_lock": WRITE_PATH,
    "zhifa/supervision/alerts/services.py::recheck": WRITE_PATH,
    "zhifa/supervision/jobs.py::cockpit_alerts_by_model": ("problem models are the bureau-wide catalogue of "
                                                           "checks (code → id for the alert-list link), no agency data"),
    "zhifa/supervision/alerts/metrics.py": ("cockpit figures over the tree path its caller took from the "
                                            "signed-in supervisor's own scope"),
    "zhifa/supervision/actions.py::issuing_bureau": ("the supervising bureau of the actor's own region: the "
                                                     "letterhead and template owner of the actor's documents"),
    "zhifa/supervision/actions.py::_number": "document numbers are unique per issuing bureau across the table",
    "zhifa/supervision/actions.py::issue": WRITE_PATH + "; the new row is checked with ensure_in_scope",
    "zhifa/supervision/actions.py::create_problem_list": WRITE_PATH + "; the new row is checked with ensure_in_scope",
    "zhifa/supervision/actions.py::add_problem": WRITE_PATH + "; the new row is checked with ensure_in_scope",
    "zhifa/supervision/actions.py::create_campaign": WRITE_PATH + "; the new row is checked with ensure_in_scope",
    "zhifa/supervision/problems/settings.py::set_region_setting": WRITE_PATH + "; checked with ensure_in_scope",
    "zhifa/supervision/api/views.py::AlertViewSet._out": REREAD,
    # --- supervision: complaints (投诉举报, zhifa/supervision/complaints) ---
    "zhifa/supervision/complaints/problems.py": ("problem-model checks: the scheduled evaluation over the tree "
                                                 "paths of its run (CheckContext), not on behalf of a user"),
    "zhifa/supervision/complaints/stats.py": ("KPI figures over the region path its caller (the indicator "
                                              "computation) took from the user's scope; counts only"),
    "zhifa/supervision/complaints/apps.py::ready.path": "the stream owner's organisation path for the access log",
    "zhifa/supervision/complaints/services.py::_locked": WRITE_PATH,
    "zhifa/supervision/complaints/services.py::set_deadline_rule": WRITE_PATH + "; checked with ensure_in_scope",
    "zhifa/supervision/complaints/services.py::remind_and_escalate": SYSTEM_JOB,
    "zhifa/supervision/complaints/services.py::on_case_event.handler": (
        "subscriber of the case services: the complaints linked to the case its caller changed (the outcome "
        "flows back to them whatever the actor's reach)"),
    "zhifa/supervision/complaints/services.py::receive_work_order": (
        "a hotline work order is idempotent on (source, work-order number) across the whole table; the caller is "
        "the signed hotline system, not a user"),
    "zhifa/supervision/complaints/services.py::find_by_query_code": (
        "the portal's status page: the complaint whose 80-bit query code (keyed hash) the anonymous visitor "
        "holds; it shows status and reply only, never the identity"),
    "zhifa/supervision/complaints/services.py::competent_agency": (
        "routing by catalog item and region: the agencies exercising the item at or above the complaint's region "
        "(organisation data, not the user's)"),
    "zhifa/supervision/complaints/services.py::item_for_code": (
        "a hotline names the item by its catalog code; resolved among the agencies at or above the work "
        "order's region"),
    "zhifa/supervision/complaints/services.py::agency_staff": (
        "the handlers that may be assigned: active officers and heads of the complaint's handling agency, "
        "which the caller reached through restrict()"),
    "zhifa/supervision/complaints/deadlines.py::limits_for": (
        "the deadline rules applying to a complaint's region and its ancestors (configuration of the "
        "supervising bureaus above it)"),
    "zhifa/supervision/complaints/hotline.py::HotlineSignatureAuthentication.authenticate": (
        "authentication: the hotline system named in the request header, whose signature is then verified"),
    "zhifa/supervision/api/complaint_views.py::WorkOrderViewSet.get_queryset": (
        "the signed hotline system's own work orders (filtered by hotline_system); hotline requests carry no user"),
    "zhifa/supervision/api/complaint_views.py::_reachable_agency": (
        "an agency named as a complaint's handler or as complained about: any active agency; "
        "complaints.services checks that a handler is competent for the complaint's region"),
    "zhifa/supervision/demo.py": SYSTEM_JOB,
    "zhifa/supervision/complaints/demo.py": SYSTEM_JOB,
    "zhifa/supervision/management/commands/hotline_system.py": SYSTEM_JOB,
    # --- case-file evaluation (案卷评查) and the cockpit (驾驶舱) ---
    "zhifa/supervision/demo_evaluation.py": SYSTEM_JOB,
    "zhifa/supervision/evaluation/services.py": (
        "evaluation service functions (the write path): the caller fetched the plan, evaluation or finding through "
        "restrict(); each function re-checks the actor's reach (organiser's region, assigned evaluator, evaluated "
        "agency) and re-reads that object by primary key or rows that belong to it; population() reads the archived "
        "cases of the plan's own region for the draw"),
    "zhifa/supervision/evaluation/exports.py": REPORT,
    "zhifa/supervision/evaluation/forms.py::evaluator_choices": (
        "the organiser picks evaluators among the supervisors and legal reviewers of their own region (names only; "
        "the user list itself is the security administrator's); the service checks each choice"),
    "zhifa/supervision/models/evaluation.py::EvaluationPlan.scope_q": SCOPING_LAYER,
    "zhifa/supervision/models/evaluation.py::Finding.scope_q": SCOPING_LAYER,
    "zhifa/supervision/models/evaluation.py::_agencies_under": SCOPING_LAYER,
    "zhifa/supervision/cockpit/services.py": (
        "the cockpit's aggregates: refresh_cockpit is a system job counting every agency's rows into AgencyMonthStat; "
        "the readers (cockpit_data, drill_rows) narrow to Agency/Case/Publication/AgencyMonthStat.restrict(user)"),
    "zhifa/supervision/api/evaluation_views.py::EvaluationViewSet._out": REREAD,
    "zhifa/supervision/api/evaluation_views.py::EvaluationViewSet.assign": (
        "the chosen evaluator is checked by supervision.evaluation.services.assign_evaluator (role and "
        "cross-evaluation); the evaluation itself is reached through restrict()"),
}
