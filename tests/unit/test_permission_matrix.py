"""The permission matrix (issue 7, point 7): every event handler of every state is a public
endpoint, so every one has a row saying who may call it, and calling it as someone below
that changes nothing in the database.

A new handler without a row fails ``test_every_handler_has_a_row``: add ONE line to
``PERMISSIONS`` (the handler's ``Class.method`` and who may call it).
"""

from __future__ import annotations

import inspect

import reflex as rx
from reflex.istate.data import RouterData

import community_app.community_app  # noqa: F401  (every page, so every state)
from community_app.services import auth, booking
from community_app.services.auth import SESSION_COOKIE
from tests.factories import make_day, request_type, slot_type
from tests.unit.test_hostile_input import fingerprint
from tests.unit.test_states import _run as _run_gen

ANYONE, SIGNED_IN, RESIDENT, STAFF = "anyone", "signed_in", "resident", "staff"
LOWER = {ANYONE: [], SIGNED_IN: ["anonymous"], RESIDENT: ["anonymous"], STAFF: ["anonymous", "resident"]}

PERMISSIONS: dict[str, str] = {
    # Reflex's own
    "EventHandlerSetVar.setvar": ANYONE,  # refuses every var without an explicit setter
    "OnLoadInternalState.on_load_internal": ANYONE,
    "OnLoadInternalState.set_is_hydrated": ANYONE,
    "UpdateVarsInternalState.update_vars_internal": ANYONE,
    "FrontendEventExceptionState.handle_frontend_exception": ANYONE,
    # every page: guards, preferences, sign-out
    "AppState.require_account": ANYONE,
    "AppState.require_staff": ANYONE,
    "AppState.redirect_if_signed_in": ANYONE,
    "AppState.set_elder_mode": ANYONE,
    "AppState.set_language": ANYONE,
    "AppState.sign_out": ANYONE,
    # 登录 / 注册
    "LoginState.load": ANYONE,
    "LoginState.back_to_password": ANYONE,
    "LoginState.submit": ANYONE,
    "LoginState.submit_code": ANYONE,
    "LoginState.submit_new_password": ANYONE,
    "SignupState.load": ANYONE,
    "SignupState.pick_community": ANYONE,
    "SignupState.pick_compound": ANYONE,
    "SignupState.send_code": ANYONE,
    "SignupState.tick": ANYONE,
    "SignupState.submit": ANYONE,
    # 我的, 账号安全, 通知
    "MeState.toggle_password_form": SIGNED_IN,
    "MeState.change_password": SIGNED_IN,
    "SecurityState.load": SIGNED_IN,
    "SecurityState.sign_out_device": SIGNED_IN,
    "NotificationsState.load": SIGNED_IN,
    "NotificationsState.load_more": SIGNED_IN,
    "NotificationsState.open_note": SIGNED_IN,
    "NotificationsState.mark_all": SIGNED_IN,
    # residents: services and bookings
    "ServicesState.load": RESIDENT,
    "ServiceState.load": RESIDENT,
    "ServiceState.pick_day": RESIDENT,
    "ServiceState.ask": RESIDENT,
    "ServiceState.close_dialog": RESIDENT,
    "ServiceState.dialog_change": RESIDENT,
    "ServiceState.confirm_book": RESIDENT,
    "ServiceState.confirm_wait": RESIDENT,
    "ServiceState.toggle_time": RESIDENT,
    "ServiceState.add_photos": RESIDENT,
    "ServiceState.photos_rejected": RESIDENT,
    "ServiceState.remove_photo": RESIDENT,
    "ServiceState.submit_request": RESIDENT,
    "BookingState.load": RESIDENT,
    "BookingState.open_cancel": RESIDENT,
    "BookingState.cancel_change": RESIDENT,
    "BookingState.close_cancel": RESIDENT,
    "BookingState.confirm_cancel": RESIDENT,
    "BookingState.set_rating": RESIDENT,
    "BookingState.submit_rating": RESIDENT,
    "HomeState.load": RESIDENT,  # 首页: the next booking (取消) and stars for the last visit
    "HomeState.open_cancel": RESIDENT,
    "HomeState.cancel_change": RESIDENT,
    "HomeState.confirm_cancel": RESIDENT,
    "HomeState.set_rating": RESIDENT,
    "HomeState.submit_rating": RESIDENT,
    "BookingsState.load": RESIDENT,
    "BookingsState.set_tab": RESIDENT,
    "BookingsState.show_more_past": RESIDENT,
    "BookingsState.leave_wait": RESIDENT,
    # staff
    "StaffHomeState.load": STAFF,
    "StaffAccountsState.load": STAFF,
    "HotlineState.load": ANYONE,  # the community's phone: public (the sign-in page shows it)
    "CommunitySettingsState.load": STAFF,
    "CommunitySettingsState.save": STAFF,
    "StaffAccountsState.pick_compound": STAFF,
    "StaffAccountsState.create_account": STAFF,
    "StaffAccountsState.search": STAFF,
    "StaffAccountsState.start_reset": STAFF,
    "StaffAccountsState.cancel_reset": STAFF,
    "StaffAccountsState.confirm_reset": STAFF,
    "StaffQueueState.load": STAFF,
    "StaffQueueState.set_filter": STAFF,
    "StaffQueueState.clear_filters": STAFF,
    "StaffQueueState.next_page": STAFF,
    "StaffQueueState.prev_page": STAFF,
    "StaffQueueState.toggle": STAFF,
    "StaffQueueState.toggle_all": STAFF,
    "StaffQueueState.open_bulk": STAFF,
    "StaffQueueState.close_bulk": STAFF,
    "StaffQueueState.confirm_bulk": STAFF,
    "StaffQueueState.approve": STAFF,
    "StaffQueueState.open_dialog": STAFF,
    "StaffQueueState.close_dialog": STAFF,
    "StaffQueueState.dialog_open_change": STAFF,
    "StaffQueueState.submit_decline": STAFF,
    "StaffQueueState.submit_assign": STAFF,
    "StaffQueueState.submit_done": STAFF,
    "StaffQueueState.confirm_noshow": STAFF,
    "StaffQueueState.submit_cancel": STAFF,
    "StaffQueueState.show_detail": STAFF,
    "StaffQueueState.detail_open_change": STAFF,
    "StaffDaySheetState.load": STAFF,
    "StaffDaySheetState.attended": STAFF,
    "StaffDaySheetState.ask_noshow": STAFF,
    "StaffDaySheetState.noshow_open_change": STAFF,
    "StaffDaySheetState.confirm_noshow": STAFF,
    "StaffDaySheetState.ask_unwait": STAFF,
    "StaffDaySheetState.unwait_open_change": STAFF,
    "StaffDaySheetState.confirm_unwait": STAFF,
    "StaffDaySheetState.open_walk_in": STAFF,
    "StaffDaySheetState.walk_open_change": STAFF,
    "StaffDaySheetState.walk_search": STAFF,
    "StaffDaySheetState.walk_pick": STAFF,
    "StaffDaySheetState.walk_unpick": STAFF,
    "StaffDaySheetState.confirm_walk_in": STAFF,
    "StaffDaySheetState.print_sheet": STAFF,
    "StaffDaysState.load": STAFF,
    "StaffDaysState.set_type": STAFF,
    "StaffDaysState.set_range": STAFF,
    "StaffDaysState.open_dialog": STAFF,
    "StaffDaysState.dialog_open_change": STAFF,
    "StaffDaysState.close_dialog": STAFF,
    "StaffDaysState.confirm_cancel": STAFF,
    "StaffDaysState.confirm_move": STAFF,
    "StaffCatalogueState.load": STAFF,
    "StaffCatalogueState.new_type": STAFF,
    "StaffCatalogueState.edit_type": STAFF,
    "StaffCatalogueState.edit_open_change": STAFF,
    "StaffCatalogueState.save_type": STAFF,
    "StaffCatalogueState.ask_toggle": STAFF,
    "StaffCatalogueState.toggle_open_change": STAFF,
    "StaffCatalogueState.confirm_toggle": STAFF,
    "StaffCatalogueState.open_schedules": STAFF,
    "StaffCatalogueState.schedules_open_change": STAFF,
    "StaffCatalogueState.new_schedule": STAFF,
    "StaffCatalogueState.edit_schedule": STAFF,
    "StaffCatalogueState.set_sched_mode": STAFF,
    "StaffCatalogueState.cancel_schedule_form": STAFF,
    "StaffCatalogueState.save_schedule": STAFF,
    "StaffCatalogueState.generate_days": STAFF,
    "StaffBookState.load": STAFF,
    "StaffBookState.search": STAFF,
    "StaffBookState.pick_resident": STAFF,
    "StaffBookState.change_resident": STAFF,
    "StaffBookState.pick_type": STAFF,
    "StaffBookState.pick_day": STAFF,
    "StaffBookState.pick_slot": STAFF,
    "StaffBookState.book_slot": STAFF,
    "StaffBookState.submit_request": STAFF,
    # the assigned volunteer (bookings), 课堂 (issue 9)
    "BookingState.confirm_done": RESIDENT,
    "BookingState.done_change": RESIDENT,
    "BookingState.open_done": RESIDENT,
    "ClassesState.load": RESIDENT,
    "ClassesState.pick": RESIDENT,
    "CourseState.ask_withdraw": RESIDENT,
    "CourseState.check_in": RESIDENT,
    "CourseState.close_confirm": RESIDENT,
    "CourseState.confirm_withdraw": RESIDENT,
    "CourseState.decide": RESIDENT,
    "CourseState.enrol": RESIDENT,
    "CourseState.load": RESIDENT,
    "CourseState.post": RESIDENT,
    "CourseState.request": RESIDENT,
    "CourseState.unpost": RESIDENT,
    "CourseState.wait": RESIDENT,
    "MyClassesState.load": RESIDENT,
    "RollState.ask_rest": SIGNED_IN,
    "RollState.close_rest": SIGNED_IN,
    "RollState.confirm_rest": SIGNED_IN,
    "RollState.load": SIGNED_IN,
    "RollState.toggle": SIGNED_IN,
    "StaffClassesState.clear_filters": STAFF,
    "StaffClassesState.close_bulk": STAFF,
    "StaffClassesState.confirm_bulk": STAFF,
    "StaffClassesState.load": STAFF,
    "StaffClassesState.load_list": STAFF,
    "StaffClassesState.next_page": STAFF,
    "StaffClassesState.open_bulk": STAFF,
    "StaffClassesState.prev_page": STAFF,
    "StaffClassesState.save_settings": STAFF,
    "StaffClassesState.set_filter": STAFF,
    "StaffClassesState.toggle": STAFF,
    "StaffClassesState.toggle_all": STAFF,
    "StaffCourseState.add_single": STAFF,
    "StaffCourseState.add_weekly": STAFF,
    "StaffCourseState.ask_cancel": STAFF,
    "StaffCourseState.ask_close": STAFF,
    "StaffCourseState.cancel_session": STAFF,
    "StaffCourseState.keep_open": STAFF,
    "StaffCourseState.keep_session": STAFF,
    "StaffCourseState.load": STAFF,
    "StaffCourseState.save": STAFF,
    "StaffCourseState.save_shares": STAFF,
    "StaffCourseState.set_active": STAFF,
    "StaffCourseState.set_value": STAFF,
    "StaffCourseState.toggle_share": STAFF,
    "StaffCourseState.toggle_weekday": STAFF,
    "StaffEnrolmentsState.ask_remove": STAFF,
    "StaffEnrolmentsState.change_person": STAFF,
    "StaffEnrolmentsState.clear_filters": STAFF,
    "StaffEnrolmentsState.close_bulk": STAFF,
    "StaffEnrolmentsState.confirm_bulk": STAFF,
    "StaffEnrolmentsState.confirm_remove": STAFF,
    "StaffEnrolmentsState.decide": STAFF,
    "StaffEnrolmentsState.enrol_for": STAFF,
    "StaffEnrolmentsState.keep": STAFF,
    "StaffEnrolmentsState.load": STAFF,
    "StaffEnrolmentsState.load_list": STAFF,
    "StaffEnrolmentsState.next_page": STAFF,
    "StaffEnrolmentsState.open_bulk": STAFF,
    "StaffEnrolmentsState.pick": STAFF,
    "StaffEnrolmentsState.pick_course": STAFF,
    "StaffEnrolmentsState.prev_page": STAFF,
    "StaffEnrolmentsState.search": STAFF,
    "StaffEnrolmentsState.set_filter": STAFF,
    "StaffEnrolmentsState.toggle": STAFF,
    "StaffEnrolmentsState.toggle_all": STAFF,
    "StaffHouseholdState.add_member": STAFF,
    "StaffHouseholdState.load": STAFF,
    "StaffHouseholdState.pick": STAFF,
    "StaffHouseholdState.search": STAFF,
    "StaffHouseholdState.set_birth": STAFF,
    "StaffQueueState.load_list": STAFF,
    # 调解与议事 (issue 10)
    "CaseState.add_photos": SIGNED_IN,
    "CaseState.close_form": SIGNED_IN,
    "CaseState.load": SIGNED_IN,
    "CaseState.open_form": SIGNED_IN,
    "CaseState.photos_rejected": SIGNED_IN,
    "CaseState.remove_photo": SIGNED_IN,
    "CaseState.submit_private": SIGNED_IN,
    "CaseState.submit_reopen": SIGNED_IN,
    "CaseState.submit_statement": SIGNED_IN,
    "FileCaseState.add_photos": RESIDENT,
    "FileCaseState.find": RESIDENT,
    "FileCaseState.load": RESIDENT,
    "FileCaseState.photos_rejected": RESIDENT,
    "FileCaseState.pick": RESIDENT,
    "FileCaseState.pick_category": RESIDENT,
    "FileCaseState.remove_photo": RESIDENT,
    "FileCaseState.set_address_part": RESIDENT,
    "FileCaseState.set_compound": RESIDENT,
    "FileCaseState.set_consent": RESIDENT,
    "FileCaseState.set_party_mode": RESIDENT,
    "FileCaseState.set_privacy": RESIDENT,
    "FileCaseState.submit": RESIDENT,
    "FileCaseState.toggle_time": RESIDENT,
    "MyCasesState.load": RESIDENT,
    "NewTopicState.load": SIGNED_IN,
    "NewTopicState.set_compound": SIGNED_IN,
    "NewTopicState.submit": SIGNED_IN,
    "NumbersState.load": STAFF,
    "StaffBoardState.clear_filters": STAFF,
    "StaffBoardState.close_bulk": STAFF,
    "StaffBoardState.close_settings": STAFF,
    "StaffBoardState.confirm_bulk": STAFF,
    "StaffBoardState.load_list": STAFF,
    "StaffBoardState.next_page": STAFF,
    "StaffBoardState.open_bulk": STAFF,
    "StaffBoardState.open_settings": STAFF,
    "StaffBoardState.prev_page": STAFF,
    "StaffBoardState.save_settings": STAFF,
    "StaffBoardState.set_filter": STAFF,
    "StaffBoardState.settings_change": STAFF,
    "StaffBoardState.toggle": STAFF,
    "StaffBoardState.toggle_all": STAFF,
    "StaffCaseState.assign": STAFF,
    "StaffCaseState.cancel_session": STAFF,
    "StaffCaseState.choose_slot": STAFF,
    "StaffCaseState.close_case": STAFF,
    "StaffCaseState.close_dialog": STAFF,
    "StaffCaseState.load": STAFF,
    "StaffCaseState.open_dialog": STAFF,
    "StaffCaseState.plan_followup": STAFF,
    "StaffCaseState.post_update": STAFF,
    "StaffCaseState.record_followup": STAFF,
    "StaffCaseState.record_session": STAFF,
    "StaffCaseState.reopen": STAFF,
    "StaffCaseState.save_outcome": STAFF,
    "StaffCaseState.schedule": STAFF,
    "StaffCaseState.set_visibility": STAFF,
    "StaffFileState.add_photos": STAFF,
    "StaffFileState.load": STAFF,
    "StaffFileState.photos_rejected": STAFF,
    "StaffFileState.pick": STAFF,
    "StaffFileState.remove_photo": STAFF,
    "StaffFileState.search": STAFF,
    "StaffFileState.set_category": STAFF,
    "StaffFileState.set_channel": STAFF,
    "StaffFileState.set_consent": STAFF,
    "StaffFileState.set_mode": STAFF,
    "StaffFileState.set_privacy": STAFF,
    "StaffFileState.set_typed": STAFF,
    "StaffFileState.submit": STAFF,
    "StaffFileState.unpick": STAFF,
    "TopicState.close_decide": SIGNED_IN,
    "TopicState.load": SIGNED_IN,
    "TopicState.open_decide": SIGNED_IN,
    "TopicState.submit_comment": SIGNED_IN,
    "TopicState.submit_decision": SIGNED_IN,
    "TopicState.vote": SIGNED_IN,
    "TopicsState.load": SIGNED_IN,
    # 台账、网格、诉求、通知、角色 (issue 11)
    "AuditState.clear_filters": STAFF,
    "AuditState.close_bulk": STAFF,
    "AuditState.confirm_bulk": STAFF,
    "AuditState.load": STAFF,
    "AuditState.load_list": STAFF,
    "AuditState.next_page": STAFF,
    "AuditState.open_bulk": STAFF,
    "AuditState.prev_page": STAFF,
    "AuditState.set_filter": STAFF,
    "AuditState.toggle": STAFF,
    "AuditState.toggle_all": STAFF,
    "GridsState.assign": STAFF,
    "GridsState.close_dialog": STAFF,
    "GridsState.load": STAFF,
    "GridsState.open_dialog": STAFF,
    "GridsState.set_pick": STAFF,
    "GridsState.submit": STAFF,
    "HouseholdState.close_dialog": STAFF,
    "HouseholdState.load": STAFF,
    "HouseholdState.open_dialog": STAFF,
    "HouseholdState.pick_diary_kind": STAFF,
    "HouseholdState.pick_diary_person": STAFF,
    "HouseholdState.submit_care": STAFF,
    "HouseholdState.submit_diary": STAFF,
    "HouseholdState.submit_member": STAFF,
    "HouseholdState.submit_move": STAFF,
    "HouseholdState.toggle_care": STAFF,
    "ImportState.commit": STAFF,
    "ImportState.rejected": STAFF,
    "ImportState.reset_form": STAFF,
    "ImportState.set_skip_bad": STAFF,
    "ImportState.template": STAFF,
    "ImportState.upload": STAFF,
    "MyRequestsState.load": RESIDENT,
    "RegisterListState.clear_filters": STAFF,
    "RegisterListState.close_add": STAFF,
    "RegisterListState.close_bulk": STAFF,
    "RegisterListState.confirm_bulk": STAFF,
    "RegisterListState.export": STAFF,
    "RegisterListState.load": STAFF,
    "RegisterListState.load_list": STAFF,
    "RegisterListState.next_page": STAFF,
    "RegisterListState.open_add": STAFF,
    "RegisterListState.open_bulk": STAFF,
    "RegisterListState.pick_add_compound": STAFF,
    "RegisterListState.prev_page": STAFF,
    "RegisterListState.set_filter": STAFF,
    "RegisterListState.submit_add": STAFF,
    "RegisterListState.toggle": STAFF,
    "RegisterListState.toggle_add_care": STAFF,
    "RegisterListState.toggle_all": STAFF,
    "ReportState.add_photos": RESIDENT,
    "ReportState.photos_rejected": RESIDENT,
    "ReportState.remove_photo": RESIDENT,
    "ReportState.set_category": RESIDENT,
    "ReportState.set_kind": RESIDENT,
    "ReportState.set_urgent": RESIDENT,
    "ReportState.start": RESIDENT,
    "ReportState.submit": RESIDENT,
    "RequestState.load": RESIDENT,
    "RequestState.set_rating": RESIDENT,
    "RequestState.submit_rating": RESIDENT,
    "ResidentNoticesState.load": RESIDENT,
    "ResidentNoticesState.open_one": RESIDENT,
    "RolesState.add": STAFF,
    "RolesState.ask_remove": STAFF,
    "RolesState.cancel_remove": STAFF,
    "RolesState.load": STAFF,
    "RolesState.pick_community": STAFF,
    "RolesState.remove": STAFF,
    "RolesState.set_grid": STAFF,
    "RolesState.toggle": STAFF,
    "StaffHomeState.pick_grid": STAFF,
    "StaffHomeState.pick_month": STAFF,
    "StaffNoticesState.ask_withdraw": STAFF,
    "StaffNoticesState.cancel_withdraw": STAFF,
    "StaffNoticesState.close_form": STAFF,
    "StaffNoticesState.load": STAFF,
    "StaffNoticesState.open_form": STAFF,
    "StaffNoticesState.publish": STAFF,
    "StaffNoticesState.reload": STAFF,
    "StaffNoticesState.toggle_care": STAFF,
    "StaffNoticesState.toggle_grid": STAFF,
    "StaffNoticesState.withdraw": STAFF,
    "StaffRequestState.assign": STAFF,
    "StaffRequestState.cancel_close": STAFF,
    "StaffRequestState.close": STAFF,
    "StaffRequestState.internal": STAFF,
    "StaffRequestState.load": STAFF,
    "StaffRequestState.open_close": STAFF,
    "StaffRequestState.pick_step": STAFF,
    "StaffRequestState.reply": STAFF,
    "StaffRequestState.triage": STAFF,
    "StaffRequestsState.clear_filters": STAFF,
    "StaffRequestsState.close_bulk": STAFF,
    "StaffRequestsState.close_hotline": STAFF,
    "StaffRequestsState.confirm_bulk": STAFF,
    "StaffRequestsState.find_caller": STAFF,
    "StaffRequestsState.load": STAFF,
    "StaffRequestsState.load_list": STAFF,
    "StaffRequestsState.next_page": STAFF,
    "StaffRequestsState.open_bulk": STAFF,
    "StaffRequestsState.open_hotline": STAFF,
    "StaffRequestsState.pick_caller": STAFF,
    "StaffRequestsState.prev_page": STAFF,
    "StaffRequestsState.set_filter": STAFF,
    "StaffRequestsState.set_hotline": STAFF,
    "StaffRequestsState.submit_hotline": STAFF,
    "StaffRequestsState.toggle": STAFF,
    "StaffRequestsState.toggle_all": STAFF,
    "UrgentState.poll": STAFF,
    # 志愿、积分、爱心积分超市 (issue 8); VolPublishState and VolTeamState serve team leaders (residents): the services check leadership
    "StaffVolActivitiesState.add_row": STAFF,
    "StaffVolActivitiesState.ask_cancel": STAFF,
    "StaffVolActivitiesState.clear_filters": STAFF,
    "StaffVolActivitiesState.close_bulk": STAFF,
    "StaffVolActivitiesState.close_cancel": STAFF,
    "StaffVolActivitiesState.close_publish": STAFF,
    "StaffVolActivitiesState.confirm_bulk": STAFF,
    "StaffVolActivitiesState.load": STAFF,
    "StaffVolActivitiesState.load_list": STAFF,
    "StaffVolActivitiesState.next_page": STAFF,
    "StaffVolActivitiesState.open_bulk": STAFF,
    "StaffVolActivitiesState.open_publish": STAFF,
    "StaffVolActivitiesState.prev_page": STAFF,
    "StaffVolActivitiesState.remove_row": STAFF,
    "StaffVolActivitiesState.set_filter": STAFF,
    "StaffVolActivitiesState.set_row": STAFF,
    "StaffVolActivitiesState.set_team": STAFF,
    "StaffVolActivitiesState.submit_cancel": STAFF,
    "StaffVolActivitiesState.submit_publish": STAFF,
    "StaffVolActivitiesState.toggle": STAFF,
    "StaffVolActivitiesState.toggle_all": STAFF,
    "StaffVolGoodsState.add_photo": STAFF,
    "StaffVolGoodsState.clear_filters": STAFF,
    "StaffVolGoodsState.close_bulk": STAFF,
    "StaffVolGoodsState.close_edit": STAFF,
    "StaffVolGoodsState.confirm_bulk": STAFF,
    "StaffVolGoodsState.load": STAFF,
    "StaffVolGoodsState.load_list": STAFF,
    "StaffVolGoodsState.next_page": STAFF,
    "StaffVolGoodsState.open_bulk": STAFF,
    "StaffVolGoodsState.open_edit": STAFF,
    "StaffVolGoodsState.open_new": STAFF,
    "StaffVolGoodsState.prev_page": STAFF,
    "StaffVolGoodsState.set_filter": STAFF,
    "StaffVolGoodsState.submit": STAFF,
    "StaffVolGoodsState.toggle": STAFF,
    "StaffVolGoodsState.toggle_all": STAFF,
    "StaffVolGoodsState.toggle_community": STAFF,
    "StaffVolHandoverState.ask_cancel": STAFF,
    "StaffVolHandoverState.clear_filters": STAFF,
    "StaffVolHandoverState.close_bulk": STAFF,
    "StaffVolHandoverState.close_cancel": STAFF,
    "StaffVolHandoverState.confirm_bulk": STAFF,
    "StaffVolHandoverState.find": STAFF,
    "StaffVolHandoverState.hand_over": STAFF,
    "StaffVolHandoverState.load": STAFF,
    "StaffVolHandoverState.load_list": STAFF,
    "StaffVolHandoverState.next_page": STAFF,
    "StaffVolHandoverState.open_bulk": STAFF,
    "StaffVolHandoverState.prev_page": STAFF,
    "StaffVolHandoverState.set_filter": STAFF,
    "StaffVolHandoverState.submit_cancel": STAFF,
    "StaffVolHandoverState.toggle": STAFF,
    "StaffVolHandoverState.toggle_all": STAFF,
    "StaffVolLedgerState.clear_filters": STAFF,
    "StaffVolLedgerState.close_adjust": STAFF,
    "StaffVolLedgerState.close_bulk": STAFF,
    "StaffVolLedgerState.confirm_bulk": STAFF,
    "StaffVolLedgerState.load": STAFF,
    "StaffVolLedgerState.load_list": STAFF,
    "StaffVolLedgerState.next_page": STAFF,
    "StaffVolLedgerState.open_adjust": STAFF,
    "StaffVolLedgerState.open_bulk": STAFF,
    "StaffVolLedgerState.pick": STAFF,
    "StaffVolLedgerState.prev_page": STAFF,
    "StaffVolLedgerState.search": STAFF,
    "StaffVolLedgerState.set_filter": STAFF,
    "StaffVolLedgerState.submit_adjust": STAFF,
    "StaffVolLedgerState.toggle": STAFF,
    "StaffVolLedgerState.toggle_all": STAFF,
    "StaffVolTeamsState.add_picked": STAFF,
    "StaffVolTeamsState.clear_filters": STAFF,
    "StaffVolTeamsState.close_bulk": STAFF,
    "StaffVolTeamsState.close_create": STAFF,
    "StaffVolTeamsState.close_team": STAFF,
    "StaffVolTeamsState.confirm_bulk": STAFF,
    "StaffVolTeamsState.decide": STAFF,
    "StaffVolTeamsState.load": STAFF,
    "StaffVolTeamsState.load_list": STAFF,
    "StaffVolTeamsState.make_leader": STAFF,
    "StaffVolTeamsState.next_page": STAFF,
    "StaffVolTeamsState.open_bulk": STAFF,
    "StaffVolTeamsState.open_create": STAFF,
    "StaffVolTeamsState.open_team": STAFF,
    "StaffVolTeamsState.pick": STAFF,
    "StaffVolTeamsState.prev_page": STAFF,
    "StaffVolTeamsState.remove": STAFF,
    "StaffVolTeamsState.search": STAFF,
    "StaffVolTeamsState.set_filter": STAFF,
    "StaffVolTeamsState.submit_create": STAFF,
    "StaffVolTeamsState.toggle": STAFF,
    "StaffVolTeamsState.toggle_all": STAFF,
    "StaffVolVerifyState.absent": STAFF,
    "StaffVolVerifyState.clear_filters": STAFF,
    "StaffVolVerifyState.close_bulk": STAFF,
    "StaffVolVerifyState.close_shift": STAFF,
    "StaffVolVerifyState.confirm": STAFF,
    "StaffVolVerifyState.confirm_bulk": STAFF,
    "StaffVolVerifyState.credit": STAFF,
    "StaffVolVerifyState.load": STAFF,
    "StaffVolVerifyState.load_list": STAFF,
    "StaffVolVerifyState.next_page": STAFF,
    "StaffVolVerifyState.open_bulk": STAFF,
    "StaffVolVerifyState.open_shift": STAFF,
    "StaffVolVerifyState.pick": STAFF,
    "StaffVolVerifyState.prev_page": STAFF,
    "StaffVolVerifyState.search": STAFF,
    "StaffVolVerifyState.set_filter": STAFF,
    "StaffVolVerifyState.submit_makeup": STAFF,
    "StaffVolVerifyState.toggle": STAFF,
    "StaffVolVerifyState.toggle_all": STAFF,
    "StaffVolVisitsState.clear_filters": STAFF,
    "StaffVolVisitsState.close_bulk": STAFF,
    "StaffVolVisitsState.close_handle": STAFF,
    "StaffVolVisitsState.close_pair": STAFF,
    "StaffVolVisitsState.confirm_bulk": STAFF,
    "StaffVolVisitsState.end": STAFF,
    "StaffVolVisitsState.load": STAFF,
    "StaffVolVisitsState.load_list": STAFF,
    "StaffVolVisitsState.next_page": STAFF,
    "StaffVolVisitsState.open_bulk": STAFF,
    "StaffVolVisitsState.open_handle": STAFF,
    "StaffVolVisitsState.open_pair": STAFF,
    "StaffVolVisitsState.prev_page": STAFF,
    "StaffVolVisitsState.set_filter": STAFF,
    "StaffVolVisitsState.submit_handle": STAFF,
    "StaffVolVisitsState.submit_pair": STAFF,
    "StaffVolVisitsState.toggle": STAFF,
    "StaffVolVisitsState.toggle_all": STAFF,
    "VolHubState.ask": RESIDENT,
    "VolHubState.close": RESIDENT,
    "VolHubState.confirm": RESIDENT,
    "VolHubState.load": RESIDENT,
    "VolPassbookState.load": RESIDENT,
    "VolPassbookState.pick_year": RESIDENT,
    "VolPointsState.load": RESIDENT,
    "VolPointsState.more": RESIDENT,
    "VolPublishState.add_row": RESIDENT,
    "VolPublishState.load": RESIDENT,
    "VolPublishState.remove_row": RESIDENT,
    "VolPublishState.set_row": RESIDENT,
    "VolPublishState.set_team": RESIDENT,
    "VolPublishState.submit": RESIDENT,
    "VolRankingsState.load": RESIDENT,
    "VolRankingsState.pick": RESIDENT,
    "VolRedemptionsState.ask_cancel": RESIDENT,
    "VolRedemptionsState.close": RESIDENT,
    "VolRedemptionsState.confirm_cancel": RESIDENT,
    "VolRedemptionsState.load": RESIDENT,
    "VolShiftState.close_confirm": RESIDENT,
    "VolShiftState.close_withdraw": RESIDENT,
    "VolShiftState.join_wait": RESIDENT,
    "VolShiftState.load": RESIDENT,
    "VolShiftState.mark_absent": RESIDENT,
    "VolShiftState.open_confirm": RESIDENT,
    "VolShiftState.open_withdraw": RESIDENT,
    "VolShiftState.show_code": RESIDENT,
    "VolShiftState.sign_up": RESIDENT,
    "VolShiftState.submit_confirm": RESIDENT,
    "VolShiftState.use_code": RESIDENT,
    "VolShiftState.withdraw": RESIDENT,
    "VolShopState.ask": RESIDENT,
    "VolShopState.close": RESIDENT,
    "VolShopState.close_done": RESIDENT,
    "VolShopState.confirm": RESIDENT,
    "VolShopState.load": RESIDENT,
    "VolTaskState.close_done": RESIDENT,
    "VolTaskState.load": RESIDENT,
    "VolTaskState.start_done": RESIDENT,
    "VolTaskState.submit_done": RESIDENT,
    "VolTasksState.load": RESIDENT,
    "VolTeamState.apply": RESIDENT,
    "VolTeamState.approve": RESIDENT,
    "VolTeamState.close_leave": RESIDENT,
    "VolTeamState.decline": RESIDENT,
    "VolTeamState.leave": RESIDENT,
    "VolTeamState.load": RESIDENT,
    "VolTeamState.open_leave": RESIDENT,
    "VolTeamsState.ask": RESIDENT,
    "VolTeamsState.close": RESIDENT,
    "VolTeamsState.load": RESIDENT,
    "VolTeamsState.submit": RESIDENT,
    "VolVisitsState.close": RESIDENT,
    "VolVisitsState.load": RESIDENT,
    "VolVisitsState.open_log": RESIDENT,
    "VolVisitsState.pick_wellbeing": RESIDENT,
    "VolVisitsState.submit": RESIDENT,
}


