"""The legal review opinion and the review page state every proposed penalty, with labels, never
codes (issue #9 items 1 and 4)."""

import datetime
import io

from docx import Document

from zhifa.cases import services as case_services
from zhifa.cases.tests.test_procedure import _investigate
from zhifa.catalog import choices as cc
from zhifa.records.services import open_stored
from zhifa.review import choices, services

from .test_services import findings

D = datetime.date


def test_opinion_and_review_page_state_every_penalty_with_labels(rw, world, open_general, client, fixed_today):
    fixed_today(D(2026, 11, 2))
    case = open_general()
    _investigate(world, case)
    case_services.set_discretion(case, actor=world.officer_user, level=cc.ORDINARY,
                                 penalty_kinds=[cc.FINE, cc.CONFISCATE_GAINS], fine_amount=70000,
                                 confiscation_amount=3000, reasoning="违法持续时间长。", deviation_reason="经负责人批准。")
    case_services.perform_transition(case, "propose", actor=world.officer_user)
    review = services.submit_for_review(case, world.officer_user)
    lines = ["一、罚款人民币柒万元整（¥70,000.00）", "二、没收违法所得人民币叁仟元整（¥3,000.00）", "违法情节：情节一般"]
    assert services.proposed_lines(review.package["proposed"]) == lines

    client.force_login(rw.reviewer)
    page = client.get(review.get_absolute_url()).content.decode()
    for line in lines:
        assert line in page
    assert "（ordinary）" not in page and "ordinary" not in page

    review = services.assign_reviewer(review, rw.reviewer, rw.reviewer)
    review = services.record_opinion(review, rw.reviewer, findings(), choices.AGREE)
    with open_stored(review.opinion_docx) as handle:
        text = "\n".join(p.text for p in Document(io.BytesIO(handle.read())).paragraphs)
    for line in lines:
        assert line in text


def test_a_package_submitted_before_itemised_penalties_still_reads_in_words():
    assert services.proposed_lines({"outcome": "penalty", "penalty_kinds": ["罚款"], "fine_amount": "5000.00",
                                    "discretion_level": "serious"}) == ["罚款：罚款5,000.00元", "违法情节：情节较重"]
    assert services.proposed_lines({"outcome": "no_penalty", "discretion_level": "minor"})[0] == "不予行政处罚"
