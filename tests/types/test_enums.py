"""Enums: proto names on the wire, proto numbers accepted on input."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from ragkit.types import (
    AnswerStyle,
    Candidate,
    Chunk,
    Condition,
    FinishReason,
    GranteeType,
    HarmBlockThreshold,
    HarmCategory,
    Operator,
    Permission,
    Role,
    State,
    StatusCode,
    TaskType,
    to_wire,
)


@pytest.mark.parametrize(
    ("member", "number"),
    [
        (State.STATE_UNSPECIFIED, 0),
        (State.STATE_ACTIVE, 2),
        (State.STATE_FAILED, 10),
        (Operator.INCLUDES, 7),
        (Operator.EXCLUDES, 8),
        (FinishReason.OTHER, 5),
        (FinishReason.LANGUAGE, 6),
        (FinishReason.TOO_MANY_TOOL_CALLS, 13),
        (FinishReason.IMAGE_RECITATION, 17),
        (Role.READER, 3),
        (GranteeType.EVERYONE, 3),
        (AnswerStyle.VERBOSE, 3),
        (HarmCategory.HARM_CATEGORY_DANGEROUS_CONTENT, 10),
        (HarmBlockThreshold.OFF, 5),
        (TaskType.CODE_RETRIEVAL_QUERY, 8),
        (StatusCode.UNAUTHENTICATED, 16),
    ],
)
def test_proto_numbers(member: State, number: int) -> None:
    assert member.number == number
    assert type(member)(number) is member


def test_numeric_enum_values_are_accepted_on_input() -> None:
    chunk = Chunk.model_validate_json(json.dumps({"state": 10}))
    assert chunk.state is State.STATE_FAILED
    condition = Condition.model_validate({"operation": 7, "stringValue": "featured"})
    assert condition.operation is Operator.INCLUDES
    permission = Permission.model_validate({"role": 3, "granteeType": 3})
    assert (permission.role, permission.grantee_type) == (Role.READER, GranteeType.EVERYONE)
    # ...and written back as names.
    assert to_wire(condition) == {"stringValue": "featured", "operation": "INCLUDES"}


@pytest.mark.parametrize("bad", [99, -1, True, "2", "state_active"])
def test_invalid_enum_inputs_are_rejected(bad: object) -> None:
    with pytest.raises(ValidationError):
        Chunk.model_validate({"state": bad})


def test_unknown_names_are_kept_but_have_no_number() -> None:
    reason = Candidate.model_validate({"finishReason": "BRAND_NEW"}).finish_reason
    assert reason is not None and not reason.is_known and reason == "BRAND_NEW"
    with pytest.raises(ValueError, match="no known number"):
        _ = reason.number


def test_unspecified_members() -> None:
    assert State.STATE_UNSPECIFIED.is_unspecified and not State.STATE_ACTIVE.is_unspecified
