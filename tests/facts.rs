//! The facts stage on hand-built entities and values (the entity, date and
//! number stages are built elsewhere): the seed article's key sentences and
//! the pattern engine's features.

use std::collections::BTreeMap;

use factsift::document::Document;
use factsift::facts::FactRules;
use factsift::layers::{Arg, Entity, EntityType, Fact, Mention, Value, ValueType};
use factsift::rules::RulePack;
use factsift::segment::Segmenter;
use factsift::span::Span;
use serde_json::{json, Value as Json};

/// A text with entities and values placed by their surface strings.
struct Doc {
    text: String,
    entities: Vec<Entity>,
    values: Vec<Value>,
}

fn occurrences(text: &str, s: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find(s) {
        let start = from + p;
        let end = start + s.len();
        let before_ok = !text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let after_ok = !text[end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        if before_ok && after_ok {
            out.push(Span::new(start, end));
        }
        from = end;
    }
    out
}

impl Doc {
    fn new(text: &str) -> Doc {
        Doc {
            text: text.to_string(),
            entities: Vec::new(),
            values: Vec::new(),
        }
    }

    fn ent(mut self, id: &str, etype: EntityType, surfaces: &[&str]) -> Doc {
        self = self.ent_with(id, etype, surfaces, &[]);
        self
    }

    fn ent_with(
        mut self,
        id: &str,
        etype: EntityType,
        surfaces: &[&str],
        attrs: &[(&str, &str)],
    ) -> Doc {
        let mut mentions: Vec<Mention> = surfaces
            .iter()
            .flat_map(|s| occurrences(&self.text, s))
            .map(|span| Mention {
                span,
                sentence: 0,
                rule: "test".into(),
            })
            .collect();
        mentions.sort_by_key(|m| m.span.start);
        assert!(!mentions.is_empty(), "{id}: no mention of {surfaces:?}");
        self.entities.push(Entity {
            id: id.to_string(),
            etype,
            name: surfaces[0].to_string(),
            known: true,
            attributes: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect(),
            mentions,
        });
        self
    }

    fn val(mut self, surface: &str, vtype: ValueType, value: Json, unit: Option<&str>) -> Doc {
        let spans = occurrences(&self.text, surface);
        assert!(!spans.is_empty(), "no value {surface:?}");
        for span in spans {
            if self.values.iter().any(|v| v.span.overlaps(span)) {
                continue;
            }
            let mut v = Value::new(span, vtype, value.clone(), "test");
            v.unit = unit.map(str::to_string);
            self.values.push(v);
        }
        self
    }

    fn date(self, surface: &str, value: &str) -> Doc {
        self.val(surface, ValueType::Date, json!(value), None)
    }

    fn count(self, surface: &str, n: i64, unit: &str) -> Doc {
        self.val(surface, ValueType::Count, json!(n), Some(unit))
    }

    fn facts(mut self) -> Found {
        self.values.sort_by_key(|v| (v.span.start, v.span.end));
        let doc = Document::new("t", self.text.clone());
        let seg = Segmenter::new().segment(&doc.text);
        for v in &mut self.values {
            v.sentence = seg.sentence_at(v.span.start).unwrap_or(0);
        }
        let facts = rules().find(&doc, &seg, &self.entities, &self.values);
        Found {
            text: self.text,
            values: self.values,
            facts,
        }
    }
}

fn rules() -> FactRules {
    let pack = RulePack::embedded().expect("the default pack parses");
    FactRules::compile(&pack).expect("the default fact rules compile")
}

struct Found {
    text: String,
    values: Vec<Value>,
    facts: Vec<Fact>,
}

impl Found {
    /// An argument as JSON: entity id, value text, string, or a list.
    fn show(&self, a: &Arg) -> Json {
        match a {
            Arg::Entity(id) => json!(id),
            Arg::Value(i) => json!(self.values[*i].span.slice(&self.text)),
            Arg::Text(s) => json!(s),
            Arg::List(items) => Json::Array(items.iter().map(|a| self.show(a)).collect()),
        }
    }

    fn shown(&self) -> Vec<(String, String, BTreeMap<String, Json>)> {
        self.facts
            .iter()
            .map(|f| {
                (
                    f.kind.clone(),
                    f.rule.clone(),
                    f.args
                        .iter()
                        .map(|(k, v)| (k.clone(), self.show(v)))
                        .collect(),
                )
            })
            .collect()
    }

    /// Asserts a fact of `kind` with exactly `args` exists, made by rule `id`.
    fn has(&self, kind: &str, id: &str, args: Json) -> &Self {
        let want: BTreeMap<String, Json> = serde_json::from_value(args).unwrap();
        // Event rules live in facts.toml, claim rules in claims.toml.
        let suffix = format!(".toml#{id}");
        let ok = self.shown().iter().any(|(k, r, a)| {
            k == kind
                && (r == &format!("rules/facts{suffix}") || r == &format!("rules/claims{suffix}"))
                && a == &want
        });
        assert!(
            ok,
            "no {kind} fact {want:?} from {id}; found:\n{:#?}",
            self.shown()
        );
        self
    }

    fn none_of_rule(&self, id: &str) -> &Self {
        let suffix = format!(".toml#{id}");
        assert!(
            !self.facts.iter().any(|f| f.rule.ends_with(&suffix)),
            "unexpected fact of {id}: {:#?}",
            self.shown()
        );
        self
    }

    fn none_of(&self, kind: &str) -> &Self {
        assert!(
            !self.facts.iter().any(|f| f.kind == kind),
            "unexpected {kind}: {:#?}",
            self.shown()
        );
        self
    }
}

use EntityType::*;

#[test]
fn seed_count_in_place_and_year() {
    Doc::new("Khyber Pakhtunkhwa experienced almost 300 terror attacks in 2025, and continued the upward trend of doing so in the respective years from 651 attacks in 2023 and 732 attacks in 2024.")
        .ent("place:pk-kp", Place, &["Khyber Pakhtunkhwa"])
        .count("almost 300 terror attacks", 300, "attack")
        .count("651 attacks", 651, "attack")
        .count("732 attacks", 732, "attack")
        .date("2025", "2025")
        .date("2023", "2023")
        .date("2024", "2024")
        .facts()
        .has("count", "place-count-year", json!({"place": "place:pk-kp", "count": "almost 300 terror attacks", "time": "2025"}))
        .has("count", "count-in-year", json!({"place": "place:pk-kp", "count": "651 attacks", "time": "2023"}))
        .has("count", "count-in-year", json!({"place": "place:pk-kp", "count": "732 attacks", "time": "2024"}));
}

#[test]
fn seed_count_facts_are_not_duplicated() {
    let found = Doc::new("Khyber Pakhtunkhwa experienced almost 300 terror attacks in 2025.")
        .ent("place:pk-kp", Place, &["Khyber Pakhtunkhwa"])
        .count("almost 300 terror attacks", 300, "attack")
        .date("2025", "2025")
        .facts();
    assert_eq!(found.facts.len(), 1, "{:#?}", found.shown());
    assert_eq!(
        found.facts[0].span.slice(&found.text),
        "Khyber Pakhtunkhwa experienced almost 300 terror attacks in 2025"
    );
}

#[test]
fn seed_metric_trend() {
    Doc::new("The Pakistan Terrorism Index significantly worsened from 7.92 points in 2023 to 8.37 points in 2024, which further analysis suggests will possibly worsen into 2025 as well.")
        .ent("place:pk", Place, &["Pakistan"])
        .val("7.92 points", ValueType::Quantity, json!(7.92), Some("point"))
        .val("8.37 points", ValueType::Quantity, json!(8.37), Some("point"))
        .date("2023", "2023")
        .date("2024", "2024")
        .date("2025", "2025")
        .facts()
        .has("metric", "metric-from-to", json!({"metric": "Pakistan Terrorism Index", "previous": "7.92 points", "previous_time": "2023", "value": "8.37 points", "time": "2024"}));
}

#[test]
fn metric_rose_to_up_from() {
    Doc::new("The Global Terrorism Index rose to 8.37 points in 2024, up from 7.92 points.")
        .val("7.92 points", ValueType::Quantity, json!(7.92), Some("point"))
        .val("8.37 points", ValueType::Quantity, json!(8.37), Some("point"))
        .date("2024", "2024")
        .facts()
        .has("metric", "metric-rose-to", json!({"metric": "Global Terrorism Index", "previous": "7.92 points", "value": "8.37 points", "time": "2024"}));
}

fn officials(d: Doc) -> Doc {
    d.ent_with(
        "official:shehbaz-sharif",
        Official,
        &["Shehbaz Sharif"],
        &[("title", "Prime Minister"), ("country", "pk")],
    )
    .ent_with(
        "official:marco-rubio",
        Official,
        &["Marco Rubio"],
        &[("title", "Secretary of State"), ("country", "us")],
    )
}

#[test]
fn seed_phone_call_with_sentence_year_and_roles() {
    let d = Doc::new("In 2025, Pakistan reaffirmed its commitment to countering terrorism when Prime Minister Shehbaz Sharif and U.S. Secretary of State Marco Rubio had perhaps a significant phone call.")
        .ent("place:pk", Place, &["Pakistan"])
        .ent("place:us", Place, &["U.S."])
        .date("2025", "2025");
    officials(d)
        .facts()
        .has("meeting", "meeting-call", json!({"participants": ["official:shehbaz-sharif", "official:marco-rubio"], "format": "phone call", "time": "2025"}))
        .has("role", "role-title", json!({"person": "official:shehbaz-sharif", "title": "Prime Minister", "of": "place:pk"}))
        .has("role", "role-title", json!({"person": "official:marco-rubio", "title": "Secretary of State", "of": "place:us"}));
}

#[test]
fn seed_june_meeting() {
    let d = Doc::new("On June 19, 2025, Prime Minister of Pakistan Shehbaz Sharif and United States Secretary of State Marco Rubio reiterated Pakistan’s commitment against terrorism and the need to strengthen mutual cooperation, which is in follow up to prior commitments, including the Pakistan-U.S. Counterterrorism Dialogue that took place in May 2024 in Washington, DC.")
        .ent("place:us-dc", Place, &["Washington, DC"])
        .ent("place:pk", Place, &["Pakistan"])
        .ent("place:us", Place, &["United States", "U.S."])
        .date("June 19, 2025", "2025-06-19")
        .date("May 2024", "2024-05");
    officials(d)
        .facts()
        .has("meeting", "meeting-joint-statement", json!({"participants": ["official:shehbaz-sharif", "official:marco-rubio"], "time": "June 19, 2025"}))
        .has("statement", "statement-attribution", json!({"speaker": ["official:shehbaz-sharif", "official:marco-rubio"], "content": "Pakistan’s commitment against terrorism and the need to strengthen mutual cooperation", "time": "June 19, 2025"}));
}

#[test]
fn seed_training_since() {
    Doc::new("Since March 2023, the United States has trained more than 300 police and first responders from Pakistan, and has established police training on border security and counterterrorism.")
        .ent("place:us", Place, &["United States"])
        .ent("place:pk", Place, &["Pakistan"])
        .date("March 2023", "2023-03")
        .count("more than 300 police", 300, "police")
        .facts()
        .has("training", "training-since", json!({"trainer": "place:us", "trainee": "place:pk", "count": "more than 300 police", "since": "March 2023"}));
}

#[test]
fn seed_arrest_apposition_and_mastermind() {
    Doc::new("Pakistan’s apprehension of the operational commander of IS-K, Mohammad Sharifullah, who masterminded the bombing at Kabul airport in 2021, was a prime example of effective cooperation.")
        .ent("place:pk", Place, &["Pakistan"])
        .ent("group:isk", Group, &["IS-K"])
        .ent("person:mohammad-sharifullah", Person, &["Mohammad Sharifullah"])
        .ent("place:af-kabul", Place, &["Kabul"])
        .date("2021", "2021")
        .facts()
        .has("arrest", "arrest-nominal", json!({"agent": "place:pk", "target": "person:mohammad-sharifullah"}))
        .has("role", "role-title", json!({"person": "person:mohammad-sharifullah", "title": "operational commander", "of": "group:isk"}))
        .has("attack", "attack-mastermind", json!({"perpetrator": "person:mohammad-sharifullah", "means": "bombing", "place": "place:af-kabul", "time": "2021"}));
}

#[test]
fn seed_statement_with_curly_quote_and_role_of_org() {
    Doc::new("U.S. Central Command (Centcom) Commander General Michael Kurilla remarked that Pakistan has been a “phenomenal partner” in counter-terrorism, especially noting the capture of several IS-K operatives.")
        .ent("org:centcom", Organization, &["U.S. Central Command", "Centcom"])
        .ent("place:pk", Place, &["Pakistan"])
        .ent("group:isk", Group, &["IS-K"])
        .ent_with("official:michael-kurilla", Official, &["Michael Kurilla"], &[("title", "Commander"), ("organization", "centcom")])
        .facts()
        .has("statement", "statement-attribution", json!({"speaker": "official:michael-kurilla", "quote": "phenomenal partner", "content": "Pakistan has been a “phenomenal partner” in counter-terrorism, especially noting the capture of several IS-K operatives"}))
        .has("role", "role-title", json!({"person": "official:michael-kurilla", "title": "Commander", "of": "org:centcom"}));
}

#[test]
fn straight_quotes_and_quote_first() {
    Doc::new("\"We will not relent,\" said Michael Kurilla.")
        .ent("official:michael-kurilla", Official, &["Michael Kurilla"])
        .facts()
        .has(
            "statement",
            "statement-attribution",
            json!({"speaker": "official:michael-kurilla", "quote": "We will not relent,", "content": "We will not relent,"}),
        );
}

#[test]
fn seed_cooperation_list() {
    Doc::new("Further, Pakistan works collaboratively with the United Kingdom, the European Union, and Japan on counterterrorism dialogues, sharing best practices on preventing violent extremism.")
        .ent("place:pk", Place, &["Pakistan"])
        .ent("place:gb", Place, &["United Kingdom"])
        .ent("org:eu", Organization, &["European Union"])
        .ent("place:jp", Place, &["Japan"])
        .facts()
        .has("cooperation", "cooperation-with", json!({"parties": ["place:pk", "place:gb", "org:eu", "place:jp"], "topic": "counterterrorism dialogues"}));
}

#[test]
fn seed_missile_strikes_take_the_sentence_date() {
    Doc::new("Following a spate of attacks on Indian tourists in May 2025, Indian missile strikes conducted into Pakistani Kashmir on terrorists in a given vicinity further aggravated relations between India and Pakistan.")
        .ent("place:pk-jk", Place, &["Pakistani Kashmir"])
        .date("May 2025", "2025-05")
        .facts()
        .has("attack", "attack-strikes", json!({"means": "missile strikes", "place": "place:pk-jk", "time": "May 2025"}));
}

#[test]
fn casualty_report() {
    Doc::new("Four soldiers were killed and two others wounded when a roadside bomb planted by the BLA struck their van near Turbat on Monday.")
        .ent("group:bla", Group, &["BLA"])
        .ent("place:pk-turbat", Place, &["Turbat"])
        .count("Four soldiers", 4, "soldier")
        .count("two others", 2, "person")
        .facts()
        .has("attack", "attack-casualties", json!({"killed": "Four soldiers", "injured": "two others", "means": "roadside bomb", "perpetrator": "group:bla", "place": "place:pk-turbat", "target": "van"}));
}

#[test]
fn arrest_passive_and_active() {
    Doc::new(
        "Mohammad Sharifullah was arrested by Pakistan. Pakistan arrested Ali Raza in Quetta.",
    )
    .ent("place:pk", Place, &["Pakistan"])
    .ent("place:pk-quetta", Place, &["Quetta"])
    .ent(
        "person:mohammad-sharifullah",
        Person,
        &["Mohammad Sharifullah"],
    )
    .ent("person:ali-raza", Person, &["Ali Raza"])
    .facts()
    .has(
        "arrest",
        "arrest-passive",
        json!({"agent": "place:pk", "target": "person:mohammad-sharifullah"}),
    )
    .has(
        "arrest",
        "arrest-active",
        json!({"agent": "place:pk", "target": "person:ali-raza"}),
    );
}

#[test]
fn claim_of_responsibility_names_the_attacks_perpetrator() {
    // In the next sentence, and in the same one; a claim with no attack
    // before it makes no fact of its own.
    Doc::new("Two policemen were killed when a roadside bomb struck their van in Peshawar. The TTP claimed responsibility.")
        .ent("group:ttp", Group, &["TTP"])
        .ent("place:pk-peshawar", Place, &["Peshawar"])
        .count("Two policemen", 2, "police")
        .facts()
        .has("attack", "attack-casualties", json!({"perpetrator": "group:ttp", "means": "roadside bomb", "place": "place:pk-peshawar", "killed": "Two policemen"}));
    Doc::new("Gunmen stormed a checkpoint in Bannu on Friday. Responsibility was claimed by the Hafiz Gul Bahadur group.")
        .ent("group:hafiz-gul-bahadur-group", Group, &["Hafiz Gul Bahadur group"])
        .ent("place:pk-bannu", Place, &["Bannu"])
        .facts()
        .has("attack", "attack-active-kills", json!({"perpetrator": "group:hafiz-gul-bahadur-group", "place": "place:pk-bannu", "target": "checkpoint"}));
    let none = Doc::new("The TTP claimed responsibility.")
        .ent("group:ttp", Group, &["TTP"])
        .facts();
    none.none_of("attack");
}

#[test]
fn a_claim_of_both_attacks_names_the_perpetrator_of_each() {
    // "both claimed by" is about every attack of its sentence, not only the
    // one whose words it shares; a claim without "both" stays with that one.
    let f = Doc::new("Security was raised after attacks on the Zhob cantonment on 12 July and on the Kalat police lines on 14 July, both claimed by the TTP.")
        .ent("group:ttp", Group, &["TTP"])
        .ent("place:pk-zhob", Place, &["Zhob"])
        .ent("place:pk-kalat", Place, &["Kalat"])
        .date("12 July", "2024-07-12")
        .date("14 July", "2024-07-14")
        .facts();
    f.has("attack", "attack-on-date", json!({"perpetrator": "group:ttp", "place": "place:pk-zhob", "target": "Zhob cantonment", "time": "12 July"}))
        .has("attack", "attack-on-date", json!({"perpetrator": "group:ttp", "place": "place:pk-kalat", "target": "Kalat police lines", "time": "14 July"}));
}

#[test]
fn a_pronoun_trainer_is_the_person_named_before_it() {
    // The latest person of the paragraph; a pronoun with none before it
    // is dropped, not kept as text.
    Doc::new("Police said Abdul Wali ran the cell. Later he gave bomb-making training to six recruits near Chaman.")
        .ent("person:abdul-wali", Person, &["Abdul Wali"])
        .ent("place:pk-chaman", Place, &["Chaman"])
        .facts()
        .has("training", "training-given", json!({"trainer": "person:abdul-wali", "trainee": "six recruits"}));
    Doc::new("She had given firearms training to local youths in Kunar.")
        .ent("place:af-knr", Place, &["Kunar"])
        .facts()
        .has(
            "training",
            "training-given",
            json!({"trainee": "local youths"}),
        );
}

#[test]
fn new_event_counts_and_their_limits() {
    Doc::new("Troops freed 14 hostages from a compound in Tirah on Sunday, and about 3,000 villagers were displaced.")
        .ent("place:pk-tirah", Place, &["Tirah"])
        .count("14 hostages", 14, "person")
        .count("about 3,000 villagers", 3000, "person")
        .date("Sunday", "2024-05-12")
        .facts()
        .has("count", "count-rescued", json!({"agent": "Troops", "count": "14 hostages", "event": "rescued", "place": "place:pk-tirah", "time": "Sunday"}))
        .has("count", "count-displaced", json!({"count": "about 3,000 villagers", "event": "displaced", "place": "place:pk-tirah", "time": "Sunday"}));
    // Suspects freed on bail were not rescued; police raids are no attack.
    Doc::new("Two suspects were freed on bail in Quetta.")
        .ent("place:pk-quetta", Place, &["Quetta"])
        .count("Two suspects", 2, "militant")
        .facts()
        .none_of("count");
    Doc::new("Police carried out raids on the Quetta homes of the suspects on 4 May.")
        .ent("place:pk-quetta", Place, &["Quetta"])
        .date("4 May", "2024-05-04")
        .facts()
        .none_of("attack");
}

#[test]
fn casualties_in_the_next_sentence_join_the_attack() {
    Doc::new("Militants stormed a police post in Lakki Marwat on 5 May 2024. Three policemen were killed and two were injured.")
        .ent("place:pk-lakki-marwat", Place, &["Lakki Marwat"])
        .count("Three policemen", 3, "police")
        .count("two", 2, "person")
        .date("5 May 2024", "2024-05-05")
        .facts()
        .has("attack", "attack-active-kills", json!({"place": "place:pk-lakki-marwat", "target": "police post", "killed": "Three policemen", "injured": "two", "time": "5 May 2024"}));
}

#[test]
fn no_facts_without_entities() {
    Doc::new("Talks were held. Nothing happened in the province.")
        .facts()
        .none_of("meeting")
        .none_of("count");
}

#[test]
fn role_needs_the_title_in_the_text() {
    Doc::new("Shehbaz Sharif spoke in Lahore.")
        .ent_with(
            "official:shehbaz-sharif",
            Official,
            &["Shehbaz Sharif"],
            &[("title", "Prime Minister"), ("country", "pk")],
        )
        .facts()
        .none_of("role");
    Doc::new("Shehbaz Sharif, the prime minister, spoke.")
        .ent_with("official:shehbaz-sharif", Official, &["Shehbaz Sharif"], &[("title", "Prime Minister"), ("country", "pk")])
        .facts()
        .has("role", "role-title", json!({"person": "official:shehbaz-sharif", "title": "prime minister", "of": "place:pk"}));
}

#[test]
fn every_fact_span_lies_in_its_sentence_and_values_resolve() {
    let found = Doc::new("Khyber Pakhtunkhwa experienced almost 300 terror attacks in 2025. Since March 2023, the United States has trained more than 300 police from Pakistan.")
        .ent("place:pk-kp", Place, &["Khyber Pakhtunkhwa"])
        .ent("place:us", Place, &["United States"])
        .ent("place:pk", Place, &["Pakistan"])
        .count("almost 300 terror attacks", 300, "attack")
        .count("more than 300 police", 300, "police")
        .date("2025", "2025")
        .date("March 2023", "2023-03")
        .facts();
    let seg = Segmenter::new().segment(&found.text);
    assert_eq!(found.facts.len(), 2, "{:#?}", found.shown());
    for f in &found.facts {
        assert!(seg.sentences[f.sentence].span.contains(f.span));
        for a in f.args.values() {
            if let Arg::Value(i) = a {
                assert!(*i < found.values.len());
            }
        }
    }
}

#[test]
fn examples_come_from_the_pack() {
    let pack = RulePack::embedded().unwrap();
    let examples = FactRules::examples(&pack);
    assert!(examples.len() >= 20);
    assert!(examples
        .iter()
        .all(|e| e.file.ends_with("facts.toml") || e.file.ends_with("claims.toml")));
}

fn pack_error(toml: &str) -> String {
    let pack = RulePack::from_sources([("rules/x.toml".to_string(), toml.to_string())]).unwrap();
    let errs = FactRules::compile(&pack).unwrap_err();
    errs.iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn broken_pattern_points_at_its_column() {
    let shown =
        pack_error("[[fact]]\nid = \"a\"\nkind = \"count\"\npattern = \"{place} saw {cuont}\"\n");
    assert_eq!(
        shown,
        "rules/x.toml:4:25: [a] bad pattern: unknown slot type `cuont` (expected place, group, official, person, org, entity, date, count, quantity, money, percent, quote, name or text)\n  |\n4 | pattern = \"{place} saw {cuont}\"\n  |                         ^"
    );
    let shown = pack_error(
        "[[fact]]\nid = \"b\"\nkind = \"count\"\npattern = \"{place} (saw|had {count}\"\n",
    );
    assert!(
        shown.starts_with("rules/x.toml:4:20: [b] bad pattern: `(` without `)`"),
        "{shown}"
    );
    let shown = pack_error("[[fact]]\nid = \"c\"\nkind = \"count\"\npattern = \"{place} saw {count}\"\nargs = { n = \"cnt\" }\n");
    assert!(shown.contains("arg `n` names slot `cnt`"), "{shown}");
}

#[test]
fn rules_without_pattern_or_kind_are_errors() {
    assert!(pack_error("[[fact]]\nid = \"a\"\nkind = \"count\"\n").contains("needs `pattern`"));
    assert!(pack_error("[[fact]]\nid = \"a\"\npattern = \"x\"\n").contains("needs a `kind`"));
    assert!(
        pack_error("[[fact]]\nid = \"a\"\nkind = \"count\"\npatern = \"x\"\n")
            .contains("unknown key `patern`")
    );
}

#[test]
fn user_pattern_words_stems_gaps_and_optional() {
    let pack = RulePack::from_sources([(
        "rules/x.toml".to_string(),
        "[[fact]]\nid = \"t\"\nkind = \"count\"\npattern = \"{place:where} (recorded|saw|experienc) ~2 {count:attack} in? {date}\"\nargs = { place = \"where\", count = \"count\", time = \"date\" }\n".to_string(),
    )])
    .unwrap();
    let rules = FactRules::compile(&pack).unwrap();
    let text = "Balochistan recorded a further 40 attacks 2024.";
    let doc = Document::new("t", text);
    let seg = Segmenter::new().segment(text);
    let d = Doc::new(text)
        .ent("place:pk-ba", Place, &["Balochistan"])
        .count("40 attacks", 40, "attack")
        .date("2024", "2024");
    let mut values = d.values.clone();
    values.sort_by_key(|v| v.span.start);
    let facts = rules.find(&doc, &seg, &d.entities, &values);
    assert_eq!(facts.len(), 1);
    assert_eq!(facts[0].rule, "rules/x.toml#t");
    assert_eq!(facts[0].args["place"], Arg::Entity("place:pk-ba".into()));
    assert_eq!(facts[0].args["count"], Arg::Value(0));
    assert_eq!(facts[0].args["time"], Arg::Value(1));
    // A unit that does not match: no fact.
    let mut values2 = values.clone();
    values2[0].unit = Some("police".into());
    assert!(rules.find(&doc, &seg, &d.entities, &values2).is_empty());
}

/// The segmenter splits "Pakistan-U.S. Counterterrorism" after "U.S." (its
/// dotted-acronym test sees "Pakistan-U.S"), so the seed's dialogue sentence
/// is two sentences until that is fixed in src/segment.rs.
#[test]
fn seed_dialogue_sentence() {
    Doc::new("It follows the Pakistan-U.S. Counterterrorism Dialogue that took place in May 2024 in Washington, DC.")
        .ent("place:us-dc", Place, &["Washington, DC"])
        .ent("place:pk", Place, &["Pakistan"])
        .ent("place:us", Place, &["U.S."])
        .date("May 2024", "2024-05")
        .facts()
        .has("meeting", "meeting-dialogue", json!({"participants": ["place:pk", "place:us"], "format": "dialogue", "time": "May 2024", "place": "place:us-dc"}));
}

#[test]
fn dialogue_with_participants_date_and_place() {
    Doc::new("It follows the Pakistan-United States Counterterrorism Dialogue that took place in May 2024 in Washington, DC. The forthcoming Counterterrorism Dialogue in June 2025 in Islamabad will continue.")
        .ent("place:us-dc", Place, &["Washington, DC"])
        .ent("place:pk", Place, &["Pakistan"])
        .ent("place:pk-islamabad", Place, &["Islamabad"])
        .ent("place:us", Place, &["United States"])
        .date("May 2024", "2024-05")
        .date("June 2025", "2025-06")
        .facts()
        .has("meeting", "meeting-dialogue", json!({"participants": ["place:pk", "place:us"], "format": "dialogue", "time": "May 2024", "place": "place:us-dc"}))
        .has("meeting", "meeting-dialogue", json!({"format": "dialogue", "participants": ["place:pk", "place:us"], "time": "May 2024", "place": "place:us-dc"}))
        .has("meeting", "meeting-dialogue", json!({"format": "dialogue", "time": "June 2025", "place": "place:pk-islamabad"}));
}

/// The whole seed article with the entities and values the other stages are
/// to find, built by hand: every fact the brief lists, and no fact of a kind
/// the text does not support.
#[test]
fn seed_article_end_to_end() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/seeds/000_709fc2afe86d52ab.txt"
    ))
    .or_else(|_| std::fs::read_to_string("/work/shared/seeds/000_709fc2afe86d52ab.txt"));
    let Ok(text) = text else { return };
    let d = Doc::new(&text)
        .ent("place:pk-kp", Place, &["Khyber Pakhtunkhwa"])
        .ent("place:pk", Place, &["Pakistan"])
        .ent("place:us", Place, &["United States", "U.S.", "US"])
        .ent("place:in", Place, &["India"])
        .ent("place:pk-jk", Place, &["Pakistani Kashmir"])
        .ent("place:us-dc", Place, &["Washington, DC"])
        .ent("place:pk-islamabad", Place, &["Islamabad"])
        .ent("place:af-kabul", Place, &["Kabul"])
        .ent("place:gb", Place, &["United Kingdom"])
        .ent("place:jp", Place, &["Japan"])
        .ent("place:af", Place, &["Afghanistan"])
        .ent("place:cn", Place, &["China"])
        .ent("place:south-asia", Place, &["South Asia"])
        .ent("org:eu", Organization, &["European Union"])
        .ent(
            "org:fatf",
            Organization,
            &["Financial Action Task Force", "FATF"],
        )
        .ent(
            "org:centcom",
            Organization,
            &["U.S. Central Command", "Centcom"],
        )
        .ent(
            "group:ttp",
            Group,
            &[
                "Tehreek-e-Taliban Pakistan",
                "Tehrik-e-Taliban Pakistan",
                "TTP",
            ],
        )
        .ent(
            "group:isk",
            Group,
            &["Islamic State-Khorasan", "Islamic State Khorasan", "IS-K"],
        )
        .ent(
            "person:mohammad-sharifullah",
            Person,
            &["Mohammad Sharifullah"],
        )
        .ent_with(
            "official:michael-kurilla",
            Official,
            &["Michael Kurilla"],
            &[("title", "Commander"), ("organization", "centcom")],
        )
        .count("almost 300 terror attacks", 300, "attack")
        .count("651 attacks", 651, "attack")
        .count("732 attacks", 732, "attack")
        .count("more than 300 police", 300, "police")
        .val(
            "7.92 points",
            ValueType::Quantity,
            json!(7.92),
            Some("point"),
        )
        .val(
            "8.37 points",
            ValueType::Quantity,
            json!(8.37),
            Some("point"),
        )
        .date("June 19, 2025", "2025-06-19")
        .date("March 2023", "2023-03")
        .date("May 2024", "2024-05")
        .date("May 2025", "2025-05")
        .date("June 2025", "2025-06")
        .date("2025", "2025")
        .date("2024", "2024")
        .date("2023", "2023")
        .date("2021", "2021");
    let found = officials(d).facts();
    found
        .has("count", "place-count-year", json!({"place": "place:pk-kp", "count": "almost 300 terror attacks", "time": "2025"}))
        .has("count", "count-in-year", json!({"place": "place:pk-kp", "count": "651 attacks", "time": "2023"}))
        .has("count", "count-in-year", json!({"place": "place:pk-kp", "count": "732 attacks", "time": "2024"}))
        .has("metric", "metric-from-to", json!({"metric": "Pakistan Terrorism Index", "previous": "7.92 points", "previous_time": "2023", "value": "8.37 points", "time": "2024"}))
        .has("meeting", "meeting-call", json!({"participants": ["official:shehbaz-sharif", "official:marco-rubio"], "format": "phone call", "time": "2025"}))
        .has("meeting", "meeting-joint-statement", json!({"participants": ["official:shehbaz-sharif", "official:marco-rubio"], "time": "June 19, 2025"}))
        .has("training", "training-since", json!({"trainer": "place:us", "trainee": "place:pk", "count": "more than 300 police", "since": "March 2023"}))
        .has("arrest", "arrest-nominal", json!({"agent": "place:pk", "target": "person:mohammad-sharifullah"}))
        .has("attack", "attack-mastermind", json!({"perpetrator": "person:mohammad-sharifullah", "means": "bombing", "place": "place:af-kabul", "time": "2021"}))
        .has("statement", "statement-attribution", json!({"speaker": "official:michael-kurilla", "quote": "phenomenal partner", "content": "Pakistan has been a “phenomenal partner” in counter-terrorism, especially noting the capture and, in some cases, elimination of several high-value IS-K operatives within the borders of Pakistan"}))
        .has("cooperation", "cooperation-with", json!({"parties": ["place:pk", "place:gb", "org:eu", "place:jp"], "topic": "counterterrorism dialogues"}))
        .has("attack", "attack-strikes", json!({"means": "missile strikes", "place": "place:pk-jk", "time": "May 2025"}))
        .has("meeting", "meeting-dialogue", json!({"format": "dialogue", "time": "June 2025", "place": "place:pk-islamabad"}))
        .has("role", "role-title", json!({"person": "official:shehbaz-sharif", "title": "Prime Minister", "of": "place:pk"}))
        .has("role", "role-title", json!({"person": "official:marco-rubio", "title": "Secretary of State", "of": "place:us"}))
        .has("role", "role-title", json!({"person": "official:michael-kurilla", "title": "Commander", "of": "org:centcom"}))
        .has("role", "role-title", json!({"person": "person:mohammad-sharifullah", "title": "operational commander", "of": "group:isk"}))
        .has("statement", "statement-attribution", json!({"speaker": ["official:shehbaz-sharif", "official:marco-rubio"], "content": "Pakistan’s commitment against terrorism and the need to strengthen mutual cooperation", "time": "June 19, 2025"}))
        .has("statement", "statement-attribution", json!({"speaker": "place:pk", "content": "its commitment to countering terrorism", "time": "2025"}))
        .none_of("kill");
    // Exactly these 20 facts: nothing spurious from the rest of the article.
    assert_eq!(found.facts.len(), 20, "{:#?}", found.shown());
}

