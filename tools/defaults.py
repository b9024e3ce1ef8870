"""Every default the economics calculators use, each with its source or marked as an assumption.

A calculator that falls back on one of these lists it (value and source) in its result's
``assumptions``, so an answer never shows a number whose origin is unstated.

Per-chip defaults:

* all-in IT power per accelerator (kW) and the outside reference $/accelerator-hour come from
  ``knowledge/data/reference_cost_per_gpu_hour.csv`` (SemiAnalysis InferenceX dashboard), version
  ``C_jul2026_model``. Why that version: it is the newest one with a named commit (PR #659,
  ae3a240), its power column is the TCO model's "Chip Specifications All-In (W)" (chip plus its
  share of host, NICs and fans, *without* facility overhead; version A's larger figures appear to
  include facility overhead, which we apply separately through PUE), and its costs are the ones
  it states for the same date. A chip missing from version C falls back to the later
  ``D_later_upstream`` rows (same power values; TPU v7 only appears there). A chip in neither
  gets TDP x the median all-in/TDP ratio of the version-C chips, flagged as an estimate. A chip
  with no published TDP (Google TPUs) uses the third-party estimate its catalog row quotes in
  ``notes`` ("Epoch derives ~540 W", "a SemiAnalysis ~300 W estimate") in place of the TDP,
  flagged as such; a chip with neither (Inferentia2) needs ``power_kw``.
* cost basis per chip (:func:`cost_basis`), in this order, each said in the result with its basis
  and date: (1) the chip's default price in ``knowledge/data/prices.csv`` when its basis is
  ``server_all_in`` (a whole server per accelerator: what the TCO's capex means); (2) the
  SemiAnalysis reference $/accelerator-hour above (hyperscaler owning), used *as* the cost per
  installed hour; (3) a default price of the chip alone or of a baseboard kit, used as capex and
  flagged as a lower bound (the host server is missing); (4) a rental list price per
  accelerator-hour. A chip with none of these needs ``capex_per_accelerator``; the error says why
  (``knowledge/data/no_public_price.csv``: the reason no public price exists and when that was checked).
* capex per accelerator for build-outs and capex implications (:func:`capex_per_accelerator`): the
  default price when its basis is a purchase (server, chip or kit), with basis and date.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from functools import cache
from typing import Literal

from tools.catalog import Accelerator, PriceRow, default_price_row, find_accelerator, recording
from tools.data_csv import knowledge_csv
from tools.errors import InputError


@dataclass(frozen=True)
class Default:
    """One default value: what it is, in which unit, and where it comes from."""

    value: float
    unit: str
    source: str
    #: True when no public source backs the value: it is our assumption, shown as such.
    assumption: bool = False

    def describe(self, name: str) -> str:
        tag = "ASSUMPTION" if self.assumption else "source"
        unit = f" {self.unit}" if self.unit else ""
        return f"{name} = {self.value:g}{unit} ({tag}: {self.source})"


#: Power usage effectiveness (facility power / IT power).
PUE = Default(
    1.3,
    "",
    "Uptime Institute Global Data Center Survey 2024: industry average about 1.56-1.58, new large "
    "facilities 1.3 or better (https://cloudnews.tech/uptime-institute-highlights-decline-in-trust-in-ai-"
    "and-need-to-improve-sustainability-metrics-in-data-centers; "
    "https://intelligence.uptimeinstitute.com/resource/large-data-centers-are-mostly-more-efficient-analysis-confirms)",
)
#: Electricity price, USD per kWh.
ELECTRICITY = Default(
    0.0806,
    "USD/kWh",
    "EIA: average US retail price to industrial customers in 2023, 8.06 cents/kWh "
    "(https://www.statista.com/statistics/190680/us-industrial-consumer-price-estimates-for-retail-electricity-since-1970/)",
)
#: Colocation rate, USD per kW of IT load per month (used only when ``--colo`` is given).
COLO = Default(
    184.06,
    "USD/kW-month",
    "CBRE North America Data Center Trends H2 2024: average monthly asking rate for a 250-500 kW "
    "requirement in primary markets (https://www.cbre.com/insights/reports/north-america-data-center-trends-h2-2024)",
)
#: Facility construction cost, USD per MW of critical (IT) load.
FACILITY_CAPEX_PER_MW = Default(
    11.7e6,
    "USD/MW of IT load",
    "Cushman & Wakefield Data Center Development Cost Guide 2025: average cost to develop 1 MW of "
    "critical load across 19 US markets, $9.3M-$15M, average $11.7M "
    "(https://cushwake.cld.bz/Data-Center-Development-Cost-Guide-2025/8-9)",
)
#: Economic life of the facility (shell, power and cooling plant), years.
FACILITY_LIFE_YEARS = Default(
    15.0, "years", "our assumption for power and cooling plant life; no public source adopted", assumption=True
)
#: Depreciation life of servers and networking, years.
YEARS = Default(
    5.0,
    "years",
    "hyperscaler server useful lives in 10-K filings: Amazon 5 (from 2022), Meta 5 (from Q4 2022), "
    "Microsoft and Alphabet 6 (FY2023) - 5 is the shorter of the common values, fitting fast-ageing "
    "accelerators (https://shaulkoral.com/useful-life-of-servers-and-network-assets-at-tech-companies/)",
)
#: Annual cost of capital (discount rate of the capital annuity).
COST_OF_CAPITAL = Default(
    0.08, "per year", "our assumption for a large-company cost of capital; no public source adopted", assumption=True
)
#: Annual maintenance and support, as a fraction of server + networking capex.
MAINTENANCE = Default(
    0.02,
    "of capex per year",
    "our assumption (spares, support contracts, repairs); no public source adopted",
    assumption=True,
)
#: Networking (switches, optics, cables) as a fraction of server capex.
NETWORKING_FRACTION = Default(
    0.10,
    "of server capex",
    "H100 cluster cost sheet (tech-talk-cto 'H100 Freakonomics', Aug 2024): InfiniBand switches plus "
    "cables for 16,384 GPUs = $69.6M on $634.9M of nodes, about 11 %; 'about 10 %' is the traditional "
    "rule cited by jobandnetwork.com (https://substack.tech-talk-cto.com/p/h100-freakonomics-the-economical; "
    "https://docs.google.com/spreadsheets/d/1Ft3RbeZ-w43kYSiLfYc1vxO41mK5lmJpcPC9GOYHAWc)",
)
#: Fraction of installed hours an accelerator does paid work.
UTILIZATION = Default(0.8, "of hours", "our assumption for a well-run fleet; no public source adopted", assumption=True)

REFERENCE_FILE = "reference_cost_per_gpu_hour.csv"
REFERENCE_VERSION = "C_jul2026_model"
REFERENCE_FALLBACK_VERSION = "D_later_upstream"


@dataclass(frozen=True)
class ReferenceRow:
    """One chip's published figures from the InferenceX dashboard (see module docstring)."""

    key: str
    version: str
    in_effect: str
    tdp_w: float
    all_in_kw: float
    hyperscaler_usd_per_hour: float | None
    neocloud_usd_per_hour: float | None
    rental_usd_per_hour: float | None
    source: str

    def describe(self) -> str:
        return f"SemiAnalysis InferenceX GPU_SPECS '{self.key}', version {self.version} ({self.source})"


