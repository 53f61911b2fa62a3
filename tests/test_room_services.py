"""Check-in services: one locked transaction per action, versions, idempotency, the clock."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from couples import services as couple_services
from practice import flow, services
from practice.flow.engine import BREAK_PAUSE_AFTER
from practice.models import CheckIn, Turn
from tests.factories import make_couple, make_user
from tests.flow_helpers import valid_data


def act(checkin, user, name, data=None, client_id=None):
    role = checkin.role_of(user)
    state = CheckIn.objects.get(pk=checkin.pk).state
    if data is None:
        data = valid_data(state, role, name)
    return services.checkin_act(
        checkin_id=checkin.pk,
        user=user,
        action=name,
        data=data,
        client_id=client_id or uuid.uuid4(),
    )


@pytest.mark.django_db
class TestStarting:
    def test_start_needs_a_partner(self):
        alex = make_user("alex@example.com", "Alex")
        with pytest.raises(services.CheckInError, match="paired"):
            services.checkin_start(user=alex)
        couple_services.couple_create(creator=alex)
        with pytest.raises(services.CheckInError, match="hasn't joined"):
            services.checkin_start(user=alex)

    def test_one_live_checkin_per_couple(self, couple):
        _, alex, sam = couple
        first = services.checkin_start(user=alex, agenda="weekly")
        with pytest.raises(services.CheckInError) as error:
            services.checkin_start(user=sam, agenda="listening")
        assert error.value.checkin == first

    def test_the_starter_is_partner_a(self, couple):
        _, alex, sam = couple
        checkin = services.checkin_start(user=sam, agenda="listening")
        assert checkin.role_of(sam) == "a"
        assert checkin.role_of(alex) == "b"
        assert checkin.version == 0
        assert len(checkin.token) >= 32

    def test_unknown_agenda_is_refused(self, couple):
        with pytest.raises(services.CheckInError):
            services.checkin_start(user=couple[1], agenda="karaoke")


@pytest.mark.django_db
class TestActing:
    def test_every_accepted_action_bumps_the_version_once_and_logs_one_turn(self, couple):
        _, alex, sam = couple
        checkin = services.checkin_start(user=alex, agenda="listening")
        assert isinstance(act(checkin, alex, "take_floor"), services.Accepted)
        refused = act(checkin, sam, "share")
        assert isinstance(refused, services.Refused)
        assert refused.refusal.code == flow.ErrorCode.NOT_YOUR_TURN
        assert isinstance(act(checkin, alex, "share", {"text": "hi"}), services.Accepted)
        checkin.refresh_from_db()
        assert checkin.version == 2
        turns = list(
            Turn.objects.filter(checkin=checkin).values_list("seq", "action", "role", "text")
        )
        assert turns == [(1, "take_floor", "a", ""), (2, "share", "a", "hi")]

    def test_same_client_id_is_applied_once(self, couple):
        _, alex, _ = couple
        checkin = services.checkin_start(user=alex, agenda="listening")
        cid = uuid.uuid4()
        first = act(checkin, alex, "take_floor", client_id=cid)
        second = act(checkin, alex, "take_floor", client_id=cid)
        assert first.version == second.version == 1
        assert second.duplicate
        assert Turn.objects.filter(checkin=checkin).count() == 1

    def test_an_outsider_or_former_partner_cannot_act(self, couple):
        _, alex, sam = couple
        checkin = services.checkin_start(user=alex, agenda="listening")
        eve = make_user("eve@example.com", "Eve")
        assert act(checkin, eve, "take_floor").refusal.code == flow.ErrorCode.FORBIDDEN
        couple_services.couple_leave(user=sam)
        assert act(checkin, alex, "take_floor").refusal.code == flow.ErrorCode.FORBIDDEN
        assert services.room_access(user=alex, token=checkin.token) is None

    def test_finishing_writes_the_summary(self, couple):
        _, alex, sam = couple
        checkin = services.checkin_start(user=alex, agenda="listening")
        act(checkin, alex, "take_floor")
        for speaker, listener in ((alex, sam), (sam, alex)):
            for name, who in (
                ("share", speaker),
                ("mirror", listener),
                ("confirm", speaker),
                ("heard", speaker),
                ("validate", listener),
                ("empathize", listener),
                ("pass_floor", speaker),
            ):
                assert isinstance(act(checkin, who, name), services.Accepted), name
        act(checkin, alex, "next")
        act(checkin, sam, "next")
        act(checkin, alex, "rate", {"rating": 4})
        act(checkin, sam, "rate", {"rating": 5})
        checkin.refresh_from_db()
        assert checkin.status == CheckIn.Status.FINISHED
        assert checkin.ended_at is not None
        assert checkin.summary["ratings"] == {"a": 4, "b": 5}
        assert checkin.summary["rounds"] == 2

    def test_last_weeks_commitments_are_asked_about_in_the_next_weekly_checkin(self, couple):
        _, alex, sam = couple
        checkin = services.checkin_start(user=alex, agenda="weekly")
        checkin.status = CheckIn.Status.FINISHED
        checkin.summary = {"commitments": {"a": "Walk together", "b": "Call mum"}}
        checkin.save()
        # Sam starts this time, so roles swap: commitments follow the person, not the role.
        following = services.checkin_start(user=sam, agenda="weekly")
        assert following.state["settings"]["last_commitments"] == {
            "a": "Call mum",
            "b": "Walk together",
        }


@pytest.mark.django_db
class TestClock:
    def test_a_day_long_break_pauses_the_checkin_and_resume_reopens_it(self, couple, monkeypatch):
        _, alex, sam = couple
        checkin = services.checkin_start(user=alex, agenda="listening")
        now = services.now_ts()
        monkeypatch.setattr(services, "now_ts", lambda: now)
        act(checkin, sam, "call_break")
        monkeypatch.setattr(services, "now_ts", lambda: now + BREAK_PAUSE_AFTER + 5)
        version, state = services.checkin_snapshot(checkin_id=checkin.pk)
        assert state["status"] == flow.PAUSED
        checkin.refresh_from_db()
        assert checkin.status == CheckIn.Status.PAUSED
        assert version == 2
        pause = Turn.objects.get(checkin=checkin, seq=2)
        assert (pause.action, pause.role, pause.author) == ("pause", "", None)
        result = services.checkin_reopen(user=alex, checkin=checkin)
        assert isinstance(result, services.Accepted)
        checkin.refresh_from_db()
        assert checkin.status == CheckIn.Status.ACTIVE

    def test_resuming_needs_no_other_live_checkin(self, couple, monkeypatch):
        _, alex, sam = couple
        paused = services.checkin_start(user=alex, agenda="listening")
        CheckIn.objects.filter(pk=paused.pk).update(status=CheckIn.Status.PAUSED)
        services.checkin_start(user=sam, agenda="weekly")
        with pytest.raises(services.CheckInError):
            services.checkin_reopen(user=alex, checkin=paused)


@pytest.mark.django_db(transaction=True)
def test_concurrent_actions_from_threads_are_serialised_by_the_row_lock():
    """Real concurrent transactions (one DB connection per thread), not one event loop."""
    couple, alex, sam = make_couple()
    couple.appreciations_per_checkin = 5
    couple.save()
    checkin = services.checkin_start(user=alex, agenda="weekly")
    for user in (alex, sam):
        act(checkin, user, "arrive", {"mood": 3, "connection": 3})
    for user in (alex, sam):
        act(checkin, user, "next")
    barrier = threading.Barrier(10)

    def appreciate(args):
        user, i = args
        barrier.wait()
        try:
            return services.checkin_act(
                checkin_id=checkin.pk,
                user=user,
                action="appreciate",
                data={"text": f"{user.display_name} {i}"},
                client_id=uuid.uuid4(),
            )
        finally:
            connection.close()

    jobs = [(user, i) for i in range(5) for user in (alex, sam)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(appreciate, jobs))
    assert all(isinstance(r, services.Accepted) for r in results)
    assert sorted(r.version for r in results) == list(range(5, 15))
    checkin.refresh_from_db()
    assert checkin.version == 14
    items = checkin.state["steps"]["appreciations"]["items"]
    assert len(items) == 10
    assert [i["id"] for i in items] == list(range(1, 11))
    seqs = list(Turn.objects.filter(checkin=checkin).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 15))


class TestVersionsProperty(HypothesisTestCase):
    """Random actions through the service: versions rise by one per accepted action, never else."""

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.lists(
            st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(sorted(flow.ACTIONS))),
            max_size=40,
        )
    )
    def test_versions_strictly_increase(self, moves):
        _, alex, sam = make_couple()
        checkin = services.checkin_start(user=alex, agenda="listening")
        users = {"a": alex, "b": sam}
        version = 0
        for role, name in moves:
            result = act(checkin, users[role], name)
            if isinstance(result, services.Accepted):
                assert result.version == version + 1
                version = result.version
            else:
                assert result.version == version
        checkin.refresh_from_db()
        assert checkin.version == version
        assert Turn.objects.filter(checkin=checkin).count() == version
