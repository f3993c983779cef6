"""Innovation vouchers (科技创新券), support funds and prizes, and the ledger behind them.

Money is Decimal 元 with 2 places (DESIGN.md convention 5). Every money movement is one append-only
`LedgerEntry` moving an amount from a `source` account to a `target` account; the balance columns on
programmes, vouchers, budget lines and allocations are caches updated by conditional UPDATEs in the same
transaction, and `ledger.ledger_check()` recomputes them from the entries.

Accounts (strings, so the ledger needs no polymorphic FKs):
  treasury          财政 (the outside world; may go negative; a budget cut goes back here)
  pool:<P>          a programme's yearly pool (not yet issued)
  voucher:<V>       a voucher's available amount
  hold:<V>          amounts reserved by redemption requests under review
  paid:<V>          amounts paid out on a voucher
  line:<L>          a support-fund / prize budget line (not yet allocated)
  alloc:<A>         an allocation's approved, unpaid amount
  paidalloc:<A>     instalments paid on an allocation
"""

from kechuang.vouchers.models.common import CENT, ZERO, money
from kechuang.vouchers.models.funds import Allocation, BudgetLine, Instalment
from kechuang.vouchers.models.ledger import LedgerEntry, StatusChange
from kechuang.vouchers.models.programmes import (
    Affiliation,
    Provider,
    ServiceItem,
    VoucherBatch,
    VoucherProgramme,
)
from kechuang.vouchers.models.vouchers import FirmAllowance, ProviderInvoice, Redemption, Voucher

__all__ = [
    "Affiliation",
    "Allocation",
    "BudgetLine",
    "CENT",
    "FirmAllowance",
    "Instalment",
    "LedgerEntry",
    "Provider",
    "ProviderInvoice",
    "Redemption",
    "ServiceItem",
    "StatusChange",
    "Voucher",
    "VoucherBatch",
    "VoucherProgramme",
    "ZERO",
    "money",
]