def _all_states(root=rx.State):
    for cls in root.get_substates():
        yield cls
        yield from _all_states(cls)


def all_handlers() -> dict[str, tuple[type, object]]:
    found = {}
    for cls in _all_states():
        for name, handler in cls.event_handlers.items():
            key = handler.fn.__qualname__
            found.setdefault(key if name != "setvar" else "EventHandlerSetVar.setvar", (cls, handler))
    return found


def test_every_handler_has_a_row():
    handlers = all_handlers()
    missing = sorted(set(handlers) - set(PERMISSIONS))
    assert missing == [], ("event handlers without a row in PERMISSIONS (who may call them?): "
                           + ", ".join(missing))
    stale = sorted(set(PERMISSIONS) - set(handlers))
    assert stale == [], f"rows for handlers that no longer exist: {stale}"
    assert set(PERMISSIONS.values()) <= {ANYONE, SIGNED_IN, RESIDENT, STAFF}
    assert len(handlers) >= 130


# Arguments a hostile browser might send, by parameter name: ids of things that exist (the
# world's bookings, slots, days, accounts), a filled form, flags.
FORM = {
    "name": "冒充的人", "mobile": "13611112222", "password": "long enough password", "password2": "long enough password",
    "new_password": "hijacked password 1", "new_password2": "hijacked password 1", "actor_password": "guess guess",
    "current_password": "guess guess", "code": "123456", "reason": "恶意", "note": "恶意", "description": "恶意请求",
    "comment": "差评", "rating": "1", "q": "1", "building": "1", "room": "1", "unit": "1", "address": "某处",
    "assignee": "1", "team": "1", "new_day": "2030-01-01", "places": "99", "capacity": "99",
}


