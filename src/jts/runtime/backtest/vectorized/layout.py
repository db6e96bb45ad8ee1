"""Column numbers of the kernel's state and log arrays, shared by the numba kernel and the
Python code around it (numba reads module-level integers as compile-time constants).

Per-instrument state lives in one ``int64`` row and one ``float64`` row; quantities are
integer *units* (``value * 10**scale``) at the instrument's lot scale (orders) or holding
scale (holdings, finer when a fee is taken in the base asset); prices are units at the
instrument's price scale. Cash is ``float64`` per currency: every decision that depends on
it is checked again in ``Decimal`` by the replay (``replay``).
"""

from __future__ import annotations

# --- instrument parameters (int64 ``spec`` row) ---------------------------------------------
P_CURRENCY = 0  # index of the quote currency in the cash arrays
P_PRICE_SCALE = 1
P_QTY_SCALE = 2
P_HOLD_EXTRA = 3  # holding scale = quantity scale + this (base-asset fee digits)
P_LOT = 4  # lot size in quantity units
P_MIN_QTY = 5
P_MAX_QTY = 6  # 0: no maximum
P_MAX_MARKET_QTY = 7  # 0: no maximum
P_MIN_NOTIONAL = 8  # units of price * quantity (scale price + quantity); 0: none
P_MIN_NOTIONAL_MARKET = 9  # 1: the minimum applies to market orders (at the last price)
P_MAX_NOTIONAL = 10  # 0: none
P_MAX_NOTIONAL_MARKET = 11
P_HAS_BAND = 12  # KRX daily price band
P_BAND_NUM = 13  # band rate = num / den (0.30 = 30 / 100)
P_BAND_DEN = 14
P_MAKER_NUM = 15  # fee rates = num / P_FEE_DEN
P_TAKER_NUM = 16
P_FEE_DEN = 17
P_FEE_IN_BASE = 18  # 1: buys pay the fee in the base asset (Binance)
P_FEE_FLOOR = 19  # fee floored onto this step, in units of price * quantity; 0: exact
P_RESERVE_MAKER = 20  # 1: reservations use the maker rate (it is the higher)
P_BUFFER_NUM = 21  # market buy buffer = num / den (crypto reservations)
P_BUFFER_DEN = 22
P_SIZING = 23  # sizing form, SIZE_*
P_TTL = 24  # limit entry time to live in bars; 0: none
P_LIMIT_ENTRY = 25  # 1: entries are limit orders
P_HAS_STOP = 26  # stop-loss or trailing stop configured
P_HAS_TARGET = 27
P_HAS_TRAIL = 28
P_PERCENT_PRICE = 29  # 1: Binance percent-price filter applies to limit prices
P_CAP_VOLUME_MUL = 30  # participation: volume units * rate num * this = capacity units
P_CAP_QTY_MUL = 31  # ... and quantity units * this = capacity units
P_VOLUME_SCALE = 32
P_COLUMNS = 33

# float64 ``spec`` row
F_BID_DOWN = 0  # Binance PERCENT_PRICE_BY_SIDE multipliers
F_BID_UP = 1
F_ASK_DOWN = 2
F_ASK_UP = 3
F_COLUMNS = 4

SIZE_QUANTITY = 0
SIZE_PERCENT = 1
SIZE_KELLY = 2
SIZE_RISK = 3

# --- per-instrument state (int64 ``state`` row) ----------------------------------------------
S_HOLD = 0  # units at the holding scale
S_HOLD_LOCKED = 1  # locked by the working exit sell
S_LAST = 2  # last close (price units); 0 before the first bar
S_BAND = 3  # 1: a band is known for the session
S_BAND_LOW = 4
S_BAND_HIGH = 5
S_E_SEQ = 6  # entry order: sequence number, 0 when none works
S_E_LIMIT = 7  # limit price units; 0: market
S_E_QTY = 8
S_E_LEAVES = 9
S_E_FILLED = 10
S_E_BARS = 11  # bars the entry has worked
S_X_SEQ = 12  # exit market sell (an exit, or a triggered stop's rest)
S_X_LEAVES = 13
S_X_REASON = 14
S_S_SEQ = 15  # protective stop
S_S_TRIGGER = 16
S_S_LEAVES = 17
S_T_SEQ = 18  # protective take-profit
S_T_LIMIT = 19
S_T_LEAVES = 20
S_SL_LEVEL = 21  # levels fixed at the entry signal; 0: none
S_TP_LEVEL = 22
S_TRAIL_LEVEL = 23
S_ENTRY_DONE = 24  # 1: the entry order finished in this bar
S_PROTECT_FILLED = 25  # 1: the stop filled in this bar, 2: the take-profit
S_X_REDUCE = 26  # 1: the exit is a triggered stop's rest (reduce-only, locks nothing)
S_TRADE_OPEN = 27  # 1: a round trip is open (see ``results.TradeBook``)
S_S_REASON = 28  # R_STOP_LOSS or R_TRAILING_STOP: which level the trigger comes from
S_COLUMNS = 29

