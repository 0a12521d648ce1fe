"""Sign-in with the directory, against a real OpenLDAP slapd started for the tests.

The directory holds (suffix dc=slapd-test,dc=python-ldap,dc=org):
- `nguyenvana`: in cn=cchc-stp → an officer of Sở Tư pháp;
- `tranthib`: in cn=cchc-snv-dieuphoi and cn=cchc-stp → a coordinator of Sở Nội vụ
  (the strongest role wins);
- `lethic`: in no mapped group → no account here;
- `phamvand`: in cn=cchc-unknown, mapped to an agency code we do not have → refused.
Local accounts (the `coordinator` persona) keep signing in with their password.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from agencies.models import Membership

pytestmark = pytest.mark.django_db

slapdtest = pytest.importorskip("slapdtest")
if shutil.which("slapd") is None and not os.path.exists("/usr/sbin/slapd"):
    pytest.skip("needs OpenLDAP's slapd (Debian package slapd)", allow_module_level=True)

SUFFIX = "dc=slapd-test,dc=python-ldap,dc=org"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
PASSWORD = "mat-khau-thu-muc-2022"


def _person(uid: str, name: str) -> str:
    return f"""dn: uid={uid},{PEOPLE}
objectClass: inetOrgPerson
uid: {uid}
cn: {name}
sn: {name.split()[0]}
displayName: {name}
mail: {uid}@hanoi.gov.vn
userPassword: {PASSWORD}
"""


def _group(cn: str, *uids: str) -> str:
    members = "".join(f"member: uid={uid},{PEOPLE}\n" for uid in uids)
    return f"dn: cn={cn},{GROUPS}\nobjectClass: groupOfNames\ncn: {cn}\n{members}"


class Directory(slapdtest.SlapdObject):
    openldap_schema_files = ("core.ldif", "cosine.ldif", "inetorgperson.ldif")


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    Directory.TMPDIR = str(tmp_path_factory.mktemp("slapd"))
    server = Directory()
    server.start()
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\n"
        "dc: slapd-test\no: test\n",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups\n",
        _person("nguyenvana", "Nguyễn Văn A"),
        _person("tranthib", "Trần Thị B"),
        _person("lethic", "Lê Thị C"),
        _person("phamvand", "Phạm Văn D"),
        _group("cchc-stp", "nguyenvana", "tranthib"),
        _group("cchc-snv-dieuphoi", "tranthib"),
        _group("cchc-unknown", "phamvand"),
        _group("other-app", "lethic"),
    ]
    server.ldapadd("\n".join(entries))
    yield server
    server.stop()


@pytest.fixture
def ldap_on(directory):
    from config.directory import ldap_settings

    groups = {
        f"cn=cchc-stp,{GROUPS}": ["STP", "officer"],
        f"cn=cchc-snv-dieuphoi,{GROUPS}": ["SNV", "coordinator"],
        f"cn=cchc-unknown,{GROUPS}": ["KHONGCO", "officer"],
    }
    import json

    env = {
        "LDAP_SERVER_URI": directory.ldap_uri,
        "LDAP_BIND_DN": directory.root_dn,
        "LDAP_BIND_PASSWORD": directory.root_pw,
        "LDAP_USER_BASE": PEOPLE,
        "LDAP_GROUP_BASE": GROUPS,
        "LDAP_GROUPS": json.dumps(groups),
    }
    values = ldap_settings(env)
    backends = [
        "axes.backends.AxesStandaloneBackend",
        "agencies.directory.DirectoryBackend",
        "agencies.backends.MembershipBackend",
    ]
    with override_settings(AUTHENTICATION_BACKENDS=backends, **values):
        yield directory


def _sign_in(client, username, password=PASSWORD):
    response = client.post("/dang-nhap/", {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_a_directory_officer_signs_in_with_the_agency_of_their_group(client, ldap_on, stp, snv):
    assert _sign_in(client, "nguyenvana")
    user = User.objects.get(username="nguyenvana")
    assert (user.membership.agency, user.membership.role) == (stp, Membership.Role.OFFICER)
    assert user.get_full_name() == "Nguyễn Văn A"
    assert user.email == "nguyenvana@hanoi.gov.vn"
    assert not user.has_usable_password()
    assert client.get("/viec-cua-don-vi/").status_code == 200  # the officer's inbox


def test_the_strongest_mapped_role_wins(client, ldap_on, stp, snv):
    assert _sign_in(client, "tranthib")
    membership = User.objects.get(username="tranthib").membership
    assert (membership.agency, membership.role) == (snv, Membership.Role.COORDINATOR)


def test_a_directory_move_takes_effect_at_the_next_sign_in(client, ldap_on, stp, snv):
    assert _sign_in(client, "nguyenvana")
    ldap_on.ldapmodify(
        f"dn: cn=cchc-snv-dieuphoi,{GROUPS}\nchangetype: modify\nadd: member\n"
        f"member: uid=nguyenvana,{PEOPLE}\n"
    )
    try:
        client.logout()
        assert _sign_in(client, "nguyenvana")
        membership = User.objects.get(username="nguyenvana").membership
        assert (membership.agency, membership.role) == (snv, Membership.Role.COORDINATOR)
        assert Membership.objects.filter(user__username="nguyenvana").count() == 1
    finally:
        ldap_on.ldapmodify(
            f"dn: cn=cchc-snv-dieuphoi,{GROUPS}\nchangetype: modify\ndelete: member\n"
            f"member: uid=nguyenvana,{PEOPLE}\n"
        )


def test_a_wrong_password_is_refused(client, ldap_on, stp, snv):
    assert not _sign_in(client, "nguyenvana", "sai-mat-khau")
    assert not User.objects.filter(username="nguyenvana").exists()


def test_directory_sign_ins_are_throttled_like_local_ones(client, ldap_on, stp, snv):
    """Five wrong directory passwords lock the account: the right one is refused
    without asking the directory, with the lockout page (agencies/throttle.py)."""
    for _ in range(5):
        assert not _sign_in(client, "nguyenvana", "sai")
    response = client.post("/dang-nhap/", {"username": "nguyenvana", "password": PASSWORD})
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert not User.objects.filter(username="nguyenvana").exists()


def test_a_user_in_no_mapped_group_gets_no_account(client, ldap_on, stp, snv):
    assert not _sign_in(client, "lethic")
    assert not User.objects.filter(username="lethic", membership__isnull=False).exists()


def test_a_group_mapped_to_an_unknown_agency_is_refused(client, ldap_on, stp, snv):
    assert not _sign_in(client, "phamvand")
    assert not Membership.objects.filter(user__username="phamvand").exists()


def test_local_accounts_keep_working_beside_the_directory(client, ldap_on, coordinator):
    assert _sign_in(client, coordinator.username, "mat-khau-thu-2022")


def test_settings_refuse_a_mapping_that_cannot_work():
    from django.core.exceptions import ImproperlyConfigured

    from config.directory import ldap_settings

    base = {"LDAP_SERVER_URI": "ldap://127.0.0.1:1", "LDAP_USER_BASE": PEOPLE}
    with pytest.raises(ImproperlyConfigured, match="LDAP_GROUP_BASE"):
        ldap_settings(base)
    base["LDAP_GROUP_BASE"] = GROUPS
    with pytest.raises(ImproperlyConfigured, match="JSON"):
        ldap_settings({**base, "LDAP_GROUPS": "cn=x"})
    with pytest.raises(ImproperlyConfigured, match="one of coordinator"):
        ldap_settings({**base, "LDAP_GROUPS": '{"cn=x": ["STP", "admin"]}'})
    assert ldap_settings({}) == {}
