"""The monitor on the synthetic gemeente, the sources of afspraken, the agenda downloads and the city view."""

from __future__ import annotations

import io

import numpy as np
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from wijkprofielen.agenda.bronnen import from_scenario, from_workshop, workshop_candidates
from wijkprofielen.agenda.model import Afspraak, Doelindicator
from wijkprofielen.agenda.monitor import (
    DYNAMIEK_REDEN, DYNAMIEK_WIJK, build_monitor, city_view, monitor_dataset, status_signaal,
)
from wijkprofielen.agenda.uitvoering import agenda_table, csv_bytes, due, pdf_bytes, xlsx_bytes
from wijkprofielen.errors import DataError
from wijkprofielen.peers import candidates_of, peers_brute_force
from wijkprofielen.scenario.model import Maatregel, Scenario
from wijkprofielen.workshop import WorkshopStore
from wijkprofielen.workspace import Workspace

from workshop_helpers import small_dataset, small_recipe

BUURT = "BU99990101"


@pytest.fixture(scope="module")
def ws(config):
    return Workspace(config)


def _afspraak(**kw) -> Afspraak:
    base = dict(id="A1", buurtcode=BUURT, titel="Huismeester", trekker="corporatie", start_jaar=2020, eind_jaar=2023,
                status="in uitvoering", indicatoren=(Doelindicator("lbm_onv", "omhoog"), Doelindicator("pct_laag_inkomen", "omlaag")))
    return Afspraak(**{**base, **kw})


def test_monitor_arithmetic_against_the_dataset(voorbeeld, ws):
    ds = voorbeeld
    a = _afspraak()
    other = _afspraak(id="A2", buurtcode="BU99990102", indicatoren=(), status="gepland", eind_jaar=2030)
    m = monitor_dataset([a, other], ds, ws, jaar=2025)
    r = m.afspraken[0]
    kw_2020 = ws.score(ds, jaar=2020).scores["kwadrant"]
    kw_2024 = ws.score(ds, jaar=2024).scores["kwadrant"]
    assert (r.stand.jaar_toen, r.stand.kwadrant_toen) == (2020, kw_2020[BUURT])
    assert (r.stand.jaar_nu, r.stand.kwadrant_nu) == (2024, kw_2024[BUURT])
    dyn_2020 = ws.dynamiek(ds, ws.score(ds, jaar=2020), jaar=2020)
    dyn_2024 = ws.dynamiek(ds, ws.score(ds, jaar=2024), jaar=2024)
    assert (r.stand.dynamiek_toen, r.stand.dynamiek_nu) == (dyn_2020.klasse(BUURT), dyn_2024.klasse(BUURT))
    assert dyn_2020.periode in r.stand.dynamiek_reden and dyn_2024.periode in r.stand.dynamiek_reden
    sig = dyn_2024.tabel["signaal"]
    assert r.stand.signaal == status_signaal(kw_2020[BUURT], kw_2024[BUURT], sig[BUURT])
    # Comparable: the k nearest buurten without an afspraak in the start year, by brute force.
    r_2020 = ws.score(ds, jaar=2020)
    free = r_2020.scores.index.isin([c for c in ds.codes if c not in (BUURT, "BU99990102")]) & candidates_of(r_2020)
    opts = ws.cfg.vergelijk
    peers = list(peers_brute_force(r_2020.genormaliseerd, BUURT, opts.k, opts.min_gedeelde_indicatoren, candidates=free)["buurtcode"])
    assert len(peers) == opts.k
    w = ds.waarden
    for v, kolom, van_jaar, tot_jaar in ((r.indicatoren[0], "lbm_onv", 2020, 2024), (r.indicatoren[1], "pct_laag_inkomen", 2020, 2022)):
        van, tot = w.at[BUURT, (kolom, van_jaar)], w.at[BUURT, (kolom, tot_jaar)]
        assert (v.van_jaar, v.tot_jaar, v.van, v.tot) == (van_jaar, tot_jaar, van, tot)
        assert v.verschil == tot - van  # exactly, not approximately
        assert v.richting_goed == ((tot - van > 0) if v.richting == "omhoog" else (tot - van < 0))
        diffs = (w.loc[peers, (kolom, tot_jaar)] - w.loc[peers, (kolom, van_jaar)]).dropna()
        assert v.peers_aantal == len(diffs) > 5 and v.peers_verschil == pytest.approx(float(np.median(diffs)))
        assert v.bron == ds.indicatoren[kolom].bron
    # A wrong direction while in uitvoering, and past the end year: two flags.
    soorten = {s.soort for s in r.signalen}
    assert "eindjaar_voorbij" in soorten
    assert ("verkeerde_richting" in soorten) == any(v.richting_goed is False for v in r.indicatoren)
    assert m.afspraken[1].signalen == []
    # Buurten without an afspraak whose signal turned negative since the earliest start: a falling dynamiek
    # now or a fall from high to low draagkracht, and no falling dynamiek in the start year.
    expected = {c for c in ds.codes if c not in (BUURT, "BU99990102")
                and status_signaal(kw_2020[c], kw_2024[c], sig[c]) and not dyn_2020.tabel.at[c, "signaal"]}
    assert expected and {b["buurtcode"] for b in m.buurten} == expected
    assert all(b["tekst"].startswith(status_signaal(kw_2020[b["buurtcode"]], kw_2024[b["buurtcode"]], sig[b["buurtcode"]]))
               for b in m.buurten)
    d = m.to_dict()["afspraken"][0]
    assert set(d) >= {"id", "buurtcode", "indicatoren", "status", "signalen"}
    assert set(d["indicatoren"][0]) >= {"kolom", "van_jaar", "van", "tot_jaar", "tot", "verschil", "richting_goed"}
    assert f"Dynamiek: toen ({dyn_2020.periode})" in m.to_markdown()
    # Without a dynamiek function the hook says it was not computed.
    bare = build_monitor([a], ds, lambda j: ws.score(ds, jaar=j), jaar=2025)
    assert bare.afspraken[0].stand.dynamiek_nu is None and bare.afspraken[0].stand.dynamiek_reden == DYNAMIEK_REDEN


