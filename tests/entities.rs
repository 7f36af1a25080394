//! Entity matching and resolution: table tests over inline rule fixtures,
//! rule errors, and the reference seed article against the full pack.

use std::path::PathBuf;

use factsift::document::Document;
use factsift::layers::{Diagnostic, Entity, EntityType};
use factsift::matcher::EntityMatcher;
use factsift::pipeline::Expect;
use factsift::rules::{PackError, RulePack};
use factsift::Pipeline;

const FIXTURE: &str = r#"
[[place]]
id = "us"
name = "United States"
abbreviations = ["US", "U.S."]
demonyms = ["American"]
kind = "country"

[[place]]
id = "pk"
name = "Pakistan"
demonyms = ["Pakistani"]
kind = "country"

[[place]]
id = "pk-jk"
name = "Azad Kashmir"
aliases = ["Pakistani Kashmir"]
parent = "pk"
kind = "territory"

[[place]]
id = "pk-ba"
name = "Balochistan"
parent = "pk"
kind = "province"

[[place]]
id = "in"
name = "India"
demonyms = ["Indian"]
kind = "country"

[[place]]
id = "central-asia"
name = "Central Asia"
kind = "region"

[[group]]
id = "islamic-state"
name = "Islamic State"
abbreviations = ["IS"]

[[group]]
id = "isk"
name = "Islamic State Khorasan Province"
aliases = ["Islamic State Khorasan", "Islamic State-Khorasan"]
abbreviations = ["IS-K"]
parent = "islamic-state"
examples = ["IS-K claimed the attack."]

[[group]]
id = "ttp"
name = "Tehrik-i-Taliban Pakistan"
aliases = ["Tehreek-e-Taliban Pakistan", "Tehrik-e-Taliban Pakistan"]
abbreviations = ["TTP"]
country = "pk"

[[group]]
id = "bla"
name = "Balochistan Liberation Army"

[[official]]
id = "shehbaz-sharif"
name = "Shehbaz Sharif"
surname = "Sharif"

[[official.office]]
title = "Prime Minister"
country = "pk"
from = "2024-03-04"

[[official]]
id = "kenneth-mckenzie"
name = "Kenneth McKenzie"
aliases = ["Kenneth F. McKenzie Jr."]
surname = "McKenzie"

[[official.office]]
title = "Commander"
country = "us"
from = "2019-03-28"
to = "2022-04-01"

[[official]]
id = "marco-rubio"
name = "Marco Rubio"

[[official.office]]
title = "Secretary of State"
country = "us"
from = "2025-01-21"

[[official.office]]
title = "National Security Adviser"
country = "us"
from = "2025-05-01"

[[official]]
id = "imran-khan"
name = "Imran Khan"

[[official.office]]
title = "Prime Minister"
country = "pk"
from = "2018-08-18"
to = "2022-04-10"

[[organization]]
id = "gti"
name = "Global Terrorism Index"
abbreviations = ["GTI"]
kind = "index"

[[title]]
id = "prime-minister"
name = "Prime Minister"
aliases = ["prime minister"]

[[title]]
id = "secretary-of-state"
name = "Secretary of State"
aliases = ["secretary of state"]

[[title]]
id = "national-security-adviser"
name = "National Security Adviser"
aliases = ["national security adviser"]

[[title]]
id = "interior-minister"
name = "Interior Minister"
aliases = ["interior minister"]

[[title]]
id = "commander"
name = "Commander"
aliases = ["commander"]

[[title]]
id = "general"
name = "General"
variants = ["Gen."]
aliases = ["general"]
"#;

const WORLD: &str = r#"
city = ["Turbat", { name = "Gwadar", country = "pk" }]
"#;

fn pack(extra: &[(&str, &str)]) -> Result<RulePack, PackError> {
    let mut sources = vec![
        ("rules/fixture.toml".to_string(), FIXTURE.to_string()),
        ("rules/places-world.toml".to_string(), WORLD.to_string()),
    ];
    sources.extend(extra.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    RulePack::from_sources(sources)
}

fn fixture_pipeline() -> Pipeline {
    Pipeline::new(&pack(&[]).expect("fixture parses")).expect("fixture compiles")
}

struct Run {
    text: String,
    entities: Vec<Entity>,
    diagnostics: Vec<Diagnostic>,
}

impl Run {
    fn mentions(&self, id: &str) -> Vec<&str> {
        self.entities
            .iter()
            .filter(|e| e.id == id)
            .flat_map(|e| e.mentions.iter().map(|m| m.span.slice(&self.text)))
            .collect()
    }

    fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }

    fn ids(&self) -> Vec<&str> {
        self.entities.iter().map(|e| e.id.as_str()).collect()
    }

    fn diags(&self) -> Vec<&str> {
        self.diagnostics
            .iter()
            .map(|d| d.span.slice(&self.text))
            .collect()
    }
}

fn run_with(p: &Pipeline, text: &str, date: Option<&str>) -> Run {
    let mut doc = Document::new("t", text);
    doc.date = date.map(|d| factsift::document::parse_date(d).expect("test date"));
    let a = p.analyze(&doc);
    // Invariant: every mention is an exact slice of the text, in order.
    for e in &a.entities {
        assert!(!e.mentions.is_empty());
        for w in e.mentions.windows(2) {
            assert!(
                w[0].span.start < w[1].span.start,
                "{}: mentions out of order",
                e.id
            );
        }
        for m in &e.mentions {
            assert!(
                text.get(m.span.range()).is_some(),
                "{} span not on char boundary",
                e.id
            );
        }
    }
    Run {
        text: text.to_string(),
        entities: a.entities,
        diagnostics: a.diagnostics,
    }
}

fn run(text: &str) -> Run {
    run_with(&fixture_pipeline(), text, None)
}

