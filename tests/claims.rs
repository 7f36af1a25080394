//! Claim facts (meetings, cooperation, statements, roles) through the whole
//! pipeline, on phrasings the corpus does not use.

use std::sync::OnceLock;

use factsift::ingest::text_document;
use factsift::{emit, Pipeline, RulePack};
use serde_json::{json, Value};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| {
        Pipeline::new(&RulePack::embedded().expect("default rules parse"))
            .expect("default rules compile")
    })
}

/// The facts of `kind` in `text` (read as a `.txt`, or as Markdown when it
/// starts with front matter), with value ids replaced by their values.
fn facts(text: &str, kind: &str) -> Vec<Value> {
    let markdown = text.starts_with("---");
    let doc = text_document("test.txt", "test", text.as_bytes().to_vec(), markdown, None)
        .expect("text ingests");
    let out = emit::to_json(&doc, &pipeline().analyze(&doc));
    let values = out["values"].as_array().cloned().unwrap_or_default();
    let value_of = |id: &str| {
        values
            .iter()
            .find(|v| v["id"] == id)
            .map(|v| v["value"].clone())
    };
    out["facts"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| {
            let mut args = f["args"].clone();
            if let Some(m) = args.as_object_mut() {
                for (_, a) in m.iter_mut() {
                    if let Some(v) = a.as_str().and_then(value_of) {
                        *a = v;
                    }
                }
            }
            args
        })
        .collect()
}

/// Whether some fact of `kind` has every argument of `want` (lists as sets).
fn has(text: &str, kind: &str, want: Value) {
    let got = facts(text, kind);
    let set = |v: &Value| -> Vec<String> {
        match v {
            Value::Array(a) => {
                let mut s: Vec<String> = a.iter().map(|x| x.to_string()).collect();
                s.sort();
                s
            }
            other => vec![other.to_string()],
        }
    };
    let ok = got.iter().any(|f| {
        want.as_object().is_some_and(|w| {
            w.iter()
                .all(|(k, v)| f.get(k).is_some_and(|g| set(g) == set(v)))
        })
    });
    assert!(ok, "no {kind} {want} in {text:?}; got {got:#?}");
}

fn none(text: &str, kind: &str) {
    let got = facts(text, kind);
    assert!(got.is_empty(), "unexpected {kind} in {text:?}: {got:#?}");
}

#[test]
fn meeting_subject_is_a_bare_title_resolved_through_its_role() {
    has(
        "Secretary of State Antony Blinken arrived in Delhi. The Secretary later had a telephone call with Foreign Minister Ishaq Dar.",
        "meeting",
        json!({"participants": ["official:antony-blinken", "official:ishaq-dar"], "format": "phone call"}),
    );
}

#[test]
fn meeting_object_me_is_the_transcript_speaker() {
    has(
        "---\ndate: 2025-06-11\n---\nQUESTION: Who told you?\n\nGENERAL MICHAEL KURILLA: The army chief, Asim Munir, phoned me on Monday.\n",
        "meeting",
        json!({"participants": ["official:asim-munir", "official:michael-kurilla"], "format": "phone call"}),
    );
}

#[test]
fn meeting_object_is_a_list_with_titles_and_appositions() {
    has(
        "Prime Minister Shehbaz Sharif met Asim Munir and the interior minister, Mohsin Naqvi, in Islamabad.",
        "meeting",
        json!({"participants": ["official:shehbaz-sharif", "official:asim-munir", "official:mohsin-naqvi"]}),
    );
}

#[test]
fn meeting_discussed_with_during_a_visit_is_a_visit() {
    has(
        "Ishaq Dar discussed trade with Wang Yi during a visit to Beijing in May 2025.",
        "meeting",
        json!({"participants": ["official:ishaq-dar", "official:wang-yi"], "format": "visit", "place": "place:cn-beijing", "time": "2025-05"}),
    );
}

