"""Contact phones: SM4 ciphertext at rest (GB/T 32907), clear for who needs them, masked for
the rest, in the page and in the API."""

import pytest
from django.db import connection
from gmssl.sm4 import SM4_ENCRYPT, CryptSM4

from greenlight.kernel import sm4
from greenlight.projects.models import Project

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


def test_sm4_gives_the_standards_example():
    # GB/T 32907-2016 appendix A: key = plaintext = 0123456789abcdeffedcba9876543210
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    cipher = CryptSM4()
    cipher.set_key(key, SM4_ENCRYPT)
    assert cipher.crypt_ecb(key).hex()[:32] == "681edf34d206965e86b3e94f536e4246"


def test_the_phone_is_ciphertext_in_the_database_and_clear_in_python(world):
    project = world.project1
    project.contact_phone = PHONE
    project.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM projects_project WHERE id = %s", [project.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("sm4:") and PHONE not in stored
    assert Project.objects.get(pk=project.pk).contact_phone == PHONE
    # a fresh IV each time: the same phone never gives the same ciphertext
    assert sm4.encrypt(PHONE) != sm4.encrypt(PHONE)


def test_masking():
    assert sm4.mask(PHONE) == "138****5678"
    assert sm4.mask("0755-12345678") == "075******5678"
    assert sm4.mask("") == ""


@pytest.mark.parametrize(
    ("role", "clear"),
    [
        ("coordinator", True),
        ("approver", True),
        ("company", True),
        ("leader", False),
        ("supervisor", False),
        ("admin", False),
    ],
)
def test_who_reads_the_phone_in_clear(client_for, world, role, clear):
    Project.objects.filter(pk=world.project1.pk).update(contact_phone=sm4.encrypt(PHONE))
    client = client_for(getattr(world.users, role))
    api = client.get(f"/api/v1/projects/{world.project1.pk}")
    if api.status_code == 200:
        assert api.json()["contact_phone"] == (PHONE if clear else "138****5678")
    page = client.get(f"/projects/{world.project1.pk}/")
    assert page.status_code == 200
    if page.status_code == 200:
        body = page.content.decode()
        assert (PHONE in body) is clear
        if not clear:
            assert "138****5678" in body