#[test]
fn abbreviations_are_case_sensitive() {
    let p = fixture_pipeline();
    let table: &[(&str, &str, &[&str])] = &[
        ("The US said it stands with us.", "place:us", &["US"]),
        ("Talks with the U.S. went well.", "place:us", &["U.S."]),
        ("Let us go; tell us.", "place:us", &[]),
        (
            "IS claimed it. This is fine.",
            "group:islamic-state",
            &["IS"],
        ),
        ("It is what it is.", "group:islamic-state", &[]),
        ("The TTP and the ttp.", "group:ttp", &["TTP"]),
    ];
    for (text, id, want) in table {
        let r = run_with(&p, text, None);
        assert_eq!(r.mentions(id), *want, "{text}");
    }
}

#[test]
fn aliases_match_whole_tokens_only() {
    let p = fixture_pipeline();
    let table: &[(&str, &str, &[&str])] = &[
        ("Indiana is not India.", "place:in", &["India"]),
        ("USAID and the US.", "place:us", &["US"]),
        ("Pakistanis in pakistan.", "place:pk", &["pakistan"]),
        ("TTPs are not the TTP.", "group:ttp", &["TTP"]),
    ];
    for (text, id, want) in table {
        let r = run_with(&p, text, None);
        assert_eq!(r.mentions(id), *want, "{text}");
    }
}

#[test]
fn leftmost_longest_wins() {
    let r =
        run("Indian missile strikes hit Pakistani Kashmir and the Islamic State Khorasan cell.");
    assert_eq!(r.mentions("place:pk-jk"), ["Pakistani Kashmir"]);
    assert_eq!(r.mentions("place:pk"), Vec::<&str>::new());
    assert_eq!(r.mentions("group:isk"), ["Islamic State Khorasan"]);
    assert_eq!(r.mentions("group:islamic-state"), Vec::<&str>::new());
    assert_eq!(r.mentions("place:in"), ["Indian"]);
}

#[test]
fn spellings_merge_and_possessives_join() {
    let r = run(
        "Tehreek-e-Taliban Pakistan (TTP) and Tehrik-e-Taliban Pakistan are one; Pakistan’s view.",
    );
    assert_eq!(
        r.mentions("group:ttp"),
        [
            "Tehreek-e-Taliban Pakistan",
            "TTP",
            "Tehrik-e-Taliban Pakistan"
        ]
    );
    assert_eq!(r.mentions("place:pk"), ["Pakistan’s"]);
    assert_eq!(r.ids(), ["group:ttp", "place:pk"]);
}

#[test]
fn demonyms_refer_to_the_country() {
    let table: &[(&str, &str, &[&str])] = &[
        ("Indian tourists were attacked.", "place:in", &["Indian"]),
        ("The american and indian food.", "place:in", &[]),
        ("An American official spoke.", "place:us", &["American"]),
        (
            "Central Asian states met.",
            "place:central-asia",
            &["Central Asian"],
        ),
    ];
    let p = fixture_pipeline();
    for (text, id, want) in table {
        assert_eq!(run_with(&p, text, None).mentions(id), *want, "{text}");
    }
}

#[test]
fn abbreviations_defined_in_the_text_bind_for_the_rest() {
    let r = run("The Balochistan Liberation Army (BLA) struck. Later BLA fighters and the BLA’s leader fled.");
    assert_eq!(
        r.mentions("group:bla"),
        ["Balochistan Liberation Army", "BLA", "BLA", "BLA’s"]
    );
    // A pattern-found group with its own abbreviation.
    let r = run("The Sindhudesh Liberation Army (SDLA) claimed it. SDLA denied it.");
    let e = r
        .entity("group:sindhudesh-liberation-army")
        .expect("pattern group");
    assert!(!e.known);
    assert_eq!(
        r.mentions("group:sindhudesh-liberation-army"),
        ["Sindhudesh Liberation Army", "SDLA", "SDLA"]
    );
    // Not before the definition.
    let r = run("XYZ came first. The Balochistan Liberation Army (XYZ) then.");
    assert_eq!(
        r.mentions("group:bla"),
        ["Balochistan Liberation Army", "XYZ"]
    );
}

#[test]
fn surnames_join_the_earlier_full_name() {
    let r = run("Prime Minister Shehbaz Sharif met Imran Khan. Sharif said Khan’s view was wrong; Sharif’s aides agreed.");
    assert_eq!(
        r.mentions("official:shehbaz-sharif"),
        ["Shehbaz Sharif", "Sharif", "Sharif’s"]
    );
    assert_eq!(r.mentions("official:imran-khan"), ["Imran Khan", "Khan’s"]);
    // The dictionary's surname, whatever the full mention ends with.
    let r = run("Gen. Kenneth F. McKenzie Jr. testified. McKenzie said more.");
    assert_eq!(
        r.mentions("official:kenneth-mckenzie"),
        ["Kenneth F. McKenzie Jr.", "McKenzie"]
    );
    // A surname before any full name is not joined.
    let r = run("Sharif arrived. Then Shehbaz Sharif spoke.");
    assert_eq!(r.mentions("official:shehbaz-sharif"), ["Shehbaz Sharif"]);
}

#[test]
fn pattern_officials_and_persons() {
    let r = run("Interior Minister Mohsin Naqvi visited Quetta. Naqvi’s statement followed.");
    let e = r.entity("official:mohsin-naqvi").expect("title pattern");
    assert!(!e.known);
    assert_eq!(e.etype, EntityType::Official);
    assert_eq!(e.attributes["title"], "Interior Minister");
    assert_eq!(
        r.mentions("official:mohsin-naqvi"),
        ["Mohsin Naqvi", "Naqvi’s"]
    );

    let r =
        run("Pakistan arrested the operational commander of IS-K, Mohammad Sharifullah, in March.");
    let e = r
        .entity("person:mohammad-sharifullah")
        .expect("role pattern");
    assert!(!e.known);
    assert_eq!(e.etype, EntityType::Person);
    assert_eq!(e.attributes["role"], "operational commander");
    assert_eq!(e.attributes["affiliation"], "group:isk");

    let r = run("Commander General Michael Kurilla remarked on it. Gen. Asim Munir agreed.");
    let e = r
        .entity("official:michael-kurilla")
        .expect("stacked titles");
    assert_eq!(e.attributes["title"], "Commander");
    let e = r.entity("official:asim-munir").expect("title variant");
    assert_eq!(e.attributes["title"], "General");

    // Initials written together, and a place in brackets after the title.
    let r = run("Interior Minister A.B. Qureshi met donors. Qureshi left.");
    assert_eq!(
        r.mentions("official:a-b-qureshi"),
        ["A.B. Qureshi", "Qureshi"]
    );
    let r = run("Interior Minister (Balochistan) Zia Langove toured Kech District.");
    let e = r
        .entity("official:zia-langove")
        .expect("bracketed jurisdiction");
    assert_eq!(e.attributes["title"], "Interior Minister");
    assert_eq!(e.attributes["country"], "place:pk-ba");
    let r = run("Prime Minister (Interim) Anwar Kakar spoke.");
    assert!(r.entity("official:anwar-kakar").is_some(), "{:?}", r.ids());
}

