"""Signed notes and log checkpoints: C2SP signed-note and tlog-checkpoint, Ed25519 only.

Why this format: it is what Go's checksum database, Sigstore and the witness
tools sign their tree heads with, so a checkpoint this service signs can be
checked with their tools (``golang.org/x/mod/sumdb/note``) and cosigned by
their witnesses, and an auditor needs no code of ours to read one. The specs
are https://c2sp.org/signed-note and https://c2sp.org/tlog-checkpoint.

A note is text (UTF-8, every line ending in a newline) followed by a blank
line and one or more signature lines ``— <key name> <base64(key ID || sig)>``
(em dash U+2014, space). An Ed25519 signature is over the text's bytes; the
key ID is the first 4 bytes of SHA-256(key name || 0x0A || 0x01 || public key).
Keys are written as in Go's package: a verifier key is
``<name>+<8 hex key ID>+<base64(0x01 || public key)>``, a signer key
``PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>``.

A checkpoint is a note whose text is ``<origin>\\n<tree size>\\n<base64 root>\\n``
and, optionally, further non-empty "extension" lines.

Reading is strict, because a note that two readers could read differently is
worth nothing as evidence. A note is refused when it:

* is not valid UTF-8, or holds an ASCII control character other than newline
  (a carriage return, so CRLF line endings, included);
* is larger than ``MAX_NOTE_BYTES`` or has more than ``MAX_SIGNATURES``
  signature lines (C2SP asks verifiers to accept at least 16; Go's package
  refuses more than 100, as here);
* has no blank line before its signatures (the text ends at the *last* blank
  line, as in C2SP and Go), or a signature line that is not exactly
  ``— name base64`` with a valid name and canonical base64 of at least 5 bytes,
  or does not end in a newline;
* carries a signature by the expected key (same name *and* key ID) that does
  not verify, or carries none. Signatures by other keys are ignored, as C2SP
  requires (they are how witnesses cosign and keys rotate).

A checkpoint body is further refused when it has fewer than three lines or an
empty line, a tree size that is not the canonical decimal (digits only, no
sign, no leading zeros, below 2**63), or a root that is not the canonical
standard base64 of exactly 32 bytes.

Standard library and ``cryptography`` only: no Django, so that the key
handling can be read and tested on its own.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG_ED25519 = 0x01
MAX_SIGNATURES = 100
MAX_NOTE_BYTES = 64 * 1024
MAX_TREE_SIZE = 2**63 - 1
SIGNATURE_PREFIX = "\u2014 "  # em dash, space

_SIZE = re.compile(r"0|[1-9][0-9]{0,18}")
_HEX_ID = re.compile(r"[0-9a-fA-F]{8}")


class NoteError(ValueError):
    """A note, key or checkpoint that cannot be read or does not verify (message says why in plain words)."""


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint whose signature has been verified: the log at ``size`` entries had Merkle root ``root``."""

    origin: str
    size: int
    root: bytes  # 32 bytes
    note: str  # the whole signed note text as served/stored
    key_name: str  # name on the signature that verified
    extensions: tuple[str, ...] = ()  # extension lines after the root, if any (this service writes none)


# Keys -------------------------------------------------------------------------------------------


def _is_valid_name(name: str) -> bool:
    """C2SP: non-empty, no Unicode spaces, no plus; control characters would break the note's lines."""
    return (
        isinstance(name, str)
        and name != ""
        and "+" not in name
        and not any(ch.isspace() or ord(ch) < 0x20 for ch in name)
    )