def test_start_before_the_data_and_no_later_measurement(voorbeeld, ws):
    a = _afspraak(start_jaar=2010, indicatoren=(Doelindicator("pct_sociale_huur", "omhoog"), Doelindicator("lbm_afw", "omhoog")))
    m = monitor_dataset([a], voorbeeld, ws, jaar=2022)
    only_2024, lbm = m.afspraken[0].indicatoren
    assert only_2024.verschil is None and only_2024.richting_goed is None and "nog geen meting na 2024" in only_2024.opmerking
    assert lbm.van_jaar == 2018 and "eerste meting na de start: 2018" in lbm.opmerking
    assert m.afspraken[0].stand.jaar_toen == 2018


def test_a_lapsed_afspraak_asks_nothing_and_a_wijk_uses_the_mean(voorbeeld, ws):
    wijk = voorbeeld.gebieden.set_index("buurtcode").at[BUURT, "wijkcode"]
    codes = voorbeeld.gebieden.loc[voorbeeld.gebieden["wijkcode"] == wijk, "buurtcode"].tolist()
    a = _afspraak(status="vervallen")
    b = _afspraak(id="W", buurtcode=wijk, status="gepland", eind_jaar=2030, indicatoren=(Doelindicator("lbm_afw", "omhoog"),))
    m = build_monitor([a, b], voorbeeld, lambda j: ws.score(voorbeeld, jaar=j), jaar=2030)
    assert m.afspraken[0].signalen == []
    v = m.afspraken[1].indicatoren[0]
    w = voorbeeld.waarden
    assert v.verschil == pytest.approx(w.loc[codes, ("lbm_afw", 2024)].mean() - w.loc[codes, ("lbm_afw", 2020)].mean())
    assert "gemiddelde van de buurten in de wijk" in v.opmerking
    assert m.afspraken[1].stand.dynamiek_reden == DYNAMIEK_REDEN  # build_monitor without a dynamiek function
    assert monitor_dataset([b], voorbeeld, ws, jaar=2030).afspraken[0].stand.dynamiek_reden == DYNAMIEK_WIJK
    # The wijk's buurten count as covered: none of them is flagged as "zonder afspraak".
    assert not {x["buurtcode"] for x in m.buurten} & set(codes)


def test_agenda_of_a_year_and_its_downloads(voorbeeld, ws):
    frame = voorbeeld.frame()
    items = [_afspraak(organisatie="Zayaz", woningen=(("sociale_huur", 40),), budget=125000.0),
             _afspraak(id="A2", trekker="zorg/welzijn", start_jaar=2023, eind_jaar=2026, indicatoren=()),
             _afspraak(id="A3", trekker="gemeente", status="vervallen"),
             _afspraak(id="A4", trekker="gemeente", start_jaar=2024, eind_jaar=2025)]
    m = monitor_dataset(items, voorbeeld, ws, jaar=2023)
    t = agenda_table(items, 2023, frame, m, ws.cfg.kwadrant_namen)
    assert list(t["id"]) == ["A1", "A2"]  # A3 lapsed, A4 starts later
    assert list(t["dit_jaar"]) == ["afronden", "start"] and due(items[1], 2024) == "loopt door"
    assert t.loc[0, "partij"] == "Corporatie Zayaz" and t.loc[0, "buurt"] == "Marktkwartier"
    assert t.loc[0, "kwadrant"] == ws.cfg.kwadrant_namen[m.afspraken[0].stand.kwadrant_nu]

    wb = load_workbook(io.BytesIO(xlsx_bytes(t, 2023)))
    assert wb.sheetnames == ["Corporatie Zayaz", "Zorg en welzijn"]
    sheet = wb["Corporatie Zayaz"]
    (name, ref), = sheet.tables.items()
    assert ref == "A1:R2" and sheet.tables[name].autoFilter is not None
    assert [c.value for c in sheet[1]][:3] == ["Wijk", "Buurt", "Code"] and sheet["O2"].value == 125000

    text = csv_bytes(t).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Partij,Wijk,Buurt") and "Corporatie Zayaz" in text

    reader = PdfReader(io.BytesIO(pdf_bytes(t, 2023, "Voorbeeldstad", synthetisch=True)))
    pdf_text = " ".join(p.extract_text() for p in reader.pages)
    assert "Uitvoeringsagenda 2023" in pdf_text and "Corporatie Zayaz (1 afspraak)" in pdf_text
    assert "Wijk Centrum" in pdf_text and "Synthetische voorbeeldgegevens" in pdf_text
    empty = agenda_table(items, 1999, frame)
    assert empty.empty and load_workbook(io.BytesIO(xlsx_bytes(empty, 1999))).sheetnames == ["Geen afspraken"]