#[test]
fn pattern_persons_from_group_roles_honorifics_and_aliases() {
    let table: &[(&str, &str, &[&str])] = &[
        (
            "A TTP commander Qari Shakeel Ahmad was killed.",
            "person:qari-shakeel-ahmad",
            &["Qari Shakeel Ahmad"],
        ),
        (
            "The Balochistan Liberation Army grew. Its chief, Bashir Zeb, fled.",
            "person:bashir-zeb",
            &["Bashir Zeb"],
        ),
        (
            "The TTP leader Ayman al-Zawahiri spoke.",
            "person:ayman-al-zawahiri",
            &["Ayman al-Zawahiri"],
        ),
        (
            "Dr. Steve Killelea presented the index.",
            "person:steve-killelea",
            &["Steve Killelea"],
        ),
        (
            "Police arrested Mohammad Sharifullah, also known as Jafar, near the border. Sharifullah confessed.",
            "person:mohammad-sharifullah",
            &["Mohammad Sharifullah", "Jafar", "Sharifullah"],
        ),
        (
            "Nambala Keshava Rao, better known as Basavaraju, was killed.",
            "person:basavaraju",
            &["Nambala Keshava Rao", "Basavaraju"],
        ),
        (
            "Police arrested a local man, Hakam Khan, on Friday.",
            "person:hakam-khan",
            &["Hakam Khan"],
        ),
        (
            "The two men, Parvaiz Ahmad Jothar and Bashir Ahmad Jothar, were held.",
            "person:bashir-ahmad-jothar",
            &["Bashir Ahmad Jothar"],
        ),
        (
            "The arrest of accused Tahawwur Rana. On Friday, Tahawwur Hussain Rana, a Canadian businessman, landed. Rana was held.",
            "person:tahawwur-rana",
            &["Tahawwur Rana", "Tahawwur Hussain Rana", "Rana"],
        ),
        (
            "The search was named Operation Mahadev by the army.",
            "person:operation-mahadev",
            &[],
        ),
    ];
    let p = fixture_pipeline();
    for (text, id, want) in table {
        let r = run_with(&p, text, None);
        assert_eq!(r.mentions(id), *want, "{text}: {:?}", r.ids());
        if !want.is_empty() {
            assert!(!r.entity(id).expect("found").known);
        }
    }
    let r = run_with(&p, "A TTP commander Qari Shakeel Ahmad was killed.", None);
    assert_eq!(
        r.entity("person:qari-shakeel-ahmad")
            .expect("found")
            .attributes["affiliation"],
        "group:ttp"
    );
}

#[test]
fn titles_hide_neither_entities_nor_make_unknown_names() {
    let extra = r#"
[[organization]]
id = "ispr"
name = "Inter-Services Public Relations"
abbreviations = ["ISPR"]

[[title]]
id = "director-general"
name = "Director General"
variants = ["DG", "DG ISPR"]
aliases = ["director general"]
"#;
    let p =
        Pipeline::new(&pack(&[("rules/extra.toml", extra)]).expect("parses")).expect("compiles");
    let r = run_with(
        &p,
        "The DG ISPR said the Prime Minister of Pakistan Shehbaz Sharif agreed.",
        None,
    );
    assert_eq!(r.mentions("org:ispr"), ["ISPR"]);
    assert_eq!(r.diags(), Vec::<&str>::new());
}

#[test]
fn pattern_groups_and_places() {
    let table: &[(&str, &str, &[&str])] = &[
        (
            "Islamic State Somalia claimed it.",
            "group:islamic-state-somalia",
            &["Islamic State Somalia"],
        ),
        (
            "The Sindhudesh Liberation Front spoke.",
            "group:sindhudesh-liberation-front",
            &["Sindhudesh Liberation Front"],
        ),
        (
            "Clashes in Paktika province went on.",
            "place:paktika",
            &["Paktika"],
        ),
        ("They reached the town of Zhob.", "place:zhob", &["Zhob"]),
    ];
    let p = fixture_pipeline();
    for (text, id, want) in table {
        let r = run_with(&p, text, None);
        assert_eq!(r.mentions(id), *want, "{text}: {:?}", r.ids());
        assert!(!r.entity(id).expect("found").known);
    }
}

#[test]
fn operations_are_not_groups() {
    let r = run(
        "Since Operation Zarb-e-Azb and the Radd-ul-Fasaad offensive, Lashkar-e-Jhangvi struck.",
    );
    assert_eq!(r.ids(), ["group:lashkar-e-jhangvi"]);
    assert!(!r.entities[0].known);
}

#[test]
fn officials_title_follows_the_text_and_the_date() {
    let p = fixture_pipeline();
    let r = run_with(&p, "Secretary of State Marco Rubio spoke.", None);
    assert_eq!(
        r.entity("official:marco-rubio").expect("rubio").attributes["title"],
        "Secretary of State"
    );
    let r = run_with(&p, "Marco Rubio spoke.", Some("2025-03-01"));
    assert_eq!(
        r.entity("official:marco-rubio").expect("rubio").attributes["title"],
        "Secretary of State"
    );
    // Out of office on the date: the latest office.
    let r = run_with(&p, "Imran Khan spoke.", Some("2025-03-01"));
    let e = r.entity("official:imran-khan").expect("khan");
    assert_eq!(e.attributes["title"], "Prime Minister");
    assert_eq!(e.attributes["country"], "place:pk");
}