/// Facts cost against segmentation on the seed repeated (run with
/// `cargo test --test facts -- --ignored --nocapture cost`).
#[test]
#[ignore = "timing"]
fn cost_against_segmentation() {
    let seed = std::fs::read_to_string("/work/shared/seeds/000_709fc2afe86d52ab.txt").unwrap();
    let text = seed.repeat(200);
    let d = Doc::new(&text)
        .ent("place:pk", Place, &["Pakistan"])
        .ent("place:us", Place, &["United States", "U.S."])
        .ent("place:pk-kp", Place, &["Khyber Pakhtunkhwa"])
        .ent("group:isk", Group, &["IS-K"])
        .ent(
            "person:mohammad-sharifullah",
            Person,
            &["Mohammad Sharifullah"],
        )
        .count("almost 300 terror attacks", 300, "attack")
        .date("2025", "2025")
        .date("2024", "2024");
    let mut values = d.values.clone();
    values.sort_by_key(|v| v.span.start);
    let doc = Document::new("t", text.clone());
    let rules = rules();
    let t0 = std::time::Instant::now();
    let seg = Segmenter::new().segment(&text);
    let t1 = std::time::Instant::now();
    let facts = rules.find(&doc, &seg, &d.entities, &values);
    let t2 = std::time::Instant::now();
    eprintln!(
        "{} bytes: segment {:?}, facts {:?} ({} facts)",
        text.len(),
        t1 - t0,
        t2 - t1,
        facts.len()
    );
}

