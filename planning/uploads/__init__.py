"""Everything that checks an upload before it is stored or parsed, in one package.

- `limits`: the stated limits (settings from the environment) and their sentence;
- `archives`: inside a .docx/.xlsx: inflated sizes, element counts, macros;
- `evidence`: the officers' evidence files, by content, never by name.

Plan documents (`planning.parsing.extract`) and tracker sheets
(`planning.spreadsheets.readers`) call `archives` and `limits` from here.
"""

from .evidence import (
    ALLOWED_LABEL,
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLSX,
    SniffedType,
    attach_evidence,
    evidence_response,
    sniff,
    validate_evidence,
)

__all__ = [
    "ALLOWED_LABEL",
    "DOCX",
    "JPEG",
    "PDF",
    "PNG",
    "XLSX",
    "SniffedType",
    "attach_evidence",
    "evidence_response",
    "sniff",
    "validate_evidence",
]
