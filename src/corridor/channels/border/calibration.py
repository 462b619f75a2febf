"""Calibrating the national model to what surveys report, and the shipped posterior.

The composition layer over :mod:`.national`: it reads the model's input tables (priors, device
ownership by year, crackdown periods, where people who left come from, the published targets),
builds the provincial inputs from a population grid, runs approximate Bayesian computation with
PyMC's ``Simulator`` and sequential Monte Carlo (Sisson, Fan & Tanaka 2007, *Sequential Monte
Carlo without likelihoods*, PNAS 104:1760; Del Moral, Doucet & Jasra 2006, JRSS-B 68:411), and
writes and reads the posterior (``data/national_posterior.npz``).

Observation model for target ``i`` (share ``s_i``, binomial standard error ``se_i``)::

    s_i ~ Normal(ŝ_i(θ), sqrt(se_i² + (σ_d·ŝ_i·(1 − ŝ_i))²))

with ``ŝ_i`` from :func:`.national.survey_share` (provinces of the sample, years of exposure,
the sample's selection term, β for people who left or β_in for residents reached by phone, plus
the wider question's term where a survey asked about any foreign video) and ``σ_d`` (the
parameter ``survey_spread``, on the log-odds, carried to the share by the delta method) what else
differs between surveys, inferred with the rest. The
simulator is deterministic given θ, so the Simulator's distance is this Gaussian log-density
exactly (:func:`_normal_log_density`: standardised residuals and the log of each standard
deviation), not an approximation of it.
"""

from __future__ import annotations

import csv
import json
import logging
import math
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from corridor.channels.border import national, parameters
from corridor.errors import CorridorError

if TYPE_CHECKING:
    from corridor.geo.grid import PopulationGrid

#: Parameters of the shipment table that the calibration infers (priors from ``parameters.csv``).
FROM_SHIPMENT_TABLE = ("copy_rate", "pass_rate", "crackdown_rate")
#: Who a sample stands for: the provinces it comes from.
FRAMES = ("defector_origin", "national")
SAMPLED = ("left", "inside")
DISTRIBUTIONS = ("uniform", "loguniform", "normal")
POSTERIOR_FILE = "national_posterior.npz"
#: The parameter for what else differs between surveys (σ_d, log-odds), added in quadrature to
#: each figure's sampling error after the delta method (× ŝ(1 − ŝ)).
SPREAD = "survey_spread"
#: Shares ever exposed are stored as 16-bit integers (steps of 1.5e-5).
QUANT = 65535.0
#: Draws kept in the shipped posterior.
KEEP_DRAWS = 1000


def _data(name: str):
    return resources.files("corridor.channels.border").joinpath("data", name)


def _rows(path: Path | str | None, name: str) -> tuple[str, list[dict[str, str]]]:
    source = str(path) if path is not None else f"channels/border/data/{name}"
    opened = Path(path) if path is not None else _data(name)
    try:
        with opened.open("r", encoding="utf-8", newline="") as f:
            return source, list(csv.DictReader(f))
    except OSError as exc:
        raise CorridorError(f"cannot read the table ({exc.strerror})", source=source) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CorridorError(f"not a CSV table ({exc})", source=source) from None


def _number(row: dict, key: str, source: str, line: int) -> float:
    try:
        value = float(row.get(key) or "nan")
    except ValueError:
        raise CorridorError("must be a number", source=f"{source}:{line}", field=key, value=row.get(key)) from None
    if not math.isfinite(value):
        raise CorridorError("must be a finite number", source=f"{source}:{line}", field=key, value=row.get(key))
    return value


# --------------------------------------------------------------------------------------------
# The input tables