#[test]
fn pattern_and_generated_places() {
    let r = run("A blast in Tump (Kech, Balochistan) killed two. Police in Kech district and the village of Buleda searched.");
    let e = r.entity("place:tump").expect("in X (Y, Z)");
    assert!(!e.known);
    assert_eq!(e.attributes["parent"], "place:pk-ba");
    assert!(r.entity("place:kech").is_some(), "{:?}", r.ids());
    assert!(r.entity("place:buleda").is_some(), "{:?}", r.ids());
    assert_eq!(r.mentions("place:pk-ba"), ["Balochistan"]);

    // Generated world cities: capitalized only, below curated entries.
    let r = run("Turbat and Gwadar, not turbat.");
    assert_eq!(r.mentions("place:turbat"), ["Turbat"]);
    assert_eq!(r.mentions("place:pk-gwadar"), ["Gwadar"]);
    assert!(r.entity("place:turbat").expect("city").known);
}

#[test]
fn unknown_capitalized_names_become_diagnostics() {
    let text = "Rising Threats Ahead\nThe Grand Frobnic Council met in Pakistan. According to the Global Terrorism Index it worsened in Upper Norland.";
    let r = run(text);
    // An index the pack lists is neither an entity nor an unknown name.
    assert_eq!(r.diags(), ["Grand Frobnic Council", "Upper Norland"]);
    assert_eq!(r.ids(), ["place:pk"]);
    assert!(r.diagnostics.iter().all(|d| d.kind == "unknown_name"));
}

#[test]
fn ids_are_deterministic_and_in_first_mention_order() {
    let text = "India and Pakistan met the US. Pakistan, India.";
    let a = run(text);
    let b = run(text);
    assert_eq!(a.ids(), ["place:in", "place:pk", "place:us"]);
    assert_eq!(a.ids(), b.ids());
}

#[test]
fn examples_come_from_entries() {
    let p = pack(&[]).expect("fixture parses");
    let ex = EntityMatcher::examples(&p);
    assert_eq!(ex.len(), 1);
    assert_eq!(ex[0].id, "isk");
    assert_eq!(
        ex[0].expect,
        Expect::Entity {
            id: "group:isk".into()
        }
    );
    let pipeline = Pipeline::new(&p).expect("compiles");
    assert!(pipeline.check_examples(&p, &ex).is_empty());
}

fn compile_errors(text: &str) -> Vec<String> {
    let p =
        RulePack::from_sources([("rules/bad.toml".to_string(), text.to_string())]).expect("parses");
    match EntityMatcher::compile(&p) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn rule_errors_have_file_line_column() {
    let table: &[(&str, &str)] = &[
        (
            "[[group]]\nid = \"a\"\nname = \"Alpha Front\"\n\n[[group]]\nid = \"b\"\nname = \"Beta\"\naliases = [\"Alpha Front\"]\n",
            "rules/bad.toml:8:12: [b] \"Alpha Front\" is already claimed by group:a\n  |\n8 | aliases = [\"Alpha Front\"]\n  |            ^",
        ),
        (
            "[[group]]\nid = \"a\"\nname = \"\"\n",
            "rules/bad.toml:3:1: [a] missing or empty `name`",
        ),
        (
            "[[place]]\nid = \"x\"\nname = \"X\"\naliases = \"Ex\"\n",
            "rules/bad.toml:4:1: [x] `aliases` must be a list of strings",
        ),
        (
            "[[place]]\nid = \"x\"\nname = \"X\"\nalias = [\"Ex\"]\n",
            "rules/bad.toml:4:1: [x] unknown field `alias`",
        ),
        (
            "[[group]]\nname = \"Nameless\"\n",
            "rules/bad.toml:2:9: [[group]] entry without an `id`",
        ),
    ];
    for (text, want) in table {
        let errors = compile_errors(text);
        assert_eq!(errors.len(), 1, "{text}: {errors:?}");
        assert!(
            errors[0].starts_with(want),
            "{text}:\n{}\n---want---\n{want}",
            errors[0]
        );
    }
    // Homonymous places under different parents are allowed.
    let ok = "[[place]]\nid = \"pk-pb\"\nname = \"Punjab\"\nparent = \"pk\"\n\n[[place]]\nid = \"in-pb\"\nname = \"Punjab\"\nparent = \"in\"\n";
    assert!(compile_errors(ok).is_empty());
}

#[test]
fn homonyms_follow_the_documents_context() {
    let extra = r#"
[[place]]
id = "pk-pb"
name = "Punjab"
parent = "pk"

[[place]]
id = "in-pb"
name = "Punjab"
parent = "in"
"#;
    let p =
        Pipeline::new(&pack(&[("rules/extra.toml", extra)]).expect("parses")).expect("compiles");
    let r = run_with(&p, "Police in Punjab, India, said so.", None);
    assert_eq!(r.mentions("place:in-pb"), ["Punjab"]);
    let r = run_with(&p, "Police in Punjab, Pakistan, said so.", None);
    assert_eq!(r.mentions("place:pk-pb"), ["Punjab"]);
}

/// The rule pack to read the seed with: `FACTSIFT_TEST_RULES`, else the
/// repository's `rules/`.
fn full_pack() -> Option<RulePack> {
    let dir = std::env::var_os("FACTSIFT_TEST_RULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules"));
    let pack = RulePack::from_dirs(&[dir]).ok()?;
    // Only meaningful once the dictionaries are there.
    pack.entries("place").next()?;
    pack.entries("official").next()?;
    Some(pack)
}

/// The pipeline of the full pack, built once for every test that needs it.
fn full_pipeline() -> Option<&'static Pipeline> {
    static P: std::sync::OnceLock<Option<Pipeline>> = std::sync::OnceLock::new();
    P.get_or_init(|| full_pack().map(|pack| Pipeline::new(&pack).expect("the full pack compiles")))
        .as_ref()
}