#[test]
fn a_text_slot_that_is_one_entity_gives_its_id() {
    Doc::new("Pakistan works closely with China on Afghanistan.")
        .ent("place:pk", Place, &["Pakistan"])
        .ent("place:cn", Place, &["China"])
        .ent("place:af", Place, &["Afghanistan"])
        .facts()
        .has(
            "cooperation",
            "cooperation-with",
            json!({"parties": ["place:pk", "place:cn"], "topic": "place:af"}),
        );
}

#[test]
fn unpaired_quote_gives_no_quote_slot() {
    Doc::new("Michael Kurilla said that Pakistan is a “partner.")
        .ent("official:michael-kurilla", Official, &["Michael Kurilla"])
        .ent("place:pk", Place, &["Pakistan"])
        .facts()
        .none_of("role")
        .has(
            "statement",
            "statement-attribution",
            json!({"speaker": "official:michael-kurilla", "content": "Pakistan is a “partner"}),
        );
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "Pakistan", "the", "and", ",", "“", "\"", "”", "was", "arrested", "by", "with", "in",
        "2024", "attacks", "from", "to", "said", "that", "'s", "killed", "trained", "since",
        "Dialogue", "took", "place", "on", ".", "Index", "rose", "worked", "(", ")", "é",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Arbitrary sentences with entities and values on arbitrary tokens:
        /// no panic, every span inside its sentence, every value index valid.
        #[test]
        fn no_panic_and_spans_hold(words in prop::collection::vec(0..WORDS.len(), 0..60), marks in prop::collection::vec(0u8..4, 0..60)) {
            let text: String = words.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ");
            let doc = Document::new("p", text.clone());
            let seg = Segmenter::new().segment(&text);
            let mut entities = Vec::new();
            let mut values = Vec::new();
            for (i, t) in seg.tokens.iter().enumerate() {
                match marks.get(i).copied().unwrap_or(0) {
                    1 => entities.push(Entity {
                        id: format!("place:p{i}"),
                        etype: EntityType::Place,
                        name: String::new(),
                        known: true,
                        attributes: BTreeMap::new(),
                        mentions: vec![Mention { span: t.span, sentence: t.sentence, rule: "r".into() }],
                    }),
                    2 => entities.push(Entity {
                        id: format!("official:o{i}"),
                        etype: EntityType::Official,
                        name: String::new(),
                        known: true,
                        attributes: [("title".to_string(), json!("Index")), ("country".to_string(), json!("pk"))].into_iter().collect(),
                        mentions: vec![Mention { span: t.span, sentence: t.sentence, rule: "r".into() }],
                    }),
                    3 => {
                        let mut v = Value::new(t.span, if i % 2 == 0 { ValueType::Date } else { ValueType::Count }, json!(1), "r");
                        v.unit = Some("attack".into());
                        values.push(v);
                    }
                    _ => {}
                }
            }
            let facts = rules().find(&doc, &seg, &entities, &values);
            for f in &facts {
                prop_assert!(seg.sentences[f.sentence].span.contains(f.span));
                for a in f.args.values() {
                    if let Arg::Value(i) = a {
                        prop_assert!(*i < values.len());
                    }
                }
            }
        }
    }
}

