"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from harmonize.errors import ReviewError

HASHER = PasswordHasher()
MIN_LENGTH = 12
MAX_LENGTH = 1024
# What a password is verified against when the user does not exist: the same work either way,
# so the time of a failed sign-in does not tell whether the name exists.
_DUMMY = HASHER.hash("not a password of anyone's")


def check_new_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise ReviewError(f"the password is too short ({len(password)} characters, at least {MIN_LENGTH})")
    if len(password) > MAX_LENGTH:
        raise ReviewError(f"the password is too long (at most {MAX_LENGTH} characters)")
    if password.strip() != password or "\x00" in password:
        raise ReviewError("the password starts or ends with white space, or holds a NUL character")


def hash_password(password: str) -> str:
    check_new_password(password)
    return HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    try:
        return HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