#[test]
fn seed_article_entities() {
    let seed =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/000_709fc2afe86d52ab.txt");
    let Ok(text) = std::fs::read_to_string(&seed) else {
        eprintln!("seed not present; skipped");
        return;
    };
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let r = run_with(p, &text, None);
    let has = |id: &str, texts: &[&str]| {
        let got = r.mentions(id);
        assert!(!got.is_empty(), "no {id}; entities: {:?}", r.ids());
        for t in texts {
            assert!(got.contains(t), "{id} lacks {t:?}: {got:?}");
        }
    };
    has("place:pk", &["Pakistan", "Pakistan’s"]);
    has("place:us", &["U.S.", "United States", "US"]);
    has("official:shehbaz-sharif", &["Shehbaz Sharif"]);
    has("official:marco-rubio", &["Marco Rubio"]);
    has("place:pk-kp", &["Khyber Pakhtunkhwa"]);
    has(
        "group:ttp",
        &[
            "Tehreek-e-Taliban Pakistan",
            "Tehrik-e-Taliban Pakistan",
            "TTP",
        ],
    );
    has(
        "group:isk",
        &["Islamic State-Khorasan", "Islamic State Khorasan", "IS-K"],
    );
    has("group:islamic-state", &["Islamic State"]);
    has("place:in", &["Indian", "India"]);
    has("place:pk-jk", &["Pakistani Kashmir"]);
    has("place:pk-islamabad", &["Islamabad"]);
    has("org:centcom", &["U.S. Central Command", "Centcom"]);
    has("official:michael-kurilla", &["Michael Kurilla"]);
    has("person:mohammad-sharifullah", &["Mohammad Sharifullah"]);
    has("place:gb", &["United Kingdom"]);
    has("org:eu", &["European Union"]);
    has("place:jp", &["Japan"]);
    has("org:fatf", &["Financial Action Task Force", "FATF"]);
    has("place:af", &["Afghanistan"]);
    has("place:cn", &["China"]);
    has("place:south-asia", &["South Asia"]);
    has("place:central-asia", &["Central Asian"]);
    assert!(
        r.ids()
            .iter()
            .any(|id| id.starts_with("place:us-washington")),
        "{:?}",
        r.ids()
    );
    // The pack lists "Kabul airport" as a place of its own.
    assert!(
        r.entity("place:af-kabul").is_some() || r.entity("place:af-kabul-airport").is_some(),
        "{:?}",
        r.ids()
    );
    let attr = |id: &str, k: &str| r.entity(id).map(|e| e.attributes[k].clone());
    assert_eq!(
        attr("official:shehbaz-sharif", "title"),
        Some("Prime Minister".into())
    );
    assert_eq!(
        attr("official:shehbaz-sharif", "country"),
        Some("place:pk".into())
    );
    assert_eq!(
        attr("official:marco-rubio", "title"),
        Some("Secretary of State".into())
    );
    assert_eq!(
        attr("official:marco-rubio", "country"),
        Some("place:us".into())
    );
    assert_eq!(
        attr("official:michael-kurilla", "organization"),
        Some("org:centcom".into())
    );
    let sharifullah = r.entity("person:mohammad-sharifullah").expect("present");
    assert_eq!(sharifullah.attributes["affiliation"], "group:isk");
    // No entity from headings or common words.
    for e in &r.entities {
        for m in &e.mentions {
            let t = m.span.slice(&r.text);
            assert!(
                ![
                    "Rising",
                    "Multilateral Engagements",
                    "Global Terrorism Index"
                ]
                .contains(&t),
                "{} from {t:?}",
                e.id
            );
        }
    }
    assert!(r
        .entities
        .iter()
        .all(|e| !e.name.contains("Terrorism Index")));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// No input panics; every mention slices the text; shifting the text
    /// shifts every span.
    #[test]
    fn any_text_is_safe_and_shift_invariant(
        words in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::prelude::Just("Pakistan".to_string()),
                proptest::prelude::Just("US".to_string()),
                proptest::prelude::Just("(".to_string()),
                proptest::prelude::Just(")".to_string()),
                proptest::prelude::Just(",".to_string()),
                proptest::prelude::Just("’s".to_string()),
                proptest::prelude::Just("-e-".to_string()),
                proptest::prelude::Just("also known as".to_string()),
                proptest::prelude::Just("Interior Minister".to_string()),
                proptest::prelude::Just("commander of".to_string()),
                proptest::prelude::Just("Liberation Army".to_string()),
                proptest::prelude::Just("in".to_string()),
                proptest::prelude::Just("district".to_string()),
                proptest::prelude::Just("Sharif".to_string()),
                // A line break (whitespace-only lines are left out: the
                // segmenter panics on them, reported separately).
                proptest::prelude::Just(".\nNext".to_string()),
                "[A-Z][a-zé]{0,6}",
                "[a-z]{1,5}",
                "[^\\s\\p{C}]{1,3}",
            ],
            0..40,
        )
    ) {
        let text = words.join(" ");
        let p = fixture_pipeline();
        let a = p.analyze(&Document::new("x", text.clone()));
        let shifted = format!("Ok. {text}");
        let b = p.analyze(&Document::new("y", shifted.clone()));
        let spans = |a: &factsift::Analysis, t: &str, shift: usize| {
            let mut v: Vec<(String, usize, usize, String)> = a
                .entities
                .iter()
                .flat_map(|e| {
                    e.mentions.iter().map(move |m| {
                        (e.id.clone(), m.span.start - shift, m.span.end - shift, m.span.slice(t).to_string())
                    })
                })
                .collect();
            v.sort();
            v
        };
        let sa = spans(&a, &text, 0);
        for (_, s, e, t) in &sa {
            proptest::prop_assert_eq!(&text[*s..*e], t.as_str());
        }
        let sb = spans(&b, &shifted, 4);
        // Shift invariance (the leading sentence may only change which
        // words are sentence-initial, so compare mention positions of known
        // dictionary entities).
        let known = |v: &[(String, usize, usize, String)]| {
            v.iter()
                .filter(|(id, ..)| id == "place:pk" || id == "place:us")
                .cloned()
                .collect::<Vec<_>>()
        };
        proptest::prop_assert_eq!(known(&sa), known(&sb));
    }
}