@dataclass(frozen=True)
class Prior:
    """One calibrated parameter: ``uniform``/``loguniform`` on [low, high], or ``normal`` (mean, sd)."""

    name: str
    symbol: str
    unit: str
    distribution: str
    low: float
    high: float
    meaning: str
    source: str

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        if self.distribution == "uniform":
            return rng.uniform(self.low, self.high, n)
        if self.distribution == "loguniform":
            return np.exp(rng.uniform(np.log(self.low), np.log(self.high), n))
        return rng.normal(self.low, self.high, n)

    def interval90(self) -> tuple[float, float]:
        if self.distribution == "uniform":
            w = self.high - self.low
            return self.low + 0.05 * w, self.high - 0.05 * w
        if self.distribution == "loguniform":
            a, b = np.log(self.low), np.log(self.high)
            return float(np.exp(a + 0.05 * (b - a))), float(np.exp(b - 0.05 * (b - a)))
        return self.low - 1.645 * self.high, self.low + 1.645 * self.high


def read_priors(path: Path | str | None = None) -> dict[str, Prior]:
    """The priors: ``data/national_priors.csv`` plus the rows of ``parameters.csv`` named in
    :data:`FROM_SHIPMENT_TABLE`. A prior with no mass (low ≥ high, a log-uniform bound ≤ 0, a
    standard deviation ≤ 0, an unknown distribution) is a :class:`CorridorError` naming the field."""
    source, rows = _rows(path, "national_priors.csv")
    table = parameters.table()
    out: dict[str, Prior] = {}
    for name in FROM_SHIPMENT_TABLE:
        p = table[name]
        out[name] = Prior(name, p.symbol, p.unit, p.distribution, p.low, p.high, p.meaning,
                          f"{p.source} (range of the shipment table)")
    for line, row in enumerate(rows, start=2):
        where = f"{source}:{line}"
        name = (row.get("name") or "").strip()
        if not name:
            raise CorridorError("a prior needs a name", source=where, field="name", value=row.get("name"))
        dist = (row.get("distribution") or "").strip()
        if dist not in DISTRIBUTIONS:
            raise CorridorError("unknown distribution", source=where, field="distribution", value=dist,
                                hint="one of " + ", ".join(DISTRIBUTIONS))
        low, high = _number(row, "low", source, line), _number(row, "high", source, line)
        if dist == "normal" and high <= 0:
            raise CorridorError("a normal prior needs a standard deviation > 0 (column high)",
                                source=where, field="high", value=row["high"])
        if dist != "normal" and not low < high:
            raise CorridorError("the prior has no mass: low must be below high", source=where,
                                field="low", value=row["low"])
        if dist == "loguniform" and low <= 0:
            raise CorridorError("a log-uniform prior needs low > 0", source=where, field="low", value=row["low"])
        out[name] = Prior(name, row.get("symbol", ""), row.get("unit", ""), dist, low, high,
                          row.get("meaning", ""), row.get("source", ""))
    missing = sorted(set(REQUIRED) - set(out))
    if missing:
        raise CorridorError("missing priors", source=source, field="name", value=", ".join(missing))
    return out


#: Priors the model needs besides those of the shipment table.
#: The log-odds terms a target may carry (column ``bias``, joined by ``+``): the selection of people
#: who left and that of residents reached from abroad (chosen in unlike ways), and the wider
#: question ("any foreign video", which also counts television received across the border)
#: against one about smuggled discs.
BIAS_TERMS = ("bias_left", "bias_inside", "broad_measure")
REQUIRED = ("inflow_2010", "inflow_growth", "exposed_2000", "closure_factor", "law_factor", *BIAS_TERMS, SPREAD)


@dataclass(frozen=True)
class Target:
    """One published figure the model is fitted to (a row of ``data/exposure_targets.csv``)."""

    study: str
    share: float
    n: int
    se: float
    exposure_from: int
    exposure_to: int
    sampled: str
    frame: str
    bias: str
    measure: str
    source: str

    @property
    def label_year(self) -> int:
        """The year a figure is shown at: the last year of exposure it measures."""
        return self.exposure_to

    @property
    def terms(self) -> tuple[str, ...]:
        """The log-odds terms added to this target's modelled share."""
        return () if self.bias == "none" else tuple(self.bias.split("+"))


