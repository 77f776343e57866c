"""Deterministic, clearly labelled ILLUSTRATIVE datasets for the Liverpool City Region.

Pure Python (no Django): `seed_demo`, the benchmarks and the submissions work write the
same files from the same seed. Every dataset is invented: the local authority names and
ONS codes are real, every number, site and service is made up to look plausible, and
titles and descriptions say so.

`GENERATED_DATASETS[key].write(path, rows=..., seed=...)` writes one CSV and returns the
number of data rows written. The active-travel writer is vectorised (numpy and pyarrow,
in chunks of fixed size) because the profiling benchmark writes it at 4,000,000 rows;
the small ones are written row by row with the csv module.
"""

import csv
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

ILLUSTRATIVE_NOTE = (
    "ILLUSTRATIVE DATA: generated for the CivicHack demo, not official statistics. "
    "Local authority names and ONS codes are real; every figure, site and service is "
    "invented."
)

# ONS local authority codes (2023 boundaries), in the order the combined authority lists them.
LOCAL_AUTHORITIES = (
    ("E06000006", "Halton"),
    ("E08000011", "Knowsley"),
    ("E08000012", "Liverpool"),
    ("E08000014", "Sefton"),
    ("E08000013", "St. Helens"),
    ("E08000015", "Wirral"),
)
LA_NAME = dict(LOCAL_AUTHORITIES)

# Places per local authority with an approximate centre (latitude, longitude), the
# anchors around which sites and services are scattered.
PLACES = {
    "E06000006": (("Widnes", 53.3618, -2.7336), ("Runcorn", 53.3417, -2.7296)),
    "E08000011": (("Huyton", 53.4113, -2.8398), ("Kirkby", 53.4822, -2.8920)),
    "E08000012": (("Liverpool city centre", 53.4084, -2.9916), ("Garston", 53.3554, -2.8989)),
    "E08000014": (("Southport", 53.6458, -3.0100), ("Bootle", 53.4460, -2.9882)),
    "E08000013": (("St Helens", 53.4539, -2.7375), ("Newton-le-Willows", 53.4531, -2.6337)),
    "E08000015": (("Birkenhead", 53.3934, -3.0148), ("West Kirby", 53.3730, -3.1840)),
}


@dataclass(frozen=True)
class GeneratedDataset:
    key: str
    title: str
    description: str
    keywords: tuple[str, ...]
    # DCAT-AP data theme codes (http://publications.europa.eu/resource/authority/data-theme).
    themes: tuple[str, ...]
    geography_level: str
    # Codes of the EU "frequency" vocabulary (datasets.enums.UpdateFrequency).
    update_frequency: str
    default_rows: int
    columns: tuple[str, ...]
    writer: Callable[[Path, int, int], int]

    @property
    def filename(self) -> str:
        return f"{self.key}.csv"

    def write(self, path: Path | str, *, rows: int | None = None, seed: int = 0) -> int:
        """Write the dataset as CSV to `path`; returns the number of data rows."""
        count = self.default_rows if rows is None else rows
        if count < 0:
            raise ValueError("rows must not be negative")
        return self.writer(Path(path), count, seed)


def _write_rows(path: Path, header: tuple[str, ...], rows) -> int:
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for row in rows:
            out.writerow(row)
            written += 1
    return written