def _num(text: str) -> float | None:
    """A plain number, or None for blanks and ranges like '1.47 or 1.27'."""
    try:
        return float(text)
    except ValueError:
        return None


@cache
def reference_rows() -> dict[str, ReferenceRow]:
    """Catalog chip name -> its reference row (version C, else D); chips not in our catalog are skipped."""
    rows = knowledge_csv(REFERENCE_FILE)
    out: dict[str, ReferenceRow] = {}
    for version in (REFERENCE_VERSION, REFERENCE_FALLBACK_VERSION):
        for r in rows:
            if r["version"] != version:
                continue
            try:
                with recording():  # resolving the table's chip keys is not a use of those rows by the answer
                    name = find_accelerator(r["chip"]).name
            except InputError:
                continue
            if name in out:
                continue
            out[name] = ReferenceRow(
                key=r["chip"],
                version=version,
                in_effect=r["in_effect"],
                tdp_w=float(r["tdp_w"]),
                all_in_kw=float(r["all_in_power_kw_per_chip"]),
                hyperscaler_usd_per_hour=_num(r["costh_usd_per_chip_hr_hyperscaler_owning"]),
                neocloud_usd_per_hour=_num(r["costn_usd_per_chip_hr_neocloud_owning"]),
                rental_usd_per_hour=_num(r["costr_usd_per_chip_hr_rental"]),
                source=r["source"],
            )
    return out