# float64 ``state`` row
G_E_RESERVED = 0  # cash the entry order locks
G_E_RESERVE_PRICE = 1  # the unit price it was reserved at
G_TRADE_FLOW = 2  # cash flow of the open round trip, quote currency
G_COLUMNS = 3

# --- money rows (float64 ``money[row, currency]``) -------------------------------------------
CASH = 0  # total cash
LOCKED = 1  # cash reserved by working buys

# --- reasons, sides, liquidity -------------------------------------------------------------
R_ENTRY = 0
R_EXIT = 1
R_STOP_LOSS = 2
R_TAKE_PROFIT = 3
R_TRAILING_STOP = 4
REASONS = ("entry", "exit", "stop_loss", "take_profit", "trailing_stop")

BUY = 0
SELL = 1
TAKER = 0
MAKER = 1

# --- the log: one int64 row per thing that happened ------------------------------------------
L_KIND = 0
L_EVENT = 1  # index into the merged bar timeline
L_INST = 2
L_SEQ = 3  # order sequence number
L_SIDE = 4
L_QTY = 5  # quantity units
L_PRICE = 6  # price units (fills; limit or trigger for orders)
L_LIQUIDITY = 7
L_REASON = 8
L_DECISION = 9  # decision number checked by the replay; -1: none
L_CUT = 10  # fills: 1 when the buy was cut to what the account could pay
L_AUX = 11  # fills: the price before slippage
L_SLIP_DECISION = 12  # fills: the volume-share slippage decision; -1: none
L_ASKED = 13  # buy fills and payability cancels: the quantity the buy tried to fill
L_COLUMNS = 14

K_SUBMIT = 0  # an order was sent
K_FILL = 1
K_CANCEL = 2  # canceled by the program (ttl, OCO, exit) or by the exchange
K_MODIFY = 3  # a stop's trigger moved (L_PRICE)
K_SKIP = 4  # an entry signal was sized to nothing or refused by the venue rules
K_REJECT = 5  # the venue rules refused an exit or protective order (not sent)

# --- bar columns (tuple ``bars``) and signal columns (tuple ``signals``) --------------------
B_TS = 0  # close time
B_OPEN = 1
B_HIGH = 2
B_LOW = 3
B_CLOSE = 4
B_VOLUME = 5
B_TICKS = 6  # row of the tick table in force on the bar's session date
B_ROLL = 7  # 1: a new session starts with this bar (the KRX band rolls)
B_STT = 8  # KRX sell tax rates of a sale settling from this bar, in 1e-8
B_RURAL = 9

Q_ENTRY = 0  # bool: entry long fired
Q_EXIT = 1  # bool: exit long fired
Q_READY = 2  # bool: size, limit and stop inputs are known (entries need it)
Q_LIMIT = 3  # int64: the entry limit price units (rounded down); 0: market entries
Q_STOP = 4  # int64: stop-loss level units fixed at this bar (rounded up); 0: none
Q_TARGET = 5  # int64: take-profit level units (rounded up); 0: none
Q_TRAIL = 6  # int64: trailing level from this close (rounded up); 0: none
Q_SIZE = 7  # float64: the sizing value (quantity, fraction, kelly fraction, risk)
Q_CAP = 8  # float64: the kelly cap
Q_DISTANCE = 9  # float64: the risk stop distance (price)

# --- counters (int64 array) and run parameters (float64 array) ------------------------------
C_LOG = 0  # rows written
C_DECISION = 1  # decisions numbered
C_SEQ = 2  # orders sent
C_STATUS = 3
C_POINT = 4  # equity points written
C_COLUMNS = 5

X_PARTICIPATION_NUM = 0  # participation rate = num / den; den 0: no cap
X_PARTICIPATION_DEN = 1
X_SLIP_KIND = 2  # 0 none, 1 fixed bps, 2 volume share
X_SLIP_NUM = 3  # fixed: fraction num / den of the price; volume share: impact as a float
X_SLIP_DEN = 4
X_COLUMNS = 5
SLIP_NONE = 0
SLIP_FIXED = 1
SLIP_VOLUME = 2

# --- run statistics (float64 array): closed trades for kelly, then each closed trade's pnl
# in the base currency (floats, for sweeps) from ``T_COLUMNS`` on ---------------------------
T_WINS = 0
T_LOSSES = 1
T_TRADES = 2
T_SUM_WIN = 3
T_SUM_LOSS = 4
T_COLUMNS = 5

# --- kernel status --------------------------------------------------------------------------
STATUS_OK = 0
STATUS_LOG_FULL = 1
NO_OVERRIDE = -1
