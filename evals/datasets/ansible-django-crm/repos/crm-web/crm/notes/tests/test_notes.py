import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(databases={"default", "notes"})


def test_list_hides_deleted(client, admin_user, make_note):
    client.force_login(admin_user)
    make_note(body="visible")
    make_note(body="gone", deleted_at="2020-01-01T00:00:00Z")
    resp = client.get(reverse("notes:list", args=[1]))
    assert b"visible" in resp.content
    assert b"gone" not in resp.content
