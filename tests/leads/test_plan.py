"""The list mode's pure rules: the next lead, the next allowed time, what an outcome does, a callback time
and a misheard outcome."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from assistant.calllog.followups import read_callback
from assistant.compliance import Rules
from assistant.leads.plan import MAX_ATTEMPTS, after_call, closest_disposition, next_allowed, next_lead
from assistant.models import Lead, LeadStatus

NY = ZoneInfo("America/New_York")
DENVER = ZoneInfo("America/Denver")
FRIDAY = datetime(2026, 11, 27, 7, 0, tzinfo=NY)


def lead(i: int, **kw) -> Lead:
    values = {
        "list_name": "L",
        "key": str(i),
        "name": f"Lead {i}",
        "number": "+12125550100",
        "id": i,
        "position": i,
    }
    return Lead(**{**values, **kw})


def test_due_callbacks_come_first_then_the_queue_in_order_skipping_what_was_offered():
    leads = [
        lead(1),
        lead(2, status=LeadStatus.CALLBACK, due_at=FRIDAY + timedelta(hours=1)),  # not due yet
        lead(3, status=LeadStatus.CALLBACK, due_at=FRIDAY - timedelta(minutes=5)),
        lead(4, due_at=FRIDAY + timedelta(hours=2)),  # deferred
        lead(5),
    ]
    assert next_lead(leads, FRIDAY, offered=set()) == leads[2]
    assert next_lead(leads[:2] + leads[3:], FRIDAY, offered={1}) == leads[4]
    assert next_lead([leads[1], leads[3]], FRIDAY, offered=set()) is None


def test_the_next_allowed_time_is_the_window_start_in_the_leads_zone_or_after_a_closed_day():
    rules = Rules.from_settings("08:00-21:00", {"sat": "", "sun": "10:00-16:00"}, "ask", ["US"])
    denver = lead(1, number="+13035550114", timezone="America/Denver")
    assert next_allowed(None, denver, FRIDAY, rules) == datetime(2026, 11, 27, 8, 0, tzinfo=DENVER)
    friday_night = datetime(2026, 11, 27, 23, 30, tzinfo=DENVER)  # Saturday is closed: Sunday at ten
    assert next_allowed(None, denver, friday_night, rules) == datetime(2026, 11, 29, 10, 0, tzinfo=DENVER)
    closed = Rules({i: None for i in range(7)}, "ask", ("US",))
    assert next_allowed(None, denver, FRIDAY, closed) is None


def test_what_each_outcome_does_to_the_lead():
    now = FRIDAY
    assert after_call("meeting booked", lead(1), now) == (LeadStatus.DONE, None, "")
    assert after_call("wrong number", lead(1), now) == (LeadStatus.REMOVED, None, "wrong number")
    status, due, _ = after_call("busy", lead(1, attempts=1), now)
    assert status == LeadStatus.PENDING and due == now + timedelta(hours=1)
    assert after_call("no answer", lead(1, attempts=MAX_ATTEMPTS), now)[0] == LeadStatus.DONE
    assert after_call("call back", lead(1), now)[0] == LeadStatus.CALLBACK


def test_a_callback_time_is_read_in_the_leads_own_zone():
    now = datetime(2026, 11, 27, 11, 14, tzinfo=DENVER)
    assert read_callback("call her back tomorrow at ten", now) == datetime(2026, 11, 28, 10, 0, tzinfo=DENVER)
    assert read_callback("monday at 2pm", now) == datetime(2026, 11, 30, 14, 0, tzinfo=DENVER)
    assert read_callback("at two", now) == datetime(2026, 11, 27, 14, 0, tzinfo=DENVER)
    assert read_callback("friday at 3:30 pm", now).time() == time(15, 30)  # type: ignore[union-attr]
    assert read_callback("at ten", now) == datetime(2026, 11, 28, 10, 0, tzinfo=DENVER)  # ten has passed
    assert read_callback("banana", now) is None


def test_a_misheard_outcome_is_taken_only_when_it_is_clearly_one():
    assert closest_disposition("Meeting worked. Meeting worked.") == "meeting booked"
    assert closest_disposition("and art interested.") == "not interested"
    assert closest_disposition("left a voice mail") == "left voicemail"
    assert closest_disposition("she wants the pricing sheet") is None
    assert closest_disposition("stop the list") is None