def _arg(name: str):
    if name == "form":
        return dict(FORM)
    if name in ("files", "rejected"):
        return []
    if name == "vars":
        return {}
    if name in ("on", "is_open", "open_"):
        return True
    return "1"


def _run(handler, state, *args):
    """Run a handler as Reflex would: plain, generator, async generator or coroutine."""
    if inspect.iscoroutinefunction(handler.fn):
        import asyncio
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, handler.fn(state, *args)).result()
    return _run_gen(handler, state, *args)


def _state(cls, token: str):
    chain = []
    parent = cls
    while parent is not None:
        chain.append(parent)
        parent = parent.get_parent_state()
    state = None
    for klass in reversed(chain):
        state = klass(parent_state=state, init_substates=False) if state is not None else klass(init_substates=False)
    state.router = RouterData.from_router_data({"headers": {"cookie": f"{SESSION_COOKIE}={token}"}})
    for name, f in type(state).__fields__.items():  # whatever a dialog would have chosen first
        if f._owner is type(state) and name.endswith("_id") and isinstance(getattr(state, name, None), str):
            setattr(state, name, "1")
    if "selected" in type(state).__fields__:
        state.selected = ["1", "2", "3"]
    return state


def test_calling_a_handler_below_its_row_changes_nothing(db, world):
    stype = request_type(db, world.staff)
    pending = [booking.request_service(db, world.resident2, service_type_id=stype.id, description=f"下水道堵了 {i}").id
               for i in range(3)]
    slots = make_day(db, slot_type(db, world.staff), places=1)[1]
    booking.book_slot(db, world.resident2, slot_id=slots[0].id)
    tokens = {"anonymous": "", "resident": auth.sign_in(db, mobile="13800000001", password=world.password)}
    db.commit()
    assert pending
    calls, changed, errors = 0, [], []
    handlers = all_handlers()
    for key, role in sorted(PERMISSIONS.items()):
        if key not in handlers:
            continue
        cls, handler = handlers[key]
        params = list(inspect.signature(handler.fn).parameters)[1:]
        for who in LOWER[role]:
            before = fingerprint()
            state = _state(cls, tokens[who])
            try:
                _run(handler, state, *[_arg(p) for p in params])
            except Exception as exc:  # noqa: BLE001 - reported below with the handler's name
                errors.append(f"{key} as {who}: {type(exc).__name__}: {exc}"[:200])
            db.expire_all()
            calls += 1
            if fingerprint() != before:
                changed.append(f"{key} as {who}")
    print(f"\npermission matrix: {len(handlers)} handlers, {calls} calls below their row")
    assert changed == [], f"handlers that changed the database when called below their row: {changed}"
    assert errors == [], errors

    # The positive control: the same harness, at the row's own level, does change things.
    from community_app.state.bookings.staff_queue import StaffQueueState

    staff = _state(StaffQueueState, auth.sign_in(db, mobile="13900000001", password=world.password))
    db.commit()
    before = fingerprint()
    _run(StaffQueueState.approve, staff, str(pending[0]))
    assert fingerprint() != before