/// Persons from rules/persons.toml: transliterations and surnames merge into
/// one known entity, and a role the text gives ("Its founder, ...") stays on
/// the dictionary person.
#[test]
fn dictionary_persons_keep_the_role_the_text_gives() {
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let r = run_with(
        p,
        "Lashkar-e-Taiba recruited widely in Punjab. Its founder, Hafiz Muhammad Saeed, was jailed in 2020. \
         Saeed denied the charges.",
        None,
    );
    assert_eq!(
        r.mentions("person:hafiz-saeed"),
        ["Hafiz Muhammad Saeed", "Saeed"]
    );
    let e = r.entity("person:hafiz-saeed").expect("found");
    assert!(e.known);
    assert_eq!(e.attributes["role"], "founder");
    assert_eq!(e.attributes["affiliation"], "group:let");
    let r = run_with(
        p,
        "Fighters loyal to Gul Bahadur ambushed a convoy near Mir Ali.",
        None,
    );
    assert_eq!(r.mentions("person:hafiz-gul-bahadur"), ["Gul Bahadur"]);
}

/// After "identified/named ... as", each listed name is a person, even one
/// word, and a demonym inside it is a surname ("Qasim Punjabi").
#[test]
fn persons_listed_after_identified_as() {
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let r = run_with(
        p,
        "The slain militants were identified as Abu Talha, Qasim Punjabi and Irfan. Two were Pakistani.",
        None,
    );
    assert_eq!(r.mentions("person:abu-talha"), ["Abu Talha"]);
    assert_eq!(r.mentions("person:qasim-punjabi"), ["Qasim Punjabi"]);
    assert_eq!(r.mentions("person:irfan"), ["Irfan"]);
    assert_eq!(r.mentions("place:pk"), ["Pakistani"]);
    let r = run_with(
        p,
        "Officers named them as Tariq Mir, a driver from Sopore; Bilal; and Adil Kashmiri.",
        None,
    );
    assert_eq!(r.mentions("person:tariq-mir"), ["Tariq Mir"]);
    assert_eq!(r.mentions("person:bilal"), ["Bilal"]);
    assert_eq!(r.mentions("person:adil-kashmiri"), ["Adil Kashmiri"]);
    // A group or a country after "as" stays what it is.
    let r = run_with(p, "The group was identified as the Islamic State.", None);
    assert_eq!(r.ids(), ["group:islamic-state"]);
}

/// A name nobody lists is a person when the text describes it as one right
/// after: ", who ...", ", a resident of ...", ", 34, a driver".
#[test]
fn persons_described_right_after_their_name() {
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let table: &[(&str, &str, &str)] = &[
        (
            "Police said Rafiq Ahmed Dar, who had planted the device, fled to Sopore.",
            "person:rafiq-ahmed-dar",
            "Rafiq Ahmed Dar",
        ),
        (
            "The CTD detained Gul Zaman Khan, a resident of Lakki Marwat, on Sunday.",
            "person:gul-zaman-khan",
            "Gul Zaman Khan",
        ),
        (
            "Among the dead was Naveed Iqbal, 34, a schoolteacher.",
            "person:naveed-iqbal",
            "Naveed Iqbal",
        ),
    ];
    for (text, id, want) in table {
        let r = run_with(p, text, None);
        assert_eq!(r.mentions(id), [*want], "{text}: {:?}", r.ids());
    }
    // A place described as a place stays out.
    let r = run_with(p, "They met in Peshawar, a city of four million.", None);
    assert!(
        r.ids().iter().all(|i| !i.starts_with("person:")),
        "{:?}",
        r.ids()
    );
}

/// A bare surname keeps standing for the person it first stood for when a
/// second person with that surname comes in under their full name.
#[test]
fn a_bare_surname_keeps_its_established_referent() {
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let r = run_with(
        p,
        "Interior Minister Mohsin Naqvi visited Quetta. Naqvi named the suspect as Asad Naqvi, a driver. \
         Naqvi later told reporters the case was closed.",
        None,
    );
    assert_eq!(
        r.mentions("official:mohsin-naqvi"),
        ["Mohsin Naqvi", "Naqvi", "Naqvi"]
    );
    assert_eq!(r.mentions("person:asad-naqvi"), ["Asad Naqvi"]);
}

#[test]
fn a_country_s_ministry_is_chosen_by_the_document_s_country() {
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let r = run_with(
        p,
        "A spokesman for the Ministry of Interior said raids in Kunar, Afghanistan, netted 14 suspects.",
        None,
    );
    assert_eq!(
        r.mentions("org:af-interior-ministry"),
        ["Ministry of Interior"]
    );
    let r = run_with(
        p,
        "The Interior Ministry in Islamabad said Pakistan would deploy more troops.",
        None,
    );
    assert_eq!(
        r.mentions("org:pakistan-interior-ministry"),
        ["Interior Ministry"]
    );
}