@cache
def all_in_to_tdp_ratio() -> float:
    """Median of all-in kW / TDP kW over the version-C reference chips (used for chips without a row)."""
    return statistics.median(
        r.all_in_kw / (r.tdp_w / 1000) for r in reference_rows().values() if r.version == REFERENCE_VERSION
    )


_NOTED_TDP = re.compile(r"No official TDP[^.]*?~(\d+(?:\.\d+)?) ?W")


def estimated_tdp_w(chip: Accelerator) -> float | None:
    """The third-party TDP estimate quoted in a catalog row without an official TDP, e.g. TPU v5p
    "No official TDP; Epoch derives ~540 W" -> 540; None when the notes quote none."""
    match = _NOTED_TDP.search(chip.notes)
    return float(match.group(1)) if match else None


def all_in_power_kw(chip: Accelerator) -> tuple[float, str]:
    """(all-in IT kW per accelerator, where it comes from); ``InputError`` on ``power_kw`` when unknown."""
    ref = reference_rows().get(chip.name)
    if ref is not None:
        return ref.all_in_kw, f"{chip.name}: all-in power {ref.all_in_kw:g} kW per accelerator from {ref.describe()}"
    ratio = all_in_to_tdp_ratio()
    if chip.tdp_w:
        kw = chip.tdp_w / 1000 * ratio
        return kw, (
            f"{chip.name}: all-in power ESTIMATED as TDP {chip.tdp_w:g} W x {ratio:.3f} (median all-in/TDP of the "
            f"{REFERENCE_VERSION} reference chips) = {kw:.3f} kW; give --power-kw to override"
        )
    noted = estimated_tdp_w(chip)
    if noted:
        kw = noted / 1000 * ratio
        return kw, (
            f"{chip.name}: all-in power ESTIMATED as {noted:g} W (third-party TDP estimate quoted in the catalog notes; "
            f"the vendor publishes no TDP) x {ratio:.3f} (median all-in/TDP of the {REFERENCE_VERSION} reference chips) "
            f"= {kw:.3f} kW; low confidence, give --power-kw to override"
        )
    raise InputError(
        "power_kw",
        f"{chip.name} has no reference all-in power, no published TDP and no TDP estimate in the catalog; "
        "give power_kw (all-in kW per accelerator).",
    )


PURCHASE_BASES = ("server_all_in", "chip", "kit_per_chip", "bom_per_accelerator")
BASIS_WORDS = {
    "server_all_in": "all-in server cost per accelerator",
    "chip": "price of the chip alone (no host server: a lower bound for an all-in cost)",
    "kit_per_chip": "baseboard-kit price per accelerator (no host server: a lower bound for an all-in cost)",
    "bom_per_accelerator": "bill of materials per accelerator (cost to build, no margin)",
    "rental_per_hour": "rental list price per accelerator-hour",
}


@dataclass(frozen=True)
class CostBasis:
    """How a chip's cost is obtained: from a sourced price (capex) or a sourced $/accelerator-hour (reference)."""

    mode: Literal["price", "reference"]
    #: USD per accelerator (price) or USD per accelerator-hour (reference).
    value: float
    basis: str
    date: str
    source: str
    lower_bound: bool = False
    #: The life (years) a reference $/accelerator-hour is built on, when its source says (None: not said).
    life_years: float | None = None

    def describe(self, chip: str) -> str:
        if self.mode == "price":
            bound = " LOWER BOUND: the host server is not included." if self.lower_bound else ""
            return (
                f"{chip}: capex {self.value:,.0f} USD per accelerator = sourced price, basis {self.basis} "
                f"({BASIS_WORDS.get(self.basis, self.basis)}), dated {self.date}; source: {self.source}.{bound}"
            )
        return (
            f"{chip}: no sourced all-in price; cost per installed hour = sourced reference {self.value:g} USD per "
            f"accelerator-hour, basis {self.basis}, dated {self.date}; source: {self.source}. Capex, power and "
            "facility inputs are not used for it."
        )


def _price_basis(row: PriceRow) -> CostBasis:
    return CostBasis(
        "price",
        row.price_usd,
        row.basis,
        row.price_date,
        f"{row.origin}: {row.source}",
        row.basis in ("chip", "kit_per_chip"),
    )