#[test]
fn bombing_killed_and_injured() {
    Doc::new("A suicide bombing at a mosque in Peshawar killed 12 worshippers and injured 30 others on Friday.")
        .ent("place:pk-peshawar", Place, &["Peshawar"])
        .count("12 worshippers", 12, "person")
        .count("30 others", 30, "person")
        .facts()
        .has("attack", "attack-active-kills", json!({"means": "suicide bombing", "place": "place:pk-peshawar", "killed": "12 worshippers", "injured": "30 others", "target": "mosque in Peshawar"}));
}

#[test]
fn count_without_a_year_and_the_richer_fact_wins() {
    let found = Doc::new("Balochistan recorded 120 attacks in 2024.")
        .ent("place:pk-ba", Place, &["Balochistan"])
        .count("120 attacks", 120, "attack")
        .date("2024", "2024")
        .facts();
    assert_eq!(found.facts.len(), 1, "{:#?}", found.shown());
    found.has(
        "count",
        "place-count-year",
        json!({"place": "place:pk-ba", "count": "120 attacks", "time": "2024"}),
    );
    Doc::new("Balochistan recorded 120 attacks.")
        .ent("place:pk-ba", Place, &["Balochistan"])
        .count("120 attacks", 120, "attack")
        .facts()
        .has(
            "count",
            "place-count",
            json!({"place": "place:pk-ba", "count": "120 attacks"}),
        );
}

