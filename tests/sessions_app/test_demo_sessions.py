import io

from django.core.management import call_command
from django.utils import timezone

from sessions_app.models import Session


def test_the_demo_creates_the_rooms_later_steps_look_for(db):
    call_command("seed_demo", stdout=io.StringIO())
    b12 = Session.objects.get(room="Salle B12")
    assert b12.center.name == "Collège Jean Moulin"
    assert b12.date == timezone.localdate()
    # 09:00, or the current hour when earlier (its tests may start only from an hour before).
    expected = min(9, timezone.localtime().hour)
    assert b12.time.strftime("%H:%M") == f"{expected:02d}:00"
    assert Session.objects.get(room="Salle informatique 2").date > timezone.localdate()
    pro = Session.objects.get(room="Salle 3")
    assert pro.center.name == "Centre de formation Numérique Pro"
    assert pro.date > timezone.localdate()
    assert Session.objects.filter(date__lt=timezone.localdate()).count() >= 2


def test_the_demo_is_idempotent(db):
    call_command("seed_demo", stdout=io.StringIO())
    count = Session.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Session.objects.count() == count
