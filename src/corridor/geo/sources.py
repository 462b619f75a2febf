"""Readers for the geographic data shipped with Corridor (see ``data/ATTRIBUTION.md``).

Every reader returns a fresh (Geo)DataFrame in WGS84 lon/lat; results of the file reads are
cached in memory, so repeated calls are cheap. Nothing here computes: the population grid and
the maps build on these tables.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import geopandas as gpd
import pandas as pd
import shapely

from corridor.geo.names import NE_HASC_TO_PROVINCE, PROVINCES, fold

WGS84 = "EPSG:4326"
#: Equal-area-enough projection used for every distance and area in Corridor: the Korean
#: unified coordinate system (Korea 2000 / Unified CS, Transverse Mercator on GRS80). Its scale
#: error over North Korea is under 0.1 %, so cell areas in it are true to that precision.
PROJECTED = "EPSG:5179"

ATTRIBUTION = ("Made with Natural Earth · GeoNames (geonames.org), CC BY 4.0 · "
               "Open Admin Data, CC BY 4.0 · DPRK CBS 2008 Census via KOSIS")


def _data(*parts: str):
    return resources.files("corridor.geo").joinpath("data", *parts)


@lru_cache(maxsize=None)
def _read_geojson(name: str) -> gpd.GeoDataFrame:
    with resources.as_file(_data("boundaries", name)) as path:
        return gpd.read_file(path).set_crs(WGS84, allow_override=True)


@lru_cache(maxsize=None)
def _read_csv(*parts: str) -> pd.DataFrame:
    with _data(*parts).open("r", encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


def census_2008() -> pd.DataFrame:
    """The 2008 census by county-level unit (208 rows), with numeric population columns.

    Columns include ``name_ko``, ``province_2008``, ``pop_total``, ``pop_male``,
    ``pop_female``, ``urban_total``, ``rural_total`` and the 2019 unit it belongs to,
    ``adm2_id_2019``. Province and country rows are in :func:`census_2008_totals`.
    """
    df = _read_csv("population", "kp_census2008_by_county.csv").copy()
    df = df[df["level"] == "county"].reset_index(drop=True)
    return _numeric(df)


def census_2008_totals() -> pd.DataFrame:
    """The country row and the ten province rows of the 2008 census, as published."""
    df = _read_csv("population", "kp_census2008_by_county.csv").copy()
    df = df[df["level"].isin(["country", "province"])].reset_index(drop=True)
    df.loc[df["level"] == "country", "province_2008"] = "North Korea"
    return _numeric(df)


def _numeric(df: pd.DataFrame) -> pd.DataFrame:
    for col in df.columns:
        if col.startswith(("pop_", "urban_", "rural_")):
            df[col] = pd.to_numeric(df[col].replace({"": "0", "-": "0"})).astype("int64")
    for col in ("lat", "lon"):
        df[col] = pd.to_numeric(df[col].replace({"": None}))
    return df


#: People counted by the 2008 census in military camps, not assigned to any area.
MILITARY_2008 = 702_372


def counties() -> pd.DataFrame:
    """The 179 second-level units of the 2019 scheme, with their 2008 census population.

    Where several 2008 units join one 2019 unit (the districts of Pyongyang, Chongjin and
    Hamhung), their census figures are added. Each unit keeps the 2008 province of its census
    rows (all rows of one unit share a province). The centre point is the Open Admin Data one.
    """
    census = census_2008()
    adm2 = _read_csv("admin", "kp_adm2_openadmindata.csv").copy()
    adm2["lat"] = adm2["lat"].astype(float)
    adm2["lon"] = adm2["lon"].astype(float)
    num = [c for c in census.columns if c.startswith(("pop_", "urban_", "rural_"))]
    grouped = census.groupby("adm2_id_2019", sort=True)
    sums = grouped[num].sum()
    provinces = grouped["province_2008"].agg(lambda s: s.iloc[0])
    mixed = grouped["province_2008"].nunique()
    if (mixed > 1).any():  # pragma: no cover - guards the shipped data
        raise ValueError(f"2019 units spanning two 2008 provinces: {list(mixed[mixed > 1].index)}")
    names_ko = grouped["name_ko"].agg(lambda s: s.iloc[0] if len(s) == 1 else "·".join(s))
    out = pd.DataFrame({"province_2008": provinces, "name_ko": names_ko}).join(sums)
    out = out.join(adm2.set_index("adm2_id")[["name_en", "unit_type", "adm1_name_en", "lat", "lon"]])
    out.index.name = "adm2_id"
    out = out.reset_index()
    out["n_units_2008"] = grouped.size().values
    return out


def provinces() -> gpd.GeoDataFrame:
    """The ten provinces of the 2008 census as polygons, in census order.

    Built from the shipped Natural Earth edition: Rason, a separate unit there, is merged into
    North Hamgyong (its 2008 province); the small unnamed island feature joins the province it
    is nearest to. Columns: ``province`` (English census name), ``name_ko``, ``geometry``.
    """
    ne = _read_geojson("ne10m_admin1_kp.geojson").copy()
    named = ne[ne["hasc"].isin(NE_HASC_TO_PROVINCE)].copy()
    named["province"] = named["hasc"].map(NE_HASC_TO_PROVINCE)
    rows = []
    for name in PROVINCES:
        geom = shapely.union_all(named.loc[named["province"] == name, "geometry"].values)
        rows.append({"province": name, "geometry": geom})
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
    orphans = ne[~ne["hasc"].isin(NE_HASC_TO_PROVINCE)]
    if len(orphans):
        proj = out.to_crs(PROJECTED)
        for geom in gpd.GeoSeries(orphans.geometry.values, crs=WGS84).to_crs(PROJECTED):
            nearest = int(proj.distance(geom).values.argmin())
            out.loc[nearest, "geometry"] = shapely.union(out.loc[nearest, "geometry"],
                                                         gpd.GeoSeries([geom], crs=PROJECTED)
                                                         .to_crs(WGS84).iloc[0])
    totals = census_2008_totals().set_index("province_2008")
    out["name_ko"] = out["province"].map(totals["name_ko"])
    return out


def countries() -> gpd.GeoDataFrame:
    """North and South Korea, China, Russia and Japan, clipped to 117–136°E, 32–48°N."""
    return _read_geojson("ne10m_countries_korea_region.geojson").copy()


def neighbour_provinces() -> gpd.GeoDataFrame:
    """First-level units of China, South Korea and Russia near North Korea."""
    return _read_geojson("ne10m_admin1_neighbours_cn_kr_ru.geojson").copy()


def land_borders() -> gpd.GeoDataFrame:
    """North Korea's land borders as lines: ``KP-CN``, ``KP-RU`` and ``KP-KR`` (the MDL)."""
    return _read_geojson("ne10m_kp_land_borders.geojson").copy()


