"""``corpora.permissions`` methods (reference §11).

Rules where the reference is silent (see docs/engine-choices.md): viewing and
managing grants needs WRITER; granting, changing or removing OWNER needs OWNER;
EVERYONE may only be granted READER; one grant per grantee; the last OWNER
cannot be removed or demoted.
"""

from __future__ import annotations

import sqlite3

from ragkit.engine import ids, wire
from ragkit.engine.access import Role
from ragkit.engine.engine import Engine
from ragkit.engine.errors import (
    already_exists,
    failed_precondition,
    field_error,
    not_found,
    permission_denied,
)
from ragkit.engine.handlers.common import by_creation, mask_paths, paginate, parse_name
from ragkit.engine.principal import Principal
from ragkit.engine.store import permissions
from ragkit.engine.store.records import CorpusRecord, PermissionRecord
from ragkit.types import (
    CreatePermissionRequest,
    DeletePermissionRequest,
    GetPermissionRequest,
    GranteeType,
    ListPermissionsRequest,
    ListPermissionsResponse,
    Permission,
    UpdatePermissionRequest,
    limits,
    names,
)
from ragkit.types import Role as WireRole

_PERMISSION_MASK = {"role": "role"}


def _caller_role(conn: sqlite3.Connection, who: Principal, corpus: CorpusRecord) -> Role:
    return Role.best(permissions.roles_for(conn, corpus.rowid, who.email))


def _require_owner_for(role_name: str, caller: Role, action: str) -> None:
    if role_name == "OWNER" and caller < Role.OWNER:
        raise permission_denied(f"The caller does not have permission: only an OWNER can {action}.")


def _lookup(
    engine: Engine, conn: sqlite3.Connection, who: Principal, name: str | None, field: str
) -> tuple[CorpusRecord, PermissionRecord]:
    corpus_id, permission_id = parse_name(names.parse_permission_name, name, field=field)
    corpus = engine.corpus(conn, who, corpus_id, Role.WRITER)
    record = permissions.get(conn, corpus.rowid, permission_id)
    if record is None:
        raise not_found(f"Permission {name} not found.")
    return corpus, record


def create(engine: Engine, who: Principal, request: CreatePermissionRequest) -> Permission:
    corpus_id = parse_name(names.parse_corpus_name, request.parent, field="parent")
    body = request.permission
    grantee = body.grantee_type
    if grantee is None or grantee.is_unspecified:
        raise field_error("permission.granteeType", "granteeType is required")
    if body.role.is_unspecified:
        raise field_error("permission.role", "role is required")
    if grantee is GranteeType.EVERYONE and body.role.value != "READER":
        raise field_error("permission.role", "EVERYONE can only be granted READER")
    email = body.email_address.strip().lower() if body.email_address else None
    with engine.db.write() as conn:
        corpus = engine.corpus(conn, who, corpus_id, Role.WRITER)
        _require_owner_for(body.role.value, _caller_role(conn, who, corpus), "grant OWNER")
        if permissions.find_grantee(conn, corpus.rowid, grantee.value, email) is not None:
            grantee_text = f"{grantee.value} {email}" if email else grantee.value
            raise already_exists(
                f"{grantee_text} already has a permission on corpora/{corpus_id}; "
                "update it instead."
            )
        permission_id = ids.permission_id()
        while permissions.get(conn, corpus.rowid, permission_id) is not None:
            permission_id = ids.permission_id()
        permissions.insert(
            conn,
            corpus.rowid,
            permission_id,
            grantee.value,
            email,
            body.role.value,
            engine.clock.now(),
        )
        record = permissions.get(conn, corpus.rowid, permission_id)
    assert record is not None
    return wire.permission_to_wire(record)


def get(engine: Engine, who: Principal, request: GetPermissionRequest) -> Permission:
    with engine.db.read() as conn:
        _, record = _lookup(engine, conn, who, request.name, "name")
    return wire.permission_to_wire(record)


def list_(
    engine: Engine, who: Principal, request: ListPermissionsRequest
) -> ListPermissionsResponse:
    corpus_id = parse_name(names.parse_corpus_name, request.parent, field="parent")
    with engine.db.read() as conn:
        corpus = engine.corpus(conn, who, corpus_id, Role.WRITER)
        items, token = paginate(
            engine,
            ("permissions.list", corpus_id, who.email),
            request,
            default=limits.DEFAULT_PERMISSIONS_PAGE_SIZE,
            maximum=limits.MAX_PERMISSIONS_PAGE_SIZE,
            fetch=lambda after, limit: permissions.list_page(conn, corpus.rowid, after, limit),
            cursor_of=by_creation,
        )
    return ListPermissionsResponse(
        permissions=[wire.permission_to_wire(r) for r in items], next_page_token=token
    )


def update(engine: Engine, who: Principal, request: UpdatePermissionRequest) -> Permission:
    mask_paths(request.update_mask, _PERMISSION_MASK, resource="permission")
    new_role: WireRole = request.permission.role
    if new_role.is_unspecified:
        raise field_error("permission.role", "role is required")
    with engine.db.write() as conn:
        corpus, record = _lookup(engine, conn, who, request.permission.name, "permission.name")
        caller = _caller_role(conn, who, corpus)
        _require_owner_for(record.role, caller, "change an OWNER permission")
        _require_owner_for(new_role.value, caller, "grant OWNER")
        if record.grantee_type == "EVERYONE" and new_role.value != "READER":
            raise field_error("permission.role", "EVERYONE can only be granted READER")
        if record.role == "OWNER" and new_role.value != "OWNER":
            _keep_an_owner(conn, corpus)
        permissions.update_role(conn, record.rowid, new_role.value)
        updated = permissions.get(conn, corpus.rowid, record.permission_id)
    assert updated is not None
    return wire.permission_to_wire(updated)


def delete(engine: Engine, who: Principal, request: DeletePermissionRequest) -> None:
    with engine.db.write() as conn:
        corpus, record = _lookup(engine, conn, who, request.name, "name")
        _require_owner_for(record.role, _caller_role(conn, who, corpus), "remove an OWNER")
        if record.role == "OWNER":
            _keep_an_owner(conn, corpus)
        permissions.delete(conn, record.rowid)


def _keep_an_owner(conn: sqlite3.Connection, corpus: CorpusRecord) -> None:
    if permissions.count_owners(conn, corpus.rowid) <= 1:
        raise failed_precondition(
            f"corpora/{corpus.corpus_id} must keep at least one OWNER permission."
        )
