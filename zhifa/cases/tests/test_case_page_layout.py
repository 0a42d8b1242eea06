"""The case page (issue #15 item 4): a stage stepper, the next action always in sight, tabs
(概况、证据、笔录与文书、全过程记录、公示与救济) and the documents one click away."""

from zhifa.accounts.testing import VerifiedClient


def test_stepper_tabs_and_next_action(world, open_general):
    case = open_general()
    client = VerifiedClient()
    client.force_login(world.unit_head)
    response = client.get(case.get_absolute_url())
    html = response.content.decode()
    steps = response.context["steps"]
    assert [s["state"] for s in steps][:2] == ["current", "todo"] and steps[0]["name"] == "线索登记"
    assert '<li class="step current" aria-current="step"><span>线索登记</span></li>' in html
    for label in ("概况", "证据（0）", "笔录与文书（", "全过程记录", "公示与救济"):
        assert label in html
    for tab in ("overview", "evidence", "records", "timeline", "remedies"):
        assert f'id="tab-{tab}"' in html and f'data-tab="{tab}"' in html
    # the head may approve the filing now: the step stays in sight
    assert response.context["next_ready"]["code"] == "file"
    assert 'class="next-sticky" href="#next">下一步：' in html
    assert 'href="#tab-records" data-tab-link="records">执法文书（' in html
    assert "/static/cases/case_tabs.js" in html
    client.force_login(world.officer_user)  # the officer cannot approve: no sticky step
    assert client.get(case.get_absolute_url()).context["next_ready"] is None