def figure_sd(se, spread, predicted) -> np.ndarray:
    """Standard deviation of a figure about the model, ``√(se² + (σ_d·ŝ(1 − ŝ))²)``: its sampling
    error ``se`` and ``spread`` σ_d (the other differences between surveys, on the log-odds) at the
    modelled share ``predicted`` ŝ, carried to the share scale by the delta method (Agresti 2013, *Categorical Data Analysis*,
    3rd ed., §16.1)."""
    p = np.asarray(predicted, float)
    return np.hypot(se, np.asarray(spread, float) * p * (1.0 - p))


def read_targets(path: Path | str | None = None) -> list[Target]:
    """The calibration targets; each must have a share in (0, 1), n ≥ 1, se > 0, years of exposure
    within the model's span, a known sample and frame. Errors name the row and field."""
    source, rows = _rows(path, "exposure_targets.csv")
    if not rows:
        raise CorridorError("no targets in the table", source=source)
    out = []
    for line, row in enumerate(rows, start=2):
        where = f"{source}:{line}"
        share = _number(row, "share", source, line)
        if not 0.0 < share < 1.0:
            raise CorridorError("a share must lie between 0 and 1", source=where, field="share", value=row["share"])
        n = _number(row, "n", source, line)
        if n < 1 or n != int(n):
            raise CorridorError("the sample size must be a whole number ≥ 1", source=where, field="n", value=row["n"])
        se = _number(row, "se", source, line)
        if not 0.0 < se < 0.5:
            raise CorridorError("the standard error must lie between 0 and 0.5", source=where, field="se", value=row["se"])
        years = []
        for key in ("exposure_from", "exposure_to"):
            y = _number(row, key, source, line)
            if y != int(y) or not national.FIRST_YEAR <= y <= national.LAST_YEAR:
                raise CorridorError(f"the year must lie in the model's span, {national.FIRST_YEAR}–{national.LAST_YEAR}",
                                    source=where, field=key, value=row[key])
            years.append(int(y))
        if years[0] > years[1]:
            raise CorridorError("exposure_from is after exposure_to", source=where, field="exposure_from", value=row["exposure_from"])
        for key, allowed in (("sampled", SAMPLED), ("frame", FRAMES)):
            if row.get(key) not in allowed:
                raise CorridorError("unknown value", source=where, field=key, value=row.get(key),
                                    hint="one of " + ", ".join(allowed))
        terms = (row.get("bias") or "").split("+")
        if row.get("bias") != "none" and not (set(terms) <= set(BIAS_TERMS) and len(set(terms)) == len(terms)):
            raise CorridorError("unknown value", source=where, field="bias", value=row.get("bias"),
                                hint="none, or terms joined by +: " + ", ".join(BIAS_TERMS))
        study = (row.get("study") or "").strip()
        if not study:
            raise CorridorError("a target needs its study", source=where, field="study", value=row.get("study"))
        out.append(Target(study, share, int(n), se, years[0], years[1], row["sampled"], row["frame"],
                          row["bias"], row.get("measure", ""), row.get("source", "")))
    return out


def read_periods(path: Path | str | None = None) -> list[dict]:
    """Crackdown and closure periods: ``{name, start, end, effect, parameter, exponent, source}``,
    with ``start`` and ``end`` as ``(year, month)``."""
    source, rows = _rows(path, "crackdown_periods.csv")
    out = []
    for line, row in enumerate(rows, start=2):
        where = f"{source}:{line}"
        stamps = []
        for key in ("start", "end"):
            try:
                y, m = (int(v) for v in row[key].split("-"))
                if not 1 <= m <= 12:
                    raise ValueError
            except (ValueError, AttributeError):
                raise CorridorError("must be YYYY-MM", source=where, field=key, value=row.get(key)) from None
            stamps.append((y, m))
        if row.get("effect") not in ("inflow", "removal"):
            raise CorridorError("unknown effect", source=where, field="effect", value=row.get("effect"),
                                hint="inflow or removal")
        out.append({**row, "start": stamps[0], "end": stamps[1],
                    "exponent": _number(row, "exponent", source, line)})
    return out


