"""The ArchiMate export's `instansi` parameter: anything but the id of an instansi the user may see is
said so on the exchange page (HTTP 400), never a server error nor another instansi's file."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999999999", "-1", "١"])
def test_an_instansi_that_is_not_an_id_is_a_400_with_a_message(client, world, value):
    client.force_login(world.admin_a)
    client.raise_request_exception = False
    response = client.get(reverse("architecture:exchange_export"), {"instansi": value}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "The instansi to export does not exist, or you may not see it." in response.content.decode()


def test_an_instansi_the_user_may_not_see_is_not_exported_instead_of_another(client, world):
    client.force_login(world.admin_a)
    response = client.get(reverse("architecture:exchange_export"), {"instansi": world.inst_b.pk})
    assert response.status_code == 400
    assert not response.has_header("Content-Disposition")


def test_the_own_instansi_and_no_instansi_still_download(client, world):
    client.force_login(world.admin_a)
    for query in ({"instansi": world.inst_a.pk}, {"instansi": f" {world.inst_a.pk} "}, {}):
        response = client.get(reverse("architecture:exchange_export"), query)
        assert response.status_code == 200, query
        assert response["Content-Disposition"] == 'attachment; filename="archimate-inst-a.xml"'
        # Read to the end, as the test client expects of a streamed file (closing it early would close the
        # test's database connection).
        assert b"".join(response.streaming_content).startswith(b"<?xml")


@pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999999999", "-1", "١", "\x00"])
def test_the_compliance_page_reads_a_malformed_instansi_as_none_given(client, world, value):
    client.force_login(world.admin_a)
    client.raise_request_exception = False
    response = client.get(reverse("architecture:compliance"), {"instansi": value})
    assert response.status_code == 200
    assert response.context["instansi"] == world.inst_a


def test_record_ids_from_query_parameters():
    from simpul.core.queries import record_id

    assert [record_id(v) for v in ("7", " 7 ", "0", "-7", "7.0", "abc", "", None, "٧", str(2**63), str(2**63 - 1))] == [
        7,
        7,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        2**63 - 1,
    ]
