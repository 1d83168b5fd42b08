"""Afspraken: validation, the append-only store (SQLite and PostgreSQL), lossless exchange, concurrency."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from wijkprofielen import opslag
from wijkprofielen.agenda.model import Afspraak, Doelindicator, Herkomst, parse_afspraak, parse_afspraken
from wijkprofielen.agenda.store import MIGRATIONS, AgendaStore
from wijkprofielen.errors import ConfigError, DataError, WijkprofielenError

from workshop_helpers import run_writers, store_url_fixture

A1 = Afspraak("A1", "BU07960101", "Huismeester in de flats", "corporatie", 2025, 2027, organisatie="Zayaz",
              partners=("huurders",), woningen=(("sociale_huur", 40),), budget=250000.0,
              indicatoren=(Doelindicator("lbm_onv", "omhoog"),), toelichting="Twee dagen per week",
              herkomst=Herkomst("workshop", "K7QW-3MZP", "consensus: 3 van 4 deelnemers"))
MINIMAL = {"id": "B-7", "buurtcode": "WK079601", "titel": "Wijkaanpak", "interventie": "", "trekker": "gemeente",
           "start_jaar": 2025, "eind_jaar": 2028, "indicatoren": [{"kolom": "lbm_afw", "richting": "omhoog"}],
           "status": "gepland"}


def test_minimal_exchange_format_parses_and_roundtrips():
    a = parse_afspraak(MINIMAL)
    assert a.is_wijk and a.herkomst == Herkomst() and a.indicatoren == (Doelindicator("lbm_afw", "omhoog"),)
    assert parse_afspraak(json.loads(A1.to_json())) == A1
    assert parse_afspraken({"afspraken": [MINIMAL, A1.to_dict()]})[1] == A1


@pytest.mark.parametrize("change, message", [
    ({"buurtcode": "0796"}, r"veld 'buurtcode'.*geen buurt- of wijkcode"),
    ({"trekker": "wethouder"}, r"veld 'trekker'.*Kies uit: gemeente, corporatie"),
    ({"eind_jaar": 2024}, r"veld 'eind_jaar'.*2024 ligt voor het startjaar 2025"),
    ({"status": "klaar"}, r"veld 'status'.*'klaar' is onbekend"),
    ({"indicatoren": [{"kolom": "lbm_afw", "richting": "beter"}]}, r"richting 'beter' is onbekend"),
    ({"indicatoren": [{"kolom": "onbekend", "richting": "omhoog"}]}, r"'onbekend' staat niet in het recept"),
    ({"interventie": "toverstaf"}, r"'toverstaf' staat niet op de menukaart"),
    ({"woningen": {"sociale_huur": -5}}, r"negatief aantal \(-5\).*alleen bij sloop"),
    ({"budget": -1}, r"veld 'budget'.*geen bedrag"),
    ({"id": "met spatie"}, r"veld 'id'.*geen geldige id"),
    ({"kleur": "rood"}, r"onbekend veld kleur"),
])
def test_bad_afspraken_get_a_dutch_message_naming_the_field(change, message):
    with pytest.raises(DataError, match=message):
        parse_afspraak({**MINIMAL, **change}, kolommen={"lbm_afw"}, interventies={"huismeester"})


def test_file_level_checks():
    with pytest.raises(DataError, match="id 'B-7' komt twee keer voor"):
        parse_afspraken({"afspraken": [MINIMAL, MINIMAL]})
    with pytest.raises(DataError, match="lijst 'afspraken'"):
        parse_afspraken([MINIMAL])
    with pytest.raises(DataError, match="komt niet voor in de dataset"):
        parse_afspraak(MINIMAL, gebieden={"BU07960101"})


def _exercise(store: AgendaStore) -> None:
    assert store.add(A1, door="Anna") == 1
    with pytest.raises(DataError, match="bestaat al een afspraak met id 'A1'"):
        store.add(A1, door="Anna")
    assert store.set_status("A1", "in uitvoering", door="Bram") == 2
    changed = Afspraak(**{**A1.__dict__, "titel": "Huismeester, drie dagen", "status": "in uitvoering"})
    assert store.save(changed, door="Anna") == 3
    hist = store.history("A1")
    assert [(v.versie, v.door, v.afspraak.status) for v in hist] == [(1, "Anna", "gepland"), (2, "Bram", "in uitvoering"),
                                                                    (3, "Anna", "in uitvoering")]
    assert store.get("A1", versie=1) == A1 and store.get("A1") == changed  # nothing overwritten
    assert all(v.opgeslagen_op.utcoffset().total_seconds() == 0 for v in hist)
    store.add(parse_afspraak(MINIMAL), door="Cas")
    assert [a.id for a in store.list("GM0796")] == ["A1", "B-7"] and store.list("GM9999") == []
    with pytest.raises(WijkprofielenError, match="Afspraak 'X' bestaat niet"):
        store.set_status("X", "gereed", door="Anna")
    with pytest.raises(DataError, match="Status 'af' is onbekend"):
        store.set_status("A1", "af", door="Anna")
    with pytest.raises(DataError, match=r"Vul de naam van wie de wijziging doet \('door'\) in"):
        store.set_status("A1", "gereed", door="  ")

    # Export and import into an empty store: every version, author and time comes back.
    text = store.export_json()
    other = AgendaStore(opslag.create_store_engine("sqlite://"))
    result = other.import_json(text, door="Import")
    assert result.nieuw == ["A1", "B-7"] and not result.bijgewerkt
    assert json.loads(other.export_json()) == json.loads(text)
    # Again: nothing changes; a changed status becomes a new version by the importer.
    assert other.import_json(text, door="Import").ongewijzigd == ["A1", "B-7"]
    data = json.loads(text)
    data["afspraken"][0]["status"] = "gereed"
    assert other.import_json(json.dumps(data), door="Dirk").bijgewerkt == ["A1"]
    assert [(v.versie, v.door) for v in other.history("A1")][-1] == (4, "Dirk")


def test_store_on_sqlite_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    _exercise(AgendaStore(url))
    again = AgendaStore(opslag.create_store_engine(url))
    assert [a.id for a in again.list()] == ["A1", "B-7"]
    with again.engine.connect() as conn:
        assert opslag.schema_version(conn, "agenda") == len(MIGRATIONS)


def test_import_is_all_or_nothing_and_checks_history():
    store = AgendaStore(opslag.create_store_engine("sqlite://"))
    bad = {"afspraken": [MINIMAL, {**MINIMAL, "id": "B-8", "status": "??"}]}
    with pytest.raises(DataError, match=r"Het veld 'status' van afspraak 2 \(B-8\)"):
        store.import_json(json.dumps(bad), door="Anna")
    assert store.list() == []
    broken = {"afspraken": [MINIMAL], "versies": [{"id": "B-7", "versie": 2, "door": "x",
                                                     "opgeslagen_op": "2025-01-01T10:00:00+00:00", "afspraak": MINIMAL}]}
    with pytest.raises(DataError, match="lopen niet door vanaf 1"):
        store.import_json(json.dumps(broken), door="Anna")
    with pytest.raises(DataError, match="geen geldige JSON"):
        store.import_json(b"{", door="Anna")


def test_newer_schema_and_bad_url_are_refused(tmp_path):
    engine = opslag.create_store_engine(f"sqlite:///{tmp_path / 'n.db'}")
    opslag.migrate(engine, "agenda", [*MIGRATIONS, lambda conn: None])
    with pytest.raises(ConfigError, match="nieuwer dan deze versie"):
        AgendaStore(engine)
    with pytest.raises(WijkprofielenError, match="niet bereikbaar"):
        AgendaStore(sa.create_engine(f"sqlite:///{tmp_path}/bestaat/niet/x.db"))


url = store_url_fixture("agenda.db")
WRITERS, SAVES = 20, 5


def test_twenty_writers_nothing_lost(url):
    """Twenty writers at once, each adding its own afspraak and saving a shared one: every write is kept."""
    store = AgendaStore(url)
    store.add(A1, door="start")
    versions: list[int] = []

    def writer(n: int) -> None:
        store.add(Afspraak(f"W{n:02d}", "BU07960102", f"Eigen afspraak {n}", "gemeente", 2025, 2026), door=f"schrijver {n}")
        for k in range(SAVES):
            versions.append(store.save(Afspraak(**{**A1.__dict__, "titel": f"schrijver {n} nr {k}"}), door=f"schrijver {n}"))

    assert run_writers(WRITERS, writer) == []
    assert sorted(versions) == list(range(2, WRITERS * SAVES + 2))
    hist = store.history("A1")
    assert [v.versie for v in hist] == list(range(1, WRITERS * SAVES + 2))
    assert {v.afspraak.titel for v in hist[1:]} == {f"schrijver {n} nr {k}" for n in range(WRITERS) for k in range(SAVES)}
    assert {a.id for a in store.list()} == {"A1", *(f"W{n:02d}" for n in range(WRITERS))}
    times = [v.opgeslagen_op for v in hist]
    assert times == sorted(times)
    assert len(json.loads(store.export_json())["versies"]) == WRITERS * SAVES + 1 + WRITERS


@pytest.mark.postgres
def test_store_on_postgres(url):
    if url.startswith("sqlite"):
        pytest.skip("de SQLite-variant draait in test_store_on_sqlite_file")
    _exercise(AgendaStore(url))