def read_years(path: Path | str | None = None) -> dict[str, np.ndarray]:
    """Player ownership and the share of copies on discs, by year of the model (interpolated)."""
    source, rows = _rows(path, "national_years.csv")
    years = np.array([_number(r, "year", source, i) for i, r in enumerate(rows, start=2)])
    out = {"anchor_years": years}
    for key in ("player_share", "dvd_share"):
        values = np.array([_number(r, key, source, i) for i, r in enumerate(rows, start=2)])
        lowest_ok = 0.0 if key == "dvd_share" else 1e-9      # copying needs some players
        bad = np.flatnonzero((values < lowest_ok) | (values > 1))
        if bad.size:
            raise CorridorError("a share must lie between 0 and 1", source=f"{source}:{bad[0] + 2}",
                                field=key, value=rows[bad[0]][key])
        out[key] = national.interpolate_years(years, values)
    return out


def read_origins(provinces: tuple[str, ...], population: np.ndarray,
                 path: Path | str | None = None) -> np.ndarray:
    """Share of people who left from each province (sums to 1): named provinces as in the table,
    the ``rest`` row split over the other provinces by ``population`` (P,)."""
    source, rows = _rows(path, "defector_origins.csv")
    w = np.zeros(len(provinces))
    rest = 0.0
    for line, row in enumerate(rows, start=2):
        share = _number(row, "share", source, line)
        if not 0 <= share <= 1:
            raise CorridorError("a share must lie between 0 and 1", source=f"{source}:{line}", field="share", value=row["share"])
        if row["province"] == "rest":
            rest = share
        elif row["province"] in provinces:
            w[provinces.index(row["province"])] = share
        else:
            raise CorridorError("unknown province", source=f"{source}:{line}", field="province", value=row["province"])
    others = w == 0
    pop = np.asarray(population, float)
    w[others] = rest * pop[others] / pop[others].sum()
    return w / w.sum()


# --------------------------------------------------------------------------------------------
# Inputs from the grid


@dataclass(frozen=True)
class NationalInputs:
    """What the national model needs from the country: by province (P) and year (Y)."""

    provinces: tuple[str, ...]
    population: np.ndarray     # (Y, P) people
    entry: np.ndarray          # (P,) share of the inflow entering each province
    trade: np.ndarray          # (P, P) row-stochastic
    origins: np.ndarray        # (P,) provinces of people who left
    player_share: np.ndarray   # (Y,)
    dvd_share: np.ndarray      # (Y,)
    periods: list[dict] = field(default_factory=list)


def national_inputs(grid: PopulationGrid) -> NationalInputs:
    """Provincial inputs from ``grid``: population by year (provincial shares of the grid, scaled
    to the national total of each year; 2000–2007 at the 2008 census total), the crossings'
    provinces (inflow split equally between crossings, an assumption), and the county trade
    network of :mod:`.network` at the central rail weight and gravity exponent, summed over
    provinces with county populations as weights."""
    from corridor.channels.border import channel, crossings, network
    from corridor.geo.population import total_population

    provinces = tuple(grid.provinces)
    P = len(provinces)
    shares = np.bincount(grid.province, weights=grid.population, minlength=P)
    shares = shares / shares.sum()
    population = np.array([shares * total_population(int(max(y, 2008))) for y in national.YEARS])
    entry = np.zeros(P)
    county_province = np.zeros(len(grid.county_ids), dtype=int)
    county_province[grid.county] = grid.province
    for row in crossings.crossings().to_dict("records"):
        entry[county_province[channel.entry_county(grid, row["crossing_id"])]] += 1.0
    entry /= entry.sum()
    t = parameters.table()
    net = network.trade_network(grid, np.array([t["gravity_exponent"].central]))
    M = net.destinations(t["move_rail_weight"].central, t["gravity_exponent"].central)
    pop_c = channel.county_population(grid)
    onehot = np.zeros((len(grid.county_ids), P))
    onehot[np.arange(len(grid.county_ids)), county_province] = 1.0
    flows = (pop_c[:, None] * M) @ onehot                  # county → province
    trade = onehot.T @ flows                                # province → province
    np.fill_diagonal(trade, 0.0)                            # moves within a province stay put
    trade = network.row_normalise(trade)
    years = read_years()
    return NationalInputs(provinces=provinces, population=population, entry=entry, trade=trade,
                          origins=read_origins(provinces, population[-1]),
                          player_share=years["player_share"], dvd_share=years["dvd_share"],
                          periods=read_periods())