#[test]
fn meeting_names_in_the_next_sentence_join_the_meeting() {
    // "X will travel to P for the Y meeting. X will meet A and B." and
    // "A led our side, and B led the Afghan delegation."
    let text = "Marco Rubio will travel to Islamabad for the strategic dialogue in June 2025. Rubio will meet Prime Minister Shehbaz Sharif and Asim Munir.";
    has(
        text,
        "meeting",
        json!({"participants": ["official:marco-rubio", "official:shehbaz-sharif", "official:asim-munir"], "format": "strategic dialogue", "place": "place:pk-islamabad"}),
    );
    has(
        text,
        "meeting",
        json!({"participants": "official:marco-rubio", "format": "visit", "place": "place:pk-islamabad"}),
    );
    has(
        "Pakistan and Afghanistan held talks in Doha in October 2025. Ishaq Dar led the Pakistani delegation, and Amir Khan Muttaqi led the Afghan side.",
        "meeting",
        json!({"participants": ["place:pk", "place:af", "official:ishaq-dar", "official:amir-khan-muttaqi"], "format": "talks", "place": "place:qa-doha", "time": "2025-10"}),
    );
}

#[test]
fn an_officials_stay_of_days_is_a_visit_and_the_state_is_the_last_named() {
    has(
        "Shehbaz Sharif spent two days in Quetta after the blast.",
        "meeting",
        json!({"participants": ["official:shehbaz-sharif"], "format": "visit", "place": "place:pk-quetta"}),
    );
    has(
        "Balochistan has seen a wave of attacks. In March 2025 Mohsin Naqvi spent a week in the province.",
        "meeting",
        json!({"participants": ["official:mohsin-naqvi"], "format": "visit", "place": "place:pk-ba", "time": "2025-03"}),
    );
    // Years are no visit; nor is a stay with no place.
    none(
        "Mohsin Naqvi spent two years in the province of Punjab.",
        "meeting",
    );
    none("Mohsin Naqvi spent four days in hospital.", "meeting");
}

#[test]
fn talk_of_talks_is_no_meeting() {
    none(
        "The State Department will continue to support direct talks between India and Pakistan.",
        "meeting",
    );
    none(
        "Shehbaz Sharif called the strikes an act of war.",
        "meeting",
    );
}

#[test]
fn the_two_sides_are_the_meeting_before_or_the_last_two_countries() {
    has(
        "On 3 March 2024, Afghanistan and Pakistan held talks in Kabul. Both sides agreed to reopen the Torkham crossing, and to meet again in May.",
        "cooperation",
        json!({"parties": ["place:af", "place:pk"], "topic": "reopen the Torkham crossing", "time": "2024-03-03"}),
    );
    has(
        "Indian and Chinese troops clashed in Ladakh in June 2020. After months of talks the two countries finally agreed on a disengagement plan on 10 February 2021.",
        "cooperation",
        json!({"parties": ["place:in", "place:cn"], "topic": "disengagement plan", "time": "2021-02-10"}),
    );
    none("The two sides agreed.", "cooperation");
}

#[test]
fn a_ceasefire_concluded_without_named_sides_takes_the_last_two_countries() {
    has(
        "Indian and Chinese troops clashed in Ladakh for weeks. The truce agreed in Moscow on 10 September 2020 has largely held.",
        "cooperation",
        json!({"parties": ["place:in", "place:cn"], "topic": "truce", "time": "2020-09-10"}),
    );
    // The sides of the fighting named just before come first; a mediator
    // ("brokered by") is not a side.
    has(
        "Clashes between Bangash and Turi tribes went on for a week. A truce brokered by elders on 2 December 2024 held.",
        "cooperation",
        json!({"parties": ["Bangash tribes", "Turi tribes"], "topic": "truce", "time": "2024-12-02"}),
    );
    has(
        "Heavy fighting between Lashkar-e-Islam and the TTP erupted in Tirah, near the Afghanistan border with Pakistan. A ceasefire mediated by local elders later collapsed.",
        "cooperation",
        json!({"parties": ["group:lei", "group:ttp"], "topic": "ceasefire"}),
    );
    // Not concluded, or no two countries to take.
    none(
        "India and China traded accusations. The ceasefire collapsed within a week.",
        "cooperation",
    );
    none(
        "Pakistan accused Afghanistan of sheltering militants. A ceasefire agreed by tribal elders in Kurram held.",
        "cooperation",
    );
}

