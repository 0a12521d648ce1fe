"""Looking inside a .docx or .xlsx before anything parses it: the one place for zip checks.

A Word or Excel file is a zip of XML parts. A few hundred kilobytes on disk can
unzip to gigabytes, or to millions of paragraphs or cells, and python-docx and
openpyxl build their objects from all of it: the upload that stalled a worker
for minutes and took 2.6 GB. So every office file (a plan, a tracker, an
evidence file) passes here first, and is refused with a Vietnamese message
while it is still cheap to do so:

1. `open_archive` reads only the zip's directory: the number of parts and the
   size each one declares once inflated. `zipfile` never returns more bytes
   than a part declares (a part that inflates further fails its CRC check), so
   the declared sizes bound everything read later;
2. `scan_parts` streams every XML part through expat, counting elements (all
   of them, and the ones a caller names: paragraphs, rows, cells) and stopping
   at the first limit passed, building no tree, so a bomb costs the time to
   read up to the limit and next to no memory;
3. `refuse_active_content` refuses macros (`vbaProject.bin`), embedded objects
   and programs in a file that will be stored and opened by other people.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from xml.parsers import expat

from .limits import megabytes

CHUNK = 64 * 1024
# A real .docx/.xlsx holds a few dozen parts (more with many images).
MAX_PARTS = 2_000
XML_SUFFIXES = (".xml", ".rels", ".vml")
# Parts that run code or carry another file inside: never in an evidence file.
ACTIVE_PARTS = ("vbaproject", "/embeddings/", "/activex/", "oleobject", "macrosheets/")
# (Not every ".bin": Excel stores its printer settings as one.)
ACTIVE_SUFFIXES = (".exe", ".dll", ".com", ".bat", ".cmd", ".scr", ".msi", ".vbs", ".ps1")
ACTIVE_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"oleobject", b"activex")
EXECUTABLE_MAGIC = (
    b"MZ",  # Windows .exe/.dll
    b"\x7fELF",  # Linux
    b"\xcf\xfa\xed\xfe",  # macOS Mach-O
    b"\xfe\xed\xfa\xce",
    b"#!",  # scripts
    b"\xd0\xcf\x11\xe0",  # an OLE compound file (old Office, embedded objects)
)


class ArchiveError(ValueError):
    """The file is refused; the message is for the user, in Vietnamese."""


@dataclass(frozen=True)
class Count:
    """Refuse once more than `most` elements with this local name were read.

    `tag` "*" counts every element. `message` is Vietnamese, with `{most}`
    standing for the limit, already formatted ("25.000").
    """

    tag: str
    most: int
    message: str
    prefix: str = ""  # the one writers use ("w:" in Word), for the quick first pass

    def markers(self) -> tuple[bytes, ...]:
        start = f"<{self.prefix}{self.tag}".encode()
        return (start + b" ", start + b">", start + b"/>")


def open_archive(data: bytes | io.IOBase, *, max_inflated: int) -> zipfile.ZipFile:
    """The zip, once its directory shows no part and no total over `max_inflated` bytes.

    Only the central directory is read here: nothing is inflated yet.
    """
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    try:
        archive = zipfile.ZipFile(source)
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ArchiveError("Tệp bị hỏng hoặc không phải tệp Word/Excel, không đọc được.") from None
    if len(members) > MAX_PARTS:
        raise ArchiveError(
            f"Tệp chứa {len(members)} phần bên trong, quá nhiều so với một văn bản "
            f"Word/Excel (tối đa {MAX_PARTS}); hệ thống không đọc tệp này."
        )
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > max_inflated or total > max_inflated:
            raise ArchiveError(
                "Tệp nén quá nhiều: khi giải nén, nội dung vượt quá "
                f"{megabytes(max_inflated)}. Đây không phải một văn bản Word/Excel "
                "bình thường; hệ thống không đọc tệp này."
            )
    return archive


def xml_parts(archive: zipfile.ZipFile) -> list[str]:
    return [name for name in archive.namelist() if name.lower().endswith(XML_SUFFIXES)]


def scan_parts(
    archive: zipfile.ZipFile,
    counts: Iterable[Count],
    *,
    parts: Iterable[str] | None = None,
    on_element: Callable[[str, str, dict[str, str]], None] | None = None,
) -> dict[str, int]:
    """Stream the XML parts (all of them by default), refusing at the first count passed.

    0. `_quick_pass` first refuses what byte counts show (a bomb, in well
       under a second);
    1. each part is fed to expat in chunks: no tree is built, so memory stays
       flat however long the part is, and a bomb costs the time to read up to
       the limit (about a microsecond an element), no more;
    2. a part with a DOCTYPE is refused: OOXML never has one, and it is how
       entity expansion ("billion laughs") and external entities get in;
    3. every element opened is counted under its local name and under "*";
    4. `on_element(part, local_name, attributes)` may look at it (a cell's
       address) and raise ArchiveError itself.
    Returns the counts of the named tags, over all the parts read.
    """
    counts = list(counts)
    parts = xml_parts(archive) if parts is None else list(parts)
    _quick_pass(archive, parts, counts)
    limits = {count.tag: count for count in counts}
    seen = dict.fromkeys([*limits, "*"], 0)
    everything = limits.get("*", Count("*", 1 << 62, ""))
    local_names: dict[str, str] = {}

    def handler(part: str):
        def start(tag: str, attributes: dict[str, str]) -> None:
            # The hot path: a million calls for a large sheet, so no helper calls.
            seen["*"] += 1
            if seen["*"] > everything.most:
                _refuse(everything)
            name = local_names.get(tag) or local_names.setdefault(tag, tag.rpartition(" ")[2])
            if name in limits:
                seen[name] += 1
                if seen[name] > limits[name].most:
                    _refuse(limits[name])
            if on_element is not None:
                on_element(part, name, attributes)

        return start

    def doctype(*_args) -> None:
        raise ArchiveError("Tệp có khai báo DOCTYPE bên trong, không phải văn bản Word/Excel.")

    for part in parts:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = handler(part)
        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        try:
            with archive.open(part) as stream:
                while chunk := stream.read(CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except (expat.ExpatError, zipfile.BadZipFile, EOFError):
            raise ArchiveError("Tệp bị hỏng: một phần nội dung bên trong không đọc được.") from None
    return seen


def _quick_pass(archive: zipfile.ZipFile, parts: list[str], counts: list[Count]) -> None:
    """Refuse what plain byte counts already show, at the speed of unzipping.

    Every element starts with "<" (text holds none: "&lt;"), so their number
    bounds the elements of any name; a tag as writers spell it (`<row `,
    `<w:p>`) is counted the same way. This only ever refuses: a file written
    with other prefixes passes here and is counted exactly by expat after.
    A bomb is refused here without a Python call per element.
    """
    tallies = [(count, count.markers(), [0]) for count in counts if count.tag != "*"]
    everything = next((count for count in counts if count.tag == "*"), None)
    opened = 0
    for part in parts:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                if everything is not None:
                    opened += chunk.count(b"<") - chunk.count(b"</")
                    if opened > everything.most:
                        _refuse(everything)
                for count, markers, seen in tallies:
                    seen[0] += sum(chunk.count(marker) for marker in markers)
                    if seen[0] > count.most:
                        _refuse(count)


def _refuse(count: Count):
    from planning.formatting import format_number

    raise ArchiveError(count.message.format(most=format_number(count.most)))


def refuse_active_content(archive: zipfile.ZipFile) -> None:
    """Refuse macros, embedded objects and programs inside an office file.

    By the part's name (`word/vbaProject.bin`, `word/embeddings/…`), by what
    `[Content_Types].xml` declares (a .docm saved as .docx), and by the first
    bytes of every part (an .exe stored under an innocent name).
    """
    message = (
        "Tệp có chứa macro, chương trình hoặc đối tượng nhúng (OLE); hệ thống không "
        "nhận loại tệp này. Hãy lưu lại thành tệp .docx/.xlsx thông thường hoặc PDF."
    )
    for member in archive.infolist():
        name = member.filename.lower()
        if any(marker in f"/{name}" for marker in ACTIVE_PARTS) or name.endswith(ACTIVE_SUFFIXES):
            raise ArchiveError(message)
        with archive.open(member) as stream:
            head = stream.read(8)
        if head.startswith(EXECUTABLE_MAGIC):
            raise ArchiveError(message)
    try:
        declared = archive.read("[Content_Types].xml").lower()
    except KeyError:
        return
    if any(marker in declared for marker in ACTIVE_CONTENT_TYPES):
        raise ArchiveError(message)
