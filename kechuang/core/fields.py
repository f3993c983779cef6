"""`EncryptedCharField`: a CharField stored AES-GCM encrypted when `KECHUANG_FIELD_KEY` is set.

Python code sees plain text; the database holds `kc1:…` tokens. Without a key the field behaves as a
CharField (plain text), and rows written before the key was set are still read (a value without the
`kc1:` prefix is returned as is), so switching on is: set the key, then re-save the rows (see
docs/security.md). Encrypted columns cannot be searched or sorted by value in SQL: use it for fields
that are only ever displayed (ID numbers, phones), not filtered.
"""

from __future__ import annotations

from django.db import models

from kechuang.core import crypto


class EncryptedCharField(models.CharField):
    description = "加密字符串（AES-GCM）"

    def __init__(self, *args, **kwargs):
        # Room for the token: prefix + base64(nonce + text + tag). max_length bounds the plain text
        # (validated by forms/full_clean); the column is sized for the token.
        self.plain_max_length = kwargs.get("max_length", 255)
        super().__init__(*args, **kwargs)

    def _context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def db_type(self, connection):
        return f"varchar({self.token_length()})"

    def token_length(self) -> int:
        # utf-8 may use 4 bytes per character; base64 inflates by 4/3.
        raw = 12 + 4 * self.plain_max_length + 16
        return len(crypto.PREFIX) + 4 * ((raw + 2) // 3)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, "") or not crypto.enabled() or crypto.is_token(value):
            return value
        return crypto.encrypt(value, context=self._context())

    def from_db_value(self, value, expression, connection):
        if value in (None, "") or not crypto.is_token(value):
            return value
        return crypto.decrypt(value, context=self._context())

    def get_lookup(self, lookup_name):
        # Ciphertexts are randomised (a fresh nonce per write): only NULL tests are meaningful in SQL.
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)
