"""``client.corpora.permissions``: sharing a corpus (section 11)."""

from __future__ import annotations

from collections.abc import Sequence

from ragkit.client import _paths
from ragkit.client._base import APICall
from ragkit.client._pagination import AsyncPager, SyncPager
from ragkit.client._types import NOT_GIVEN, NotGiven, given
from ragkit.client.resources import _calls as calls
from ragkit.client.resources._resource import AsyncResource, SyncResource
from ragkit.types import GranteeType, ListPermissionsResponse, Permission, Role

ListCall = APICall[ListPermissionsResponse]


def _create(
    corpus: str,
    role: Role | str,
    grantee_type: GranteeType | str | NotGiven,
    email_address: str | NotGiven,
) -> APICall[Permission]:
    parent = _paths.corpus(corpus, what="corpus")
    permission = Permission(
        role=role, **given({"grantee_type": grantee_type, "email_address": email_address})
    )
    # Permission names are always server-made, so calls.create marks this UNSAFE.
    return calls.create(f"{parent}/permissions", permission, Permission)


def _list(corpus: str, page_size: int | NotGiven) -> ListCall:
    parent = _paths.corpus(corpus, what="corpus")
    return calls.listing(f"{parent}/permissions", ListPermissionsResponse, page_size=page_size)


def _get(name: str) -> APICall[Permission]:
    return calls.get(_paths.permission(name, what="name"), Permission)


def _update(name: str, role: Role | str) -> APICall[Permission]:
    return calls.update(_paths.permission(name, what="name"), Permission(role=role), Permission)


def _delete(name: str) -> APICall[None]:
    return calls.delete(_paths.permission(name, what="name"))


def _items(page: ListPermissionsResponse) -> Sequence[Permission]:
    return page.permissions


class Permissions(SyncResource):
    """``client.corpora.permissions``: who may read, write or own a corpus.

    Example::

        client.corpora.permissions.create(
            "papers", role="READER", grantee_type="USER", email_address="a@example.com"
        )
        client.corpora.permissions.create("papers", role="READER", grantee_type="EVERYONE")
    """

    def create(
        self,
        corpus: str,
        *,
        role: Role | str,
        grantee_type: GranteeType | str | NotGiven = NOT_GIVEN,
        email_address: str | NotGiven = NOT_GIVEN,
    ) -> Permission:
        """Grant ``role``; USER and GROUP grantees need ``email_address``, EVERYONE none."""
        return self._client._request(_create(corpus, role, grantee_type, email_address))

    def get(self, name: str) -> Permission:
        """Fetch a permission by its full name."""
        return self._client._request(_get(name))

    def list(
        self, corpus: str, *, page_size: int | NotGiven = NOT_GIVEN
    ) -> SyncPager[Permission, ListPermissionsResponse]:
        """The permissions on ``corpus`` (the creator's OWNER grant included)."""
        return self._client._paged(_list(corpus, page_size), _items)

    def update(self, name: str, *, role: Role | str) -> Permission:
        """Change the role (the only updatable field)."""
        return self._client._request(_update(name, role))

    def delete(self, name: str) -> None:
        """Revoke a permission."""
        self._client._request(_delete(name))


class AsyncPermissions(AsyncResource):
    """The async twin of ``Permissions``."""

    async def create(
        self,
        corpus: str,
        *,
        role: Role | str,
        grantee_type: GranteeType | str | NotGiven = NOT_GIVEN,
        email_address: str | NotGiven = NOT_GIVEN,
    ) -> Permission:
        return await self._client._request(_create(corpus, role, grantee_type, email_address))

    async def get(self, name: str) -> Permission:
        return await self._client._request(_get(name))

    def list(
        self, corpus: str, *, page_size: int | NotGiven = NOT_GIVEN
    ) -> AsyncPager[Permission, ListPermissionsResponse]:
        return self._client._paged(_list(corpus, page_size), _items)

    async def update(self, name: str, *, role: Role | str) -> Permission:
        return await self._client._request(_update(name, role))

    async def delete(self, name: str) -> None:
        await self._client._request(_delete(name))