def _check_name(name: str) -> None:
    if not _is_valid_name(name):
        raise NoteError(f"{name!r} is not a valid key name (non-empty, no spaces, '+' or control characters)")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64decode(text: str) -> bytes | None:
    """Strict standard base64 (with padding), or None: only the one canonical spelling of the bytes is accepted."""
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:  # binascii.Error, and non-ASCII text
        return None
    return raw if _b64(raw) == text else None


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key ID of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || public key)[:4]."""
    _check_name(name)
    if len(public_key) != 32:
        raise NoteError(f"an Ed25519 public key is 32 bytes, not {len(public_key)}")
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ALG_ED25519]) + public_key).digest()[:4]


def verifier_key(name: str, public_key: bytes) -> str:
    """The public key as published: ``name+hexid+base64(0x01 || key)``, the form Go's note.NewVerifier reads."""
    return f"{name}+{key_id(name, public_key).hex()}+{_b64(bytes([ALG_ED25519]) + public_key)}"


def parse_verifier_key(text: str) -> tuple[str, bytes, Ed25519PublicKey]:
    """Read a verifier key (surrounding whitespace ignored): its name, 4-byte key ID and Ed25519 public key."""
    if not isinstance(text, str):
        raise NoteError("a verifier key is text of the form name+keyid+base64")
    parts = text.strip().split("+", 2)  # the base64 part may itself contain '+'
    if len(parts) != 3:
        raise NoteError("a verifier key has the form name+keyid+base64; this one does not")
    name, hex_id, key64 = parts
    if not _is_valid_name(name):
        raise NoteError(f"the verifier key's name {name!r} is not a valid key name")
    if not _HEX_ID.fullmatch(hex_id):
        raise NoteError(f"the verifier key's ID {hex_id!r} is not 8 hexadecimal digits")
    key = _b64decode(key64)
    if not key:
        raise NoteError("the verifier key's key part is not valid base64")
    if key[0] != ALG_ED25519:
        raise NoteError(f"the verifier key is for algorithm 0x{key[0]:02x}; only Ed25519 (0x01) is supported")
    if len(key) != 33:
        raise NoteError(f"the verifier key holds {len(key) - 1} key bytes; an Ed25519 key is 32")
    kid = bytes.fromhex(hex_id)
    if kid != key_id(name, key[1:]):
        raise NoteError("the verifier key's ID does not match its name and key: it was altered or mistyped")
    return name, kid, Ed25519PublicKey.from_public_bytes(key[1:])


# Signing ----------------------------------------------------------------------------------------


def _check_text(text: str, what: str = "note text") -> bytes:
    """The rules a note text must keep for every reader to see the same lines; its UTF-8 bytes."""
    if not isinstance(text, str) or not text:
        raise NoteError(f"the {what} is empty")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise NoteError(f"the {what} is not valid Unicode text") from None
    if not text.endswith("\n"):
        raise NoteError(f"the {what} does not end in a newline")
    for ch in text:
        if ord(ch) < 0x20 and ch != "\n":
            raise NoteError(f"the {what} holds control character U+{ord(ch):04X}; only newline is allowed")
    return data


def format_checkpoint(origin: str, size: int, root: bytes) -> str:
    """The checkpoint body (note text): origin, tree size in decimal, base64 root, each on its own line."""
    if not isinstance(origin, str) or not origin or "\n" in origin:
        raise NoteError("a checkpoint's origin must be a non-empty single line")
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_TREE_SIZE:
        raise NoteError(f"a tree size must be a whole number from 0 to 2**63-1, not {size!r}")
    if not isinstance(root, bytes) or len(root) != 32:
        raise NoteError("a checkpoint's root hash must be 32 bytes")
    text = f"{origin}\n{size}\n{_b64(root)}\n"
    _check_text(text, "checkpoint")
    return text


class Signer:
    """Holds an Ed25519 private key; signs checkpoints."""

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        _check_name(name)
        if not isinstance(private_key, Ed25519PrivateKey):
            raise NoteError("checkpoints are signed with an Ed25519 key; this is another kind of key")
        self.name = name
        self._private_key = private_key
        self.key_id = key_id(name, self.public_key_bytes())

    def __repr__(self) -> str:  # never the key itself
        return f"<Signer {self.name}+{self.key_id.hex()}>"

    def public_key_bytes(self) -> bytes:
        return self._private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def verifier_key(self) -> str:
        return verifier_key(self.name, self.public_key_bytes())

    def sign_note(self, text: str) -> str:
        """The signed note: ``text``, a blank line, and this key's signature line."""
        signature = self._private_key.sign(_check_text(text))
        return f"{text}\n{SIGNATURE_PREFIX}{self.name} {_b64(self.key_id + signature)}\n"

    def sign_checkpoint(self, size: int, root: bytes, origin: str | None = None) -> str:
        """The signed checkpoint note for a tree of ``size`` leaves with root ``root``; origin defaults to the name."""
        return self.sign_note(format_checkpoint(self.name if origin is None else origin, size, root))