# --------------------------------------------------------------------------------------------
# The model as a function of θ


def run_model(theta: dict[str, np.ndarray], inputs: NationalInputs) -> np.ndarray:
    """Share ever exposed (D, Y, P) for draws ``theta`` (calibrated parameters; the other
    parameters of the shipment table at their central values)."""
    t = parameters.table()
    c = {name: p.central for name, p in t.items()}
    n = len(np.atleast_1d(theta["copy_rate"]))
    th = {k: np.atleast_1d(np.asarray(v, float)) for k, v in theta.items()}
    multiplier = national.step_factors(inputs.periods, th, "inflow")
    removal = national.step_factors(inputs.periods, th, "removal")
    inflow = national.inflow_by_step(th["inflow_2010"], th["inflow_growth"], multiplier) * (1.0 - c["p_intercept"])
    kappa = th["copy_rate"][:, None] * (inputs.dvd_share[None, :] * c["dvd_copy_factor"] + 1.0 - inputs.dvd_share[None, :])
    h = c["household_size"]
    lam = th["pass_rate"]
    shares = np.array([c["share_family"], c["share_friends"], c["share_market"]])
    w = shares / shares.sum()
    away = lam * (w[0] * c["family_away"] + w[2] * c["market_away"])
    exposed, _ = national.simulate(
        inflow=inflow, removal=removal, kappa=kappa, exposure_rate=lam * h + c["viewings_per_day"] * c["guests_per_viewing"],
        crackdown_rate=th["crackdown_rate"], away_rate=away, exposed_2000=th["exposed_2000"],
        population=inputs.population, entry=inputs.entry, trade=inputs.trade,
        copies_cap=inputs.player_share / h, household_size=np.full(n, h))
    return exposed


def target_weights(target: Target, inputs: NationalInputs) -> np.ndarray:
    if target.frame == "defector_origin":
        return inputs.origins
    pop = inputs.population[target.exposure_to - national.FIRST_YEAR]
    return pop / pop.sum()


def predict_targets(theta: dict[str, np.ndarray], exposed: np.ndarray, inputs: NationalInputs,
                    targets: list[Target]) -> np.ndarray:
    """What each target's survey would report under each draw, (D, T)."""
    cols = []
    for t in targets:
        idx = np.arange(t.exposure_from, t.exposure_to + 1) - national.FIRST_YEAR
        bias = sum((np.atleast_1d(np.asarray(theta[term], float)) for term in t.terms), start=np.zeros(1))
        cols.append(national.survey_share(exposed, target_weights(t, inputs), bias, idx))
    return np.column_stack(cols)


# --------------------------------------------------------------------------------------------
# Inference


@dataclass
class Posterior:
    """Draws of the calibrated parameters, their priors, and what they imply."""

    theta: dict[str, np.ndarray]        # name → (D,)
    prior: dict[str, np.ndarray]        # name → (Dp,) draws from the prior
    exposed: np.ndarray                 # (D, Y, P) share ever exposed, mid-year
    provinces: tuple[str, ...]
    population: np.ndarray              # (Y, P)
    origins: np.ndarray                 # (P,)
    entry: np.ndarray                   # (P,)
    trade: np.ndarray                   # (P, P)
    player_share: np.ndarray            # (Y,)
    dvd_share: np.ndarray               # (Y,)
    periods: list[dict] = field(default_factory=list)
    years: np.ndarray = field(default_factory=lambda: national.YEARS.copy())
    meta: dict = field(default_factory=dict)

    @property
    def draws(self) -> int:
        return int(self.exposed.shape[0])

    def national(self) -> np.ndarray:
        """(D, Y) share of all adults ever exposed."""
        return national.national_share(self.exposed, self.population)

    def inputs(self) -> NationalInputs:
        """The inputs the posterior was made with (the model can be rerun from the file alone)."""
        return NationalInputs(self.provinces, self.population, self.entry, self.trade, self.origins,
                              self.player_share, self.dvd_share, list(self.periods))