#[test]
fn a_leader_given_his_role_in_the_sentence_stands_for_his_group() {
    has(
        "The TTP's chief, Noor Wali Mehsud, sought closer coordination with Jamaat-ul-Ahrar.",
        "cooperation",
        json!({"parties": ["group:ttp", "group:jua"], "topic": "closer coordination"}),
    );
    // No role in the sentence: the person stays.
    has(
        "Hafiz Gul Bahadur has sought closer ties with the Afghan Taliban.",
        "cooperation",
        json!({"parties": ["person:hafiz-gul-bahadur", "group:afghan-taliban"]}),
    );
}

#[test]
fn agreements_signed_in_timelines_and_prose() {
    has(
        "- 2 March 2021 — The India–Pakistan truce accord is signed in Islamabad, ending months of shelling since June 2020.",
        "cooperation",
        json!({"parties": ["place:in", "place:pk"], "topic": "accord", "place": "place:pk-islamabad", "time": "2021-03-02"}),
    );
    has(
        "China and Pakistan signed a new counterterrorism agreement in Beijing.",
        "cooperation",
        json!({"parties": ["place:cn", "place:pk"], "topic": "agreement"}),
    );
}

#[test]
fn roles_after_as_with_a_verb_an_apposition_or_a_description() {
    has(
        "Shehbaz Sharif was sworn in on 4 March 2024 as Pakistan's prime minister.",
        "role",
        json!({"person": "official:shehbaz-sharif", "title": "prime minister", "of": "place:pk"}),
    );
    has(
        "The new cabinet was announced, with Ishaq Dar, a close ally of the Sharifs, as foreign minister.",
        "role",
        json!({"person": "official:ishaq-dar", "title": "foreign minister", "of": "place:pk"}),
    );
    has(
        "Police arrested Noor Wali Mehsud, whom they described as a senior commander of the TTP.",
        "role",
        json!({"person": "person:noor-wali-mehsud", "title": "senior commander", "of": "group:ttp"}),
    );
    // The one who describes holds no title.
    none("Shehbaz Sharif described the TTP as a threat.", "role");
}

#[test]
fn roles_led_by_party_chief_and_appointed_ambassador() {
    has(
        "The Tehreek-e-Taliban Pakistan, led by Noor Wali Mehsud, rejected the talks.",
        "role",
        json!({"person": "person:noor-wali-mehsud", "title": "leader", "of": "group:ttp"}),
    );
    has(
        "Gunmen attacked a rally of the Pakistan Tehreek-e-Insaf in Peshawar. Party chairman Imran Khan condemned the attack.",
        "role",
        json!({"person": "official:imran-khan", "title": "Party chairman", "of": "org:pti"}),
    );
    has(
        "Qatar hosted a Taliban-named envoy, Suhail Shaheen, in 2022.",
        "role",
        json!({"person": "official:suhail-shaheen", "title": "envoy", "of": "group:afghan-taliban"}),
    );
    has(
        "Michael Kurilla, the current CENTCOM commander, spoke.",
        "role",
        json!({"person": "official:michael-kurilla", "title": "commander", "of": "org:centcom"}),
    );
}

#[test]
fn statements_passive_acts_and_relative_speakers() {
    has(
        "Dar's offer was rejected by the Tehreek-e-Taliban Pakistan in a short message.",
        "statement",
        json!({"speaker": "group:ttp", "content": "rejected Dar's offer"}),
    );
    has(
        "The Pakistan Army, which says it has “cleared” North Waziristan, lost four soldiers there.",
        "statement",
        json!({"speaker": "org:pakistan-army", "quote": "cleared"}),
    );
    // A passive with no agent is no statement.
    none("The report was rejected.", "statement");
}

#[test]
fn a_decision_is_the_deciders_statement() {
    has(
        "Analysts questioned Pakistan's decision to ban the Pashtun Tahaffuz Movement in October 2024.",
        "statement",
        json!({"speaker": "place:pk", "content": "ban the Pashtun Tahaffuz Movement in October 2024"}),
    );
    has(
        "We note the decision of the United Kingdom on Friday to proscribe the TTP.",
        "statement",
        json!({"speaker": "place:gb", "content": "proscribe the TTP"}),
    );
}

