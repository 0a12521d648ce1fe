"""Settings for signing in with the province's directory (LDAP), from the environment.

Off unless `LDAP_SERVER_URI` is set; local accounts work either way. The
backend itself is `agencies.directory.DirectoryBackend`; this module only turns
environment variables into django-auth-ldap's `AUTH_LDAP_*` settings, failing
loudly (with the variable's name) on a value that cannot work.

    LDAP_SERVER_URI=ldaps://ldap.hanoi.gov.vn
    LDAP_BIND_DN=cn=cchc-reader,ou=services,dc=hanoi,dc=gov,dc=vn   # empty: anonymous search
    LDAP_BIND_PASSWORD=…
    LDAP_USER_BASE=ou=people,dc=hanoi,dc=gov,dc=vn
    LDAP_USER_FILTER=(uid=%(user)s)
    LDAP_GROUP_BASE=ou=groups,dc=hanoi,dc=gov,dc=vn
    LDAP_GROUPS={"cn=cchc-snv-dieuphoi,ou=groups,dc=hanoi,dc=gov,dc=vn": ["SNV", "coordinator"],
                 "cn=cchc-stp,ou=groups,dc=hanoi,dc=gov,dc=vn": ["STP", "officer"]}
"""

from __future__ import annotations

import functools
import json
import operator

from django.core.exceptions import ImproperlyConfigured

ROLES = ("coordinator", "officer", "viewer")


def parse_groups(raw: str | None) -> dict[str, tuple[str, str]]:
    """`LDAP_GROUPS` (JSON: group DN → [agency code, role]) as {dn: (code, role)}."""
    try:
        data = json.loads(raw or "")
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"LDAP_GROUPS must be JSON: {error}") from None
    if not isinstance(data, dict) or not data:
        raise ImproperlyConfigured("LDAP_GROUPS must map at least one group DN to [agency, role]")
    groups = {}
    for dn, value in data.items():
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, str) for v in value)
            or value[1] not in ROLES
        ):
            raise ImproperlyConfigured(
                f"LDAP_GROUPS[{dn!r}] must be [agency code, one of {', '.join(ROLES)}]"
            )
        groups[dn.strip().lower()] = (value[0].strip(), value[1])
    return groups


def ldap_settings(env) -> dict:
    """The `AUTH_LDAP_*` settings and `DIRECTORY_GROUPS` for `env` (a mapping like
    os.environ); empty when `LDAP_SERVER_URI` is not set."""
    uri = (env.get("LDAP_SERVER_URI") or "").strip()
    if not uri:
        return {}
    import ldap
    from django_auth_ldap.config import GroupOfNamesType, LDAPGroupQuery, LDAPSearch

    for name in ("LDAP_USER_BASE", "LDAP_GROUP_BASE"):
        if not (env.get(name) or "").strip():
            raise ImproperlyConfigured(f"{name} is required when LDAP_SERVER_URI is set")
    groups = parse_groups(env.get("LDAP_GROUPS"))
    return {
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": env.get("LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": env.get("LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_START_TLS": (env.get("LDAP_START_TLS") or "").lower() in {"1", "true", "yes"},
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(
            env["LDAP_USER_BASE"],
            ldap.SCOPE_SUBTREE,
            env.get("LDAP_USER_FILTER") or "(uid=%(user)s)",
        ),
        "AUTH_LDAP_GROUP_SEARCH": LDAPSearch(
            env["LDAP_GROUP_BASE"], ldap.SCOPE_SUBTREE, "(objectClass=groupOfNames)"
        ),
        "AUTH_LDAP_GROUP_TYPE": GroupOfNamesType(),
        # Only members of a mapped group get an account here at all.
        "AUTH_LDAP_REQUIRE_GROUP": functools.reduce(
            operator.or_, (LDAPGroupQuery(dn) for dn in groups)
        ),
        "AUTH_LDAP_USER_ATTR_MAP": {
            "first_name": env.get("LDAP_NAME_ATTR") or "displayName",
            "email": env.get("LDAP_EMAIL_ATTR") or "mail",
        },
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_CONNECTION_OPTIONS": {ldap.OPT_NETWORK_TIMEOUT: 5, ldap.OPT_REFERRALS: 0},
        "DIRECTORY_GROUPS": groups,
    }