def _simulator(inputs: NationalInputs, targets: list[Target], names: tuple[str, ...], logs: tuple[bool, ...]):
    """The simulator for ``pm.Simulator``: each target's standardised residual, then the log of
    its standard deviation (both depend on θ, the second through σ_d)."""
    obs = np.array([t.share for t in targets])
    se = np.array([t.se for t in targets])

    def simulate(rng, *values, size=None):  # the model is deterministic given θ: rng and size unused
        theta = {n: np.exp(np.ravel(v)[:1]) if lg else np.ravel(v)[:1].astype(float) for n, v, lg in zip(names, values, logs)}
        pred = predict_targets(theta, run_model(theta, inputs), inputs, targets)[0]
        sd = figure_sd(se, theta[SPREAD][0], pred)
        return np.concatenate([(pred - obs) / sd, np.log(sd)])

    return simulate


def _normal_log_density(count: int):
    """The Simulator's distance: the Gaussian log-density of ``count`` figures (up to a constant)
    from what :func:`_simulator` returns, ``−r²/2`` for each residual and ``−log sd`` for each
    standard deviation. With σ_d inferred the ``−log sd`` terms matter: without them a wider
    spread would always fit better."""

    def distance(epsilon, obs_data, sim_data):
        import pytensor.tensor as pt

        return pt.concatenate([-0.5 * (sim_data[:count] / epsilon) ** 2, -sim_data[count:]])

    return distance


def _sample(pm, inputs, targets, priors, names, logs, *, draws, chains, cores, seed, progress):
    """The PyMC model (priors, ``pm.Simulator``) and ``pm.sample_smc``."""
    with pm.Model():
        rvs = []
        for name, lg in zip(names, logs):
            p = priors[name]
            if p.distribution == "normal":
                rvs.append(pm.Normal(name, p.low, p.high))
            elif lg:
                rvs.append(pm.Uniform(f"log_{name}", math.log(p.low), math.log(p.high)))
            else:
                rvs.append(pm.Uniform(name, p.low, p.high))
        pm.Simulator("targets", _simulator(inputs, targets, names, logs), *rvs,
                     distance=_normal_log_density(len(targets)), epsilon=1.0, observed=np.zeros(2 * len(targets)))
        return pm.sample_smc(draws=draws, chains=chains, cores=cores, random_seed=seed,
                             progressbar=progress, compute_convergence_checks=False)


