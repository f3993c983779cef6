"""Field encryption at rest: AES-256-GCM with a key from the `KECHUANG_FIELD_KEY` setting.

The key is 32 random bytes, base64-encoded (`python -c "import os,base64;print(base64.b64encode(os.urandom(32)).decode())"`).
A token is `kc1:` + urlsafe-base64(nonce(12) ‖ ciphertext ‖ tag(16)); the associated data binds a
token to its column (`"core.person.id_number"`), so a value copied into another column fails to decrypt.
Without a key configured, `enabled()` is False and encrypted fields store plain text (see docs/security.md).
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "kc1:"
NONCE_BYTES = 12


class DecryptionError(ValueError):
    """The token was altered, belongs to another column, or was made with another key."""


def _key_text() -> str:
    return getattr(settings, "KECHUANG_FIELD_KEY", "") or os.environ.get("KECHUANG_FIELD_KEY", "")


def enabled() -> bool:
    return bool(_key_text())


def load_key(text: str | None = None) -> bytes:
    text = _key_text() if text is None else text
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured("KECHUANG_FIELD_KEY 必须是 base64 编码的 32 字节密钥。") from None
    if len(key) != 32:
        raise ImproperlyConfigured("KECHUANG_FIELD_KEY 必须是 32 字节（AES-256）密钥。")
    return key


def is_token(value: str) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def encrypt(plaintext: str, *, context: str, key: bytes | None = None) -> str:
    key = key or load_key()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), context.encode())
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str, *, context: str, key: bytes | None = None) -> str:
    if not is_token(token):
        raise DecryptionError("不是加密字段值。")
    key = key or load_key()
    try:
        raw = base64.urlsafe_b64decode(token[len(PREFIX) :].encode())
    except (binascii.Error, ValueError):
        raise DecryptionError("加密字段值已损坏。") from None
    if len(raw) < NONCE_BYTES + 16:
        raise DecryptionError("加密字段值已损坏。")
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
    except InvalidTag:
        raise DecryptionError("加密字段值校验失败：已被篡改或密钥不符。") from None
