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
    # 掌上执法: a new capture is created for a case fetched through restrict(); advance/resolve re-read it
    "zhifa/mobile/demo.py": SYSTEM_JOB,
    "zhifa/cases/signing/demo.py": SYSTEM_JOB,  # demo loader: finds the demo officers by user name
    "zhifa/mobile/services.py::_create": WRITE_PATH,
    "zhifa/mobile/services.py::advance": WRITE_PATH,
    "zhifa/mobile/services.py::resolve": WRITE_PATH,
    # issue #14: only EXPLAIN of the name condition (no row is read) — the planner's estimate of
    # matches over the whole table decides how a scoped page is read, not which rows it holds
    "zhifa/parties/filters.py::_estimated_name_matches": "EXPLAIN only: an estimate, no rows read",
    # 预编号当场处罚决定书: numbers are created for the actor's own agency, counted by their owner, re-read by pk
    "zhifa/mobile/numbers.py::reserve": WRITE_PATH,
    "zhifa/mobile/numbers.py::_lock": WRITE_PATH,
    "zhifa/mobile/numbers.py::flag": WRITE_PATH,
    "zhifa/mobile/links.py::create": WRITE_PATH,
    "zhifa/mobile/links.py::open_link": ("the party's public download (no sign-in): the random token, found by its "
                                          "SHA-256 alone, is the only authority; it expires, is used up or revoked"),
    # a decision number must be unique across the whole table, not only within the officer's scope
    "zhifa/cases/services/simple.py::_check_reserved_number": ("a decision number must not be on any case "
                                                               "anywhere (uniqueness over the whole table)"),
    # --- system jobs: demo and synthetic data, test set-up, management commands ---
    "zhifa/core/demo.py": SYSTEM_JOB,
    "zhifa/cases/demo.py": SYSTEM_JOB,
    "zhifa/parties/demo.py": SYSTEM_JOB,
    "zhifa/people/demo.py": SYSTEM_JOB,
    "zhifa/portal/demo.py": SYSTEM_JOB,
    "zhifa/publicity/demo.py": SYSTEM_JOB,
    "zhifa/review/demo.py": SYSTEM_JOB,
    "zhifa/statistics/demo.py": SYSTEM_JOB,
    "zhifa/exchange/demo.py": SYSTEM_JOB,
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
    "zhifa/catalog/models.py::Item.scope_q": SCOPING_LAYER,
    "zhifa/people/models.py::Officer.public_q": SCOPING_LAYER,
    "zhifa/parties/models.py::visible_regions": SCOPING_LAYER,
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
    "zhifa/supervision/alerts/bulk.py": SYSTEM_JOB + " (the problem models' set-based writer of alerts, their records and audit rows)",
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
    "zhifa/supervision/complaints/services.py::save_hotline_system": (
        "the system code (the X-Hotline-System header) is unique across the whole table: the check that it is "
        "free must see other regions' systems; only existence is read, the row edited comes from restrict()"),
    "zhifa/supervision/complaints/services.py::_locked_hotline": (
        "a user's change goes through restrict(); without a user it is the server's operator "
        "(zhifa hotline_system), who manages every region's hotline systems"),
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
    # --- exchange with lower and upper levels (zhifa/exchange) ---
    "zhifa/exchange/forms.py::SourceForm.__init__": ("the system administrator picks the region a lower-level "
                                                     "instance covers from the whole region tree (reference data)"),
    "zhifa/exchange/forms.py::UplinkForm.__init__": ("the system administrator picks the region whose cases go "
                                                     "upward from the whole region tree (reference data)"),
    "zhifa/exchange/services.py::on_record_event": ("post_save of a record step: re-reads the case whose record "
                                                    "the caller (a scoped service) has just written"),
    "zhifa/exchange/services.py::receive": ("the signed inbound endpoint: no user; the source is found by its name "
                                            "and proven by the HMAC signature of its shared secret"),
    "zhifa/exchange/services.py::backfill": SYSTEM_JOB,
    "zhifa/exchange/services.py::_apply_case_event": ("applies a signed event of one source: the case's region "
                                                      "must lie within that source's region, checked here"),
    # --- coordination: the transfer of suspected crimes (zhifa/coordination) ---
    "zhifa/coordination/api/views.py::CriminalTransferViewSet.report": ("the officers offered are those assigned "
                                                                        "to the case, itself reached through restrict()"),
    "zhifa/coordination/forms.py::ReportForm.__init__": ("the officers offered are those assigned to the case, "
                                                         "which the view reached through get_in_scope()"),
    "zhifa/coordination/problems.py": ("problem-model checks: the scheduled (or post-write) evaluation over the "
                                       "evaluation's part of the tree (ctx.agency_q), not on behalf of a user"),
    "zhifa/coordination/services.py::_locked": WRITE_PATH,
    "zhifa/coordination/services.py::report": WRITE_PATH,
    # --- grid dispatch (zhifa/coordination/grid) ---
    "zhifa/coordination/grid/demo.py": SYSTEM_JOB,
    "zhifa/coordination/grid/problems.py": ("problem-model check: the scheduled evaluation over the region's "
                                            "agencies (ctx.agency_q), not on behalf of a signed-in user"),
    "zhifa/coordination/grid/services.py::save_grid": ("write path: the grid is re-read for update and checked "
                                                       "with ensure_in_scope; a grid code must be unique province-wide "
                                                       "(no row is returned)"),
    "zhifa/coordination/grid/services.py::_locked": ("write path: re-reads for update, then refuses a task outside "
                                                     "the actor's restrict(actor, 'view')"),
    "zhifa/coordination/grid/services.py::dispatch": ("write path: _commander checked the grid through "
                                                      "Grid.objects.restrict(actor) before the re-read; the created "
                                                      "task is checked with ensure_in_scope"),
    "zhifa/coordination/grid/services.py::file_report": ("write path: the grid is re-read after the task's restrict "
                                                         "check or may_report's Grid.objects.restrict(actor)"),
    "zhifa/coordination/grid/services.py::_report_locked": ("write path: re-reads for update, then refuses a report "
                                                            "outside restrict(actor, 'change')"),
    "zhifa/coordination/grid/setup.py::grid_stream_path": ("the organisation path of a grid's record, for the access "
                                                           "log's scope (no row is returned)"),
    # --- coordination: case transfers, jurisdiction disputes, clue referrals (zhifa/coordination/transfers) ---
    "zhifa/coordination/transfers/services.py": (
        "transfer and dispute service functions (the write path): the case is first reached through "
        "Case.objects.restrict(actor, 'change') (_lock_case) or the transfer/dispute through restrict() by the "
        "caller, and each step checks that the actor works for the agency whose turn it is (acts_for, may_decide); "
        "the receiving agency and the coordination office lie outside the sender's subtree by nature (a transfer "
        "goes across the tree), so they and the open-matter gate are read unscoped"),
    "zhifa/coordination/transfers/clues.py::refer": WRITE_PATH,
    "zhifa/coordination/transfers/notices.py": (
        "job of the task layer after a coordination step commits: the row the step wrote, and the people to tell "
        "(the receiving agency's heads, the sender, the other agency's heads and the office's supervisors, the "
        "named readers) — outside the actor's subtree by nature; only titles and links are sent, never read back"),
    "zhifa/coordination/demo.py": SYSTEM_JOB,
    "zhifa/coordination/transfers/clues.py::eligible_readers": (
        "the readers offered are the staff of the case's agency, the case itself reached through restrict()"),
    "zhifa/coordination/transfers/forms.py::agency_choices": (
        "the agencies a case may be transferred to or designated to: any active enforcement agency (names are "
        "public; a transfer goes across the tree), not rows the user reads"),
    "zhifa/coordination/transfers/problems.py": ("problem-model checks: the scheduled (or post-write) evaluation "
                                                 "over the evaluation's part of the tree (ctx.agency_q)"),
    # --- 双随机 (inspections, draws part) ---
    "zhifa/inspections/draws/services.py": (
        "draw service functions (the write path): the caller fetched the entry, plan or draw through restrict() and "
        "every change ends with ensure_in_scope; a draw's population is by law every party of the draw's region "
        "(checked to lie within the organiser's region) and its inspectors every registered officer of the "
        "participating agencies, whoever prepares it; pairings and pseudonyms are rows of that draw"),
    "zhifa/inspections/draws/demo.py": SYSTEM_JOB,
    "zhifa/inspections/draws/setup.py::draw_stream_path": "the access log's organisation path of a stream key",
    "zhifa/inspections/draws/forms.py::InspectorForm.__init__": (
        "home township choices: region names are public (the GB/T 2260 list), not scoped data"),
    "zhifa/inspections/draws/forms.py::PlanForm.__init__": (
        "the participants of a joint plan are other departments' agencies (names, public on the portal); "
        "the plan itself is saved through the service and checked with ensure_in_scope"),
    "zhifa/inspections/draws/forms.py::PlanItemForm.__init__": (
        "entries of the plan's own agencies (lead and participants), the plan being reached through restrict()"),
    "zhifa/inspections/draws/forms.py::DrawForm.__init__": (
        "entries of the plan reached through restrict(), and regions within the plan agency's region"),
    "zhifa/inspections/draws/api.py::PlanViewSet.items": (
        "an entry of the plan's own agencies (lead and participants), the plan being reached through restrict()"),
    "zhifa/inspections/draws/api.py::PlanViewSet.draw": (
        "entries of the plan reached through restrict(), and regions within the plan agency's region"),
    "zhifa/inspections/models/draws.py::PlanItem.scope_q": SCOPING_LAYER,
    "zhifa/inspections/models/draws.py::DrawWitness.scope_q": SCOPING_LAYER,
    "zhifa/inspections/models/draws.py::DrawPairing.scope_q": SCOPING_LAYER,
    # --- the inspection act (行政检查, zhifa/inspections/acts) ---
    "zhifa/cases/services/evidence.py::record_inspection": (
        "cases.Inspection (a case's 现场检查) is not a scoped model; the lint matches class names and takes it for "
        "inspections.Inspection. The case itself is checked by check_inspection()"),
    "zhifa/inspections/acts/demo.py": SYSTEM_JOB,
    "zhifa/inspections/acts/problems.py": (
        "problem models: a system job evaluating every agency's inspections (narrowed by CheckContext.agency_q)"),
    "zhifa/inspections/acts/setup.py::inspection_stream_path": (
        "the organisation path of a record stream for the access log, after may_access_stream() allowed it"),
    "zhifa/inspections/models/inspection.py::Inspection.scope_q": SCOPING_LAYER,
    "zhifa/inspections/acts/services.py::_officer_of": "the acting user's own roster entry",
    "zhifa/inspections/acts/services.py::cap_for": (
        "the annual caps are published on the portal (public data); read to refuse an inspection over the cap"),
    "zhifa/inspections/acts/services.py::counted_inspections": (
        "the annual cap counts every inspection of the enterprise by the agency, also those the actor cannot see "
        "(the cap is the enterprise's protection, not the officer's view); only a count leaves the function"),
    "zhifa/inspections/acts/services.py::set_cap": (
        "update_or_create of the cap of an agency the caller chose through restrict(); ensure_in_scope() follows"),
    "zhifa/inspections/acts/services.py::code_for": (
        "the enterprise's supervision code, for a party its caller reached through restrict() or an inspection"),
    "zhifa/inspections/acts/services.py::_requirement_refusal": WRITE_PATH,
    "zhifa/inspections/acts/services.py::create_inspection": WRITE_PATH,
    "zhifa/inspections/acts/services.py::perform": WRITE_PATH,
    "zhifa/inspections/acts/services.py::add_evidence": WRITE_PATH,
    "zhifa/inspections/acts/services.py::public_results": (
        "the public portal: 检查结果公示 lists only results published by the inspection's publish step, "
        "with no officer or personal data"),
    "zhifa/inspections/acts/services.py::find_enterprise": (
        "the public portal: an enterprise proves itself with its credit code and its unguessable supervision code "
        "together; nothing is returned unless both match"),
    "zhifa/inspections/acts/services.py::enterprise_of_session": (
        "the public portal: the enterprise the session was opened for by find_enterprise()"),
    "zhifa/inspections/acts/services.py::enterprise_inspections": (
        "the public portal: the inspections of the enterprise that proved itself (find_enterprise), no one else's"),
    "zhifa/inspections/acts/services.py::evaluate": (
        "the public portal: the enterprise evaluates one of its own inspections (filtered by party)"),
    # --- the 三项制度 assessment, task ledgers and action-plan KPIs (SUP-5, SUP-6) ---
    "zhifa/supervision/assessment/indicators.py": (
        "computed indicators count the rows of the assessed agencies only (Subject.agency_ids, taken by "
        "assessment.services.subject_for from an assessment the caller reached through restrict() and whose "
        "creation checked the supervisor's reach)"),
    "zhifa/supervision/assessment/services.py": (
        "assessment service functions (the write path): the caller fetched the assessment or item through "
        "restrict(); each function re-checks the actor (supervisor of the subject's path, or the assessed side) and "
        "re-reads that object by primary key or rows that belong to it; subject_for lists the assessed subtree's "
        "agencies"),
    "zhifa/supervision/kpis.py": (
        "KPIs count the rows of the region path their caller derived from the signed-in user's own scope "
        "(kpi_views, the cockpit panel, the API)"),
    "zhifa/supervision/ledgers/services.py": (
        "ledger service functions (the write path): the caller fetched the plan or task through restrict(); the "
        "functions re-check the keeper's region or the reporting unit and re-read that row; plan_agencies lists the "
        "plan's own region; remind_overdue is the daily system job over every open task"),
    "zhifa/supervision/models/ledgers.py::WorkPlan.scope_q": SCOPING_LAYER,
    "zhifa/supervision/models/ledgers.py::LedgerTask.agency_side_q": SCOPING_LAYER,
    "zhifa/supervision/models/ledgers.py::ProgressReport.scope_q": SCOPING_LAYER,
    "zhifa/supervision/api/assessment_views.py::AssessmentViewSet._out": REREAD,
    "zhifa/supervision/api/assessment_views.py::AssessmentItemViewSet._out": REREAD,
    "zhifa/supervision/api/assessment_views.py::AssessmentItemViewSet.evidence": REREAD,
    "zhifa/supervision/api/assessment_views.py::_ItemShowFinal.get": (
        "re-reads the assessment of an item the serializer shows, the item reached through restrict()"),
    # --- the equipment register and non-site records (zhifa/inspections/devices) ---
    "zhifa/inspections/devices/demo.py": SYSTEM_JOB,
    "zhifa/inspections/devices/problems.py": ("problem-model checks: the scheduled (or post-write) evaluation "
                                             "over the part of the tree its run covers (ctx.agency_q)"),
    "zhifa/inspections/devices/staffing.py::township_devices": REPORT,
    "zhifa/inspections/devices/services.py::check_device": ("a device's serial must be unique within its agency "
                                                             "whatever the user's reach (no row is returned)"),
    "zhifa/inspections/devices/services.py::issue_device": WRITE_PATH,
    "zhifa/inspections/devices/services.py::return_device": WRITE_PATH,
    "zhifa/inspections/devices/services.py::_locked": WRITE_PATH,
    "zhifa/inspections/devices/services.py::find_for_party": ("the party's portal view (no log-in): one notified "
                                                              "record by its number, shown only with its view code"),
    "zhifa/inspections/devices/services.py::submit_statement": ("the party's statement on the portal: re-reads under "
                                                                "select_for_update the record find_for_party matched "
                                                                "with its view code"),
    "zhifa/inspections/devices/setup.py::ready.record_stream_path": ("the organisation path of a record's stream, "
                                                                     "for the access log's scope (no row is returned)"),
    # --- the desk (zhifa/workspace) ---
    "zhifa/workspace/demo.py": SYSTEM_JOB,
    "zhifa/workspace/reminders.py::_recipients_for_escalation": (
        "escalation of an overdue item (a system job): the heads of the item's own unit/agency and the supervisors "
        "of the regions above its agency, found by role and organisation, not on behalf of a signed-in user"),
    "zhifa/workspace/reminders.py::run_reminders": (
        "the reminder job walks every active person; each person's items are then read through restrict(person)"),
    "zhifa/workspace/reminders.py::send_daily_digest": (
        "the digest job walks every active person; each person's items are then read through restrict(person)"),
    "zhifa/records/integrity.py::_alert": (
        "the integrity check (a system job) tells every active audit and security administrator that the platform's "
        "chains failed: found by role, not on behalf of a signed-in user; the message carries no record's content"),
    "zhifa/workspace/todos.py::done_for": (
        "已办: the person's own audit-trail rows (actor = the signed-in user), never another person's"),
    "zhifa/workspace/dashboards.py::workload": (
        "the names of the officers assigned to open cases read through restrict(user); only the ids that query "
        "returned are looked up (a case in reach names its officers, wherever their home agency is)"),
    # --- integration: draws → inspections, desk providers of later apps ---
    "zhifa/inspections/draw_tasks.py::create_inspections_from_draw": (
        "the draw was checked to be within the actor's change scope; its pairings are rows of that draw, and the "
        "existing-inspection lookup only tests the draw's own references so a repeat creates nothing twice"),
    "zhifa/workspace/providers.py::inspections": ("the signed-in user's own officer record (user=user), to find the "
                                                  "inspections whose team they are on; the inspections are restricted"),
}