def calibrate(inputs: NationalInputs, *, targets: list[Target] | None = None,
              priors: dict[str, Prior] | None = None, draws: int = 1000, chains: int = 2,
              cores: int = 2, seed: int = 0, progress: bool = False,
              observed_shares: np.ndarray | None = None) -> Posterior:
    """Sample the posterior of the calibrated parameters with PyMC's ``pm.Simulator`` (its
    distance the Gaussian log-density of the figures, :func:`_normal_log_density`) and
    ``pm.sample_smc``.

    ``observed_shares`` replaces the targets' published shares (for simulation-based
    calibration); ``draws`` is particles per chain. Returns a :class:`Posterior` holding at most
    :data:`KEEP_DRAWS` draws and the national model run for each.
    """
    import pymc as pm

    targets = list(targets if targets is not None else read_targets())
    if observed_shares is not None:
        from dataclasses import replace

        targets = [replace(t, share=float(s)) for t, s in zip(targets, observed_shares)]
    priors = priors or read_priors()
    names = tuple(priors)
    logs = tuple(priors[n].distribution == "loguniform" for n in names)
    started = time.perf_counter()
    logger = logging.getLogger("pymc")
    level = logger.level
    if not progress:   # the sampler's own progress lines are English only; the caller reports
        logger.setLevel(logging.WARNING)
    try:
        idata = _sample(pm, inputs, targets, priors, names, logs, draws=draws, chains=chains, cores=cores,
                        seed=seed, progress=progress)
    finally:
        logger.setLevel(level)
    post = idata.posterior
    theta = {}
    for name, lg in zip(names, logs):
        values = post[f"log_{name}" if lg else name].values.reshape(-1)
        theta[name] = np.exp(values) if lg else values
    rng = np.random.default_rng(seed)
    total = len(theta[names[0]])
    if total > KEEP_DRAWS:
        keep = rng.choice(total, KEEP_DRAWS, replace=False)
        theta = {k: v[keep] for k, v in theta.items()}
    prior = {name: priors[name].draw(KEEP_DRAWS, rng) for name in names}
    exposed = run_model(theta, inputs)
    meta = {"sampler": "pymc.sample_smc (IMH kernel) on pm.Simulator, Gaussian log-density as the distance",
            "pymc": pm.__version__, "draws_per_chain": draws, "chains": chains, "seed": seed,
            "seconds": round(time.perf_counter() - started, 1),
            "targets": [t.study for t in targets], "shares": [t.share for t in targets]}
    return Posterior(theta=theta, prior=prior, exposed=exposed.astype(np.float32), provinces=inputs.provinces,
                     population=inputs.population, origins=inputs.origins, entry=inputs.entry,
                     trade=inputs.trade, player_share=inputs.player_share, dvd_share=inputs.dvd_share,
                     periods=list(inputs.periods), meta=meta)


# --------------------------------------------------------------------------------------------
# The shipped posterior


def save_posterior(post: Posterior, path: Path | str) -> Path:
    """Write ``post`` as a compressed ``.npz`` (whole or nothing)."""
    from corridor.atomic import atomic_path

    arrays = {f"theta_{k}": v for k, v in post.theta.items()}
    arrays.update({f"prior_{k}": v for k, v in post.prior.items()})
    with atomic_path(Path(path)) as tmp, open(tmp, "wb") as f:
        exposed = np.round(np.clip(post.exposed, 0.0, 1.0) * QUANT).astype(np.uint16)
        np.savez_compressed(f, exposed=exposed, provinces=np.array(post.provinces),
                            population=post.population, origins=post.origins, entry=post.entry,
                            trade=post.trade, player_share=post.player_share, dvd_share=post.dvd_share,
                            periods=np.array(json.dumps(post.periods)), years=post.years,
                            meta=np.array(json.dumps(post.meta)), **arrays)
    return Path(path)


def read_posterior(path: Path | str) -> Posterior:
    """Read a posterior written by :func:`save_posterior`."""
    try:
        with np.load(path, allow_pickle=False) as z:
            theta = {k[6:]: z[k] for k in z.files if k.startswith("theta_")}
            prior = {k[6:]: z[k] for k in z.files if k.startswith("prior_")}
            exposed = z["exposed"]
            if exposed.dtype == np.uint16:
                exposed = exposed.astype(np.float32) / QUANT
            periods = [{**p, "start": tuple(p["start"]), "end": tuple(p["end"])}
                       for p in json.loads(str(z["periods"]))]
            return Posterior(theta=theta, prior=prior, exposed=exposed,
                             provinces=tuple(str(p) for p in z["provinces"]), population=z["population"],
                             origins=z["origins"], entry=z["entry"], trade=z["trade"],
                             player_share=z["player_share"], dvd_share=z["dvd_share"], periods=periods,
                             years=z["years"], meta=json.loads(str(z["meta"])))
    except (OSError, ValueError, KeyError) as exc:
        raise CorridorError(f"not a posterior file ({exc})", source=str(path)) from None