def parse_signer_key(text: str) -> Signer:
    """A Signer from a Go-style signer key ``PRIVATE+KEY+name+hexid+base64(0x01 || seed)``.

    For interoperating with keys made by Go's note.GenerateKey; the service itself keeps PEM files.
    """
    parts = text.strip().split("+", 4) if isinstance(text, str) else []
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"] or not _HEX_ID.fullmatch(parts[3]):
        raise NoteError("a signer key has the form PRIVATE+KEY+name+keyid+base64; this one does not")
    key = _b64decode(parts[4])
    if not key or key[0] != ALG_ED25519 or len(key) != 33:
        raise NoteError("the signer key is not an Ed25519 key (0x01 followed by a 32-byte seed)")
    signer = Signer(parts[2], Ed25519PrivateKey.from_private_bytes(key[1:]))
    if signer.key_id != bytes.fromhex(parts[3]):
        raise NoteError("the signer key's ID does not match its name and key: it was altered or mistyped")
    return signer


def generate_key_file(path: Path) -> None:
    """Write a new Ed25519 private key (PKCS#8 PEM, unencrypted) created with mode 0600; refuse to overwrite.

    The file is created with O_CREAT|O_EXCL and mode 0600 in one step, so the key is never readable by
    others, not even for a moment, and an existing key (whose checkpoints are already published) is
    never replaced by accident. A missing parent folder is created, readable by its owner only.
    """
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    except FileExistsError:
        raise NoteError(f"{path} already exists: refusing to overwrite a signing key") from None
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(pem)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def load_signer(path: Path, name: str, *, refuse_readable_by_others: bool) -> Signer:
    """Read the key; NoteError if missing/unreadable/not Ed25519, or (when asked) if group or others may use it.

    The mode is read from the opened file itself (fstat), so it is the mode of the file that was read.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise NoteError(f"signing key file {path} does not exist") from None
    except OSError as error:
        raise NoteError(f"signing key file {path} cannot be read: {error.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NoteError(f"signing key file {path} is not a regular file")
    with os.fdopen(fd, "rb") as file:
        mode = stat.S_IMODE(info.st_mode)
        if refuse_readable_by_others and mode & 0o077:
            raise NoteError(
                f"signing key file {path} has mode {mode:04o}, which gives group or other users access to it; "
                f"run: chmod 600 {path}"
            )
        try:
            data = file.read()
        except OSError as error:
            raise NoteError(f"signing key file {path} cannot be read: {error.strerror}") from None
    try:
        private_key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise NoteError(f"signing key file {path} does not hold an unencrypted PEM private key") from None
    if not isinstance(private_key, Ed25519PrivateKey):
        raise NoteError(f"signing key file {path} holds a {type(private_key).__name__}, not an Ed25519 key")
    return Signer(name, private_key)


# Verifying --------------------------------------------------------------------------------------


def _open(note: str | bytes, verifier: str) -> tuple[str, str]:
    """Check the note's form and its signature by ``verifier``; the note text and the key name."""
    name, kid, public_key = parse_verifier_key(verifier)
    key_label = f"{name} (key ID {kid.hex()})"
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError:
            raise NoteError("the note is not valid UTF-8") from None
    if not isinstance(note, str):
        raise NoteError("a note is text")
    try:
        size = len(note.encode("utf-8"))
    except UnicodeEncodeError:
        raise NoteError("the note is not valid Unicode text") from None
    if size > MAX_NOTE_BYTES:
        raise NoteError(f"the note is {size} bytes, more than the {MAX_NOTE_BYTES} accepted")
    for ch in note:
        if ord(ch) < 0x20 and ch != "\n":
            hint = " (Windows line endings?)" if ch == "\r" else ""
            raise NoteError(f"the note holds control character U+{ord(ch):04X}{hint}; only newline is allowed")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("the note is unsigned: there is no blank line followed by signature lines")
    text, block = note[: split + 1], note[split + 2 :]
    if not block:
        raise NoteError("the note is unsigned: nothing follows the blank line")
    if not block.endswith("\n"):
        raise NoteError("the note's last signature line does not end in a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"the note has {len(lines)} signature lines, more than the {MAX_SIGNATURES} accepted")

    verified, others = False, []
    for line in lines:
        signer_name, space, sig64 = line.removeprefix(SIGNATURE_PREFIX).partition(" ")
        signature = _b64decode(sig64)
        if not line.startswith(SIGNATURE_PREFIX) or not space or not _is_valid_name(signer_name):
            raise NoteError(f"the note has a line that is not a signature line ('— name signature'): {line[:80]!r}")
        if signature is None or len(signature) < 5:
            raise NoteError(f"the note's signature by {signer_name} is not valid base64 of a key ID and signature")
        if signer_name != name or signature[:4] != kid:
            others.append(f"{signer_name} (key ID {signature[:4].hex()})")
            continue
        try:
            public_key.verify(signature[4:], text.encode("utf-8"))
        except InvalidSignature:
            raise NoteError(
                f"the signature by {key_label} does not verify: the note was altered after it was signed"
            ) from None
        verified = True
    if not verified:
        same_name = [label for label in others if label.split(" ", 1)[0] == name]
        if same_name:
            raise NoteError(f"the note is not signed by {key_label}, only by another key of that name: {same_name[0]}")
        raise NoteError(f"the note is not signed by {key_label}; it is signed by {', '.join(others)}")
    return text, name


def verify_note(note: str | bytes, verifier: str) -> str:
    """The text of a signed note, once its signature by the verifier key is checked; NoteError otherwise."""
    return _open(note, verifier)[0]


def parse_checkpoint_text(text: str) -> tuple[str, int, bytes, tuple[str, ...]]:
    """Origin, tree size, root and extension lines of a checkpoint body (the note text, already verified)."""
    if not text.endswith("\n"):
        raise NoteError("the checkpoint does not end in a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("the checkpoint is malformed: it needs an origin, a tree size and a root hash line")
    if any(not line for line in lines):
        raise NoteError("the checkpoint is malformed: it has an empty line")
    origin, size_text, root_text, *extensions = lines
    if not _SIZE.fullmatch(size_text) or int(size_text) > MAX_TREE_SIZE:
        raise NoteError(
            f"the checkpoint's tree size {size_text[:30]!r} is not a canonical decimal number "
            "(digits only, no sign or leading zeros)"
        )
    root = _b64decode(root_text)
    if root is None or len(root) != 32:
        raise NoteError("the checkpoint's root hash is not the standard base64 of 32 bytes")
    return origin, int(size_text), root, tuple(extensions)


def open_checkpoint(note: str, verifier: str, *, origin: str | None = None) -> Checkpoint:
    """Verify the note's signature by that verifier key, then parse the checkpoint it signs.

    A signature line whose name and key ID match the verifier's must be present and verify; other
    signatures are ignored. ``origin``, when given, must equal the checkpoint's first line.
    """
    text, name = _open(note, verifier)
    log_origin, size, root, extensions = parse_checkpoint_text(text)
    if origin is not None and log_origin != origin:
        raise NoteError(f"the checkpoint is for log {log_origin!r}, not {origin!r}")
    if isinstance(note, bytes):
        note = note.decode("utf-8")
    return Checkpoint(origin=log_origin, size=size, root=root, note=note, key_name=name, extensions=extensions)