/// Every example names only arguments its rule can give (a typo in an
/// example would otherwise only show once the other stages merge).
#[test]
fn examples_name_arguments_their_rule_gives() {
    let pack = RulePack::embedded().unwrap();
    let filled = ["time", "place"];
    for (file, entry) in pack.entries("fact") {
        let t = entry.as_table().unwrap();
        let id = t["id"].as_str().unwrap();
        let mut names: Vec<String> = Vec::new();
        for key in ["args", "set"] {
            if let Some(toml::Value::Table(a)) = t.get(key) {
                names.extend(a.keys().cloned());
            }
        }
        match t.get("from").and_then(|f| f.as_str()) {
            Some("attribution") => {
                names.extend(["speaker", "content", "quote", "time"].map(String::from))
            }
            Some(_) => names.extend(["person", "title", "of"].map(String::from)),
            None => {}
        }
        for ex in t
            .get("examples")
            .and_then(|e| e.as_array())
            .into_iter()
            .flatten()
        {
            for k in ex["args"].as_table().unwrap().keys() {
                assert!(
                    names.contains(k) || filled.contains(&k.as_str()),
                    "{}#{id}: example names arg `{k}` the rule does not give",
                    file.path
                );
            }
        }
    }
}

/// Runs one custom rule (`kind = "t"`) over `d`; returns its facts shown.
fn custom(pattern: &str, d: Doc) -> Vec<BTreeMap<String, Json>> {
    let toml = format!("[[fact]]\nid = \"t\"\nkind = \"t\"\npattern = '{pattern}'\n");
    let pack = RulePack::from_sources([("x.toml".to_string(), toml)]).unwrap();
    let rules = FactRules::compile(&pack).unwrap_or_else(|e| panic!("{}", e[0]));
    let mut d = d;
    d.values.sort_by_key(|v| v.span.start);
    let doc = Document::new("t", d.text.clone());
    let seg = Segmenter::new().segment(&d.text);
    let facts = rules.find(&doc, &seg, &d.entities, &d.values);
    let found = Found {
        text: d.text,
        values: d.values,
        facts,
    };
    found.shown().into_iter().map(|(_, _, a)| a).collect()
}

fn pk_us(text: &str) -> Doc {
    Doc::new(text)
        .ent("place:pk", Place, &["Pakistan"])
        .ent("place:us", Place, &["America"])
}

#[test]
fn engine_gaps_are_bounded() {
    assert_eq!(
        custom(
            "{place:a} ~2 met {place:b}",
            pk_us("Pakistan x y met America.")
        )
        .len(),
        1
    );
    assert!(custom(
        "{place:a} ~2 met {place:b}",
        pk_us("Pakistan x y z met America.")
    )
    .is_empty());
    assert_eq!(
        custom(
            "{place:a} ... met {place:b}",
            pk_us("Pakistan a b c d e f met America.")
        )
        .len(),
        1
    );
    assert!(custom(
        "{place:a} ... met {place:b}",
        pk_us("Pakistan a b c d e f g met America.")
    )
    .is_empty());
}

#[test]
fn engine_alternatives_optional_and_captures() {
    let p = "{place:a} (held|had)? ((phone|video) call|talks):format with {place:b}";
    let got = custom(p, pk_us("Pakistan held video call with America."));
    assert_eq!(
        got,
        vec![BTreeMap::from([
            ("a".to_string(), json!("place:pk")),
            ("b".to_string(), json!("place:us")),
            ("format".to_string(), json!("video call")),
        ])]
    );
    let got = custom(p, pk_us("Pakistan talks with America."));
    assert_eq!(got[0]["format"], json!("talks"));
    assert!(custom(p, pk_us("Pakistan call with America.")).is_empty());
}

#[test]
fn engine_words_match_forms_stems_and_prefixes() {
    for text in [
        "Pakistan trained America.",
        "Pakistan trains America.",
        "Pakistan training America.",
    ] {
        assert_eq!(
            custom("{place:a} train {place:b}", pk_us(text)).len(),
            1,
            "{text}"
        );
    }
    assert_eq!(
        custom(
            "{place:a} reiterat {place:b}",
            pk_us("Pakistan reiterated America.")
        )
        .len(),
        1
    );
    // Short literals do not match as prefixes.
    assert!(custom("{place:a} mee {place:b}", pk_us("Pakistan meets America.")).is_empty());
}

#[test]
fn engine_list_slots_and_repeated_names() {
    let d = pk_us("Pakistan, America and Japan agreed.").ent("place:jp", Place, &["Japan"]);
    let got = custom("{place+:p} agre", d);
    assert_eq!(got[0]["p"], json!(["place:pk", "place:us", "place:jp"]));
    let got = custom(
        "{place:p} and {place:p} met",
        pk_us("Pakistan and America met."),
    );
    assert_eq!(got[0]["p"], json!(["place:pk", "place:us"]));
}

#[test]
fn engine_unit_filter_and_value_types() {
    let d = Doc::new("They saw 5 attacks and 7 arrests.")
        .count("5 attacks", 5, "attack")
        .count("7 arrests", 7, "arrest");
    let got = custom("saw {count:attack:n}", d);
    assert_eq!(got[0]["n"], json!("5 attacks"));
    let d = Doc::new("They saw 5 attacks and 7 arrests.")
        .count("5 attacks", 5, "attack")
        .count("7 arrests", 7, "arrest");
    let got = custom("and {count:arrest}", d);
    assert_eq!(got[0]["count"], json!("7 arrests"));
}

/// Statements through the whole pipeline: "he said" goes to the latest
/// subject, not to the last name of a list; a relative "that" inside the
/// reported clause does not cut it.
#[test]
fn statement_speakers_and_content_through_the_pipeline() {
    let pack = RulePack::embedded().unwrap();
    let p = factsift::Pipeline::new(&pack).unwrap();
    let text = "Interior Minister Mohsin Naqvi visited Quetta on Monday. \
        Naqvi named the suspects as Rahim Bakhsh, a driver, and Gul Khan. \
        Both had crossed from Afghanistan, he said. \
        The ISPR said 12 militants were killed in raids that followed in Kech district.";
    let a = p.analyze(&Document::new("t", text));
    let statements: Vec<(String, String)> = a
        .facts
        .iter()
        .filter(|f| f.kind == "statement")
        .map(|f| {
            let speaker = match f.args.get("speaker") {
                Some(Arg::Entity(id)) => id.clone(),
                other => format!("{other:?}"),
            };
            let content = match f.args.get("content") {
                Some(Arg::Text(s)) => s.clone(),
                other => format!("{other:?}"),
            };
            (speaker, content)
        })
        .collect();
    assert!(
        statements.contains(&(
            "official:mohsin-naqvi".into(),
            "Both had crossed from Afghanistan".into()
        )),
        "{statements:?}"
    );
    assert!(
        statements.iter().any(|(s, c)| s == "org:ispr"
            && c.starts_with("12 militants were killed in raids that followed")),
        "{statements:?}"
    );
}