def places(country: str | None = "KP") -> pd.DataFrame:
    """GeoNames places of 500 people or more, optionally for one country (``KP``, ``KR``, ``CN``, ``RU``).

    Adds ``name_ko``: the first Hangul alternate name, if any (else the GeoNames name).
    """
    df = _read_csv("population", "geonames_cities500_korea_region.csv").copy()
    if country:
        df = df[df["country"] == country]
    df = df.assign(lat=df["lat"].astype(float), lon=df["lon"].astype(float),
                   population=df["population"].astype("int64"))
    county_ko = _county_korean_names()
    df["name_ko"] = [_first_hangul(alt) or county_ko.get(fold(re.sub(r"-(si|ŭp|ni|ri|dong)$", "", name)), name)
                     for alt, name in zip(df["alt_names_cjk"], df["name"])]
    return df.sort_values("population", ascending=False).reset_index(drop=True)


@lru_cache(maxsize=1)
def _county_korean_names() -> dict[str, str]:
    """Folded English county name → Korean name, for places GeoNames gives no Hangul name."""
    census = census_2008()
    out = {}
    for row in census.itertuples():
        if row.adm2_name_2019 and "*" not in row.name_ko:
            key = fold(re.sub(r"\s+(City|Dist\.)$", "", row.adm2_name_2019))
            out.setdefault(key, row.name_ko)
    return out


def _first_hangul(alternates: str) -> str | None:
    for name in alternates.split("|"):
        if name and all("\uac00" <= ch <= "\ud7a3" or ch in " -·" for ch in name):
            return name
    return None


def border_crossings() -> pd.DataFrame:
    """The shipped border crossings with China and Russia (town points, not bridge positions)."""
    df = _read_csv("infrastructure", "kp_border_crossings.csv").copy()
    for col in ("kp_lat", "kp_lon", "nb_lat", "nb_lon"):
        df[col] = df[col].astype(float)
    return df