/// Streets, markets, gates and parks no dictionary lists: a capitalized name
/// ending in "Road", "Chowk", "Bazaar", "Gate", "Park"... after a locative
/// preposition, with a known place nearby as parent; not metaphors ("the
/// Silk Road"), not titles ("Road Map"), not without a place in reach.
#[test]
fn street_and_landmark_places_from_context() {
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let table: &[(&str, &str, &str, &str)] = &[
        (
            "QUETTA: A blast hit a shop on Jinnah Road on Monday.",
            "place:jinnah-road",
            "Jinnah Road",
            "place:pk-quetta",
        ),
        (
            "In Karachi, the attack took place near the Sohrab Goth Chowk.",
            "place:sohrab-goth-chowk",
            "Sohrab Goth Chowk",
            "place:pk-karachi",
        ),
        (
            "Gunmen killed two men in Kabul, near Darul Aman Road.",
            "place:darul-aman-road",
            "Darul Aman Road",
            "place:af-kabul",
        ),
        (
            "In Peshawar, a bomb went off on Kohat Road.",
            "place:kohat-road",
            "Kohat Road",
            "place:pk-peshawar",
        ),
        (
            "Militants stormed the Saddar police station in Bannu.",
            "place:saddar",
            "Saddar",
            "place:pk-bannu",
        ),
    ];
    for (text, id, mention, parent) in table {
        let r = run_with(p, text, None);
        assert_eq!(r.mentions(id), [*mention], "{text}: {:?}", r.ids());
        let e = r.entity(id).expect("found");
        assert!(!e.known);
        assert_eq!(
            e.attributes.get("parent").and_then(|v| v.as_str()),
            Some(*parent),
            "{text}"
        );
    }
    for text in [
        "Trade along the Silk Road flourished, historians in Kabul say.",
        "The Road Map for peace was discussed in Islamabad.",
        "He walked along Jinnah Road.",
        "Officials in Quetta said the High Street was closed.",
    ] {
        let r = run_with(p, text, None);
        assert!(
            !r.ids()
                .iter()
                .any(|id| id.contains("road") || id.contains("street")),
            "{text}: {:?}",
            r.ids()
        );
    }
}

/// "Imphal East district" where only "Imphal" were known must not make a
/// place "East"; hyphenated given names are persons, not groups; indices
/// hold their words but are no entities.
#[test]
fn directions_given_names_and_indices() {
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let r = run_with(p, "Police raided Bajaur West district on Sunday.", None);
    assert!(!r.ids().contains(&"place:west"), "{:?}", r.ids());
    let r = run_with(
        p,
        "Kabul summoned Ubaid-ur-Rehman Nizamani, while Lashkar-e-Jhangvi denied a role.",
        None,
    );
    assert_eq!(
        r.mentions("person:ubaid-ur-rehman-nizamani"),
        ["Ubaid-ur-Rehman Nizamani"]
    );
    assert!(r.ids().contains(&"group:lej"), "{:?}", r.ids());
    let r = run_with(
        p,
        "Pakistan ranked second on the Global Terrorism Index (GTI) 2025; the GTI and the Global Peace Index are compiled in Sydney.",
        None,
    );
    assert!(
        !r.ids().iter().any(|id| id.contains("index")),
        "{:?}",
        r.ids()
    );
    assert!(r.diags().is_empty(), "{:?}", r.diags());
    assert_eq!(r.mentions("place:pk"), ["Pakistan"]);
}

/// A form two entries share goes to the one whose country the document
/// names most: "Ministry of Interior" in a statement from Kabul that also
/// names Pakistan; "PTI" in an Indian wire dateline.
#[test]
fn shared_forms_follow_the_most_named_country() {
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let r = run_with(
        p,
        "KABUL: The Ministry of Interior said 12 men were held in Nangarhar and Herat. Pakistan denied it.",
        None,
    );
    assert!(
        r.entity("org:af-interior-ministry").is_some(),
        "{:?}",
        r.ids()
    );
    let r = run_with(
        p,
        "Interior Minister Mohsin Naqvi met Afghan officials in Islamabad; the Ministry of Interior in Lahore said so.",
        None,
    );
    assert!(
        r.entity("org:pakistan-interior-ministry").is_some(),
        "{:?}",
        r.ids()
    );
    let r = run_with(
        p,
        "RAIPUR, Feb 9 (PTI): Ten Maoists were killed in Bijapur district of Chhattisgarh.",
        None,
    );
    assert!(
        r.entity("org:press-trust-of-india").is_some(),
        "{:?}",
        r.ids()
    );
    let r = run_with(p, "PTI leaders rallied in Lahore and Karachi.", None);
    assert!(r.entity("org:pti").is_some(), "{:?}", r.ids());
}

/// Police notes: "X alias Y" without a comma; a group's operative after the
/// group's bracketed abbreviation; a particle name after "identified as"
/// even when its last word is also a city's name; rank titles in ISPR
/// spellings.
#[test]
fn police_note_names() {
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let r = run_with(
        p,
        "Police busted a module of Babbar Khalsa International (BKI) operative Harvinder Singh alias Rinda in Amritsar.",
        None,
    );
    assert_eq!(
        r.mentions("person:harvinder-singh"),
        ["Harvinder Singh", "Rinda"]
    );
    let r = run_with(
        p,
        "The regional commander was identified as Abdullah al-Mamun, a resident of Dhaka.",
        None,
    );
    assert_eq!(
        r.mentions("person:abdullah-al-mamun"),
        ["Abdullah al-Mamun"]
    );
    let r = run_with(
        p,
        "Havaldar Sajid Ali and Lance Naik Zeeshan Haider embraced shahadat in Mir Ali.",
        None,
    );
    assert_eq!(r.mentions("official:sajid-ali"), ["Sajid Ali"]);
    assert_eq!(r.mentions("official:zeeshan-haider"), ["Zeeshan Haider"]);
    assert!(r.diags().is_empty(), "{:?}", r.diags());
    let r = run_with(
        p,
        "Ten Maoists were killed. Two AK rifles were seized.",
        None,
    );
    assert!(r.diags().is_empty(), "{:?}", r.diags());
}