/// The `place` of an event holds every place of its locative phrase, joined
/// by "road near the village of", "district,", or a possessive.
#[test]
fn place_lists_hold_the_whole_locative_phrase() {
    Doc::new("Three constables were killed when militants detonated a landmine on the Sangu–Pirkot road near the village of Tarkha in Kohlu district, Balochistan.")
        .ent("place:sangu", Place, &["Sangu"])
        .ent("place:pirkot", Place, &["Pirkot"])
        .ent("place:tarkha", Place, &["Tarkha"])
        .ent("place:pk-kohlu", Place, &["Kohlu district"])
        .ent("place:pk-ba", Place, &["Balochistan"])
        .count("Three constables", 3, "police")
        .facts()
        .has("attack", "attack-casualties", json!({"means": "roadside bomb", "killed": "Three constables", "place": ["place:sangu", "place:pirkot", "place:tarkha", "place:pk-kohlu", "place:pk-ba"]}));
    Doc::new("Gunmen opened fire on a wedding party in Punjab’s Okara district, killing four people.")
        .ent("place:pk-pb", Place, &["Punjab’s"])
        .ent("place:pk-okara", Place, &["Okara district"])
        .count("four people", 4, "person")
        .facts()
        .has("attack", "attack-active-kills", json!({"means": "gunfire", "killed": "four people", "target": "wedding party", "place": ["place:pk-pb", "place:pk-okara"]}));
}

/// A target that is one place mention is the narrowest place; one that is an
/// organization is that organization's id; an attack with no target whose
/// dead are counted as an organization's members targeted that organization.
#[test]
fn targets_as_entities_and_from_the_dead() {
    Doc::new("Insurgents who later stormed the Serena Hotel in Kabul, killing 18 guests, were never caught.")
        .ent("place:af-serena", Place, &["Serena Hotel"])
        .ent("place:af-kabul", Place, &["Kabul"])
        .count("18 guests", 18, "person")
        .facts()
        .has("attack", "attack-active-kills", json!({"killed": "18 guests", "place": ["place:af-serena", "place:af-kabul"]}));
    Doc::new("Rebels ambushed the Assam Rifles near Ukhrul.")
        .ent("org:assam-rifles", Organization, &["Assam Rifles"])
        .ent("place:in-ukhrul", Place, &["Ukhrul"])
        .facts()
        .has(
            "attack",
            "attack-active-kills",
            json!({"target": "org:assam-rifles", "place": "place:in-ukhrul"}),
        );
    Doc::new("Six Frontier Constabulary men died after a bomb exploded in Tank.")
        .ent("org:fc", Organization, &["Frontier Constabulary"])
        .ent("place:pk-tank", Place, &["Tank"])
        .count("Six Frontier Constabulary men", 6, "police")
        .facts()
        .has("attack", "attack-casualties", json!({"means": "bomb", "killed": "Six Frontier Constabulary men", "place": "place:pk-tank", "target": "org:fc"}));
}

/// Perpetrators named before the means or with an abbreviation in brackets;
/// the means told by the casualty sentence or the sentence after the attack.
#[test]
fn perpetrators_and_means_from_around_the_attack() {
    Doc::new("A Jamaat-ul-Ahrar suicide bomber killed 21 policemen at a checkpoint in Mardan.")
        .ent("group:jua", Group, &["Jamaat-ul-Ahrar"])
        .ent("place:pk-mardan", Place, &["Mardan"])
        .count("21 policemen", 21, "police")
        .facts()
        .has("attack", "attack-active-kills", json!({"perpetrator": "group:jua", "means": "suicide bombing", "killed": "21 policemen", "target": "checkpoint in Mardan", "place": "place:pk-mardan"}));
    Doc::new("Fighters of the Hizbul Mujahideen (HM) killed nine villagers in Doda.")
        .ent("group:hm", Group, &["Hizbul Mujahideen", "HM"])
        .ent("place:in-doda", Place, &["Doda"])
        .count("nine villagers", 9, "person")
        .facts()
        .has("attack", "attack-group-killed", json!({"perpetrator": "group:hm", "killed": "nine villagers", "place": "place:in-doda"}));
    Doc::new("Militants attacked a police station in Lakki Marwat. A truck bomb was driven into its gate.")
        .ent("place:pk-lakki", Place, &["Lakki Marwat"])
        .facts()
        .has("attack", "attack-active-kills", json!({"target": "police station", "place": "place:pk-lakki", "means": "vehicle-borne IED"}));
    Doc::new("Militants attacked a market in Kurram. Eleven shoppers were killed, most of them gunned down as they fled.")
        .ent("place:pk-kurram", Place, &["Kurram"])
        .count("Eleven shoppers", 11, "person")
        .facts()
        .has("attack", "attack-active-kills", json!({"target": "market", "place": "place:pk-kurram", "killed": "Eleven shoppers", "means": "gunfire"}));
    Doc::new("The 1995 bombing of the Egyptian embassy in Islamabad killed 16 people.")
        .ent("place:eg", Place, &["Egyptian"])
        .ent("place:pk-islamabad", Place, &["Islamabad"])
        .count("16 people", 16, "person")
        .date("1995", "1995")
        .facts()
        .none_of("kill");
}

/// A total of the dead over a period, against an earlier one, is a count
/// with `previous`, not a kill.
#[test]
fn totals_of_the_dead_are_counts_not_kills() {
    Doc::new("Some 140 insurgents have been killed in Kurram so far in 2023, up from 95 a year earlier.")
        .ent("place:pk-kurram", Place, &["Kurram"])
        .count("Some 140 insurgents", 140, "militant")
        .count("95", 95, "militant")
        .date("2023", "2023")
        .facts()
        .has("count", "count-killed-total", json!({"count": "Some 140 insurgents", "previous": "95", "place": "place:pk-kurram", "time": "2023", "event": "killed"}))
        .none_of("kill");
}

/// A kill without a place happened where the operation of the sentence
/// before it in its paragraph was: every place of its locative phrase.
#[test]
fn kill_takes_the_place_of_the_operation_before_it() {
    Doc::new("Troops launched a search operation in Khyber district, Khyber Pakhtunkhwa, on Tuesday. After a long gunfight, nine insurgents were killed.")
        .ent("place:pk-khyber", Place, &["Khyber district"])
        .ent("place:pk-kp", Place, &["Khyber Pakhtunkhwa"])
        .count("nine insurgents", 9, "militant")
        .facts()
        .has("kill", "kill-passive", json!({"count": "nine insurgents", "place": ["place:pk-khyber", "place:pk-kp"]}));
}

/// The dead counted right after an attack that lacks them are its victims,
/// not a kill; militants killed after it still are a kill.
#[test]
fn victims_after_an_attack_are_not_a_kill() {
    Doc::new("A suicide bomber blew himself up outside a mosque in Quetta. About 40 worshippers were killed.")
        .ent("place:pk-quetta", Place, &["Quetta"])
        .count("About 40 worshippers", 40, "killed")
        .facts()
        .has("attack", "attack-bomber", json!({"means": "suicide bombing", "target": "mosque in Quetta", "place": "place:pk-quetta", "killed": "About 40 worshippers"}))
        .none_of("kill");
    Doc::new("A suicide bomber blew himself up outside a mosque in Quetta. About 40 militants were killed.")
        .ent("place:pk-quetta", Place, &["Quetta"])
        .count("About 40 militants", 40, "militant")
        .facts()
        .has("kill", "kill-passive", json!({"count": "About 40 militants", "place": "place:pk-quetta"}));
}

/// A kill's target is the count's noun when a proper name says who ("10
/// suspected Kuki-Zo militants"), never a bare class noun ("22 militants").
#[test]
fn kill_target_named_by_the_count() {
    let mut d = Doc::new("Police shot dead 14 suspected Naxal cadres near Gadchiroli.").ent(
        "place:in-gadchiroli",
        Place,
        &["Gadchiroli"],
    );
    d = d.count("14 suspected Naxal cadres", 14, "militant");
    if let Some(v) = d.values.last_mut() {
        v.noun = Some("suspected Naxal cadres".into());
    }
    d.facts().has("kill", "kill-active", json!({"agent": "Police", "count": "14 suspected Naxal cadres", "target": "Naxal cadres", "place": "place:in-gadchiroli"}));
    let mut d =
        Doc::new("Troops killed 22 militants in Tirah.").ent("place:pk-tirah", Place, &["Tirah"]);
    d = d.count("22 militants", 22, "militant");
    if let Some(v) = d.values.last_mut() {
        v.noun = Some("militants".into());
    }
    d.facts().has(
        "kill",
        "kill-active",
        json!({"agent": "Troops", "count": "22 militants", "place": "place:pk-tirah"}),
    );
}

/// Of several places in an attack's sentence, the one stated with a
/// locative is where it happened; "shot dead" says the means.
#[test]
fn attack_place_is_the_located_one() {
    Doc::new("Insurgents stopped a bus at a checkpoint in Kohistan district and shot dead nine passengers, all of them from Gilgit.")
        .ent("place:pk-kohistan", Place, &["Kohistan district"])
        .ent("place:pk-gilgit", Place, &["Gilgit"])
        .count("nine passengers", 9, "person")
        .facts()
        .has("attack", "attack-active-kills", json!({"means": "gunfire", "killed": "nine passengers", "place": "place:pk-kohistan"}));
}

/// The place of the sentence right before a kill beats an attack's further
/// back: "... bomber ... in Quetta. Later, fighters seized a convoy in the
/// Bolan Pass. ... nine militants were killed." happened in the Bolan Pass.
#[test]
fn kill_place_from_the_nearer_sentence() {
    Doc::new("A suicide bomber blew himself up at a rally in Quetta. Weeks later, fighters seized a convoy in the Bolan Pass. After a gunfight, nine insurgents were killed.")
        .ent("place:pk-quetta", Place, &["Quetta"])
        .ent("place:bolan-pass", Place, &["Bolan Pass"])
        .count("nine insurgents", 9, "militant")
        .facts()
        .has("kill", "kill-passive", json!({"count": "nine insurgents", "place": "place:bolan-pass"}));
}

