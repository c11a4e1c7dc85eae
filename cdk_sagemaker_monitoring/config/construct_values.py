"""Values only a construct can take (a KMS key, a bucket, a trail object): types the shared models accept besides
what a YAML file can say, so the constructs and the file validate through the same models.

They are recognised by the attribute every such jsii object has (``key_arn``, ``bucket_arn``), so this module
needs no jsii; they carry no JSON Schema (``SkipJsonSchema``) and the configuration reference leaves them out.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import GetCoreSchemaHandler
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError, core_schema

__all__ = ["CONSTRUCT_OBJECT_TAG", "BucketArg", "BucketObject", "ConstructObject", "KmsKeyArg", "KmsKeyObject",
           "RetentionArg", "RetentionObject", "TrailArg", "TrailObject"]

#: What pydantic's union member tag of these types contains.
CONSTRUCT_OBJECT_TAG = "check_construct_object"
_PLAIN = (str, bytes, int, float, bool, list, tuple, dict, set)


def _has(value: object, attribute: str) -> bool:
    try:
        return getattr(value, attribute, None) is not None
    except Exception:  # noqa: BLE001 - a jsii proxy raises for members it does not have
        return False


class ConstructObject:
    """A jsii object with ``attribute``; its error type ends in ``_type`` (a type mismatch, not a bad value)."""

    attribute: ClassVar[str] = ""
    what: ClassVar[str] = ""
    kind: ClassVar[str] = "construct"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(cls.check_construct_object)

    @classmethod
    def accepts(cls, value: object) -> bool:
        return value is not None and not isinstance(value, _PLAIN) and _has(value, cls.attribute)

    @classmethod
    def check_construct_object(cls, value: Any) -> Any:
        if not cls.accepts(value):
            raise PydanticCustomError(f"{cls.kind}_type", "expected {what}", {"what": cls.what})
        return value


class KmsKeyObject(ConstructObject):
    """A ``kms.IKey``."""

    attribute, what, kind = "key_arn", "a KMS key", "kms_key"


class BucketObject(ConstructObject):
    """An ``s3.IBucket``."""

    attribute, what, kind = "bucket_arn", "an S3 bucket", "bucket"


class TrailObject(ConstructObject):
    """An ``ExperimentMetricsTrail`` (the construct whose bucket, prefix and key the queries read)."""

    attribute, what, kind = "bucket_policy_statements", "an ExperimentMetricsTrail", "trail"


class RetentionObject(ConstructObject):
    """A member of ``logs.RetentionDays`` (a jsii enum: a Python ``Enum`` named ``RetentionDays``)."""

    what, kind = "a logs.RetentionDays member", "retention"

    @classmethod
    def accepts(cls, value: object) -> bool:
        return type(value).__name__ == "RetentionDays" and hasattr(value, "name")


# The annotations of these types as union members: accepted from a construct, absent from the JSON Schema.
# Their union tag names ``check_construct_object``: error messages leave them out of "expected ..." lists.
KmsKeyArg = SkipJsonSchema[KmsKeyObject]
BucketArg = SkipJsonSchema[BucketObject]
TrailArg = SkipJsonSchema[TrailObject]
RetentionArg = SkipJsonSchema[RetentionObject]