/// Police ranks with a place between title and name ("SSP Kupwara X Y"); a
/// title the text abbreviates owns the abbreviation ("Senior Superintendent
/// of Police (SSP)" is not the group SSP there); world cities that are
/// surnames inside names ("Ghulam Jeelani Wani") or parts of hyphenated
/// names are no places.
#[test]
fn police_ranks_places_and_surnames() {
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let r = run_with(
        p,
        "Senior Superintendent of Police (SSP) Kupwara Ghulam Jeelani Wani said so. Later, SSP Baramulla Amod Ashok Nagpure agreed.",
        None,
    );
    assert_eq!(
        r.mentions("official:ghulam-jeelani-wani"),
        ["Ghulam Jeelani Wani"]
    );
    assert_eq!(
        r.mentions("official:amod-ashok-nagpure"),
        ["Amod Ashok Nagpure"]
    );
    assert!(r.entity("group:ssp").is_none(), "{:?}", r.ids());
    assert!(!r
        .ids()
        .iter()
        .any(|i| i.contains("wani") && i.starts_with("place")));
    assert!(!r
        .ids()
        .iter()
        .any(|i| i.contains("amod") && i.starts_with("place")));
    let e = r.entity("official:ghulam-jeelani-wani").expect("found");
    assert_eq!(
        e.attributes.get("country").and_then(|v| v.as_str()),
        Some("place:in-kupwara")
    );
    // Without the definition, SSP is the group.
    let r = run_with(p, "The SSP and the LeJ were banned in Pakistan.", None);
    assert!(r.entity("group:ssp").is_some(), "{:?}", r.ids());
    // "Dasht" (Balochistan) inside a hyphenated name is not that place.
    let r = run_with(
        p,
        "Zarb-e-Dasht-e-Kala and Dasht-e-Nawar lie far away.",
        None,
    );
    assert!(r.entity("place:pk-dasht").is_none(), "{:?}", r.ids());
}

/// Briefing transcripts: "Question (Name, Outlet)" names a journalist of
/// that outlet; "Shri", "Mawlawi" are honorifics before a name; "Pakistan-
/// occupied Jammu and Kashmir" is one place, not Pakistan and the Indian
/// territory.
#[test]
fn briefing_transcript_names() {
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let r = run_with(
        p,
        "Question (Meera Kapoor, Hindustan Times): Has Shri Arun Varma left? Mawlawi Abdul Kabir answered.",
        None,
    );
    assert_eq!(r.mentions("person:meera-kapoor"), ["Meera Kapoor"]);
    assert_eq!(
        r.entity("person:meera-kapoor")
            .and_then(|e| e.attributes.get("affiliation"))
            .and_then(|v| v.as_str()),
        Some("org:hindustan-times")
    );
    assert_eq!(r.mentions("person:arun-varma"), ["Arun Varma"]);
    assert_eq!(r.mentions("person:abdul-kabir"), ["Abdul Kabir"]);
    let r = run_with(
        p,
        "Nine camps in Pakistan-occupied Jammu and Kashmir were struck.",
        None,
    );
    assert_eq!(r.ids(), ["place:pk-jk"]);
}

/// A body between a title and the name ("Additional IG CTD Waseem Sial")
/// and an honorific before the name ("Inspector General of Police Dr Usman
/// Anwar") are no part of the official's name.
#[test]
fn titles_with_bodies_and_honorifics() {
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let r = run_with(
        p,
        "Inspector General of Police Dr Usman Anwar met Additional IG CTD Waseem Sial in Lahore.",
        None,
    );
    assert_eq!(r.mentions("official:usman-anwar"), ["Usman Anwar"]);
    assert_eq!(r.mentions("official:waseem-sial"), ["Waseem Sial"]);
    assert_eq!(
        r.entity("official:waseem-sial")
            .and_then(|e| e.attributes.get("organization"))
            .and_then(|v| v.as_str()),
        Some("org:ctd")
    );
}

/// "members of the banned GROUP (ABBR), A B and C D": persons of the group.
#[test]
fn names_listed_after_a_groups_members() {
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let r = run_with(
        p,
        "Police held three cadres of the proscribed Balochistan Liberation Front (BLF), Karim Jan, Nawaz Ali and Sher Khan, near Turbat.",
        None,
    );
    for id in ["person:karim-jan", "person:nawaz-ali", "person:sher-khan"] {
        assert_eq!(
            r.entity(id)
                .and_then(|e| e.attributes.get("affiliation"))
                .and_then(|v| v.as_str()),
            Some("group:blf"),
            "{id}: {:?}",
            r.ids()
        );
    }
}

/// A low rank before a dictionary official's name is a namesake: "Naik
/// Imran Khan" is a soldier, not the former prime minister; "Prime Minister
/// Imran Khan" still is him.
#[test]
fn a_low_rank_before_an_officials_name_is_a_namesake() {
    let Some(p) = full_pipeline() else {
        eprintln!("no full rule pack; skipped");
        return;
    };
    let r = run_with(
        p,
        "Constable Imran Khan and Sepoy Shehbaz Sharif were wounded in the attack.",
        None,
    );
    assert_eq!(r.mentions("official:constable-imran-khan"), ["Imran Khan"]);
    assert_eq!(
        r.mentions("official:sepoy-shehbaz-sharif"),
        ["Shehbaz Sharif"]
    );
    assert!(r.entity("official:imran-khan").is_none(), "{:?}", r.ids());
    let r = run_with(p, "Sub-Inspector Imran Khan was wounded.", None);
    assert_eq!(
        r.mentions("official:sub-inspector-imran-khan"),
        ["Imran Khan"]
    );
    let r = run_with(p, "Former Prime Minister Imran Khan was arrested.", None);
    assert_eq!(r.mentions("official:imran-khan"), ["Imran Khan"]);
}

/// A town of the generated world list whose country the document names in
/// no other way, chained to a place of another country ("at X near Y in Z
/// district"), is a local place the lists lack, not a foreign city; with its
/// country named, or standing alone, it stays.
#[test]
fn world_list_places_need_their_country_in_the_document() {
    let pack = RulePack::embedded().expect("rules parse");
    let p = Pipeline::new(&pack).expect("rules compile");
    let r = run_with(
        &p,
        "Troops shot dead two militants at Asan near Akhnoor in Jammu district.",
        None,
    );
    assert!(!r.ids().contains(&"place:kr-asan"), "{:?}", r.ids());
    let r = run_with(
        &p,
        "After the talks in South Korea, the delegation flew on to Asan.",
        None,
    );
    assert!(r.ids().contains(&"place:kr-asan"), "{:?}", r.ids());
    // A foreign city named alone, in no chain with another country's place.
    let r = run_with(&p, "Russia struck arms depots in Kharkiv overnight.", None);
    assert!(r.ids().contains(&"place:ua-kharkiv"), "{:?}", r.ids());
}
