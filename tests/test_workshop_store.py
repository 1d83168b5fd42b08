"""The workshop store: API, append-only events, security, export/import round trip."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkprofielen import opslag
from wijkprofielen.config import config_from_dict, load_config
from wijkprofielen.errors import ConfigError, DataError, WijkprofielenError
from wijkprofielen.scoring import score
from wijkprofielen.workshop import WorkshopStore, disagreement, pin_tally
from wijkprofielen.workshop import ratelimit, schema, text
from wijkprofielen.workshop import settings as ws_settings

from workshop_helpers import PINS, small_dataset, small_recipe, store_url_fixture


url = store_url_fixture("ws.db")


@pytest.fixture
def store(url):
    return WorkshopStore(url, menukaart=PINS)


@pytest.fixture
def ds():
    return small_dataset()


@pytest.fixture
def ws(store, ds):
    return store.create_workshop("Atelier Noord", ds, ds.codes[:4], recipe=small_recipe(), max_afwijking=1.0)


def test_create_freezes_recipe_and_data_positions(store, ws, ds):
    result = score(ds.frame(), small_recipe())
    b = ws.buurten.set_index("buurtcode")
    assert list(b.index) == ds.codes[:4]
    for code in ds.codes[:4]:
        assert b.at[code, "data_draagkracht"] == pytest.approx(result.scores.at[code, "draagkracht"])
        assert b.at[code, "data_fysieke_kansen"] == pytest.approx(result.scores.at[code, "fysieke_kansen"])
    assert ws.recipe == small_recipe()
    assert ws.synthetisch and ws.open and len(ws.code) == 8 and len(ws.facilitator_key) >= 30
    # Reading it back never shows the key again.
    assert store.workshop(ws.code).facilitator_key is None


def test_place_and_placements_one_row_per_participant_and_buurt(store, ws, ds):
    a, b = store.join(ws.code, "Anna"), store.join(ws.code, "Bram")
    data = ws.buurten.set_index("buurtcode")
    c0, c1 = ds.codes[0], ds.codes[1]
    store.place(ws.code, a, c0, data.at[c0, "data_draagkracht"], data.at[c0, "data_fysieke_kansen"])
    store.place(ws.code, a, c1, 0.1, 0.2, reden="nieuwe school geopend")
    store.place(ws.code, b, c0, 0.0, 0.0, reden="x")
    p = store.placements(ws.code)
    assert len(p) == 3
    assert set(zip(p["naam"], p["buurtcode"])) == {("Anna", c0), ("Anna", c1), ("Bram", c0)}
    anna0 = p[(p["naam"] == "Anna") & (p["buurtcode"] == c0)].iloc[0]
    assert anna0["afwijking"] == pytest.approx(0.0)
    assert p.loc[p["buurtcode"] == c1, "reden"].item() == "nieuwe school geopend"


def test_events_are_append_only_and_replayable(store, ws, ds):
    a = store.join(ws.code, "Anna")
    c = ds.codes[0]
    store.place(ws.code, a, c, 0.1, 0.1, reden="eerst")
    store.place(ws.code, a, c, -0.2, 0.3, reden="later")
    ev = store.events(ws.code)
    assert list(ev["soort"]) == ["plaats", "plaats"]
    assert list(ev["draagkracht"]) == [0.1, -0.2]
    now = store.placements(ws.code)
    assert len(now) == 1 and now["draagkracht"].item() == -0.2
    first = store.placements(ws.code, tot=1)
    assert first["draagkracht"].item() == 0.1 and first["reden"].item() == "eerst"


def test_reason_required_beyond_max_afwijking(store, ws, ds):
    a = store.join(ws.code, "Anna")
    c = ds.codes[0]
    d = ws.buurten.set_index("buurtcode").loc[c]
    x, y = d["data_draagkracht"], d["data_fysieke_kansen"]
    store.place(ws.code, a, c, x + 0.9, y)  # within 1.0: no reason needed
    far_x = x + 1.2 if x + 1.2 <= ws.bereik else x - 1.2
    with pytest.raises(DataError, match="Geef kort aan waarom"):
        store.place(ws.code, a, c, far_x, y)
    with pytest.raises(DataError, match="Geef kort aan waarom"):
        store.place(ws.code, a, c, far_x, y, reden="   ")
    store.place(ws.code, a, c, far_x, y, reden="veel nieuwe huurders")
    assert store.placements(ws.code)["reden"].item() == "veel nieuwe huurders"


def test_store_settings_come_from_the_typed_workshop_section():
    raw = load_config().raw
    cfg = config_from_dict(raw | {"workshop": {"max_afwijking": 1.5}})
    assert ws_settings.store_settings(cfg) == {"max_afwijking": 1.5, "verversen_s": 3.0}
    for bad in ("veel", -1, 0, 50, True):
        with pytest.raises(ConfigError, match="workshop.max_afwijking"):
            config_from_dict(raw | {"workshop": {"max_afwijking": bad}})
    for bad in (0, 61, "snel"):
        with pytest.raises(ConfigError, match="workshop.verversen_s"):
            config_from_dict(raw | {"workshop": {"verversen_s": bad}})
    store = WorkshopStore("sqlite://", **ws_settings.store_settings(cfg))
    assert (store.max_afwijking, store.verversen_s) == (1.5, 3.0)


def test_data_positions_use_the_given_external_reference(url, ds):
    import numpy as np

    from wijkprofielen.reference import ColumnStats, ReferenceSet
    from wijkprofielen.scoring import score

    store = WorkshopStore(url)
    extern = small_recipe().with_options(referentie="nederland")
    with pytest.raises(ConfigError, match="geef die referentie mee"):  # never silently the own gemeente
        store.create_workshop("Landelijk", ds, ds.codes[:2], recipe=extern)
    frame = ds.frame()
    ref = ReferenceSet("nederland", {None: {k: ColumnStats(0.0, 10.0, np.arange(100.0), 100, None, "test")
                                            for k in extern.kolommen}})
    ws = store.create_workshop("Landelijk", ds, ds.codes[:2], recipe=extern, reference=ref)
    expected = score(frame, extern, ref).scores.loc[ds.codes[:2], "draagkracht"].to_numpy(float)
    gemeente = score(frame, small_recipe()).scores.loc[ds.codes[:2], "draagkracht"].to_numpy(float)
    got = ws.buurten.set_index("buurtcode").loc[ds.codes[:2], "data_draagkracht"].to_numpy(float)
    assert np.allclose(got, expected) and not np.allclose(got, gemeente)


@pytest.mark.parametrize("dk, fk, match", [
    (float("nan"), 0.0, "eindig getal"), ("veel", 0.0, "getal"), (99.0, 0.0, "binnen het assenkruis"),
])
def test_bad_positions_refused(store, ws, ds, dk, fk, match):
    a = store.join(ws.code, "Anna")
    with pytest.raises(DataError, match=match):
        store.place(ws.code, a, ds.codes[0], dk, fk, reden="r")
    assert store.events(ws.code).empty


def test_buurt_not_on_table_refused(store, ws, ds):
    a = store.join(ws.code, "Anna")
    with pytest.raises(DataError, match="niet op tafel"):
        store.place(ws.code, a, ds.codes[5], 0.0, 0.0, reden="r")


def test_participants_change_only_their_own_placements(store, ws, ds):
    other = store.create_workshop("Ander atelier", ds, ds.codes[:2], recipe=small_recipe())
    stranger = store.join(other.code, "Vreemde")
    with pytest.raises(WijkprofielenError, match="geen deelnemer"):
        store.place(ws.code, stranger, ds.codes[0], 0.0, 0.0, reden="r")
    with pytest.raises(WijkprofielenError, match="geen deelnemer"):
        store.place(ws.code, "verzonnen-token", ds.codes[0], 0.0, 0.0, reden="r")
    a = store.join(ws.code, "Anna")
    store.place(ws.code, a, ds.codes[0], 0.0, 0.0, reden="r")
    assert store.placements(ws.code)["naam"].tolist() == ["Anna"]


def test_reconnecting_participant_keeps_work(url, ws, ds):
    s1 = WorkshopStore(url, menukaart=PINS)
    pid = s1.join(ws.code, "Anna")
    s1.place(ws.code, pid, ds.codes[0], 0.2, 0.1, reden="r")
    s1.pin(ws.code, pid, ds.codes[0], "groen")
    opslag.dispose_engines()  # the browser (and its connections) went away
    s2 = WorkshopStore(url, menukaart=PINS)
    assert s2.participant(ws.code, pid).naam == "Anna"
    s2.place(ws.code, pid, ds.codes[1], 0.0, 0.0, reden="r")
    p = s2.placements(ws.code)
    assert sorted(p["buurtcode"]) == sorted(ds.codes[:2])
    assert s2.pins(ws.code)["interventie"].tolist() == ["groen"]


def test_closed_workshop_is_read_only(store, ws, ds):
    a = store.join(ws.code, "Anna")
    store.place(ws.code, a, ds.codes[0], 0.0, 0.0, reden="r")
    with pytest.raises(WijkprofielenError, match="begeleiderssleutel klopt niet"):
        store.close(ws.code, "fout")
    store.close(ws.code, ws.facilitator_key)
    assert store.workshop(ws.code).status == "gesloten"
    with pytest.raises(WijkprofielenError, match="gesloten"):
        store.place(ws.code, a, ds.codes[1], 0.0, 0.0, reden="r")
    with pytest.raises(WijkprofielenError, match="gesloten"):
        store.pin(ws.code, a, ds.codes[0], "groen")
    with pytest.raises(WijkprofielenError, match="gesloten"):
        store.join(ws.code, "Laatkomer")
    assert len(store.placements(ws.code)) == 1  # still readable
    assert store.events(ws.code)["soort"].tolist() == ["plaats", "sluit"]


def test_export_and_delete_need_the_key(store, ws):
    for fn in (store.export_json, store.export_csv, store.delete):
        with pytest.raises(WijkprofielenError, match="begeleiderssleutel"):
            fn(ws.code, "geraden")
    store.delete(ws.code, ws.facilitator_key)
    with pytest.raises(WijkprofielenError, match="bestaat niet"):
        store.workshop(ws.code)


def test_join_code_required(store, ws):
    with pytest.raises(WijkprofielenError, match="bestaat niet"):
        store.placements("AAAAAAAA")
    # Codes are forgiving about case, spaces and the dash, as read aloud.
    spoken = f" {ws.code[:4].lower()}-{ws.code[4:]} "
    assert store.workshop(spoken).code == ws.code


def test_failed_attempts_back_off_per_source(store, ws, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit, "_clock", lambda: now[0])
    for _ in range(ratelimit.VRIJ_BRON):
        with pytest.raises(WijkprofielenError, match="bestaat niet"):
            store.join("ZZZZZZZZ", "Gok", bron="aanvaller")
    with pytest.raises(WijkprofielenError, match="Te veel mislukte pogingen.*1 seconde"):
        store.join(ws.code, "Gok", bron="aanvaller")  # even the right code, for a while
    assert store.join(ws.code, "Anna", bron="iemand-anders")
    now[0] += 1.5  # the wait doubles with every further failure
    with pytest.raises(WijkprofielenError, match="bestaat niet"):
        store.join("ZZZZZZZY", "Gok", bron="aanvaller")
    now[0] += 1.5
    with pytest.raises(WijkprofielenError, match="Te veel.*1 seconde"):
        store.join(ws.code, "Gok", bron="aanvaller")
    now[0] += 1.0
    assert store.join(ws.code, "Gok", bron="aanvaller")
    now[0] += ratelimit.POGING_VENSTER_S + 1  # old failures no longer count
    assert store.workshop(ws.code, bron="aanvaller").code == ws.code


def test_failed_joins_limited_per_address_group(store, ws, monkeypatch):
    monkeypatch.setattr(ratelimit, "VRIJ_GROEP", 4)
    for n in range(4):  # four people in one room (same address), one typo each
        with pytest.raises(WijkprofielenError, match="bestaat niet"):
            store.join("ZZZZZZZZ", "Gok", bron=f"ip:10.0.0.1|sessie:{n}")
    with pytest.raises(WijkprofielenError, match="Te veel"):
        store.join(ws.code, "Nieuw", bron="ip:10.0.0.1|sessie:nieuw")
    assert store.join(ws.code, "Elders", bron="ip:10.0.0.2|sessie:x")


def test_guessing_attack_does_not_stop_the_workshops(store, ws, ds, monkeypatch):
    """Hundreds of wrong guesses from rotating sessions, with and without an address."""
    monkeypatch.setattr(ratelimit, "_clock", lambda: 1_800_000_000.0)  # the attack takes no time: backoffs can't run out
    anna = store.join(ws.code, "Anna", bron="ip:10.9.9.9|sessie:anna")
    other = store.create_workshop("Ander atelier", ds, ds.codes[:2], recipe=small_recipe())
    refused = 0
    for n in range(300):
        guess = text.new_code()
        for bron in (f"sessie:{n}", f"ip:10.9.9.9|sessie:aanval{n}"):  # no address; Anna's address
            try:
                store.join(guess, "Gok", bron=bron)
            except WijkprofielenError as exc:
                refused += "Te veel" in str(exc)
    assert refused > 250  # the sessions behind Anna's address are stopped after a few guesses
    for n in range(ratelimit.VRIJ_CODE):  # one code tried over and over from new sessions
        with pytest.raises(WijkprofielenError, match="bestaat niet"):
            store.workshop("AAAAAAAA", bron=f"sessie:x{n}")
    with pytest.raises(WijkprofielenError, match="Te veel"):
        store.workshop("AAAAAAAA", bron="sessie:nog-een")
    # Meanwhile: a new participant joins another workshop, from a fresh session and from
    # a session behind the attacked address …
    assert store.join(other.code, "Bram", bron="sessie:bram")
    # … Anna keeps placing and pinning from that address, the facilitator exports and closes.
    store.place(ws.code, anna, ds.codes[0], 0.2, 0.1, reden="r", bron="ip:10.9.9.9|sessie:anna")
    assert store.pin(ws.code, anna, ds.codes[0], "groen", bron="ip:10.9.9.9|sessie:anna")
    assert store.participant(ws.code, anna, bron="ip:10.9.9.9|sessie:anna").naam == "Anna"
    for bron in ("ip:10.9.9.9|sessie:leider", "sessie:leider"):
        assert json.loads(store.export_json(ws.code, ws.facilitator_key, bron=bron))["events"]
        assert store.check_facilitator(ws.code, ws.facilitator_key, bron=bron).code == ws.code
    store.close(ws.code, ws.facilitator_key, bron="ip:10.9.9.9|sessie:leider")
    # The attacker's own sessions stay blocked, even with a right code.
    with pytest.raises(WijkprofielenError, match="Te veel"):
        store.join(other.code, "Gok", bron="ip:10.9.9.9|sessie:aanval-nieuw")


def test_wrong_participant_link_counts_as_failure(store, ws, ds, monkeypatch):
    monkeypatch.setattr(ratelimit, "VRIJ_BRON", 2)
    anna = store.join(ws.code, "Anna")
    for _ in range(2):
        with pytest.raises(WijkprofielenError, match="geen deelnemer"):
            store.place(ws.code, "geraden-token", ds.codes[0], 0.0, 0.0, reden="r", bron="rader")
    with pytest.raises(WijkprofielenError, match="Te veel"):
        store.place(ws.code, "nog-een-gok", ds.codes[0], 0.0, 0.0, reden="r", bron="rader")
    store.place(ws.code, anna, ds.codes[0], 0.0, 0.0, reden="r", bron="rader")  # a valid link always passes


def test_codes_and_keys_are_random_and_not_stored_in_plain(tmp_path, ds):
    codes = {text.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 8 and set(c) <= set(text.CODE_ALPHABET) for c in codes)
    assert len(text.CODE_ALPHABET) ** text.CODE_LENGTH > 10**11
    store = WorkshopStore(f"sqlite:///{tmp_path}/plain.db")
    ws = store.create_workshop("W", ds, ds.codes[:2], recipe=small_recipe())
    pid = store.join(ws.code, "Anna")
    opslag.dispose_engines()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("plain.db*"))
    assert ws.facilitator_key.encode() not in raw and pid.encode() not in raw


@pytest.mark.parametrize("naam, match", [("", "Vul uw naam in"), ("x" * 61, "te lang"), ("\x00\x07", "Vul uw naam in")])
def test_name_limits(store, ws, naam, match):
    with pytest.raises(DataError, match=match):
        store.join(ws.code, naam)


def test_reason_limit_and_control_characters(store, ws, ds):
    a = store.join(ws.code, "An\x00na\u200b")
    assert store.participant(ws.code, a).naam == "Anna"
    with pytest.raises(DataError, match="te lang"):
        store.place(ws.code, a, ds.codes[0], 0.0, 0.0, reden="r" * 501)
    store.place(ws.code, a, ds.codes[0], 0.0, 0.0, reden="r" * 500)


def test_pins_max_five_unknown_refused_and_unpin(store, ws, ds):
    a, b = store.join(ws.code, "Anna"), store.join(ws.code, "Bram")
    c = ds.codes[0]
    for iid in ["buurtbeheer", "renovatie", "sloop_nieuwbouw", "huismeester", "toewijzing"]:
        assert store.pin(ws.code, a, c, iid)
    with pytest.raises(DataError, match="al 5 interventies"):
        store.pin(ws.code, a, c, "buurtkamer")
    with pytest.raises(DataError, match="niet op de menukaart"):
        store.pin(ws.code, b, c, "<script>")
    assert store.pin(ws.code, a, c, "renovatie") is False  # already pinned: nothing changes
    assert store.unpin(ws.code, a, c, "renovatie")
    assert store.pin(ws.code, a, c, "buurtkamer")
    store.pin(ws.code, b, c, "buurtkamer")
    tally = pin_tally(store.pins(ws.code))
    assert tally.iloc[0].to_dict() == {"buurtcode": c, "interventie": "buurtkamer", "aantal": 2}
    assert "renovatie" not in set(tally["interventie"])
    assert len(store.pins(ws.code)) == 6


def test_event_id_makes_retries_idempotent(store, ws, ds):
    a = store.join(ws.code, "Anna")
    for _ in range(3):
        assert store.place(ws.code, a, ds.codes[0], 0.1, 0.1, reden="r", event_id="retry-0001") == "retry-0001"
        assert store.pin(ws.code, a, ds.codes[0], "groen", event_id="retry-0002")
    assert len(store.events(ws.code)) == 2


def test_event_id_of_another_event_is_refused(store, ws, ds):
    a, b = store.join(ws.code, "Anna"), store.join(ws.code, "Bram")
    store.place(ws.code, a, ds.codes[0], 0.1, 0.1, reden="r", event_id="anna-0001")
    store.pin(ws.code, a, ds.codes[0], "groen", event_id="anna-0002")
    attempts = [
        lambda: store.place(ws.code, b, ds.codes[0], 0.1, 0.1, reden="r", event_id="anna-0001"),  # same content, other person
        lambda: store.place(ws.code, b, ds.codes[1], -0.3, 0.2, reden="x", event_id="anna-0001"),
        lambda: store.place(ws.code, a, ds.codes[0], 0.2, 0.1, reden="r", event_id="anna-0001"),  # other content
        lambda: store.pin(ws.code, b, ds.codes[0], "groen", event_id="anna-0002"),
        lambda: store.unpin(ws.code, a, ds.codes[0], "groen", event_id="anna-0002"),
        lambda: store.pin(ws.code, a, ds.codes[0], "renovatie", event_id="anna-0001"),
    ]
    for attempt in attempts:
        with pytest.raises(DataError, match="al gebruikt.*niets opgeslagen"):
            attempt()
    assert store.events(ws.code)["naam"].tolist() == ["Anna", "Anna"]
    assert store.placements(ws.code)["draagkracht"].tolist() == [0.1]


def test_disagreement_ranking(store, ws, ds):
    pids = [store.join(ws.code, n) for n in ("A", "B", "C")]
    c0, c1 = ds.codes[0], ds.codes[1]
    for pid, x in zip(pids, (-1.0, 0.0, 1.0)):
        store.place(ws.code, pid, c0, x, 0.0, reden="verschil")
        store.place(ws.code, pid, c1, 0.05, 0.0, reden="eens")
    d = disagreement(store.placements(ws.code), ws.buurten).set_index("buurtcode")
    assert d.at[c0, "spreiding"] == pytest.approx(math.sqrt(2 / 3))
    assert d.at[c1, "spreiding"] == pytest.approx(0.0)
    assert d.at[c0, "rang_onderling"] == 1
    assert d.at[c0, "redenen"] == ["A: verschil", "B: verschil", "C: verschil"]
    assert d.loc[ds.codes[2], "aantal"] == 0


def test_buurt_placements_across_workshops(store, ws, ds):
    other = store.create_workshop("Tweede", ds, ds.codes[:2], recipe=small_recipe())
    a, b = store.join(ws.code, "Anna"), store.join(other.code, "Bram")
    store.place(ws.code, a, ds.codes[0], 0.1, 0.2, reden="r1")
    store.place(other.code, b, ds.codes[0], -0.1, 0.0, reden="r2")
    store.place(other.code, b, ds.codes[1], -0.1, 0.0, reden="r3")
    store.close(other.code, other.facilitator_key)
    bp = store.buurt_placements(ds.codes[0])
    assert bp[["workshop", "status", "deelnemer", "reden"]].values.tolist() == [
        ["Atelier Noord", "open", "Anna", "r1"], ["Tweede", "gesloten", "Bram", "r2"]]
    assert store.buurt_placements("BU99999999").empty
    closed = store.buurt_placements(ds.codes[0], alleen_gesloten=True, anoniem=True)
    assert closed[["workshop", "deelnemer", "reden"]].values.tolist() == [["Tweede", "Deelnemer 1", "r2"]]


def test_script_in_name_is_escaped_in_exports(store, ws, ds):
    evil = "<script>alert(1)</script>"
    a = store.join(ws.code, evil)
    store.place(ws.code, a, ds.codes[0], 0.0, 0.0, reden="=HYPERLINK(\"http://x\") <b>")
    js = store.export_json(ws.code, ws.facilitator_key)
    assert "<script>" not in js and "<b>" not in js
    assert json.loads(js)["deelnemers"][0]["naam"] == evil
    csv = store.export_csv(ws.code, ws.facilitator_key)
    row = pd.read_csv(pd.io.common.StringIO(csv)).iloc[0]
    assert row["naam"] == evil  # CSV holds the literal text …
    assert row["reden"].startswith("'=HYPERLINK")  # … but never a live formula


def test_export_import_round_trip_is_lossless(store, ws, ds, url, tmp_path):
    a, b = store.join(ws.code, "Anna"), store.join(ws.code, "Bram")
    store.place(ws.code, a, ds.codes[0], 0.123456789012345, -0.5, reden="één — ‘quote’ \"x\"\nregel 2")
    store.place(ws.code, b, ds.codes[1], 1.0 / 3.0, 2.0 / 3.0, reden="r")
    store.pin(ws.code, a, ds.codes[0], "groen")
    store.unpin(ws.code, a, ds.codes[0], "groen")
    store.pin(ws.code, b, ds.codes[1], "renovatie")
    store.close(ws.code, ws.facilitator_key)
    exported = store.export_json(ws.code, ws.facilitator_key)
    target = WorkshopStore(f"sqlite:///{tmp_path}/other.db", menukaart=PINS)
    restored = target.import_json(exported)
    assert restored.code == ws.code
    assert target.export_json(ws.code, ws.facilitator_key) == exported
    pd.testing.assert_frame_equal(target.placements(ws.code), store.placements(ws.code))
    pd.testing.assert_frame_equal(target.pins(ws.code), store.pins(ws.code))
    # The same export again: refused, or imported as a copy with a new code and key.
    with pytest.raises(DataError, match="bestaat al"):
        target.import_json(exported)
    copy = target.import_json(exported, nieuwe_code=True)
    assert copy.code != ws.code and copy.facilitator_key
    pd.testing.assert_frame_equal(target.placements(copy.code), store.placements(ws.code))


@pytest.mark.parametrize("text, match", [
    ("geen json", "geen geldige JSON"), ("{}", "formaat"), ('{"formaat": "wijkprofielen-workshop", "versie": 9}', "versie"),
    ('{"formaat": "wijkprofielen-workshop", "versie": 1, "workshop": {}}', "ontbreekt"),
])
def test_import_rejects_bad_files(store, text, match):
    with pytest.raises(DataError, match=match):
        store.import_json(text)


names = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Co", "Cn")), min_size=1, max_size=60).filter(
    lambda s: s.strip() == s and s)


@settings(deadline=None, max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(naam=names, reden=st.text(max_size=200).map(lambda s: "r" + s.replace("\x00", "")),
       x=st.floats(-3, 3), y=st.floats(-3, 3))
def test_round_trip_property(tmp_path_factory, naam, reden, x, y):
    ds = small_dataset()
    d = tmp_path_factory.mktemp("rt")
    src = WorkshopStore(f"sqlite:///{d}/a.db")
    ws = src.create_workshop("W", ds, ds.codes[:1], recipe=small_recipe())
    pid = src.join(ws.code, naam)
    src.place(ws.code, pid, ds.codes[0], x, y, reden=reden)
    exported = src.export_json(ws.code, ws.facilitator_key)
    dst = WorkshopStore(f"sqlite:///{d}/b.db")
    dst.import_json(exported)
    assert dst.export_json(ws.code, ws.facilitator_key) == exported
    p = dst.placements(ws.code)
    assert p["naam"].item() == src.placements(ws.code)["naam"].item()
    assert (p["draagkracht"].item(), p["fysieke_kansen"].item()) == (x, y)
    opslag.dispose_engines()


def test_schema_is_versioned_and_reopened(url):
    WorkshopStore(url)
    WorkshopStore(url)
    engine = opslag.get_engine(url)
    with engine.connect() as conn:
        assert opslag.schema_version(conn, "workshop") == len(schema.MIGRATIONS)


def test_pins_follow_the_catalogue_given_to_the_store(url, ds, tmp_path):
    from wijkprofielen.menukaart import default_menukaart, load_menukaart

    own = tmp_path / "eigen.toml"
    own.write_text('[[interventie]]\nid = "eigen"\ncategorie = "participatie"\ntrekker = ["huurders"]\n'
                   'kwadranten = ["laag_laag"]\ntitel = "Eigen"\nwaarom = "w"\nbron = "b"\nbewijs = "e"\n', encoding="utf-8")
    store = WorkshopStore(url, menukaart=load_menukaart(own))
    ws = store.create_workshop("Eigen kaart", ds, ds.codes[:2], recipe=small_recipe())
    a = store.join(ws.code, "Anna")
    assert store.pin(ws.code, a, ds.codes[0], "eigen")
    ingebouwd = next(iter(default_menukaart()))
    with pytest.raises(DataError, match="niet op de menukaart"):
        store.pin(ws.code, a, ds.codes[0], ingebouwd)
    # Without a catalogue the store uses the built-in one.
    plain = WorkshopStore(url)
    assert plain.pin(ws.code, a, ds.codes[1], ingebouwd)
    with pytest.raises(DataError, match="niet op de menukaart"):
        plain.pin(ws.code, a, ds.codes[1], "eigen")
    assert sorted(store.pins(ws.code)["interventie"]) == sorted(["eigen", ingebouwd])