#[test]
fn the_date_of_a_nested_decision_is_not_the_welcomers_time() {
    let text = "---\ndate: 2025-03-09\n---\nPakistan welcomed the decision of the United Kingdom on Friday to proscribe the TTP.\n";
    let got = facts(text, "statement");
    let of = |who: &str| got.iter().find(|f| f["speaker"] == who).cloned();
    let pk = of("place:pk").expect("Pakistan's statement");
    assert!(pk.get("time").is_none(), "{pk}");
    let gb = of("place:gb").expect("the decider's statement");
    assert_eq!(gb["time"], "2025-03-07", "{gb}");
    // The act's own date still counts.
    has(
        "---\ndate: 2025-03-09\n---\nPakistan on Saturday welcomed the decision of the United Kingdom to proscribe the TTP.\n",
        "statement",
        json!({"speaker": "place:pk", "time": "2025-03-08"}),
    );
}

#[test]
fn holding_an_agreement_in_abeyance_or_on_hold_is_an_act() {
    has(
        "In March 2024 Pakistan put the transit trade agreement on hold.",
        "statement",
        json!({"speaker": "place:pk", "content": "put the transit trade agreement on hold", "time": "2024-03"}),
    );
    has(
        "Afghanistan has kept the water treaty in abeyance since 2023.",
        "statement",
        json!({"speaker": "place:af"}),
    );
    none(
        "Police held the suspects in Quetta for a week.",
        "statement",
    );
}