/// A headline-style attack: means, verb, and a named target; a common-noun
/// object ("the building") names none.
#[test]
fn means_strike_a_named_target() {
    Doc::new("Suicide bombers struck Camp Chapman on 30 December 2009.")
        .date("30 December 2009", "2009-12-30")
        .facts()
        .has("attack", "attack-bomber", json!({"means": "suicide bombing", "target": "Camp Chapman", "time": "30 December 2009"}));
    Doc::new("Gunmen stormed the building.")
        .facts()
        .none_of("attack");
}

/// Casualties at a place and a group's claim in one sentence are an attack;
/// casualties alone are not.
#[test]
fn casualties_with_a_claim_are_an_attack() {
    Doc::new("Nine Levies personnel die in Zhob; Lashkar-e-Jhangvi claims responsibility.")
        .ent("place:pk-zhob", Place, &["Zhob"])
        .ent("group:lej", Group, &["Lashkar-e-Jhangvi"])
        .count("Nine Levies personnel", 9, "police")
        .facts()
        .has("attack", "attack-casualties-claimed", json!({"killed": "Nine Levies personnel", "place": "place:pk-zhob", "perpetrator": "group:lej"}));
    Doc::new("Nine Levies personnel die in Zhob, officials say.")
        .ent("place:pk-zhob", Place, &["Zhob"])
        .count("Nine Levies personnel", 9, "police")
        .facts()
        .none_of("attack");
}

#[test]
fn framing_date_of_a_line_dates_the_event_among_other_dates() {
    // A title line without a period runs into the report's first sentence;
    // the last date of the opening adverbial dates the event, not the 2016
    // plot the sentence also names.
    Doc::new("Report: arrest of a suspect in Lahore\nEarlier this year, on March 3, Kamran Shah, wanted for the 2016 plot, was arrested by the police in Lahore.")
        .ent("place:pk-lahore", Place, &["Lahore"])
        .ent("person:kamran-shah", Person, &["Kamran Shah"])
        .date("Earlier this year", "2025")
        .date("March 3", "2025-03-03")
        .date("2016", "2016")
        .facts()
        .has(
            "arrest",
            "arrest-passive",
            json!({"target": "person:kamran-shah", "agent": "police", "place": "place:pk-lahore", "time": "March 3"}),
        );
}

#[test]
fn adverbial_time_inside_the_attack_beats_dateline_and_report_time() {
    let found = Doc::new("PESHAWAR, May 4 — Gunmen attacked a police post in Kohat on Friday night, killing three policemen, officials said on Saturday.")
        .ent("place:pk-peshawar", Place, &["PESHAWAR"])
        .ent("place:pk-kohat", Place, &["Kohat"])
        .date("May 4", "2025-05-04")
        .val("Friday night", ValueType::Time, json!("2025-05-02TNI"), None)
        .date("Saturday", "2025-05-03")
        .count("three policemen", 3, "police")
        .facts();
    let attack = found
        .facts
        .iter()
        .find(|f| f.kind == "attack")
        .expect("an attack");
    assert_eq!(found.show(&attack.args["time"]), json!("Friday night"));
}

#[test]
fn a_later_mention_of_the_same_persons_arrest_is_the_same_arrest() {
    Doc::new("Ali Raza was arrested by the Counter Terrorism Department in Multan on 2 June 2024. The CTD's arrest of Ali Raza followed a two-month search.")
        .ent("person:ali-raza", Person, &["Ali Raza"])
        .ent("org:ctd", Organization, &["Counter Terrorism Department", "CTD"])
        .ent("place:pk-multan", Place, &["Multan"])
        .date("2 June 2024", "2024-06-02")
        .facts()
        .has(
            "arrest",
            "arrest-passive",
            json!({"target": "person:ali-raza", "agent": "org:ctd", "place": "place:pk-multan", "time": "2 June 2024"}),
        )
        .none_of_rule("arrest-nominal");
}

#[test]
fn an_apposition_to_the_attacks_place_adds_its_places() {
    Doc::new("A suicide bomber blew himself up at a checkpoint in Wana, the main town of South Waziristan, Khyber Pakhtunkhwa.")
        .ent("place:pk-wana", Place, &["Wana"])
        .ent("place:pk-south-waziristan", Place, &["South Waziristan"])
        .ent("place:pk-kp", Place, &["Khyber Pakhtunkhwa"])
        .facts()
        .has(
            "attack",
            "attack-bomber",
            json!({"means": "suicide bombing", "target": "checkpoint in Wana", "place": ["place:pk-wana", "place:pk-south-waziristan", "place:pk-kp"]}),
        );
}

#[test]
fn a_claim_after_a_parenthesis_names_the_perpetrator() {
    Doc::new("Six policemen were killed when a roadside bomb struck their van near Tank. The Tehreek-e-Taliban Pakistan (TTP, also known as the Pakistani Taliban) claimed the attack.")
        .ent("group:ttp", Group, &["Tehreek-e-Taliban Pakistan", "TTP", "Pakistani Taliban"])
        .ent("place:pk-tank", Place, &["Tank"])
        .count("Six policemen", 6, "police")
        .facts()
        .has("attack", "attack-casualties", json!({"perpetrator": "group:ttp", "means": "roadside bomb", "place": "place:pk-tank", "killed": "Six policemen"}));
}

#[test]
fn victims_of_a_nationality_are_the_attacks_target() {
    Doc::new("Three Afghan traders were killed in a bomb blast in Chaman.")
        .ent("place:af", Place, &["Afghan"])
        .ent("place:pk-chaman", Place, &["Chaman"])
        .count("Three Afghan traders", 3, "person")
        .facts()
        .has("attack", "attack-casualties", json!({"target": "place:af", "place": "place:pk-chaman", "means": "bomb", "killed": "Three Afghan traders"}));
}

#[test]
fn a_group_named_in_the_killed_count_is_the_kills_target() {
    Doc::new("Security forces killed 12 TTP militants in an operation.")
        .ent("group:ttp", Group, &["TTP"])
        .count("12 TTP militants", 12, "militant")
        .facts()
        .has(
            "kill",
            "kill-active",
            json!({"agent": "Security forces", "count": "12 TTP militants", "target": "group:ttp"}),
        );
}

#[test]
fn a_place_after_a_locative_is_not_the_attacks_perpetrator() {
    let found = Doc::new("Militants in Bannu attacked police stations from Domel to Lakki Marwat.")
        .ent("place:pk-bannu", Place, &["Bannu"])
        .ent("place:pk-domel", Place, &["Domel"])
        .ent("place:pk-lakki-marwat", Place, &["Lakki Marwat"])
        .facts();
    assert!(
        !found
            .facts
            .iter()
            .any(|f| f.args.get("perpetrator") == Some(&Arg::Entity("place:pk-bannu".into()))),
        "{:#?}",
        found.shown()
    );
}

#[test]
fn an_event_takes_the_most_specific_date_of_the_sentence_before() {
    Doc::new("Two weeks later, on 14 June 2024, gunmen stormed a checkpoint near Kalat. Eleven militants were killed by security forces.")
        .ent("place:pk-kalat", Place, &["Kalat"])
        .date("Two weeks later", "2024-06")
        .date("14 June 2024", "2024-06-14")
        .count("Eleven militants", 11, "militant")
        .facts()
        .has(
            "kill",
            "kill-passive",
            json!({"count": "Eleven militants", "agent": "security forces", "place": "place:pk-kalat", "time": "14 June 2024"}),
        );
}

#[test]
fn a_strike_that_kills_a_named_person_is_a_kill_not_an_attack() {
    Doc::new("An American drone strike killed Taliban leader Akhtar Mansour near Ahmad Wal in May 2016.")
        .ent("place:us", Place, &["American"])
        .ent("place:pk-ahmad-wal", Place, &["Ahmad Wal"])
        .ent("person:akhtar-mansour", Person, &["Akhtar Mansour"])
        .date("May 2016", "2016-05")
        .facts()
        .has(
            "kill",
            "kill-strike",
            json!({"agent": "place:us", "target": "person:akhtar-mansour", "place": "place:pk-ahmad-wal", "time": "May 2016"}),
        )
        .none_of("attack");
}

#[test]
fn two_attacks_by_different_means_keep_their_own_casualties() {
    let found = Doc::new("Gunmen killed villagers in the town of Mach in Bolan district, and a bomb hidden in a cart killed four children the next day.")
        .ent("place:pk-mach", Place, &["Mach"])
        .ent("place:pk-bolan", Place, &["Bolan"])
        .count("four children", 4, "child")
        .facts();
    found.has(
        "attack",
        "attack-active-kills",
        json!({"means": "gunfire", "target": "villagers", "place": ["place:pk-mach", "place:pk-bolan"]}),
    );
    let bomb = found
        .facts
        .iter()
        .find(|f| f.args.get("means") == Some(&Arg::Text("bomb".into())))
        .expect("the bombing");
    assert_eq!(found.show(&bomb.args["killed"]), json!("four children"));
}

#[test]
fn relative_and_contrast_clauses_take_the_main_clause_time() {
    // Two dates: the report's and the tally's. Each clause of the tally
    // takes the tally's year, not the report's.
    Doc::new("In a briefing in January 2024, officials said police conducted 1,200 raids in Punjab during 2023, in which 310 militants were killed, while 57 constables embraced martyrdom.")
        .ent("place:pk-pb", Place, &["Punjab"])
        .count("1,200 raids", 1200, "raid")
        .count("310 militants", 310, "militant")
        .count("57 constables", 57, "policeman")
        .date("January 2024", "2024-01")
        .date("2023", "2023")
        .facts()
        .has("kill", "kill-passive", json!({"count": "310 militants", "time": "2023"}))
        .has("count", "count-martyred-while", json!({"count": "57 constables", "event": "killed", "place": "place:pk-pb", "time": "2023"}));
}