@lru_cache(maxsize=1)
def shipped_posterior() -> Posterior:
    """The posterior shipped with the package (``data/national_posterior.npz``)."""
    with resources.as_file(_data(POSTERIOR_FILE)) as path:
        return read_posterior(path)


# --------------------------------------------------------------------------------------------
# Summaries


def interval(values: np.ndarray, axis: int = 0) -> dict[str, np.ndarray]:
    """Median and 90 % interval over draws."""
    lo, med, hi = np.percentile(values, [5, 50, 95], axis=axis)
    return {"median": med, "lower90": lo, "upper90": hi}


def published_fit(post: Posterior, targets: list[Target] | None = None, *, seed: int = 0) -> list[dict]:
    """Each target beside the model: the posterior predictive of its survey share (model share,
    selection term, plus the sampling and discrepancy error) and whether the published figure
    lies inside its 90 % interval."""
    targets = targets if targets is not None else read_targets()
    pred = predict_targets(post.theta, post.exposed.astype(float), post.inputs(), targets)
    rng = np.random.default_rng(seed)
    out = []
    for j, t in enumerate(targets):
        sd = figure_sd(t.se, post.theta[SPREAD], pred[:, j])
        draws = np.clip(pred[:, j] + rng.normal(0.0, 1.0, pred.shape[0]) * sd, 0.0, 1.0)
        lo, hi = np.percentile(draws, [5, 95])
        out.append({"study": t.study, "year": t.label_year, "years": [t.exposure_from, t.exposure_to],
                    "sampled": t.sampled, "figure": t.share, "se": t.se,
                    "model_median": float(np.median(pred[:, j])), "predictive_lower90": float(lo),
                    "predictive_upper90": float(hi), "inside90": bool(lo <= t.share <= hi)})
    return out


def landscape(post: Posterior | None = None, *, year: int | None = None) -> dict:
    """The share of adults ever exposed to foreign video by year (national and by province,
    median and 90 % interval) and the fit to each published figure."""
    post = post or shipped_posterior()
    years = [int(y) for y in post.years]
    if year is not None and year not in years:
        raise CorridorError(f"the national model covers {years[0]}–{years[-1]}", field="--year", value=year)
    nat = interval(post.national())
    prov = interval(post.exposed.astype(float))
    out_years = {}
    for i, y in enumerate(years):
        if year is not None and y != year:
            continue
        out_years[str(y)] = {
            "exposed_median": float(nat["median"][i]), "exposed_lower90": float(nat["lower90"][i]),
            "exposed_upper90": float(nat["upper90"][i]),
            "provinces": {p: {"exposed_median": float(prov["median"][i, k]),
                              "exposed_lower90": float(prov["lower90"][i, k]),
                              "exposed_upper90": float(prov["upper90"][i, k])}
                          for k, p in enumerate(post.provinces)}}
    return {"years": out_years, "published": published_fit(post), "draws": post.draws,
            "parameters": parameter_summary(post)}


def parameter_summary(post: Posterior, priors: dict[str, Prior] | None = None) -> dict[str, dict]:
    """Posterior median and 90 % interval of each parameter beside its prior's."""
    priors = priors or read_priors()
    out = {}
    for name, values in post.theta.items():
        lo, med, hi = np.percentile(values, [5, 50, 95])
        p = priors.get(name)
        out[name] = {"median": float(med), "lower90": float(lo), "upper90": float(hi),
                     "prior": p.distribution if p else "", "prior_lower90": p.interval90()[0] if p else None,
                     "prior_upper90": p.interval90()[1] if p else None, "unit": p.unit if p else ""}
    return out


def background(post: Posterior, year: int) -> tuple[np.ndarray, int]:
    """Share ever exposed by province (D, P) in ``year`` (clamped to the model's span) and the
    year used."""
    used = int(min(max(year, int(post.years[0])), int(post.years[-1])))
    return post.exposed[:, used - int(post.years[0]), :].astype(float), used