def test_city_view_against_the_targets(ws):
    doelen = ws.doelen_for(["GM9999"])
    p0 = doelen.periode[0]
    items = [_afspraak(start_jaar=p0, eind_jaar=p0 + 1, woningen=(("sociale_huur", 40), ("midden", 10))),
             _afspraak(id="A2", start_jaar=p0, eind_jaar=p0, status="gereed", woningen=(("sociale_huur", 15), ("flex", 5))),
             _afspraak(id="A3", start_jaar=p0, eind_jaar=p0, status="vervallen", woningen=(("midden", 99),)),
             _afspraak(id="A4", start_jaar=2010, eind_jaar=2012, woningen=(("vrij", 7),))]
    plan = Scenario("Plan", [Maatregel("BU99990101", "nieuwbouw", "sociale_huur", 100, p0),
                             Maatregel("BU99990101", "verkoop", "sociale_huur", -20, p0)])
    v = city_view(items, doelen, plan).set_index("doel")
    assert v.loc["sociale_huur", ["streef", "gepland", "afgesproken", "gerealiseerd"]].tolist() == [doelen.sociale_huur, 100, 55, 15]
    assert v.loc["woningen", ["gepland", "afgesproken", "gerealiseerd"]].tolist() == [100, 65, 15]
    assert v.loc["flex", "afgesproken"] == 5 and v.loc["vrij", "afgesproken"] == 0 and np.isnan(v.loc["vrij", "streef"])


def test_afspraken_from_a_closed_workshop_and_a_scenario(tmp_path, ws):
    ds = small_dataset()
    store = WorkshopStore(f"sqlite:///{tmp_path}/w.db", menukaart={"huismeester", "groen"})
    w = store.create_workshop("Atelier", ds, ds.codes[:2], recipe=small_recipe())
    pids = [store.join(w.code, n) for n in ("Anna", "Bram", "Cas", "Dirk")]
    for pid in pids[:2]:
        store.pin(w.code, pid, ds.codes[0], "huismeester")
    store.pin(w.code, pids[2], ds.codes[1], "groen")
    with pytest.raises(DataError, match="nog open"):
        workshop_candidates(store.workshop(w.code), store.pins(w.code), 4)
    store.close(w.code, w.facilitator_key)
    closed = store.workshop(w.code)
    cands = workshop_candidates(closed, store.pins(w.code), len(store.participants(w.code)))
    assert [(k.interventie, k.aantal, k.consensus) for k in cands] == [("huismeester", 2, True), ("groen", 1, False)]
    kw = dict(trekker={"huismeester": ("corporatie", "huurders")}, titels={"huismeester": "Huismeester"}, start_jaar=2025, eind_jaar=2026)
    only = from_workshop(closed, cands, **kw)
    assert [(a.interventie, a.trekker, a.partners, a.herkomst.soort) for a in only] == [("huismeester", "corporatie", ("huurders",), "workshop")]
    assert only[0].herkomst.detail == "consensus: 2 van 4 deelnemers" and only[0].herkomst.bron.replace("-", "") == w.code
    both = from_workshop(closed, cands, {(ds.codes[1], "groen")}, **kw)
    assert both[1].herkomst.detail.startswith("gekozen door de begeleider") and both[1].trekker == "gemeente"

    plan = Scenario("Plan", [Maatregel("BU99990101", "nieuwbouw", "midden", 40, 2027),
                             Maatregel("BU99990102", "sociaal_beheer", None, 0, None)])
    out = from_scenario(plan, 7, 3, titels=ws.known_interventions(), trekker={}, periode=(2025, 2034))
    assert [(a.start_jaar, a.eind_jaar, a.woningen) for a in out] == [(2027, 2027, (("midden", 40),)), (2025, 2034, ())]
    assert out[0].herkomst.bron == "Plan (id 7, versie 3)" and out[1].herkomst.detail == "maatregel 2"
