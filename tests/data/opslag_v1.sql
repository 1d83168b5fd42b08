-- A store written by wijkprofielen before timestamps became DateTime columns (workshop schema 1,
-- scenario schema 1): sqlite3 .dump of a file made by that version. Used by tests/test_opslag_migration.py.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE wijkprofielen_schema (component VARCHAR(40) PRIMARY KEY, versie INTEGER NOT NULL, bijgewerkt VARCHAR(40) NOT NULL);
INSERT INTO wijkprofielen_schema VALUES('workshop',1,'2026-12-06T07:20:24.847095+00:00');
INSERT INTO wijkprofielen_schema VALUES('scenario',1,'2026-12-06T07:20:25.061049+00:00');
CREATE TABLE ws_workshop (
	id INTEGER NOT NULL, 
	code VARCHAR(16) NOT NULL, 
	naam VARCHAR(120) NOT NULL, 
	facilitator_hash VARCHAR(64) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	dataset_naam VARCHAR(200) NOT NULL, 
	dataset_fingerprint VARCHAR(64) NOT NULL, 
	synthetisch BOOLEAN NOT NULL, 
	jaar INTEGER, 
	recept TEXT NOT NULL, 
	max_afwijking DOUBLE NOT NULL, 
	bereik DOUBLE NOT NULL, 
	aangemaakt VARCHAR(40) NOT NULL, 
	gesloten VARCHAR(40), 
	PRIMARY KEY (id), 
	UNIQUE (code)
);
INSERT INTO ws_workshop VALUES(1,'AQUZQP66','Atelier Oost','373c9ce3b5881413fc1ce40c831bb31fbfd3ab4c3009d384e0d5ff2ef94cf349','gesloten','testraster','e9a884482056fba8',1,NULL,'{"assen": {"draagkracht": {"indicatoren": [{"gewicht": 1.0, "kolom": "a", "richting": 1, "subas": "draagkracht"}], "label": "draagkracht"}, "fysieke_kansen": {"indicatoren": [{"gewicht": 1.0, "kolom": "b", "richting": 1, "subas": "ruimte"}], "label": "fysieke_kansen"}}, "clip": 3.0, "grens_draagkracht": 0.0, "grens_fysieke_kansen": 0.0, "min_dekking": 0.6, "normalisatie": "zscore", "referentie": "gemeente"}',1.0,3.0,'2026-12-06T07:20:24.901211+00:00','2026-12-06T07:20:25.037667+00:00');
INSERT INTO ws_workshop VALUES(2,'QANXW47N','Atelier West','57ca62394dced03a74723fc849d578baa5985507b34edccdf64eaa6bf2dee933','open','testraster','e9a884482056fba8',1,NULL,'{"assen": {"draagkracht": {"indicatoren": [{"gewicht": 1.0, "kolom": "a", "richting": 1, "subas": "draagkracht"}], "label": "draagkracht"}, "fysieke_kansen": {"indicatoren": [{"gewicht": 1.0, "kolom": "b", "richting": 1, "subas": "ruimte"}], "label": "fysieke_kansen"}}, "clip": 3.0, "grens_draagkracht": 0.0, "grens_fysieke_kansen": 0.0, "min_dekking": 0.6, "normalisatie": "zscore", "referentie": "gemeente"}',1.0,3.0,'2026-12-06T07:20:25.051614+00:00',NULL);
CREATE TABLE ws_poging (
	id INTEGER NOT NULL, 
	bron VARCHAR(80) NOT NULL, 
	tijd DOUBLE NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO ws_poging VALUES(1,'gok',1796541625.0587909222);
CREATE TABLE ws_buurt (
	workshop_id INTEGER NOT NULL, 
	buurtcode VARCHAR(20) NOT NULL, 
	volgorde INTEGER NOT NULL, 
	buurtnaam VARCHAR(200) NOT NULL, 
	wijknaam VARCHAR(200) NOT NULL, 
	data_draagkracht DOUBLE, 
	data_fysieke_kansen DOUBLE, 
	kwadrant VARCHAR(40) NOT NULL, 
	PRIMARY KEY (workshop_id, buurtcode), 
	FOREIGN KEY(workshop_id) REFERENCES ws_workshop (id) ON DELETE CASCADE
);
INSERT INTO ws_buurt VALUES(1,'BU00010000',0,'Buurt 0','Wijk 0',-1.3416407864998738386,1.3416407864998738386,'laag_hoog');
INSERT INTO ws_buurt VALUES(1,'BU00010101',1,'Buurt 1','Wijk 1',-0.4472135954999579277,-1.3416407864998738386,'laag_laag');
INSERT INTO ws_buurt VALUES(1,'BU00010002',2,'Buurt 2','Wijk 0',0.4472135954999579277,0.4472135954999579277,'hoog_hoog');
INSERT INTO ws_buurt VALUES(2,'BU00010101',0,'Buurt 1','Wijk 1',-0.4472135954999579277,-1.3416407864998738386,'laag_laag');
INSERT INTO ws_buurt VALUES(2,'BU00010002',1,'Buurt 2','Wijk 0',0.4472135954999579277,0.4472135954999579277,'hoog_hoog');
INSERT INTO ws_buurt VALUES(2,'BU00010103',2,'Buurt 3','Wijk 1',1.3416407864998738386,-0.4472135954999579277,'hoog_laag');
CREATE TABLE ws_deelnemer (
	id INTEGER NOT NULL, 
	workshop_id INTEGER NOT NULL, 
	nummer INTEGER NOT NULL, 
	naam VARCHAR(60) NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	aangemaakt VARCHAR(40) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_ws_deelnemer_nummer UNIQUE (workshop_id, nummer), 
	CONSTRAINT uq_ws_deelnemer_token UNIQUE (workshop_id, token_hash), 
	FOREIGN KEY(workshop_id) REFERENCES ws_workshop (id) ON DELETE CASCADE
);
INSERT INTO ws_deelnemer VALUES(1,1,1,'Anna','7941e4e4f5bb5cd773d8e0f7676828cb02322004f06d987f5e8f76804df3fe2a','2026-12-06T07:20:25.024390+00:00');
INSERT INTO ws_deelnemer VALUES(2,1,2,'Bram <b>','a6673bea92ee3a2a563a06f288f78ff87a9357915f4f7f2fd831cbdfcbc1334a','2026-12-06T07:20:25.025920+00:00');
INSERT INTO ws_deelnemer VALUES(3,2,1,'Chris','5251e2da6cd9039530eb930f333bceceeb43907c56eefca29c70da9eeb668a96','2026-12-06T07:20:25.056540+00:00');
CREATE TABLE ws_event (
	id INTEGER NOT NULL, 
	workshop_id INTEGER NOT NULL, 
	uid VARCHAR(40) NOT NULL, 
	deelnemer_id INTEGER, 
	soort VARCHAR(16) NOT NULL, 
	buurtcode VARCHAR(20), 
	draagkracht DOUBLE, 
	fysieke_kansen DOUBLE, 
	reden TEXT, 
	interventie VARCHAR(80), 
	tijd VARCHAR(40) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_ws_event_uid UNIQUE (workshop_id, uid), 
	FOREIGN KEY(workshop_id) REFERENCES ws_workshop (id) ON DELETE CASCADE, 
	FOREIGN KEY(deelnemer_id) REFERENCES ws_deelnemer (id) ON DELETE CASCADE
);
INSERT INTO ws_event VALUES(1,1,'anna-0001',1,'plaats','BU00010000',0.5,-0.25,'ken de buurt',NULL,'2026-12-06T07:20:25.028679+00:00');
INSERT INTO ws_event VALUES(2,1,'613a78e50e3d40a4ae7293ae0ac45a96',2,'plaats','BU00010101',-1.5,1.25,'nieuwe school',NULL,'2026-12-06T07:20:25.030528+00:00');
INSERT INTO ws_event VALUES(3,1,'19fed65a2e6746bf9ea5fec82a7f67b4',1,'pin','BU00010000',NULL,NULL,NULL,'groen','2026-12-06T07:20:25.032434+00:00');
INSERT INTO ws_event VALUES(4,1,'5a4fb150cbd9448199213a7e2a8aeddc',1,'pin','BU00010000',NULL,NULL,NULL,'buurtbeheer','2026-12-06T07:20:25.034285+00:00');
INSERT INTO ws_event VALUES(5,1,'65e6f1f8e6a840bf90643eb60f7f3841',1,'unpin','BU00010000',NULL,NULL,NULL,'groen','2026-12-06T07:20:25.035810+00:00');
INSERT INTO ws_event VALUES(6,1,'8157373427f04965b847b694ceaad8e2',1,'plaats','BU00010000',0.75,0.0,'tweede keer',NULL,'2026-12-06T07:20:25.036957+00:00');
INSERT INTO ws_event VALUES(7,1,'eb4dacf946f648b9b57be2d5d50c1544',NULL,'sluit',NULL,NULL,NULL,NULL,NULL,'2026-12-06T07:20:25.037667+00:00');
INSERT INTO ws_event VALUES(8,2,'2cd331c7a24641b5bfed96943b53ca72',3,'plaats','BU00010002',0.10000000000000000555,0.2000000000000000111,'',NULL,'2026-12-06T07:20:25.057830+00:00');
CREATE TABLE scenario (
	id INTEGER NOT NULL, 
	naam VARCHAR(200) NOT NULL, 
	gemeentecode VARCHAR(6), 
	aangemaakt_op DATETIME NOT NULL, 
	verwijderd_op DATETIME, 
	PRIMARY KEY (id)
);
INSERT INTO scenario VALUES(1,'Plan A ter','GM9999','2026-12-06 07:20:25.061544',NULL);
INSERT INTO scenario VALUES(2,'Plan B',NULL,'2026-12-06 07:20:25.064549','2026-12-06 07:20:25.064990');
CREATE TABLE scenario_versie (
	id INTEGER NOT NULL, 
	scenario_id INTEGER NOT NULL, 
	versie INTEGER NOT NULL, 
	inhoud TEXT NOT NULL, 
	opgeslagen_op DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (scenario_id, versie), 
	FOREIGN KEY(scenario_id) REFERENCES scenario (id)
);
INSERT INTO scenario_versie VALUES(1,1,1,replace('{\n "naam": "Plan A",\n "maatregelen": []\n}','\n',char(10)),'2026-12-06 07:20:25.062008');
INSERT INTO scenario_versie VALUES(2,1,2,replace('{\n "naam": "Plan A bis",\n "maatregelen": []\n}','\n',char(10)),'2026-12-06 07:20:25.063444');
INSERT INTO scenario_versie VALUES(3,1,3,replace('{\n "naam": "Plan A ter",\n "maatregelen": []\n}','\n',char(10)),'2026-12-06 07:20:25.064230');
INSERT INTO scenario_versie VALUES(4,2,1,replace('{\n "naam": "Plan B",\n "maatregelen": []\n}','\n',char(10)),'2026-12-06 07:20:25.064671');
CREATE INDEX ix_ws_poging_tijd ON ws_poging (tijd);
CREATE INDEX ix_ws_event_buurt ON ws_event (buurtcode);
CREATE INDEX ix_ws_event_workshop ON ws_event (workshop_id, id);
CREATE INDEX ix_scenario_versie_scenario_id ON scenario_versie (scenario_id);
COMMIT;