#: The life behind SemiAnalysis InferenceX's 'hyperscaler owning' $/accelerator-hour: 4 years (its tier note).
_REFERENCE_LIFE_YEARS = 4.0


def cost_basis(chip: Accelerator) -> CostBasis:
    """The chip's cost basis for TCO (order in the module docstring); ``InputError`` on ``capex_per_accelerator`` when none."""
    price = default_price_row(chip.name)
    if price is not None and price.basis == "server_all_in":
        return _price_basis(price)
    ref = reference_cost(chip)
    if ref is not None and ref.hyperscaler_usd_per_hour:
        return CostBasis(
            "reference",
            ref.hyperscaler_usd_per_hour,
            f"SemiAnalysis InferenceX 'hyperscaler owning' $/accelerator-hour ({_REFERENCE_LIFE_YEARS:g}-year life; its "
            "inputs are not public)",
            f"version {ref.version}, in effect {ref.in_effect}",
            ref.describe(),
            life_years=_REFERENCE_LIFE_YEARS,
        )
    if price is not None and price.basis in PURCHASE_BASES:
        return _price_basis(price)
    if price is not None and price.basis == "rental_per_hour":
        return CostBasis(
            "reference",
            price.price_usd,
            "rental list price per accelerator-hour (what a renter pays, margin included)",
            price.price_date,
            f"{price.origin}: {price.source}",
        )
    raise InputError("capex_per_accelerator", no_price_message(chip))


#: What the analyst can give instead of a catalog price (API field, CLI flag).
GIVE_A_PRICE = (
    "give capex_per_accelerator (CLI --capex-per-accelerator: USD, all-in server cost per accelerator) or "
    "server_price with gpus_per_server (--server-price, --gpus-per-server), or add a dated price with "
    "'siliconomics catalog add-price'; no figure is computed without one."
)


@cache
def no_public_price() -> dict[str, dict[str, str]]:
    """Chip name -> its ``knowledge/data/no_public_price.csv`` row (why no public price exists, checked when)."""
    return {r["chip"]: r for r in knowledge_csv("no_public_price.csv")}


def no_price_message(chip: Accelerator) -> str:
    """Why the catalog holds no price for ``chip`` (the recorded reason and date when there is one), and what to give."""
    row = no_public_price().get(chip.name)
    if row is None:
        return f"{chip.name} has no sourced price and no sourced reference $/accelerator-hour in the catalog; {GIVE_A_PRICE}"
    return (
        f"{chip.name}: no public price exists (checked {row['checked_date']}): {row['reason']} Source: "
        f"{row['source']}. To cost it, {GIVE_A_PRICE}"
    )


def capex_per_accelerator(chip: Accelerator) -> tuple[float, str]:
    """(the chip's default purchase price per accelerator, a sentence with its basis, date and source);
    ``InputError`` on ``capex_per_accelerator`` when the catalog has none."""
    price = default_price_row(chip.name)
    if price is None and chip.name in no_public_price():
        raise InputError("capex_per_accelerator", no_price_message(chip))
    if price is None or price.basis not in PURCHASE_BASES:
        raise InputError(
            "capex_per_accelerator",
            f"{chip.name} has no sourced purchase price in the catalog; give capex_per_accelerator (USD, all-in server "
            "cost per accelerator).",
        )
    basis = _price_basis(price)
    return basis.value, basis.describe(chip.name)


def chip_capex_and_power(
    chip: Accelerator | None, capex: float | None, power_kw: float | None, notes: list[str]
) -> tuple[float, float]:
    """(capex per accelerator USD, all-in kW per accelerator): the user's values, else the chip's sourced
    defaults (each default's provenance appended to ``notes``). Without a chip both must be given."""
    if capex is None:
        if chip is None:
            raise InputError("capex_per_accelerator", "is required when no chip is given (USD per accelerator).")
        capex, how = capex_per_accelerator(chip)
        notes.append(how)
    if power_kw is None:
        if chip is None:
            raise InputError("power_kw", "is required when no chip is given (all-in kW per accelerator).")
        power_kw, how = all_in_power_kw(chip)
        notes.append(how)
    return capex, power_kw


def reference_cost(chip: Accelerator) -> ReferenceRow | None:
    """The chip's reference row, when the dashboard publishes one."""
    return reference_rows().get(chip.name)
