"""Broadcast collisions (HFCC practice), same-night launches and silent hours."""

from datetime import UTC, date, datetime, timedelta

from corridor.access import views
from corridor.access.rules import Actor, Role
from corridor.coalition.overlaps import (
    KST,
    Launch,
    RadioSlot,
    collisions_of,
    common_minutes,
    find_collisions,
    night_of,
    same_night_launches,
    silent_hours,
    unserved_provinces,
)


def slot(aid, org, khz, start, end, **kw):
    return RadioSlot(aid, org, khz, start * 60, end * 60, **kw)


def test_collision_needs_close_frequency_common_minutes_and_another_organisation():
    a = slot("a", 1, 7510, 13, 14)
    near = slot("b", 2, 7515, 13, 15)          # 5 kHz apart, overlapping hour
    far = slot("c", 2, 7525, 13, 14)           # 15 kHz apart
    later = slot("d", 2, 7510, 14, 15)         # adjacent hour, no overlap
    same_org = slot("e", 1, 7510, 13, 14)
    found = find_collisions([a, near, far, later, same_org])
    assert [(c.a.activity_id, c.b.activity_id) for c in found] == [("a", "b"), ("b", "e")]
    assert found[0].overlap_minutes_per_week == 7 * 60


def test_collision_respects_days_seasons_and_midnight():
    weekdays = slot("a", 1, 6000, 23, 1, days=frozenset({0, 1, 2, 3, 4}))
    sunday = slot("b", 2, 6000, 0, 1, days=frozenset({6}))
    # a's Friday broadcast runs past midnight UTC into Saturday 00:00–01:00, not Sunday.
    assert find_collisions([weekdays, sunday]) == []
    saturday = slot("c", 2, 6000, 0, 1, days=frozenset({5}))
    (c,) = find_collisions([weekdays, saturday])
    assert c.overlap_minutes_per_week == 60
    summer = slot("d", 2, 6000, 23, 1, valid_from=date(2025, 3, 30), valid_to=date(2025, 10, 25))
    winter = slot("e", 3, 6000, 23, 1, valid_from=date(2025, 10, 26), valid_to=date(2026, 3, 28))
    assert find_collisions([summer, winter]) == []


def test_collision_needs_a_common_target():
    north = slot("a", 1, 1000, 12, 13, provinces=frozenset({"Ryanggang"}))
    south = slot("b", 2, 1000, 12, 13, provinces=frozenset({"Kangwon"}))
    assert find_collisions([north, south]) == []


def test_private_details_stay_hidden():
    (c,) = find_collisions([slot("ours", 1, 9800, 12, 13), slot("theirs-secret", 2, 9805, 12, 13)])
    hidden = c.describe_for(1, shown=False, member_text=views.MEMBER_COLLIDES)
    assert hidden == "ours on 9800 kHz: a coalition member uses a slot that collides with yours"
    shown = c.describe_for(1, shown=True, member_text=views.MEMBER_COLLIDES)
    assert "theirs-secret" in shown and "5 kHz apart" in shown and "420 min a week" in shown


def test_collision_lines_follow_the_access_rules():
    """The reader's own saved slots only; another's private slot as one line with no number."""
    reader = Actor(user_id=1, roles={1: Role.VIEWER})
    mine = slot("ours", 1, 9800, 12, 13, visibility="private")
    secret = slot("secret-a", 2, 9800, 12, 13, visibility="private")
    secret_b = slot("secret-b", 3, 9802, 12, 14, visibility="aggregate")
    shared = slot("shared", 4, 9803, 12, 13, visibility="coalition")
    about = {"activity": "ours", "text": "ours: member"}
    detail = {"other_activity": "?", "minutes_per_week": 1, "frequency_gap_khz": 1, "text": "full"}
    lines = views.collision_lines(reader, [(mine, secret, about, detail), (mine, secret_b, about, detail),
                                           (mine, shared, about, detail),
                                           (secret, mine, {"activity": "secret-a"}, detail)])
    assert lines == [{"activity": "ours", "text": "ours: member", "other_activity": None, "shown": False},
                     {**about, **detail, "shown": True}]
    assert views.must_note_collision(1, secret) and views.must_note_collision(1, secret_b)
    assert not views.must_note_collision(1, shared) and not views.must_note_collision(2, secret)
    assert views.readable_only(reader, [mine, secret, secret_b, shared]) == [mine, shared]


def test_collisions_of_one_slot_and_common_minutes():
    mine = slot("m", 1, 6000, 23, 1, days=frozenset({0, 1, 2, 3, 4}))
    others = [slot("x", 2, 6003, 0, 1, days=frozenset({5})), slot("y", 1, 6000, 23, 1), slot("z", 3, 6100, 23, 1)]
    (c,) = collisions_of(mine, others)
    assert c.a is mine and c.b.activity_id == "x" and c.overlap_minutes_per_week == 60
    assert common_minutes(mine, slot("all", 2, 0, 0, 0)) == 5 * 120


def test_small_cells_threshold_and_dominance():
    assert not views.releasable({})
    assert not views.releasable({"a": 5, "b": 5})                  # two organisations: never
    assert views.releasable({"a": 2, "b": 2, "c": 2})
    assert not views.releasable({"a": 10, "b": 2, "c": 2})         # 2 < 25 % of 10: a dominates
    assert views.releasable({"a": 4, "b": 1, "c": 1})              # 1 ≥ 25 % of 4


def test_silent_hours_in_korean_time():
    # 13:00–15:00 UTC is 22:00–24:00 KST.
    hours = silent_hours([slot("a", 1, 7510, 13, 15)])
    assert 22 not in hours and 23 not in hours and len(hours) == 22
    assert silent_hours([]) == list(range(24))
    assert unserved_provinces([slot("a", 1, 1, 0, 1, provinces=frozenset({"Jagang"}))])[0] == "Pyongyang"


def test_same_night_launches_within_20_km():
    t = datetime(2024, 6, 1, 23, 0, tzinfo=KST)
    a = Launch("a", 1, t, 126.70, 37.90)
    b = Launch("b", 2, t + timedelta(hours=4), 126.80, 37.95)      # ~10 km, 03:00 next day
    c = Launch("c", 3, t + timedelta(hours=24), 126.70, 37.90)     # next night
    d = Launch("d", 4, t, 127.30, 38.15)                             # ~60 km
    pairs = same_night_launches([a, b, c, d])
    assert [(p[0].activity_id, p[1].activity_id) for p in pairs] == [("a", "b")]
    assert 5 < pairs[0][2] < 15
    assert night_of(datetime(2024, 6, 2, 2, 0, tzinfo=UTC)) == date(2024, 6, 1)