def _months(start: date, count: int) -> list[date]:
    return [date(start.year + (start.month - 1 + n) // 12, (start.month - 1 + n) % 12 + 1, 1)
            for n in range(count)]  # fmt: skip


# --- Claimant count -----------------------------------------------------------------------

CLAIMANT_COLUMNS = ("month", "la_code", "local_authority", "claimants", "claimant_rate_pct")
# Working-age residents (illustrative round numbers of the right size).
WORKING_AGE = {
    "E06000006": 80_000, "E08000011": 95_000, "E08000012": 340_000,
    "E08000014": 165_000, "E08000013": 115_000, "E08000015": 195_000,
}  # fmt: skip


def _claimants(path: Path, rows: int, seed: int) -> int:
    rng = random.Random(seed)  # noqa: S311 — seeded illustrative data, not secrets
    months = _months(date(2019, 1, 1), math.ceil(rows / len(LOCAL_AUTHORITIES)))
    base_rate = {code: rng.uniform(3.0, 6.5) for code, _ in LOCAL_AUTHORITIES}

    def generate():
        for index, month in enumerate(months):
            # A 2020 pandemic peak that eases over two years, plus a little noise.
            pandemic = 1.0 + (0.9 * math.exp(-((index - 16) ** 2) / 60) if index > 14 else 0)
            for code, name in LOCAL_AUTHORITIES:
                rate = base_rate[code] * pandemic * rng.uniform(0.96, 1.04)
                yield (
                    month.isoformat(),
                    code,
                    name,
                    round(WORKING_AGE[code] * rate / 100),
                    f"{rate:.1f}",
                )

    return _write_rows(path, CLAIMANT_COLUMNS, _limited(generate(), rows))


def _limited(rows, limit: int):
    for number, row in enumerate(rows):
        if number >= limit:
            return
        yield row


# --- Mid-year population ------------------------------------------------------------------

POPULATION_COLUMNS = ("year", "la_code", "local_authority", "age_band", "population")
AGE_BANDS = ("0-15", "16-24", "25-34", "35-49", "50-64", "65-74", "75+")
AGE_SHARES = (0.19, 0.11, 0.14, 0.18, 0.19, 0.10, 0.09)
POPULATION = {
    "E06000006": 128_000, "E08000011": 155_000, "E08000012": 487_000,
    "E08000014": 280_000, "E08000013": 183_000, "E08000015": 320_000,
}  # fmt: skip


def _population(path: Path, rows: int, seed: int) -> int:
    rng = random.Random(seed)  # noqa: S311 — seeded illustrative data, not secrets
    per_year = len(LOCAL_AUTHORITIES) * len(AGE_BANDS)
    years = range(2011, 2011 + math.ceil(rows / per_year))

    def generate():
        for year in years:
            for code, name in LOCAL_AUTHORITIES:
                growth = (1 + 0.003 * (year - 2011)) * rng.uniform(0.995, 1.005)
                for band, share in zip(AGE_BANDS, AGE_SHARES, strict=True):
                    yield year, code, name, band, round(POPULATION[code] * share * growth)

    return _write_rows(path, POPULATION_COLUMNS, _limited(generate(), rows))


# --- Active travel counts (vectorised) ------------------------------------------------------

ACTIVE_TRAVEL_COLUMNS = (
    "timestamp", "site_id", "local_authority", "mode", "count", "latitude", "longitude",
    "weather",
)  # fmt: skip
SITES_PER_PLACE = 2
MODES = ("walking", "cycling")
WEATHER = ("dry", "light rain", "heavy rain", "drizzle", "fog", "snow")
WEATHER_WEIGHTS = np.array([0.55, 0.2, 0.08, 0.12, 0.04, 0.01])
WEATHER_EFFECT = np.array([1.0, 0.8, 0.45, 0.85, 0.9, 0.4])
# Relative traffic by hour of day: morning and evening peaks.
HOUR_PROFILE = np.array(
    [0.1, 0.05, 0.03, 0.03, 0.08, 0.3, 0.9, 1.8, 2.2, 1.2, 1.0, 1.1,
     1.3, 1.2, 1.1, 1.3, 1.8, 2.1, 1.4, 0.9, 0.6, 0.4, 0.3, 0.2]
)  # fmt: skip
CHUNK_ROWS = 250_000
ACTIVE_TRAVEL_START = datetime(2021, 1, 1)


def _counter_sites(seed: int) -> list[tuple[str, str, float, float, float]]:
    """(site id, local authority, latitude, longitude, busyness) per counter site."""
    rng = random.Random(seed)  # noqa: S311 — seeded illustrative data, not secrets
    sites = []
    for code, places in PLACES.items():
        for place, latitude, longitude in places:
            for number in range(1, SITES_PER_PLACE + 1):
                prefix = "".join(letter for letter in place.upper() if letter.isalpha())[:3]
                sites.append(
                    (
                        f"{prefix}-{number:02d}",
                        LA_NAME[code],
                        latitude + rng.uniform(-0.01, 0.01),
                        longitude + rng.uniform(-0.01, 0.01),
                        rng.uniform(5, 60),
                    )
                )
    return sites


def _mix64(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: a counter-based hash, so a chunk's randomness depends only on
    the rows in it, not on how the file is cut."""
    z = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _uniform(seed: int, salt: int, keys: np.ndarray) -> np.ndarray:
    mixed = _mix64(keys.astype(np.uint64) ^ _mix64(np.array([seed * 1_000_003 + salt]))[0])
    return (mixed >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def _active_travel_chunk(start: int, stop: int, seed: int, sites) -> pa.RecordBatch:
    series = len(sites) * len(MODES)
    index = np.arange(start, stop, dtype=np.int64)
    hour, which = np.divmod(index, series)
    site, mode = np.divmod(which, len(MODES))
    day = hour // 24

    # Weather changes by day and hour blocks of 6 hours, the same at every site.
    draw = _uniform(seed, 1, hour // 6)
    weather = np.searchsorted(np.cumsum(WEATHER_WEIGHTS), draw, side="right")
    weather = np.minimum(weather, len(WEATHER) - 1)

    busyness = np.array([s[4] for s in sites])[site]
    seasonal = 1.0 + 0.35 * np.sin(2 * np.pi * (day - 80) / 365.25)
    weekend = np.where((day + 4) % 7 >= 5, 0.7, 1.0)  # 2021-01-01 was a Friday
    mode_factor = np.where(mode == 0, 1.0, 0.35)
    expected = (
        busyness * HOUR_PROFILE[hour % 24] * seasonal * weekend * mode_factor
        * WEATHER_EFFECT[weather]
    )  # fmt: skip
    rng = np.random.Generator(np.random.Philox(key=seed, counter=start))
    counts = rng.poisson(expected)
    # About 0.5 % of readings are missing (counter faults), written as empty cells.
    missing = _uniform(seed, 2, index) < 0.005

    # The position reported with each reading wobbles (the counters are mobile units,
    # re-sited along their path) and is written to 8 decimals, as sensor feeds do, so
    # latitude and longitude have nearly one distinct value per row (0.76 at 4,000,000
    # rows; to 7 decimals only 0.2, the positions a site can report running out).
    latitude = np.array([s[2] for s in sites])[site] + (_uniform(seed, 3, index) - 0.5) * 4e-3
    longitude = np.array([s[3] for s in sites])[site] + (_uniform(seed, 4, index) - 0.5) * 4e-3

    timestamps = np.datetime64(ACTIVE_TRAVEL_START, "s") + hour.astype("timedelta64[h]")
    site_ids = pa.array([s[0] for s in sites]).take(pa.array(site))
    authorities = pa.array([s[1] for s in sites]).take(pa.array(site))
    return pa.record_batch(
        [
            pa.array(timestamps.astype("datetime64[s]")),
            site_ids,
            authorities,
            pa.array(MODES).take(pa.array(mode)),
            pa.array(counts, mask=missing),
            pa.array(np.round(latitude, 8)),
            pa.array(np.round(longitude, 8)),
            pa.array(WEATHER).take(pa.array(weather)),
        ],
        names=list(ACTIVE_TRAVEL_COLUMNS),
    )


def _active_travel(path: Path, rows: int, seed: int) -> int:
    sites = _counter_sites(seed)
    with pa.OSFile(str(path), "wb") as sink:
        # range() has one chunk even for 0 rows, so the header is always written.
        for start in range(0, max(rows, 1), CHUNK_ROWS):
            batch = _active_travel_chunk(start, min(start + CHUNK_ROWS, rows), seed, sites)
            if start == 0:
                writer = pa_csv.CSVWriter(sink, batch.schema)
            writer.write_batch(batch)
        writer.close()
    return rows


# --- Deprivation index --------------------------------------------------------------------

DEPRIVATION_COLUMNS = (
    "small_area_code", "small_area_name", "la_code", "local_authority", "imd_score",
    "imd_rank", "imd_decile", "income_score", "employment_score", "health_score",
)  # fmt: skip


def _deprivation(path: Path, rows: int, seed: int) -> int:
    rng = random.Random(seed)  # noqa: S311 — seeded illustrative data, not secrets
    areas = []
    for number in range(rows):
        code, name = LOCAL_AUTHORITIES[number % len(LOCAL_AUTHORITIES)]
        serial = number // len(LOCAL_AUTHORITIES) + 1
        score = round(rng.gammavariate(2.2, 12), 2)
        # "X" codes, not E01: these small areas do not exist.
        areas.append(
            [f"X01{number + 1:06d}", f"{name} {serial:03d}{'ABCD'[number % 4]} (illustrative)",
             code, name, score]
        )  # fmt: skip
    ranked = sorted(range(rows), key=lambda i: -areas[i][4])
    for rank, index in enumerate(ranked, start=1):
        score = areas[index][4]
        areas[index] += [
            rank,
            min(10, 1 + (rank - 1) * 10 // max(rows, 1)),
            round(min(1.0, score / 120 + rng.uniform(0, 0.05)), 3),
            round(min(1.0, score / 140 + rng.uniform(0, 0.05)), 3),
            round(score / 30 - 1 + rng.uniform(-0.3, 0.3), 3),
        ]
    return _write_rows(path, DEPRIVATION_COLUMNS, areas)


# --- Job vacancies ------------------------------------------------------------------------

VACANCY_COLUMNS = (
    "month", "la_code", "local_authority", "sector", "vacancies", "median_advertised_salary",
)  # fmt: skip
SECTORS = (
    ("Health and social care", 27_500), ("Retail and wholesale", 22_000),
    ("Hospitality", 21_000), ("Logistics and transport", 28_000),
    ("Manufacturing", 30_000), ("Digital and creative", 36_000),
    ("Education", 29_000), ("Construction", 32_000), ("Public administration", 31_000),
    ("Professional services", 35_000),
)  # fmt: skip


def _vacancies(path: Path, rows: int, seed: int) -> int:
    rng = random.Random(seed)  # noqa: S311 — seeded illustrative data, not secrets
    per_month = len(LOCAL_AUTHORITIES) * len(SECTORS)
    months = _months(date(2022, 1, 1), math.ceil(rows / per_month))

    def generate():
        for month in months:
            for code, name in LOCAL_AUTHORITIES:
                size = POPULATION[code] / 100_000
                for sector, salary in SECTORS:
                    yield (
                        month.isoformat(),
                        code,
                        name,
                        sector,
                        max(0, round(rng.gauss(60, 20) * size)),
                        int(round(salary * rng.uniform(0.92, 1.08), -2)),
                    )

    return _write_rows(path, VACANCY_COLUMNS, _limited(generate(), rows))


# --- Green spaces -------------------------------------------------------------------------

GREEN_SPACE_COLUMNS = (
    "site_id", "site_name", "type", "local_authority", "area_hectares", "latitude",
    "longitude", "open_to_public",
)  # fmt: skip
GREEN_SPACE_TYPES = (
    ("park", "Park", 2, 40), ("playing field", "Playing Fields", 1, 8),
    ("allotments", "Allotments", 0.3, 3), ("nature reserve", "Nature Reserve", 5, 120),
    ("woodland", "Wood", 2, 60), ("cemetery", "Cemetery", 3, 20),
)  # fmt: skip
NAME_WORDS = ("Victoria", "Albert", "Church", "Mill", "Brook", "Meadow", "Hall", "Station",
              "Moss", "Heath", "Oak", "Willow", "Canal", "Riverside", "Abbey", "Crown")  # fmt: skip


def _green_spaces(path: Path, rows: int, seed: int) -> int:
    rng = random.Random(seed)  # noqa: S311 — seeded illustrative data, not secrets
    places = [(code, place) for code, entries in PLACES.items() for place in entries]

    def generate():
        for number in range(1, rows + 1):
            code, (town, latitude, longitude) = places[rng.randrange(len(places))]
            kind, suffix, low, high = GREEN_SPACE_TYPES[rng.randrange(len(GREEN_SPACE_TYPES))]
            yield (
                f"GS{number:05d}",
                f"{rng.choice(NAME_WORDS)} {suffix}, {town}",
                kind,
                LA_NAME[code],
                round(rng.uniform(low, high), 2),
                round(latitude + rng.uniform(-0.03, 0.03), 5),
                round(longitude + rng.uniform(-0.04, 0.04), 5),
                "yes" if kind != "allotments" else rng.choice(("yes", "no")),
            )

    return _write_rows(path, GREEN_SPACE_COLUMNS, generate())


# --- Public services ----------------------------------------------------------------------

SERVICE_COLUMNS = (
    "service_id", "name", "service_type", "town", "local_authority", "latitude", "longitude",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)  # fmt: skip
SERVICE_TYPES = (
    ("GP surgery", "Medical Centre", ("08:00-18:30",) * 5 + ("closed", "closed")),
    ("library", "Library", ("09:30-17:00", "09:30-19:00", "09:30-17:00", "09:30-19:00",
                            "09:30-17:00", "10:00-13:00", "closed")),
    ("job centre", "Jobcentre", ("09:00-17:00",) * 5 + ("closed", "closed")),
    ("advice service", "Advice Centre", ("10:00-16:00", "closed", "10:00-16:00",
                                         "13:00-19:00", "10:00-14:00", "closed", "closed")),
)  # fmt: skip


def _public_services(path: Path, rows: int, seed: int) -> int:
    rng = random.Random(seed)  # noqa: S311 — seeded illustrative data, not secrets
    places = [(code, place) for code, entries in PLACES.items() for place in entries]
    halton = [entry for entry in places if entry[0] == "E06000006"]
    widnes = halton[0]

    def generate():
        for number in range(1, rows + 1):
            # Widnes and Runcorn (Halton) get about half of the services, Widnes most: the
            # first event's projects are about them.
            draw = rng.random()
            if draw < 0.3:
                code, (town, latitude, longitude) = widnes
            elif draw < 0.5:
                code, (town, latitude, longitude) = halton[1]
            else:
                code, (town, latitude, longitude) = places[rng.randrange(len(places))]
            kind, suffix, hours = SERVICE_TYPES[rng.randrange(len(SERVICE_TYPES))]
            yield (
                f"PS{number:04d}",
                f"{rng.choice(NAME_WORDS)} {suffix} ({town})",
                kind,
                town,
                LA_NAME[code],
                round(latitude + rng.uniform(-0.02, 0.02), 5),
                round(longitude + rng.uniform(-0.03, 0.03), 5),
                *hours,
            )

    return _write_rows(path, SERVICE_COLUMNS, generate())


def _dataset(key, title, description, **fields) -> GeneratedDataset:
    return GeneratedDataset(
        key=key,
        title=f"{title} (illustrative)",
        description=f"{description}\n\n{ILLUSTRATIVE_NOTE}",
        **fields,
    )


GENERATED_DATASETS: dict[str, GeneratedDataset] = {
    dataset.key: dataset
    for dataset in (
        _dataset(
            "claimant-count",
            "Claimant count by local authority and month",
            "People claiming unemployment-related benefits in each Liverpool City Region "
            "local authority, monthly, with the rate per 100 working-age residents.",
            keywords=("unemployment", "benefits", "claimant count", "labour market"),
            themes=("ECON", "SOCI"),
            geography_level="local_authority",
            update_frequency="MONTHLY",
            default_rows=6 * 60,
            columns=CLAIMANT_COLUMNS,
            writer=_claimants,
        ),
        _dataset(
            "mid-year-population",
            "Mid-year population by local authority, age band and year",
            "Resident population estimates at 30 June of each year, by local authority "
            "and age band.",
            keywords=("population", "demography", "age"),
            themes=("SOCI", "REGI"),
            geography_level="local_authority",
            update_frequency="ANNUAL",
            default_rows=6 * len(AGE_BANDS) * 13,
            columns=POPULATION_COLUMNS,
            writer=_population,
        ),
        _dataset(
            "active-travel-counts",
            "Active travel counts by counter site",
            "Hourly counts of people walking and cycling past automatic counters, for each "
            "counter site and day, with the position each reading reports and the weather.",
            keywords=("active travel", "walking", "cycling", "transport", "counters"),
            themes=("TRAN", "HEAL"),
            geography_level="site",
            update_frequency="DAILY",
            default_rows=24 * 7 * len(PLACES) * 2 * SITES_PER_PLACE * len(MODES),
            columns=ACTIVE_TRAVEL_COLUMNS,
            writer=_active_travel,
        ),
        _dataset(
            "deprivation-index",
            "Deprivation index by small area",
            "A deprivation score, rank and decile for each small area (LSOA-like; the "
            "X01 codes are invented), with income, employment and health domain scores.",
            keywords=("deprivation", "IMD", "poverty", "small areas"),
            themes=("SOCI", "REGI"),
            geography_level="lsoa",
            update_frequency="IRREG",
            default_rows=600,
            columns=DEPRIVATION_COLUMNS,
            writer=_deprivation,
        ),
        _dataset(
            "job-vacancies",
            "Job vacancies by area and sector",
            "Advertised job vacancies per month by local authority and sector, with the "
            "median advertised salary.",
            keywords=("jobs", "vacancies", "employment", "skills"),
            themes=("ECON",),
            geography_level="local_authority",
            update_frequency="MONTHLY",
            default_rows=6 * len(SECTORS) * 24,
            columns=VACANCY_COLUMNS,
            writer=_vacancies,
        ),
        _dataset(
            "green-spaces",
            "Green spaces",
            "Parks, playing fields, allotments, nature reserves, woodland and cemeteries "
            "with their type, area in hectares and location.",
            keywords=("green space", "parks", "environment", "wellbeing"),
            themes=("ENVI", "HEAL"),
            geography_level="site",
            update_frequency="ANNUAL",
            default_rows=180,
            columns=GREEN_SPACE_COLUMNS,
            writer=_green_spaces,
        ),
        _dataset(
            "public-services",
            "Public services and opening hours",
            "GP surgeries, libraries, job centres and advice services with their opening "
            "hours, in Halton (Widnes and Runcorn above all) and the rest of the region.",
            keywords=("public services", "GP", "libraries", "job centres", "advice", "Widnes"),
            themes=("SOCI", "HEAL", "GOVE"),
            geography_level="site",
            update_frequency="IRREG",
            default_rows=120,
            columns=SERVICE_COLUMNS,
            writer=_public_services,
        ),
    )
}
