"""Open an input wherever it lives and however it is compressed, with the decompressed size bounded.

Local paths are opened directly; anything with a ``scheme://`` goes through fsspec (imported
only then), so ``memory://`` and ``file://`` work out of the box and ``s3://``/``gs://`` work
once s3fs/gcsfs are installed. A ``.gz``/``.zst`` file is decompressed as a stream and counted:
a gzip bomb stops at ``max_file_bytes`` with ``InputTooLargeError`` instead of filling memory or disk,
and every decoder failure (truncated member, corrupt frame) surfaces as ``InputUnreadableError``
so readers need to catch exactly two things.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat
import zlib
from typing import BinaryIO

COMPRESSIONS = {".gz": "gzip", ".zst": "zstd", ".zstd": "zstd"}
_SNIFF = 1 << 16
# C0 control bytes that do not occur in text (tab, newlines, form feed, backspace, escape do).
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\b\x1b") + b"\x7f"


class InputUnreadableError(OSError):
    """The bytes of an input cannot be read: truncated or corrupt compression, I/O error."""


class InputTooLargeError(OSError):
    """An input decompressed past the configured limit (a compression bomb, or a limit set too low)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes after decompression")
        self.limit = limit


def is_url(path: str) -> bool:
    return "://" in path


def split_compression(name: str) -> tuple[str, str | None]:
    """``("a.jsonl", "zstd")`` for ``"a.jsonl.zst"``: the lower-cased inner name and the codec, if any."""
    lower = name.lower()
    for suffix, codec in COMPRESSIONS.items():
        if lower.endswith(suffix):
            return lower[: -len(suffix)], codec
    return lower, None


def open_raw(path: str) -> BinaryIO:
    """The file's bytes as stored, seekable, buffered (``peek`` works)."""
    if is_url(path):
        import fsspec

        return io.BufferedReader(fsspec.open(path, "rb").open(), buffer_size=1 << 20)
    return open(path, "rb")


Snapshot = tuple[int, int] | None  # (size, mtime_ns); None: the file could not even be stat'ed


def snapshot(path: str) -> Snapshot:
    """(size, mtime_ns) of a local file or an fsspec URL (mtime 0 where the store has none); None if unreachable.

    What an incremental run compares to decide whether an input changed, as make and rsync do.
    """
    try:
        if not is_url(path):
            st = os.stat(path)
            return st.st_size, st.st_mtime_ns
        import fsspec

        fs, _, (target,) = fsspec.get_fs_token_paths(path)
        info = fs.info(target)
    except OSError:
        return None
    mtime = info.get("mtime") or info.get("LastModified") or info.get("created") or 0
    return int(info.get("size") or 0), int(getattr(mtime, "timestamp", lambda: mtime)() * 1e9)


def check_regular(path: str) -> None:
    """Raise ``OSError`` for what is not a regular file: opening a FIFO waits forever, a device never ends.

    A folder here is one that could not be listed when the inputs were planned; listing it again
    raises the real reason (permissions).
    """
    if is_url(path):
        return
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        os.listdir(path)
        raise OSError(f"{path}: a folder that could not be listed when this run was planned")
    if not stat.S_ISREG(mode):
        raise OSError(f"{path}: a special file (FIFO, socket or device), not a regular file")


def file_hash(path: str) -> str:
    """SHA-256 of the bytes as stored (regular files only)."""
    check_regular(path)
    h = hashlib.sha256()
    with open_raw(path) as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def readable(path: str) -> bool:
    """Whether the file's first byte can be read now (it may not have been, last time)."""
    try:
        check_regular(path)
        with open_raw(path) as f:
            f.read(1)
        return True
    except OSError:
        return False


def file_size(path: str) -> int:
    """Stored size in bytes, local or fsspec URL (what shard planning weighs files by)."""
    if is_url(path):
        from fsspec.core import url_to_fs

        fs, inner = url_to_fs(path)
        return int(fs.size(inner))
    return os.path.getsize(path)


class _Counted(io.RawIOBase):
    """A decompressing stream that counts what it yields and normalises decoder errors."""

    def __init__(self, inner: BinaryIO, raw: BinaryIO, limit: int, errors: tuple[type[BaseException], ...]) -> None:
        self._inner, self._raw, self._limit, self._errors = inner, raw, limit, errors
        self.total = 0

    def readable(self) -> bool:
        return True

    def _read(self, view) -> int:
        try:
            return self._inner.readinto(view) or 0
        except self._errors as exc:
            raise InputUnreadableError(f"{type(exc).__name__}: {exc}") from exc

    def readinto(self, buffer) -> int:
        # Hand out everything up to the limit, and fail only on a read past it, so the
        # documents before the limit are still read.
        room = self._limit - self.total
        if room <= 0:
            if self._read(bytearray(1)):
                raise InputTooLargeError(self._limit)
            return 0
        n = self._read(memoryview(buffer)[:room])
        self.total += n
        return n

    def close(self) -> None:
        if not self.closed:
            try:
                self._inner.close()
            finally:
                self._raw.close()
        super().close()


def open_input(path: str, max_file_bytes: int) -> BinaryIO:
    """Buffered decompressed bytes of ``path``; compressed inputs stop at ``max_file_bytes``.

    Uncompressed files are returned as they are (seekable, for byte-range slices): their size
    is known up front and bounded by the disk, so only per-document limits apply to them.
    """
    raw = open_raw(path)
    _, codec = split_compression(path)
    if codec is None:
        return raw
    if codec == "gzip":
        inner: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb")
        errors: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error)
    else:
        import zstandard

        inner = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        errors = (OSError, EOFError, zstandard.ZstdError)
    # A small buffer: a truncated file loses at most this much of what came before the damage.
    return io.BufferedReader(_Counted(inner, raw, max_file_bytes, errors), buffer_size=1 << 16)


def head(f: BinaryIO, n: int = _SNIFF) -> bytes:
    """Up to ``n`` leading bytes without consuming them (may be fewer: one buffer's worth)."""
    peek = getattr(f, "peek", None)
    return peek(n)[:n] if peek is not None else b""


def sniff_utf16(data: bytes) -> str | None:
    """The UTF-16 codec of ``data`` (BOM, or the NUL pattern of Latin-script UTF-16), else None.

    Windows tools write UTF-16 without a BOM; read as UTF-8 every other byte would be a NUL.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[: len(data) & ~1][:_SNIFF]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any encoding we read (images, archives, random data)."""
    sample = data[:_SNIFF]
    if not sample or sample.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or sniff_utf16(sample):
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls > 0.05 * len(sample)


def decode_bytes(data: bytes) -> str:
    """Best-effort text from bytes: UTF-8 (BOM-aware), UTF-16 (BOM or NUL pattern), else Windows-1252.

    Scraped archives mix encodings; cp1252 is the common non-UTF-8 case on the web, and its
    mojibake is what fix_encoding repairs later. Never raises.
    """
    utf16 = sniff_utf16(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
