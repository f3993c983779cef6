"""Field encryption at rest: AES-256-GCM, or SM4-GCM (国密), chosen per deployment by `KECHUANG_CRYPTO`.

| cipher | token prefix | key (base64, environment) |
|---|---|---|
| AES-256-GCM (`KECHUANG_CRYPTO=intl`, default) | `kc1:` | `KECHUANG_FIELD_KEY`, 32 bytes |
| SM4-GCM (`KECHUANG_CRYPTO=gm`, GB/T 32907 block cipher in GCM mode) | `sm4:` | `KECHUANG_FIELD_SM4_KEY`, 16 bytes |

A token is its prefix + urlsafe-base64(nonce(12) ‖ ciphertext ‖ tag(16)); the prefix records the cipher, so
a column may hold both while a deployment moves from one to the other (new writes use the configured cipher,
every token is read with its own; `kechuang reencrypt` rewrites the old ones). Both tokens have the same
length, so a column sized for one holds the other. The associated data binds a token to its column
(`"core.person.id_number"`), so a value copied into another column fails to decrypt. Without the configured
cipher's key, `enabled()` is False and encrypted fields store plain text (see docs/security.md).
Key: `python -c "import os,base64;print(base64.b64encode(os.urandom(32)).decode())"` (16 for SM4).
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionError(ValueError):
    """The token was altered, belongs to another column, or was made with another key."""


def _aes_seal(key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    return AESGCM(key).encrypt(nonce, data, aad)


def _aes_open(key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    return AESGCM(key).decrypt(nonce, sealed, aad)


def _sm4_seal(key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _sm4_open(key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    body, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    return decryptor.update(body) + decryptor.finalize()


@dataclass(frozen=True)
class FieldCipher:
    name: str
    prefix: str
    key_setting: str
    key_bytes: int
    seal: Callable[[bytes, bytes, bytes, bytes], bytes]
    open: Callable[[bytes, bytes, bytes, bytes], bytes]


AES = FieldCipher("AES-256-GCM", "kc1:", "KECHUANG_FIELD_KEY", 32, _aes_seal, _aes_open)
SM4 = FieldCipher("SM4-GCM", "sm4:", "KECHUANG_FIELD_SM4_KEY", 16, _sm4_seal, _sm4_open)
CIPHERS = {cipher.prefix: cipher for cipher in (AES, SM4)}
SUITE_CIPHERS = {"intl": AES, "gm": SM4}
PREFIX = AES.prefix  # every prefix has this length (column sizes depend on it)
assert all(len(prefix) == len(PREFIX) for prefix in CIPHERS)


def current() -> FieldCipher:
    """The cipher new values are written with (`KECHUANG_CRYPTO`)."""
    return SUITE_CIPHERS[getattr(settings, "KECHUANG_CRYPTO", "intl")]


def _key_text(cipher: FieldCipher) -> str:
    return getattr(settings, cipher.key_setting, "") or os.environ.get(cipher.key_setting, "")


def enabled() -> bool:
    return bool(_key_text(current()))


def load_key(text: str | None = None, cipher: FieldCipher | None = None) -> bytes:
    cipher = cipher or current()
    text = _key_text(cipher) if text is None else text
    if not text:
        raise ImproperlyConfigured(f"未设置 {cipher.key_setting}：无法读写 {cipher.name} 加密的字段。")
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(
            f"{cipher.key_setting} 必须是 base64 编码的 {cipher.key_bytes} 字节密钥。"
        ) from None
    if len(key) != cipher.key_bytes:
        raise ImproperlyConfigured(
            f"{cipher.key_setting} 必须是 {cipher.key_bytes} 字节（{cipher.name}）密钥。"
        )
    return key


def is_token(value: str) -> bool:
    return isinstance(value, str) and value[: len(PREFIX)] in CIPHERS


def cipher_of(token: str) -> FieldCipher:
    return CIPHERS[token[: len(PREFIX)]]


def encrypt(
    plaintext: str, *, context: str, key: bytes | None = None, cipher: FieldCipher | None = None
) -> str:
    cipher = cipher or current()
    key = key or load_key(cipher=cipher)
    nonce = os.urandom(NONCE_BYTES)
    sealed = cipher.seal(key, nonce, plaintext.encode(), context.encode())
    return cipher.prefix + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str, *, context: str, key: bytes | None = None) -> str:
    """Decrypt with the cipher the token names (each with its own key)."""
    if not is_token(token):
        raise DecryptionError("不是加密字段值。")
    cipher = cipher_of(token)
    key = key or load_key(cipher=cipher)
    try:
        raw = base64.urlsafe_b64decode(token[len(PREFIX) :].encode())
    except (binascii.Error, ValueError):
        raise DecryptionError("加密字段值已损坏。") from None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("加密字段值已损坏。")
    try:
        return cipher.open(key, raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
    except (InvalidTag, ValueError):
        raise DecryptionError("加密字段值校验失败：已被篡改或密钥不符。") from None