#[test]
fn a_date_in_the_subject_dates_its_clause() {
    Doc::new("The provincial budget for 2024 raised police spending to Rs 90 billion from Rs 70 billion, after the attacks of March 2023.")
        .val("Rs 90 billion", ValueType::Money, json!(90_000_000_000_i64), None)
        .val("Rs 70 billion", ValueType::Money, json!(70_000_000_000_i64), None)
        .date("2024", "2024")
        .date("March 2023", "2023-03")
        .facts()
        .has("metric", "metric-raised-to-from", json!({"metric": "police spending", "value": "Rs 90 billion", "previous": "Rs 70 billion", "time": "2024"}));
}

#[test]
fn members_named_after_a_group_are_its_kills_target() {
    let mut d = Doc::new("The CPN (Maoist) and the Afghan Taliban were named. Soldiers killed four Maoists near Rolpa. Police killed two Afghans near Chaman.")
        .ent("group:cpn-maoist", Group, &["CPN (Maoist)"])
        .ent("group:afghan-taliban", Group, &["Afghan Taliban"])
        .count("four Maoists", 4, "militant")
        .count("two Afghans", 2, "person");
    for v in &mut d.values {
        v.noun = v
            .span
            .slice(&d.text)
            .split_once(' ')
            .map(|x| x.1.to_string());
    }
    let found = d.facts();
    found.has(
        "kill",
        "kill-active",
        json!({"agent": "Soldiers", "count": "four Maoists", "target": "group:cpn-maoist"}),
    );
    // "Afghan" is a modifier of "Afghan Taliban", not its members' name.
    found.has(
        "kill",
        "kill-active",
        json!({"agent": "Police", "count": "two Afghans"}),
    );
}

#[test]
fn a_gathering_of_a_party_is_the_target_and_a_later_toll_is_killed_too() {
    Doc::new("A suicide bomber blew himself up at a rally of the ANP in Mardan on 5 May 2024. Six people were killed at once, and the death toll later climbed to 11; some 30 others were wounded.")
        .ent("org:anp", Organization, &["ANP"])
        .ent("place:pk-mardan", Place, &["Mardan"])
        .date("5 May 2024", "2024-05-05")
        .count("Six people", 6, "person")
        .count("11", 11, "person")
        .count("some 30 others", 30, "person")
        .facts()
        .has("attack", "attack-bomber", json!({"means": "suicide bombing", "target": "org:anp", "place": "place:pk-mardan", "time": "5 May 2024", "killed": ["Six people", "11"], "injured": "some 30 others"}));
}

#[test]
fn a_name_slot_never_takes_a_capitalized_preposition() {
    // "On 14 May 2025, Imran Khattak was arrested ...": the unknown name is
    // the target, not the sentence's opening "On".
    Doc::new("On 14 May 2025, Imran Khattak was arrested by the Counter Terrorism Department in Peshawar.")
        .ent("org:ctd", Organization, &["Counter Terrorism Department"])
        .ent("place:pk-peshawar", Place, &["Peshawar"])
        .date("14 May 2025", "2025-05-14")
        .facts()
        .has(
            "arrest",
            "arrest-passive",
            json!({"target": "Imran Khattak", "agent": "org:ctd", "place": "place:pk-peshawar", "time": "14 May 2025"}),
        );
}

#[test]
fn a_gap_never_crosses_a_line_label_colon() {
    // An incident log's "DATE, PLACE: ..." label: the place names where, not
    // who arrested.
    Doc::new("- 9 Jan 2025, Turbat: Levies detained three men near the bazaar.")
        .ent("place:pk-turbat", Place, &["Turbat"])
        .ent("org:levies", Organization, &["Levies"])
        .date("9 Jan 2025", "2025-01-09")
        .count("three men", 3, "person")
        .facts()
        .has(
            "arrest",
            "arrest-active",
            json!({"agent": "org:levies", "count": "three men", "place": "place:pk-turbat", "time": "9 Jan 2025"}),
        );
}

#[test]
fn a_paragraph_date_is_the_events_not_the_reports() {
    // The first sentence dates the raid (Tuesday) and its report
    // (Wednesday); the casualty sentence after it takes the raid's day.
    Doc::new("Police raided a hideout near Kohat on Tuesday, officials told reporters on Wednesday. Three policemen were martyred in the gunfight.")
        .ent("place:pk-kohat", Place, &["Kohat"])
        .date("Tuesday", "2025-03-04")
        .date("Wednesday", "2025-03-05")
        .count("Three policemen", 3, "police")
        .facts()
        .has(
            "attack",
            "attack-clash-losses",
            json!({"killed": "Three policemen", "time": "Tuesday"}),
        );
}

#[test]
fn the_date_of_a_compared_figure_is_not_the_clauses() {
    // "up from 410 in 2023" dates the earlier figure; the clause after
    // "while" gets no time rather than 2023.
    Doc::new("Khyber Pakhtunkhwa recorded 640 attacks in 2024, up from 410 in 2023, while terrorism deaths rose by 30 percent.")
        .ent("place:pk-kp", Place, &["Khyber Pakhtunkhwa"])
        .count("640 attacks", 640, "attack")
        .date("2024", "2024")
        .count("410", 410, "attack")
        .date("2023", "2023")
        .val("30 percent", ValueType::Percent, json!(30), None)
        .facts()
        .has(
            "metric",
            "metric-change-by",
            json!({"metric": "terrorism deaths", "value": "30 percent"}),
        );
}

/// Where and when an event happened is not where the report was filed (an
/// upper-case dateline), where a victim lived, or the date of a relative
/// clause about someone in it.
#[test]
fn datelines_homes_and_relative_clause_dates_do_not_locate_or_date_an_event() {
    let pack = RulePack::embedded().unwrap();
    let p = factsift::Pipeline::new(&pack).unwrap();
    let facts = |text: &str| {
        p.analyze(&Document::new("t", text))
            .facts
            .into_iter()
            .filter(|f| f.kind != "role" && f.kind != "statement")
            .collect::<Vec<_>>()
    };
    let got = facts("PESHAWAR, 2 May 2025: Police arrested 12 suspects in raids across the province, officials said.");
    assert!(
        got.iter()
            .any(|f| f.kind == "arrest" && !f.args.contains_key("place")),
        "{got:?}"
    );
    let got = facts("Naik Gul Sher, a native of Swat, embraced shahadat during the raid.");
    assert!(
        got.iter()
            .any(|f| f.kind == "kill" && !f.args.contains_key("place")),
        "{got:?}"
    );
    let got = facts("Troops killed four militants in Zhob, including a commander, who had been wanted since 2019 for bombing a bridge.");
    assert!(
        got.iter().any(|f| f.kind == "kill"
            && f.args.get("place") == Some(&Arg::Entity("place:pk-zhob".into()))
            && !f.args.contains_key("time")),
        "{got:?}"
    );
}

/// The `place` argument of the first fact of `kind` the default pack finds
/// in `text` (`None`: no such fact).
fn place_of(text: &str, kind: &str) -> Option<Option<Arg>> {
    static PIPELINE: std::sync::OnceLock<factsift::Pipeline> = std::sync::OnceLock::new();
    let p = PIPELINE.get_or_init(|| {
        let pack = RulePack::embedded().expect("rules parse");
        factsift::Pipeline::new(&pack).expect("rules compile")
    });
    p.analyze(&Document::new("t", text))
        .facts
        .into_iter()
        .find(|f| f.kind == kind)
        .map(|f| f.args.get("place").cloned())
}

/// An incident entry's header ("DATE, PLACE, PROVINCE: ..." or "N. PLACE,
/// PROVINCE (COUNTRY), DATE.") locates the entry's events that name no place
/// of their own; a wire dateline does not.
#[test]
fn an_incident_header_place_locates_its_entry() {
    assert_eq!(
        place_of(
            "Events of the week\n\n12 May 2025, Turbat, Kech district: Police arrested three suspects after a raid on a hideout. No weapons were found.",
            "arrest"
        ),
        Some(Some(Arg::Entity("place:pk-turbat".into())))
    );
    assert_eq!(
        place_of(
            "Events of the week\n\n4. Zhob, Balochistan (Pakistan), 3 June 2025. Troops killed four militants, officials said.",
            "kill"
        ),
        Some(Some(Arg::Entity("place:pk-zhob".into())))
    );
    assert_eq!(
        place_of(
            "QUETTA, June 3 — Troops killed four militants, officials said.",
            "kill"
        ),
        Some(None)
    );
}

/// A place that names another event ("the Quetta bombing", "the Pahalgam
/// massacre") is not where the fact of the sentence happened.
#[test]
fn a_place_naming_another_event_is_not_the_facts_place() {
    assert_eq!(
        place_of(
            "Police arrested two men wanted for the Quetta bombing after a chase.",
            "arrest"
        ),
        Some(None)
    );
    assert_eq!(
        place_of(
            "Troops killed three militants linked to the Pahalgam massacre in Udhampur.",
            "kill"
        ),
        Some(Some(Arg::Entity("place:in-udhampur".into())))
    ); // A country's adjective before a noun says whose, not where.
    assert_eq!(
        place_of(
            "Gunmen opened fire on a van carrying Afghan refugees, killing six people.",
            "attack"
        ),
        Some(None)
    );
    assert_eq!(
        place_of(
            "A suicide bomber struck a bus carrying Chinese engineers in Pakistan, killing five.",
            "attack"
        ),
        Some(Some(Arg::Entity("place:pk".into())))
    );
}