#[test]
fn a_view_in_a_relative_clause_is_a_statement_but_a_name_given_is_not() {
    has(
        "Lashkar-e-Jhangvi, which the State Department described as one of the most violent groups in the region, was banned in 2001.",
        "statement",
        json!({"speaker": "org:state-department", "content": "one of the most violent groups in the region"}),
    );
    let got = facts(
        "The raids, which the army called Operation Zarb-e-Azb, went on for weeks.",
        "statement",
    );
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn statement_object_stops_at_a_clause_of_occasion() {
    // A noun-phrase object: the "when"/"during" clause says when, not what.
    has(
        "India reiterated its support for the Afghan peace process when its envoy visited Kabul.",
        "statement",
        json!({"speaker": "place:in", "content": "its support for the Afghan peace process"}),
    );
    has(
        "The Foreign Office stressed the need for restraint during a briefing in Islamabad.",
        "statement",
        json!({"speaker": "org:pakistan-foreign-office", "content": "the need for restraint"}),
    );
    // A clause after "said" keeps its own "after".
    has(
        "The ISPR said the siege ended after two days of fighting.",
        "statement",
        json!({"speaker": "org:ispr", "content": "the siege ended after two days of fighting"}),
    );
}

#[test]
fn roles_of_a_spokesman_for_a_body_and_of_hyphenated_titles() {
    has(
        "A spokesman for the Taliban, Zabi Khan Tariq, rejected the report.",
        "role",
        json!({"person": "person:zabi-khan-tariq", "title": "spokesman", "of": "group:afghan-taliban"}),
    );
    has(
        "UN Secretary-General Antonio Guterres condemned the bombing.",
        "role",
        json!({"person": "official:antonio-guterres", "title": "Secretary-General"}),
    );
}

#[test]
fn a_framing_place_is_never_the_speaker_of_a_joined_say() {
    // "In PLACE, X did ... and said ...": X speaks, the place is where.
    let text = "From Quetta, Chief Minister Sarfraz Bugti condemned the attack and said the killers would be caught.";
    has(
        text,
        "statement",
        json!({"speaker": "official:sarfraz-bugti"}),
    );
    let got = facts(text, "statement");
    assert!(
        got.iter().all(|f| f["speaker"] != "place:pk-quetta"),
        "a place spoke: {got:#?}"
    );
}

#[test]
fn a_turn_label_is_never_the_he_of_its_turn() {
    // The label names the turn's "I"; "he" is the minister just named.
    let text = "Spokesperson Mumtaz Zahra Baloch: The Interior Minister, Senator Mohsin Naqvi, will visit Tehran next week. He will meet Iranian President Masoud Pezeshkian.";
    let got = facts(text, "meeting");
    assert!(
        got.iter().all(|f| !f["participants"]
            .to_string()
            .contains("mumtaz-zahra-baloch")),
        "the label met: {got:#?}"
    );
    has(
        text,
        "meeting",
        json!({"participants": ["official:mohsin-naqvi", "official:masoud-pezeshkian"]}),
    );
}

#[test]
fn a_truce_the_two_sides_agreed_to_is_the_whole_topic() {
    has(
        "India and China held talks in Moscow. Both sides agreed to an immediate truce after nine hours of negotiations, a diplomat said.",
        "cooperation",
        json!({"parties": ["place:in", "place:cn"], "topic": "immediate truce"}),
    );
}

#[test]
fn a_position_in_a_transcript_turn_needs_no_verb_of_saying() {
    // Mixed-case labels are turns too; the turn's words are the quote.
    let text = "Spokesperson Zahid Hafeez Chaudhri: Good afternoon.\n\nQuestion: What happened at the Torkham crossing?\n\nSpokesperson: Traffic resumed on Monday. Those who fired on our border guards should be handed over to Pakistan.\n\nQuestion: And the refugees?\n\nSpokesperson: Our policy on the registration of Afghan nationals remains unchanged and is applied without exception.";
    has(
        text,
        "statement",
        json!({"speaker": "official:zahid-hafeez-chaudhri", "content": "Those who fired on our border guards should be handed over to Pakistan", "quote": "Those who fired on our border guards should be handed over to Pakistan"}),
    );
    has(
        text,
        "statement",
        json!({"speaker": "official:zahid-hafeez-chaudhri", "content": "Our policy on the registration of Afghan nationals remains unchanged and is applied without exception"}),
    );
    // Narrative sentences of a longer turn, courtesies and questions are
    // no statements.
    let got = facts(text, "statement");
    assert_eq!(got.len(), 2, "{got:#?}");
}

#[test]
fn a_turn_of_one_declarative_sentence_is_its_speakers_statement() {
    has(
        "BRIGADIER AHMED KHAN: The compound in Khost was used by the group to store explosives before the raids.\n\nQUESTION: How many were arrested?",
        "statement",
        json!({"content": "The compound in Khost was used by the group to store explosives before the raids"}),
    );
}

#[test]
fn the_report_speaks_for_the_body_whose_report_was_named() {
    let text = "The figures come from a survey published by the Pakistan Institute for Conflict and Security Studies (PICSS) on Monday. Suicide attacks in Khyber Pakhtunkhwa nearly doubled, the survey said.";
    has(
        text,
        "statement",
        json!({"speaker": "org:picss", "content": "Suicide attacks in Khyber Pakhtunkhwa nearly doubled"}),
    );
    // With no body named before, "the report" speaks for no one.
    none(
        "Suicide attacks nearly doubled, the report said.",
        "statement",
    );
}

#[test]
fn a_sides_present_tense_position_in_a_turn_is_a_statement() {
    let text = "SPOKESPERSON (Randhir Jaiswal): Good evening.\n\nQUESTION: Your reaction to the remarks from Dhaka?\n\nSPOKESPERSON: We have seen the remarks. We firmly reject any suggestion of interference in the internal affairs of Bangladesh. The minister is travelling this week.";
    has(
        text,
        "statement",
        json!({"speaker": "official:randhir-jaiswal", "content": "We firmly reject any suggestion of interference in the internal affairs of Bangladesh"}),
    );
    let got = facts(text, "statement");
    assert_eq!(got.len(), 1, "{got:#?}");
}

/// A rank names its holder's post even when the text names no force; other
/// titles without one give no role.
#[test]
fn a_rank_without_a_force_is_a_role_without_of() {
    has(
        "Havildar Gul Nawaz, aged 31, embraced shahadat; Constable Tariq Mehmood was injured.",
        "role",
        json!({"person": "official:gul-nawaz", "title": "Havildar"}),
    );
    has(
        "Havildar Gul Nawaz, aged 31, embraced shahadat; Constable Tariq Mehmood was injured.",
        "role",
        json!({"person": "official:tariq-mehmood", "title": "Constable"}),
    );
    has(
        "Sub-Inspector Rashid Mehmood was shot dead near the checkpoint.",
        "role",
        json!({"person": "official:rashid-mehmood", "title": "Sub-Inspector"}),
    );
}

/// A quotation followed by its speaker ('“...,” he said.'): the comma sits
/// inside the closing mark, and the quoted words are the statement's quote,
/// with a pronoun or a surname as the speaker.
#[test]
fn a_quotation_before_its_speaker_is_the_speakers_quote() {
    has(
        "Ishaq Dar met the envoy. \"Pakistan will not be dragged into this war,\" he stated.",
        "statement",
        json!({"speaker": "official:ishaq-dar", "quote": "Pakistan will not be dragged into this war,"}),
    );
    has(
        "Amit Shah visited Srinagar. “The last terrorist will be hunted down,” Shah told a rally on Sunday.",
        "statement",
        json!({"speaker": "official:amit-shah", "quote": "The last terrorist will be hunted down,"}),
    );
}

/// A manner or time adverb in "-ly" between a speaker and the verb
/// ("initially claimed", "categorically denied") keeps the speaker; a noun
/// so spelled ("the assembly") does not become one.
#[test]
fn an_ly_adverb_between_speaker_and_verb_keeps_the_speaker() {
    has(
        "The Kashmir Tigers initially claimed the ambush on the convoy.",
        "statement",
        json!({"speaker": "group:kashmir-tigers", "content": "claimed the ambush"}),
    );
    has(
        "The Foreign Office categorically denied the reports of a deal.",
        "statement",
        json!({"speaker": "org:pakistan-foreign-office", "content": "denied the reports of a deal"}),
    );
}

/// Where a meeting took place, right after the names of those who met.
#[test]
fn a_place_after_the_participants_locates_the_meeting() {
    has(
        "Foreign Minister Ishaq Dar held talks with Wang Yi in Beijing on Friday.",
        "meeting",
        json!({"participants": ["official:ishaq-dar", "official:wang-yi"], "place": "place:cn-beijing"}),
    );
    has(
        "Mohsin Naqvi met Ambassador Donald Blome at the Interior Ministry in Islamabad.",
        "meeting",
        json!({"participants": ["official:mohsin-naqvi", "official:donald-blome"]}),
    );
}

/// A person introduced by an occupation ("analyst Amir Rana", "security
/// expert Ayesha Siddiqa") is a person who can speak.
#[test]
fn an_occupation_before_a_name_makes_a_speaker() {
    has(
        "The attack was a warning, security expert Ayesha Siddiqa said.",
        "statement",
        json!({"speaker": "person:ayesha-siddiqa", "content": "The attack was a warning"}),
    );
    has(
        "In a new paper, researcher Farhan Zahid argued that the group had regrouped in Kunar.",
        "statement",
        json!({"speaker": "person:farhan-zahid"}),
    );
}

/// "The Agency said", "the Mission noted": the latest body named before
/// whose name holds that capitalized head.
#[test]
fn a_bodys_head_noun_names_the_body() {
    has(
        "The National Investigation Agency filed its charge sheet on Monday. The Agency said the accused had received funds from abroad.",
        "statement",
        json!({"speaker": "org:nia", "content": "the accused had received funds from abroad"}),
    );
    none("The Agency said nothing.", "statement");
}

/// "The two countries signed X": a cooperation of the last two countries
/// named, whose topic is what they signed (its date is the time).
#[test]
fn the_two_countries_signed_is_a_cooperation() {
    has(
        "Afghanistan and Uzbekistan reopened the crossing in March. The two countries signed a transit agreement on railway freight in 2024, officials said.",
        "cooperation",
        json!({"parties": ["place:af", "place:uz"], "topic": "transit agreement on railway freight", "time": "2024"}),
    );
}

/// "said that A, but that B": both clauses are what was said.
#[test]
fn but_that_continues_the_reported_clause() {
    has(
        "Mohsin Naqvi said that the border would reopen on Monday, but that trade would stay limited.",
        "statement",
        json!({"speaker": "official:mohsin-naqvi", "content": "the border would reopen on Monday, but that trade would stay limited"}),
    );
}

/// A body's bracketed abbreviation between it and the title keeps the role:
/// "a senior Jaish-e-Mohammed (JeM) commander, X".
#[test]
fn a_bracketed_abbreviation_before_an_apposed_title_keeps_the_role() {
    has(
        "Police said a senior Jaish-e-Mohammed (JeM) commander, Zahid Hussain Mir, was arrested in Sopore.",
        "role",
        json!({"person": "person:zahid-hussain-mir", "title": "commander", "of": "group:jem"}),
    );
}
